//! Pagination streams: every record of a list or a search, fetched page by page as the stream
//! is polled, with guards against cursors that loop and HubSpot's 10,000-result search ceiling.

use std::collections::HashSet;

use async_trait::async_trait;

use futures::stream::{self, BoxStream, StreamExt};
use hubspot_postal_model::endpoints;
use hubspot_postal_model::engagement::PostalMail;
use hubspot_postal_model::limits::{DEFAULT_PAGE_SIZE, SEARCH_MAX_RESULTS};
use hubspot_postal_model::paging::{Page, SearchPage};
use hubspot_postal_model::search::SearchRequest;
use hubspot_postal_model::validation::ValidationError;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::options::ListOptions;

/// Where a paged read stands: it fetches the page at its cursor and moves to the next one.
#[async_trait]
trait Cursor: Send + 'static {
    type Page: Send + 'static;
    /// The operation, for errors.
    const OPERATION: &'static str;
    async fn fetch(&self) -> Result<Self::Page>;
    fn next_after(page: &Self::Page) -> Option<String>;
    /// Moves to `next`; an error is yielded after the current page and ends the stream.
    fn advance(&mut self, next: String) -> Result<()>;
}

struct PagerState<C> {
    cursor: C,
    seen: HashSet<String>,
    done: bool,
    /// An error to yield after the page that revealed it.
    pending: Option<Error>,
}

/// Pages of `cursor`, fetched as the stream is polled. A cursor HubSpot returns twice (or the
/// one the read started from) ends the stream after that page's records, which are new, with
/// [`Error::CursorRepeated`].
fn pages<C: Cursor>(cursor: C, start: Option<&String>) -> BoxStream<'static, Result<C::Page>> {
    let state = PagerState {
        cursor,
        seen: start.into_iter().cloned().collect(),
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
        let page = match s.cursor.fetch().await {
            Ok(page) => page,
            Err(e) => {
                s.done = true;
                return Some((Err(e), s));
            }
        };
        match C::next_after(&page) {
            None => s.done = true,
            Some(next) if !s.seen.insert(next.clone()) => {
                s.done = true;
                s.pending = Some(Error::CursorRepeated {
                    operation: C::OPERATION,
                    cursor: next,
                });
            }
            Some(next) => {
                if let Err(e) = s.cursor.advance(next) {
                    s.done = true;
                    s.pending = Some(e);
                }
            }
        }
        Some((Ok(page), s))
    })
    .fuse()
    .boxed()
}

struct ListCursor {
    client: Client,
    options: ListOptions,
}

#[async_trait]
impl Cursor for ListCursor {
    type Page = Page<PostalMail>;
    const OPERATION: &'static str = endpoints::LIST.name();

    async fn fetch(&self) -> Result<Self::Page> {
        self.client.list_page(&self.options).await
    }

    fn next_after(page: &Self::Page) -> Option<String> {
        page.next_after().map(str::to_owned)
    }

    fn advance(&mut self, next: String) -> Result<()> {
        self.options.after = Some(next);
        Ok(())
    }
}

struct SearchCursor {
    client: Client,
    request: SearchRequest,
}

#[async_trait]
impl Cursor for SearchCursor {
    type Page = SearchPage<PostalMail>;
    const OPERATION: &'static str = endpoints::SEARCH.name();

    async fn fetch(&self) -> Result<Self::Page> {
        self.client.search_page(&self.request).await
    }

    fn next_after(page: &Self::Page) -> Option<String> {
        page.next_after().map(str::to_owned)
    }

    /// Search cursors are offsets; HubSpot answers 400 past 10,000 results, so the stream
    /// stops there with a clear error instead.
    fn advance(&mut self, next: String) -> Result<()> {
        let offset: u64 = next.parse().unwrap_or(u64::MAX);
        if offset >= SEARCH_MAX_RESULTS {
            return Err(Error::Validation(ValidationError::SearchResultCeiling {
                offset,
                max: SEARCH_MAX_RESULTS,
            }));
        }
        let limit = u64::from(self.request.limit.unwrap_or(DEFAULT_PAGE_SIZE));
        if offset + limit > SEARCH_MAX_RESULTS {
            // The last reachable page: ask only for what is left below the ceiling.
            self.request.limit = u32::try_from(SEARCH_MAX_RESULTS - offset).ok();
        }
        self.request.after = Some(next);
        Ok(())
    }
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
        let start = options.after.clone();
        pages(
            ListCursor {
                client: self.clone(),
                options,
            },
            start.as_ref(),
        )
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
        let start = request.after.clone();
        let pages = pages(
            SearchCursor {
                client: self.clone(),
                request,
            },
            start.as_ref(),
        );
        flatten(pages.map(|page| page.map(|p| p.results)).boxed())
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
