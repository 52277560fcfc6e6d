//! Single-record operations and single pages: create, get, update, archive, a list page and a
//! search page.

use hubspot_postal::model::engagement::{CreatePostalMail, PostalMail, UpdatePostalMail};
use hubspot_postal::model::ids::PostalMailId;
use hubspot_postal::model::paging::{Page, SearchPage};
use hubspot_postal::model::search::SearchRequest;
use hubspot_postal::{GetOptions, ListOptions, Result};

use crate::client::Client;
use crate::errors;

impl Client {
    /// Logs a letter. See [`hubspot_postal::Client::create`].
    ///
    /// If the call times out, the letter may have been logged: the error is
    /// [`Error::MaybeApplied`](hubspot_postal::Error::MaybeApplied) with the input.
    pub fn create(&self, input: CreatePostalMail) -> Result<PostalMail> {
        let client = self.inner();
        let reconcile = vec![input.clone()];
        self.run("create", async move { client.create(input).await })
            .map_err(|e| errors::reconcile("create", reconcile, e))
    }

    /// Reads one postal mail. See [`hubspot_postal::Client::get`].
    pub fn get(&self, id: &PostalMailId, options: &GetOptions) -> Result<PostalMail> {
        let (client, id, options) = (self.inner(), id.clone(), options.clone());
        self.run("get", async move { client.get(&id, &options).await })
    }

    /// Reads one postal mail by a unique property. See
    /// [`hubspot_postal::Client::get_by_unique`].
    pub fn get_by_unique(
        &self,
        id_property: &str,
        value: &str,
        options: &GetOptions,
    ) -> Result<PostalMail> {
        let client = self.inner();
        let (id_property, value, options) =
            (id_property.to_owned(), value.to_owned(), options.clone());
        self.run("get_by_unique", async move {
            client.get_by_unique(&id_property, &value, &options).await
        })
    }

    /// Updates properties. See [`hubspot_postal::Client::update`].
    pub fn update(&self, id: &PostalMailId, update: UpdatePostalMail) -> Result<PostalMail> {
        let (client, id) = (self.inner(), id.clone());
        self.run("update", async move { client.update(&id, update).await })
    }

    /// Moves a postal mail to the recycling bin. See [`hubspot_postal::Client::archive`].
    pub fn archive(&self, id: &PostalMailId) -> Result<()> {
        let (client, id) = (self.inner(), id.clone());
        self.run("archive", async move { client.archive(&id).await })
    }

    /// One page of postal mail. See [`hubspot_postal::Client::list_page`]; to walk every
    /// page, use [`list_pages`](Self::list_pages) or [`list_all`](Self::list_all).
    pub fn list_page(&self, options: &ListOptions) -> Result<Page<PostalMail>> {
        let (client, options) = (self.inner(), options.clone());
        self.run("list_page", async move { client.list_page(&options).await })
    }

    /// One page of search results. See [`hubspot_postal::Client::search_page`]; to walk
    /// every result, use [`search_all`](Self::search_all).
    pub fn search_page(&self, request: &SearchRequest) -> Result<SearchPage<PostalMail>> {
        let (client, request) = (self.inner(), request.clone());
        self.run(
            "search_page",
            async move { client.search_page(&request).await },
        )
    }
}
