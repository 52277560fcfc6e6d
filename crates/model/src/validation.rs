//! `ValidationError`: every rule the model checks before anything is sent.

use crate::ids::IdError;
use crate::object_type::ObjectTypeError;

/// Input that HubSpot would reject (or that would be unsafe to send), caught before a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// An id failed validation.
    #[error(transparent)]
    Id(#[from] IdError),
    /// An object type failed validation.
    #[error(transparent)]
    ObjectType(#[from] ObjectTypeError),
    /// A create without `hs_timestamp`.
    #[error("hs_timestamp is required to create a postal mail")]
    MissingTimestamp,
    /// A timestamp that is not ISO-8601, a bare date or epoch milliseconds.
    #[error(
        "{input:?} is not a timestamp: use an ISO-8601 date-time, a date like 2021-11-12, or epoch milliseconds"
    )]
    InvalidTimestamp {
        /// What was given.
        input: String,
    },
    /// An attachment id that is empty or contains the `;` separator or whitespace.
    #[error("attachment id {input:?} is invalid: {reason}")]
    InvalidAttachmentId {
        /// What was given.
        input: String,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A property name that is empty or not a HubSpot internal name.
    #[error("property name {name:?} is invalid: use lowercase letters, digits and underscores")]
    InvalidPropertyName {
        /// What was given.
        name: String,
    },
    /// The body text is longer than the documented ceiling.
    #[error("hs_postal_mail_body has {chars} characters; at most {max} are accepted")]
    BodyTooLong {
        /// Its length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// An update that changes nothing.
    #[error("the update sets or clears no property")]
    EmptyUpdate,
    /// Pins go on contacts, companies, deals, tickets or custom records, not on engagements.
    #[error("a postal mail cannot be pinned on a {object_type} record")]
    CannotPinOn {
        /// The rejected target type.
        object_type: String,
    },
    /// Too many filter groups in a search.
    #[error("search has {count} filter groups; at most {max} are allowed")]
    TooManyFilterGroups {
        /// Groups given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Too many filters in one group.
    #[error("search filter group {group} has {count} filters; at most {max} are allowed")]
    TooManyFiltersInGroup {
        /// Index of the group.
        group: usize,
        /// Filters given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Too many filters in all groups together.
    #[error("search has {count} filters in all; at most {max} are allowed")]
    TooManyFilters {
        /// Filters given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A filter whose operator needs a value it does not have, or has one it must not.
    #[error("filter on {property:?} with {operator} {problem}")]
    InvalidFilter {
        /// The property filtered on.
        property: String,
        /// The operator.
        operator: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// A search request body longer than HubSpot accepts.
    #[error("search request is {chars} characters; at most {max} are accepted")]
    SearchTooLong {
        /// Characters in the encoded body.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// A page size above the endpoint's maximum, or zero.
    #[error("page size {limit} is out of range: use 1 to {max}")]
    PageSize {
        /// The requested page size.
        limit: u32,
        /// The endpoint's maximum.
        max: u32,
    },
    /// Paging a search beyond HubSpot's 10,000-result ceiling.
    #[error(
        "search cannot page past {max} results (offset {offset}); narrow the filters, e.g. by hs_timestamp ranges"
    )]
    SearchResultCeiling {
        /// The offset that would be requested.
        offset: u64,
        /// The ceiling.
        max: u64,
    },
    /// A batch with more inputs than one request takes.
    #[error("batch has {count} inputs; one request takes at most {max}")]
    BatchTooLarge {
        /// Inputs given.
        count: usize,
        /// The limit.
        max: usize,
    },
}
