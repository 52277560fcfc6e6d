//! What a request is for: a stable name, a path template and whether it may be repeated.

/// Whether sending the same request twice can do harm.
///
/// This is an explicit input to retry decisions: a transport failure after which the request
/// *may* have reached HubSpot ([`SendPhase::MaybeSent`](crate::SendPhase::MaybeSent)) is safe
/// to retry only for [`Idempotency::Idempotent`] operations.
///
/// ```
/// use hubspot_postal_transport::Idempotency;
///
/// assert!(Idempotency::Idempotent.is_idempotent());
/// assert!(!Idempotency::CreatesRecord.is_idempotent());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// The request changes nothing: `GET`, search, batch read. Safe to repeat.
    Read,
    /// Repeating the request leaves the same state: `DELETE`, a `PATCH` to the same values,
    /// upsert. It changes data, so a success whose answer cannot be read still changed it.
    Idempotent,
    /// The request creates a record (a `POST` create or batch create). Repeating it after it
    /// may have been applied creates a duplicate, so it must never be retried blindly.
    CreatesRecord,
}

impl Idempotency {
    /// `true` when the request may be repeated without creating anything new.
    #[must_use]
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Self::Read | Self::Idempotent)
    }

    /// `true` when the request may change data (everything but [`Idempotency::Read`]).
    ///
    /// ```
    /// use hubspot_postal_transport::Idempotency;
    ///
    /// assert!(Idempotency::Read.is_idempotent() && !Idempotency::Read.writes());
    /// assert!(Idempotency::Idempotent.writes() && Idempotency::CreatesRecord.writes());
    /// ```
    #[must_use]
    pub const fn writes(self) -> bool {
        !matches!(self, Self::Read)
    }
}

/// A description of the API operation a request performs.
///
/// It travels with every [`Request`](crate::Request) so that layers below the client (retry,
/// rate limiting, tracing) can decide and log using a fixed name and a path *template*, never
/// the raw URL, which may carry record ids or search input.
///
/// ```
/// use hubspot_postal_transport::{Idempotency, Operation};
///
/// const CREATE: Operation = Operation::new(
///     "postal_mail.create",
///     "/crm/v3/objects/postal_mail",
///     Idempotency::CreatesRecord,
/// );
/// assert_eq!(CREATE.name, "postal_mail.create");
/// assert!(!CREATE.is_idempotent());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// A stable, dotted name such as `postal_mail.create`.
    pub name: &'static str,
    /// The path with placeholders, such as `/crm/v3/objects/postal_mail/{postalMailId}`.
    pub path_template: &'static str,
    /// Whether the request may safely be sent more than once.
    pub idempotency: Idempotency,
}

impl Operation {
    /// Describes an operation.
    #[must_use]
    pub const fn new(
        name: &'static str,
        path_template: &'static str,
        idempotency: Idempotency,
    ) -> Self {
        Self {
            name,
            path_template,
            idempotency,
        }
    }

    /// `true` when the operation may be repeated without creating anything new.
    #[must_use]
    pub const fn is_idempotent(&self) -> bool {
        self.idempotency.is_idempotent()
    }
}
