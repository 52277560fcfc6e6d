//! The escape hatch: any endpoint, with the client's auth, limiter, retries and errors.

use hubspot_postal::transport::http::Method;
use hubspot_postal::{RawResponse, Result};

use crate::client::Client;
use crate::errors;

impl Client {
    /// Sends any request to the API. See [`hubspot_postal::Client::raw`].
    ///
    /// If a call with `idempotent: false` times out, the error is
    /// [`Error::MaybeApplied`](hubspot_postal::Error::MaybeApplied): it may have been applied.
    pub fn raw(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&serde_json::Value>,
        idempotent: bool,
    ) -> Result<RawResponse> {
        let client = self.inner();
        let (path_and_query, body) = (path_and_query.to_owned(), body.cloned());
        let result = self.run("raw", async move {
            client
                .raw(method, &path_and_query, body.as_ref(), idempotent)
                .await
        });
        if idempotent {
            result
        } else {
            result.map_err(|e| errors::reconcile("raw", Vec::new(), e))
        }
    }
}
