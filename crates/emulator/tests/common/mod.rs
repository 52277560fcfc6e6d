//! Shared helpers: start an emulator on a free port and talk to it over real HTTP.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use hubspot_postal_emulator::{Emulator, EmulatorConfig, EmulatorHandle};
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;

pub const TOKEN: &str = "pat-test-token";

pub struct Emu {
    pub handle: EmulatorHandle,
    pub http: reqwest::Client,
    pub base: String,
}

pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Emu {
    pub async fn start() -> Self {
        Self::with(EmulatorConfig::default()).await
    }

    pub async fn with(config: EmulatorConfig) -> Self {
        let handle = Emulator::start(config).await.expect("emulator starts");
        let base = handle.base_url();
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .unwrap();
        Self { handle, http, base }
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        token: Option<&str>,
    ) -> reqwest::Result<Reply> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await?;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.raw(
            method,
            path,
            body.map(|b| serde_json::to_vec(&b).unwrap()),
            Some(TOKEN),
        )
        .await
        .expect("request completes")
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(body)).await
    }
    pub async fn put(&self, path: &str, body: Option<Value>) -> Reply {
        self.call(Method::PUT, path, body).await
    }
    pub async fn delete(&self, path: &str) -> Reply {
        self.call(Method::DELETE, path, None).await
    }

    /// Creates a postal mail and returns its id.
    pub async fn create_pm(&self, body: &str) -> String {
        let r = self
            .post("/crm/v3/objects/postal_mail", serde_json::json!({"properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": body}}))
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["id"].as_str().unwrap().to_owned()
    }
}

/// Asserts the HubSpot error shape and that the correlation id matches the header.
pub fn assert_error(r: &Reply, status: u16, category: &str) {
    assert_eq!(r.status, status, "body: {}", r.body);
    assert_eq!(r.body["status"], "error", "{}", r.body);
    assert_eq!(r.body["category"], category, "{}", r.body);
    assert!(
        r.body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        r.body
    );
    let cid = r.body["correlationId"].as_str().expect("correlationId");
    assert_eq!(Some(cid), r.header("x-hubspot-correlation-id"));
    assert_eq!(cid.len(), 36);
}
