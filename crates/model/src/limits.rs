//! HubSpot's documented limits, defined once and used by the client, the emulator and the CLI.
//!
//! Sources, HubSpot's public developer documentation:
//! - batches and list pages: the object API guide, "Limits"
//!   (<https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis>);
//! - search: the CRM search guide, "Limits"
//!   (<https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm>);
//! - request windows and daily limits: the API usage guidelines
//!   (<https://developers.hubspot.com/docs/api/usage-details>) and the changelog entry
//!   "Increasing our API limits"
//!   (<https://developers.hubspot.com/changelog/increasing-our-api-limits>).

/// Inputs per batch request (`batch/read|create|update|upsert|archive`).
pub const BATCH_MAX_INPUTS: usize = 100;

/// Records per page for the list endpoint (object API guide: "retrieve up to 100 records").
pub const LIST_MAX_PAGE_SIZE: u32 = 100;

/// Default page size of list and search when `limit` is not sent.
pub const DEFAULT_PAGE_SIZE: u32 = 10;

/// Results per search page.
pub const SEARCH_MAX_PAGE_SIZE: u32 = 200;

/// Total results one search query can page through; paging past it is a 400.
pub const SEARCH_MAX_RESULTS: u64 = 10_000;

/// Filter groups per search request (ORed together).
pub const SEARCH_MAX_FILTER_GROUPS: usize = 5;

/// Filters per filter group (ANDed together).
pub const SEARCH_MAX_FILTERS_PER_GROUP: usize = 6;

/// Filters across all groups of one search request.
pub const SEARCH_MAX_FILTERS_TOTAL: usize = 18;

/// Characters in one search request body.
pub const SEARCH_MAX_BODY_CHARS: usize = 3_000;

/// Search requests per second per account (CRM search guide; separate from the ten-second
/// window).
pub const SEARCH_REQUESTS_PER_SECOND: u32 = 5;

/// Length of HubSpot's burst window in milliseconds.
pub const BURST_WINDOW_MILLIS: u64 = 10_000;

/// Length of search's window in milliseconds (its limit is per second).
pub const SEARCH_WINDOW_MILLIS: u64 = 1_000;

/// The margin, in percent, a client limiter adds to every window so that its window and
/// HubSpot's never disagree at the boundary (a request sent as our window frees a slot arrives
/// a little later at HubSpot's).
pub const WINDOW_MARGIN_PERCENT: u32 = 2;

/// Burst requests per window on Free and Starter.
pub const BURST_FREE_STARTER: u32 = 100;

/// Burst requests per window on Professional and Enterprise.
pub const BURST_PROFESSIONAL_ENTERPRISE: u32 = 190;

/// Burst requests per window with the API limit increase.
pub const BURST_WITH_LIMIT_INCREASE: u32 = 250;

/// Daily requests on Free and Starter (per account).
pub const DAILY_FREE_STARTER: u32 = 250_000;

/// How far a learned `X-HubSpot-RateLimit-*` value may exceed HubSpot's published limits before
/// the client stops believing it: a proxy or a broken answer must not unpace a client, nor make
/// it keep state that grows with the header.
pub const LEARNED_LIMIT_HEADROOM: u32 = 4;

/// The largest burst maximum a client adopts from `X-HubSpot-RateLimit-Max`: four times the
/// highest published tier.
pub const LEARNED_BURST_MAX: u32 = LEARNED_LIMIT_HEADROOM * BURST_WITH_LIMIT_INCREASE;

/// The shortest burst window a client adopts from `X-HubSpot-RateLimit-Interval-Milliseconds`:
/// one second, HubSpot's shortest published window (search's).
pub const LEARNED_WINDOW_MIN_MILLIS: u64 = 1_000;

/// The longest burst window a client adopts: four times the published ten seconds.
pub const LEARNED_WINDOW_MAX_MILLIS: u64 = LEARNED_LIMIT_HEADROOM as u64 * BURST_WINDOW_MILLIS;

/// Inputs per associations v4 `batch/read`.
pub const ASSOCIATIONS_BATCH_READ_MAX_INPUTS: usize = 1_000;

/// Inputs per associations v4 `batch/create`.
pub const ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS: usize = 2_000;

/// Default page size of the associations v4 list ("Limit 500 per call").
pub const ASSOCIATIONS_LIST_PAGE_SIZE: u32 = 500;

/// Characters of `hs_postal_mail_body` accepted. UNCONFIRMED for postal mail: the notes
/// limit (65,536) is used, see `docs/emulator.md`.
pub const BODY_MAX_CHARS: usize = 65_536;

/// Characters in a record id. HubSpot ids are 64-bit integers, at most 20 digits.
pub const ID_MAX_DIGITS: usize = 20;
