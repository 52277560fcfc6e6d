//! Search: one validated page of `POST …/postal_mail/search`.

use hubspot_postal_model::endpoints;
use hubspot_postal_model::engagement::PostalMail;
use hubspot_postal_model::paging::SearchPage;
use hubspot_postal_model::search::SearchRequest;

use crate::client::Client;
use crate::error::Result;

impl Client {
    /// One page of search results. The request is validated against HubSpot's limits first
    /// (groups, filters, operands, page size, the 10,000-result ceiling, 3,000 characters).
    /// Search has its own rate budget (5 per second).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::search::{Filter, SearchRequest};
    /// let request = SearchRequest::builder().filter(Filter::contains_token("hs_postal_mail_body", "contract")).build()?;
    /// let page = client.search_page(&request).await?;
    /// println!("{} matches", page.total);
    /// # Ok(()) }
    /// ```
    pub async fn search_page(&self, request: &SearchRequest) -> Result<SearchPage<PostalMail>> {
        request.validate()?;
        let call = self.call_to(&endpoints::SEARCH, &[], None)?.json(request)?;
        self.call(call).await
    }
}
