//! The escape hatch: any HubSpot endpoint this crate does not model, with the same auth,
//! limiter, retries and error handling.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use hubspot_postal_transport::{Idempotency, Operation};
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::execute::Call;

/// A raw 2xx response. Its `Debug` shows the body's size, not its bytes: a raw answer may
/// carry letter text.
#[derive(Clone)]
pub struct RawResponse {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Bytes,
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl RawResponse {
    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        let response = hubspot_postal_transport::Response {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
        };
        crate::decode::decode_any(&RAW, &response)
    }
}

fn check_path(path: &str) -> Result<()> {
    let bad = !path.starts_with('/')
        || path.starts_with("//")
        || path.contains('#')
        || path.split(['/', '?']).any(|seg| seg == ".." || seg == ".")
        || path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii());
    if bad {
        return Err(Error::Config(format!(
            "raw path {path:?} must start with '/', be percent-encoded ASCII, and have no '#', '.' or '..' segments"
        )));
    }
    Ok(())
}

/// A raw request is no row of the endpoint table: its name is "raw", its template too (the
/// caller's path could carry ids), and it is repeated only if declared idempotent (`raw` sets
/// the idempotency). As it stands it names [`RawResponse::json`]'s decoding of an answer the
/// caller already holds, with its status: that changes nothing, so a failure is a plain
/// decode error.
const RAW: Operation = Operation::new("raw", "raw", Idempotency::Read);

impl Client {
    /// Sends any request to the API. `path_and_query` is relative to the base URL and already
    /// percent-encoded. `idempotent` tells the retry layer whether repeating it is safe; say
    /// `false` for anything that creates records, and it is never repeated once it may have
    /// been sent.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), hubspot_postal::Error> {
    /// use hubspot_postal::transport::http::Method;
    /// let labels = client
    ///     .raw(Method::GET, "/crm/v4/associations/postal_mail/contacts/labels", None, true)
    ///     .await?;
    /// let json: serde_json::Value = labels.json()?;
    /// # let _ = json; Ok(()) }
    /// ```
    pub async fn raw(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<serde_json::Value>,
        idempotent: bool,
    ) -> Result<RawResponse> {
        check_path(path_and_query)?;
        let idempotency = if idempotent {
            Idempotency::Idempotent
        } else {
            Idempotency::CreatesRecord
        };
        let operation = Operation { idempotency, ..RAW };
        let mut call = Call::new(operation, method, path_and_query.to_owned());
        if let Some(body) = body {
            call = call.json(&body)?;
        }
        let response = self.send(call).await?;
        Ok(RawResponse {
            status: response.status,
            headers: response.headers,
            body: response.body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::check_path;

    #[test]
    fn rejects_path_tricks() {
        for bad in [
            "crm",
            "//evil.com/x",
            "/a/../b",
            "/a/./b",
            "/a b",
            "/a#b",
            "/a\n",
            "/é",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
        assert!(check_path("/crm/v3/objects/postal_mail?limit=5&after=NTI1Cg%3D%3D").is_ok());
    }
}
