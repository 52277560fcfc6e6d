//! Pagination streams: every record of a list or a search, fetched page by page as the stream
//! is polled, with guards against cursors that loop and HubSpot's 10,000-result search ceiling.

use std::collections::HashSet;

use futures::stream::{self, BoxStream, StreamExt};
use hubspot_postal_model::engagement::PostalMail;
use hubspot_postal_model::limits::{DEFAULT_PAGE_SIZE, SEARCH_MAX_RESULTS};
use hubspot_postal_model::paging::Page;
use hubspot_postal_model::search::SearchRequest;
use hubspot_postal_model::validation::ValidationError;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::operations as op;
use crate::options::ListOptions;

struct ListState {
    client: Client,
    options: ListOptions,
    seen: HashSet<String>,
    done: bool,
    /// An error to yield after the page that revealed it.
    pending: Option<Error>,
}

impl Client {
    /// Every page of a listing, starting at `options.after` (so a listing can resume from a
    /// saved cursor). Ends after the page without `paging.next`; if HubSpot returns a cursor
    /// it returned before (or the one the listing started from), yields that page, then
    /// [`Error::CursorRepeated`], and ends.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures::TryStreamExt;
    /// use hubspot_postal::ListOptions;
    /// let mut pages = client.list_pages(ListOptions::new().limit(100).after("saved-cursor"));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} letters; resume from {:?}", page.results.len(), page.next_after());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_pages(&self, options: ListOptions) -> BoxStream<'static, Result<Page<PostalMail>>> {
        let state = ListState {
            client: self.clone(),
            seen: options.after.iter().cloned().collect(),
            options,
            done: false,
            pending: None,
        };
        stream::unfold(state, |mut s| async move {
            if let Some(e) = s.pending.take() {
                return Some((Err(e), s));
            }
            if s.done {
                return None;
            }
            let page = match s.client.list_page(&s.options).await {
                Ok(page) => page,
                Err(e) => {
                    s.done = true;
                    return Some((Err(e), s));
                }
            };
            match page.next_after().map(str::to_owned) {
                None => s.done = true,
                Some(next) if !s.seen.insert(next.clone()) => {
                    // This page was fetched with a fresh cursor, so its records are new: yield
                    // them, then the error.
                    s.done = true;
                    s.pending = Some(Error::CursorRepeated {
                        operation: op::LIST.name,
                        cursor: next,
                    });
                }
                Some(next) => s.options.after = Some(next),
            }
            Some((Ok(page), s))
        })
        .fuse()
        .boxed()
    }

    /// Every postal mail of a listing, as a stream; pages are fetched as it is polled, so
    /// memory stays flat however many records there are.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), hubspot_postal::Error> {
    /// use futures::TryStreamExt;
    /// use hubspot_postal::ListOptions;
    /// let mut letters = client.list_all(ListOptions::new().limit(100));
    /// while let Some(letter) = letters.try_next().await? {
    ///     println!("{}", letter.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_all(&self, options: ListOptions) -> BoxStream<'static, Result<PostalMail>> {
        flatten(
            self.list_pages(options)
                .map(|page| page.map(|p| p.results))
                .boxed(),
        )
    }

    /// Every result of a search, as a stream. Stops with a
    /// [`ValidationError::SearchResultCeiling`] error, instead of HubSpot's 400, when the query
    /// matches more than the 10,000 results HubSpot lets one query page through.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures::TryStreamExt;
    /// use hubspot_postal::model::search::{Direction, Filter, SearchRequest};
    /// let request = SearchRequest::builder()
    ///     .filter(Filter::eq("hubspot_owner_id", "9274996"))
    ///     .sort("hs_timestamp", Direction::Descending)
    ///     .limit(200)
    ///     .build()?;
    /// let letters: Vec<_> = client.search_all(request).try_collect().await?;
    /// println!("{}", letters.len());
    /// # Ok(()) }
    /// ```
    pub fn search_all(&self, request: SearchRequest) -> BoxStream<'static, Result<PostalMail>> {
        struct S {
            client: Client,
            request: SearchRequest,
            seen: HashSet<String>,
            done: bool,
        }
        let state = S {
            client: self.clone(),
            seen: request.after.iter().cloned().collect(),
            request,
            done: false,
        };
        let pages = stream::unfold(state, |mut s| async move {
            if s.done {
                return None;
            }
            let page = match s.client.search_page(&s.request).await {
                Ok(page) => page,
                Err(e) => {
                    s.done = true;
                    return Some((Err(e), s));
                }
            };
            match page.next_after().map(str::to_owned) {
                None => s.done = true,
                Some(next) if !s.seen.insert(next.clone()) => {
                    // As for lists: this page's records are new; yield them, then the error.
                    s.done = true;
                    let repeated = Error::CursorRepeated {
                        operation: op::SEARCH.name,
                        cursor: next,
                    };
                    return Some((Ok((page.results, Some(repeated))), s));
                }
                Some(next) => {
                    let offset: u64 = next.parse().unwrap_or(u64::MAX);
                    let limit = u64::from(s.request.limit.unwrap_or(DEFAULT_PAGE_SIZE));
                    if offset >= SEARCH_MAX_RESULTS {
                        s.done = true;
                        let results = page.results;
                        let ceiling = Error::Validation(ValidationError::SearchResultCeiling {
                            offset,
                            max: SEARCH_MAX_RESULTS,
                        });
                        return Some((Ok((results, Some(ceiling))), s));
                    }
                    if offset + limit > SEARCH_MAX_RESULTS {
                        // The last reachable page: ask only for what is left below the ceiling.
                        s.request.limit = u32::try_from(SEARCH_MAX_RESULTS - offset).ok();
                    }
                    s.request.after = Some(next);
                }
            }
            Some((Ok((page.results, None)), s))
        });
        pages
            .flat_map(|page| match page {
                Ok((results, tail)) => {
                    stream::iter(results.into_iter().map(Ok).chain(tail.map(Err))).boxed()
                }
                Err(e) => stream::iter([Err(e)]).boxed(),
            })
            .fuse()
            .boxed()
    }
}

fn flatten(
    pages: BoxStream<'static, Result<Vec<PostalMail>>>,
) -> BoxStream<'static, Result<PostalMail>> {
    pages
        .flat_map(|page| match page {
            Ok(results) => stream::iter(results.into_iter().map(Ok).collect::<Vec<_>>()).boxed(),
            Err(e) => stream::iter([Err(e)]).boxed(),
        })
        .fuse()
        .boxed()
}
