//! Paging envelopes: `paging.next.after` cursors and the collection responses that carry them.

use serde::{Deserialize, Serialize};

/// `NextPage`: the cursor of the following page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextPage {
    /// Opaque cursor to send back as `after`.
    pub after: String,
    /// A link to the next page, absolute or relative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// `PreviousPage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousPage {
    /// Opaque cursor to send back as `before`.
    pub before: String,
    /// A link to the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// `Paging` / `ForwardPaging`. Absent on the last page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Paging {
    /// The next page, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<NextPage>,
    /// The previous page, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<PreviousPage>,
}

impl Paging {
    /// A paging block pointing at `after`.
    pub fn next(after: impl Into<String>) -> Self {
        Self {
            next: Some(NextPage {
                after: after.into(),
                link: None,
            }),
            prev: None,
        }
    }
}

/// A page of results with an optional cursor to the next page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The records on this page.
    pub results: Vec<T>,
    /// Present when there are more pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

impl<T> Page<T> {
    /// The cursor of the next page, `None` on the last page.
    pub fn next_after(&self) -> Option<&str> {
        self.paging
            .as_ref()?
            .next
            .as_ref()
            .map(|n| n.after.as_str())
    }
}

/// A search page: results, the total number of matches, and the next cursor (an offset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage<T> {
    /// Total matches of the query (not only this page).
    pub total: u64,
    /// The records on this page.
    pub results: Vec<T>,
    /// Present when there are more pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

impl<T> SearchPage<T> {
    /// The cursor of the next page, `None` on the last page.
    pub fn next_after(&self) -> Option<&str> {
        self.paging
            .as_ref()?
            .next
            .as_ref()
            .map(|n| n.after.as_str())
    }
}
