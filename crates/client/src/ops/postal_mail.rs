//! Single-record operations: create, get, update, archive, and one page of the list.

use hubspot_postal_model::association::DEFAULT_PAIRS;
use hubspot_postal_model::endpoints::{self, Segment};
use hubspot_postal_model::engagement::{CreatePostalMail, PostalMail, UpdatePostalMail};
use hubspot_postal_model::ids::PostalMailId;
use hubspot_postal_model::limits::LIST_MAX_PAGE_SIZE;
use hubspot_postal_model::object_type::ObjectType;
use hubspot_postal_model::paging::Page;
use hubspot_postal_model::properties::validate_name;
use hubspot_postal_model::validation::ValidationError;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::options::{GetOptions, ListOptions};
use crate::query::Query;

impl Client {
    /// Logs a letter: `POST …/objects/{version}/postal_mail` → 201.
    ///
    /// The input is validated first (`hs_timestamp` is required). The request is retried only
    /// if it provably never left the process or HubSpot answered 429; after any failure that
    /// may have reached HubSpot the error is [`Error::MaybeApplied`] with the input, so the
    /// letter is never logged twice.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::engagement::CreatePostalMail;
    /// let letter = client.create(CreatePostalMail::new("2026-11-30".parse()?).body("Contract received")).await?;
    /// println!("logged {}", letter.id);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, input: CreatePostalMail) -> Result<PostalMail> {
        input.validate()?;
        let call = self.call_to(&endpoints::CREATE, &[], None)?.json(&input)?;
        self.call(call)
            .await
            .map_err(|e| with_inputs(e.naming_missing(&associated(&input)), vec![input]))
    }

    /// Reads one postal mail: `GET …/postal_mail/{id}`.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::{GetOptions, model::{ids::PostalMailId, object_type::ObjectType}};
    /// let options = GetOptions::new().properties(["hs_postal_mail_body"]).associations([ObjectType::Contact]);
    /// let letter = client.get(&PostalMailId::new("25727582880")?, &options).await?;
    /// println!("{:?}", letter.associated_ids("contacts"));
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: &PostalMailId, options: &GetOptions) -> Result<PostalMail> {
        let mut q = Query::new();
        options.write(&mut q);
        self.call(self.call_to(&endpoints::GET, &[item(id)], Some(&q))?)
            .await
            .map_err(|e| e.naming_missing(&[letter(id)]))
    }

    /// Reads one postal mail by a unique property (`?idProperty=`).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let letter = client.get_by_unique("letter_reference", "REF-2026-0042", &Default::default()).await?;
    /// println!("{}", letter.id);
    /// # Ok(()) }
    /// ```
    pub async fn get_by_unique(
        &self,
        id_property: &str,
        value: &str,
        options: &GetOptions,
    ) -> Result<PostalMail> {
        validate_name(id_property)?;
        if value.is_empty() {
            return Err(ValidationError::InvalidPropertyName {
                name: String::new(),
            }
            .into());
        }
        let mut q = Query::new();
        options.write(&mut q);
        q.push("idProperty", id_property);
        // The value is a path segment: every reserved character, `/` included, is encoded.
        let value = Segment::encoded(value);
        self.call(self.call_to(&endpoints::GET, &[("postalMailId", value)], Some(&q))?)
            .await
    }

    /// Updates properties: `PATCH …/postal_mail/{id}`. Properties not named in
    /// `update` are left alone; cleared ones are sent as `""`.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::{engagement::UpdatePostalMail, ids::PostalMailId};
    /// let update = UpdatePostalMail::new().body("Reply sent").clear_attachments();
    /// client.update(&PostalMailId::new("25727582880")?, update).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, id: &PostalMailId, update: UpdatePostalMail) -> Result<PostalMail> {
        update.validate()?;
        let call = self
            .call_to(&endpoints::UPDATE, &[item(id)], None)?
            .json(&update)?;
        self.call(call)
            .await
            .map_err(|e| e.naming_missing(&[letter(id)]))
    }

    /// Moves a postal mail to the recycling bin: `DELETE …/postal_mail/{id}` → 204.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// client.archive(&"25727582880".parse()?).await?;
    /// # Ok(()) }
    /// ```
    pub async fn archive(&self, id: &PostalMailId) -> Result<()> {
        self.call_empty(self.call_to(&endpoints::ARCHIVE, &[item(id)], None)?)
            .await
            .map_err(|e| e.naming_missing(&[letter(id)]))
    }

    /// One page of postal mail: `GET …/postal_mail`.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::ListOptions;
    /// let page = client.list_page(&ListOptions::new().limit(50)).await?;
    /// println!("{} letters, next cursor {:?}", page.results.len(), page.next_after());
    /// # Ok(()) }
    /// ```
    pub async fn list_page(&self, options: &ListOptions) -> Result<Page<PostalMail>> {
        let mut q = Query::new();
        if let Some(limit) = options.limit {
            if limit == 0 || limit > LIST_MAX_PAGE_SIZE {
                return Err(ValidationError::PageSize {
                    limit,
                    max: LIST_MAX_PAGE_SIZE,
                }
                .into());
            }
            q.push("limit", &limit.to_string());
        }
        q.push_opt("after", options.after.as_deref());
        options.read.write(&mut q);
        self.call(self.call_to(&endpoints::LIST, &[], Some(&q))?)
            .await
    }
}

/// The `{postalMailId}` argument of a row's path.
pub(crate) fn item(id: &PostalMailId) -> (&'static str, Segment<'_>) {
    ("postalMailId", Segment::from(id))
}

/// Attaches the inputs to reconcile to a "may have been applied" error.
pub(crate) fn with_inputs(error: Error, inputs: Vec<CreatePostalMail>) -> Error {
    match error {
        Error::MaybeApplied {
            operation, source, ..
        } => Error::MaybeApplied {
            operation,
            inputs,
            source,
        },
        other => other,
    }
}

/// The postal mail a request addresses, for naming it in a "not found" error.
pub(crate) fn letter(id: &PostalMailId) -> (ObjectType, String) {
    (ObjectType::PostalMail, id.as_str().to_owned())
}

/// The records a create associates with, for naming a missing one in its error. The object
/// type comes from the association type id; labels of the user's own are left out, since
/// their type id does not say which object they point at.
fn associated(input: &CreatePostalMail) -> Vec<(ObjectType, String)> {
    input
        .associations
        .iter()
        .filter_map(|a| {
            let object = a.types.iter().find_map(|spec| {
                DEFAULT_PAIRS
                    .iter()
                    .find(|p| p.from_postal_mail == spec.association_type_id)
            })?;
            let object_type = object.object.parse().ok()?;
            Some((object_type, a.to.id.as_str().to_owned()))
        })
        .collect()
}
