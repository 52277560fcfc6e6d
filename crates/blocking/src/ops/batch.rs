//! Batch operations over any number of inputs, chunked by the async client (100 per request,
//! its configured number at a time).

use hubspot_postal::model::engagement::{
    BatchUpdateItem, CreatePostalMail, PostalMail, UpsertPostalMail, UpsertedPostalMail,
};
use hubspot_postal::model::ids::PostalMailId;
use hubspot_postal::{BatchOutcome, BatchReadOptions, Result};

use crate::client::Client;
use crate::errors;

impl Client {
    /// Creates any number of postal mails. See [`hubspot_postal::Client::batch_create`].
    ///
    /// If the call times out, any of the letters may have been logged: the error is
    /// [`Error::MaybeApplied`](hubspot_postal::Error::MaybeApplied) with every input.
    pub fn batch_create(&self, inputs: Vec<CreatePostalMail>) -> Result<BatchOutcome<PostalMail>> {
        let client = self.inner();
        let reconcile = inputs.clone();
        self.run(
            "batch_create",
            async move { client.batch_create(inputs).await },
        )
        .map_err(|e| errors::reconcile("batch_create", reconcile, e))
    }

    /// Reads any number of postal mails by id. See [`hubspot_postal::Client::batch_read`].
    pub fn batch_read(
        &self,
        ids: Vec<PostalMailId>,
        options: &BatchReadOptions,
    ) -> Result<BatchOutcome<PostalMail>> {
        let (client, options) = (self.inner(), options.clone());
        self.run("batch_read", async move {
            client.batch_read(ids, &options).await
        })
    }

    /// Updates any number of postal mails. See [`hubspot_postal::Client::batch_update`].
    pub fn batch_update(&self, inputs: Vec<BatchUpdateItem>) -> Result<BatchOutcome<PostalMail>> {
        let client = self.inner();
        self.run(
            "batch_update",
            async move { client.batch_update(inputs).await },
        )
    }

    /// Creates or updates postal mails keyed on a unique property. See
    /// [`hubspot_postal::Client::batch_upsert`].
    pub fn batch_upsert(
        &self,
        inputs: Vec<UpsertPostalMail>,
    ) -> Result<BatchOutcome<UpsertedPostalMail>> {
        let client = self.inner();
        self.run(
            "batch_upsert",
            async move { client.batch_upsert(inputs).await },
        )
    }

    /// Archives any number of postal mails. See [`hubspot_postal::Client::batch_archive`].
    pub fn batch_archive(&self, ids: Vec<PostalMailId>) -> Result<BatchOutcome<()>> {
        let client = self.inner();
        self.run(
            "batch_archive",
            async move { client.batch_archive(ids).await },
        )
    }
}
