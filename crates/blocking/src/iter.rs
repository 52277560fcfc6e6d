//! Lists and searches as iterators: the async client's pagination streams, advanced on the
//! runtime thread one step per `next()`, so pages are fetched only as the caller asks.

use std::collections::VecDeque;
use std::fmt;
use std::iter::FusedIterator;

use futures::StreamExt;
use futures::stream::BoxStream;
use hubspot_postal::model::engagement::PostalMail;
use hubspot_postal::model::paging::Page;
use hubspot_postal::model::search::SearchRequest;
use hubspot_postal::{ListOptions, Result};

use crate::client::Client;

/// An async stream driven from a blocking caller.
///
/// `stream` is declared before `client`, so it is dropped first, while the runtime thread is
/// still alive.
struct Driven<T> {
    stream: Option<BoxStream<'static, Result<T>>>,
    client: Client,
    operation: &'static str,
}

impl<T: Send + 'static> Driven<T> {
    fn new(
        client: &Client,
        operation: &'static str,
        stream: BoxStream<'static, Result<T>>,
    ) -> Self {
        Self {
            stream: Some(stream),
            client: client.clone(),
            operation,
        }
    }

    /// One step of the stream, under the call timeout. After any error there is nothing more:
    /// the async streams end after an error too, and a step that timed out took the stream's
    /// state with it.
    fn step(&mut self) -> Option<Result<T>> {
        let mut stream = self.stream.take()?;
        let step = self.client.block(self.operation, async move {
            let item = stream.next().await;
            (item, stream)
        });
        match step {
            Ok((Some(Ok(item)), stream)) => {
                self.stream = Some(stream);
                Some(Ok(item))
            }
            Ok((Some(Err(e)), _)) => Some(Err(e)),
            Ok((None, _)) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// Every page of a listing, from [`Client::list_pages`].
///
/// Each `next()` that needs a page fetches it (under the client's timeout). After an error the
/// iterator ends; resume with [`ListOptions::after`] and the last page's cursor.
pub struct PageIter {
    pages: Driven<Page<PostalMail>>,
}

impl Iterator for PageIter {
    type Item = Result<Page<PostalMail>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.pages.step()
    }
}

impl FusedIterator for PageIter {}

impl fmt::Debug for PageIter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageIter")
            .field("done", &self.pages.stream.is_none())
            .finish_non_exhaustive()
    }
}

/// Every postal mail of a listing or a search, from [`Client::list_all`] or
/// [`Client::search_all`].
///
/// Pages are fetched as the iterator is advanced, so memory stays flat however many records
/// there are. After an error the iterator ends.
pub struct PostalMailIter {
    source: Source,
}

enum Source {
    /// A listing: whole pages cross from the runtime thread, records are handed out here.
    Pages {
        pages: Driven<Page<PostalMail>>,
        buffer: VecDeque<PostalMail>,
    },
    /// A search: the async stream's own records, with its 10,000-result ceiling handling.
    Records(Driven<PostalMail>),
}

impl Iterator for PostalMailIter {
    type Item = Result<PostalMail>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            Source::Pages { pages, buffer } => loop {
                if let Some(record) = buffer.pop_front() {
                    return Some(Ok(record));
                }
                match pages.step()? {
                    Ok(page) => buffer.extend(page.results),
                    Err(e) => return Some(Err(e)),
                }
            },
            Source::Records(records) => records.step(),
        }
    }
}

impl FusedIterator for PostalMailIter {}

impl fmt::Debug for PostalMailIter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, buffered, done) = match &self.source {
            Source::Pages { pages, buffer } => ("list", buffer.len(), pages.stream.is_none()),
            Source::Records(records) => ("search", 0, records.stream.is_none()),
        };
        f.debug_struct("PostalMailIter")
            .field("kind", &kind)
            .field("buffered", &buffered)
            .field("done", &(done && buffered == 0))
            .finish()
    }
}

impl Client {
    /// Every page of a listing, starting at `options.after`. See
    /// [`hubspot_postal::Client::list_pages`]: it ends after the page without `paging.next`,
    /// and yields [`Error::CursorRepeated`](hubspot_postal::Error::CursorRepeated) if HubSpot
    /// returns a cursor twice.
    pub fn list_pages(&self, options: ListOptions) -> PageIter {
        PageIter {
            pages: Driven::new(self, "list_pages", self.async_client().list_pages(options)),
        }
    }

    /// Every postal mail of a listing, fetched page by page as the iterator is advanced. See
    /// [`hubspot_postal::Client::list_all`].
    ///
    /// ```no_run
    /// # fn run(client: hubspot_postal_blocking::Client) -> Result<(), hubspot_postal_blocking::Error> {
    /// use hubspot_postal_blocking::ListOptions;
    /// for letter in client.list_all(ListOptions::new().limit(100)) {
    ///     println!("{}", letter?.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_all(&self, options: ListOptions) -> PostalMailIter {
        PostalMailIter {
            source: Source::Pages {
                pages: Driven::new(self, "list_all", self.async_client().list_pages(options)),
                buffer: VecDeque::new(),
            },
        }
    }

    /// Every result of a search, fetched page by page as the iterator is advanced. See
    /// [`hubspot_postal::Client::search_all`]: past HubSpot's 10,000-result ceiling it ends
    /// with a validation error instead of HubSpot's 400.
    pub fn search_all(&self, request: SearchRequest) -> PostalMailIter {
        PostalMailIter {
            source: Source::Records(Driven::new(
                self,
                "search_all",
                self.async_client().search_all(request),
            )),
        }
    }
}
