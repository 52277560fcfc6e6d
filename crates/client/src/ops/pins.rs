//! Pins: a postal mail at the top of a record's timeline, with HubSpot's rule (the postal mail
//! must already be associated with the record) checked before the record is touched.

use hubspot_postal_model::endpoints::{self, Segment};
use hubspot_postal_model::ids::{PostalMailId, RecordId};
use hubspot_postal_model::limits::ASSOCIATIONS_LIST_PAGE_SIZE;
use hubspot_postal_model::object_type::ObjectType;
use hubspot_postal_model::pin::{Pin, PinTarget};
use hubspot_postal_model::properties::PINNED_ENGAGEMENT_ID;
use hubspot_postal_model::record::Record;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::options::AssociationListOptions;
use crate::query::Query;

impl Client {
    /// Pins a postal mail on a contact, company, deal or ticket.
    ///
    /// First checks that the postal mail is associated with the record (HubSpot's documented
    /// rule); if it is not, returns [`Error::NotAssociated`] and does not change the record.
    /// A record pins one activity at a time: this replaces any earlier pin.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::pin::{Pin, PinTarget};
    /// let pin = Pin::new("1001".parse()?, PinTarget::contact("501".parse()?));
    /// match client.pin(&pin).await {
    ///     Ok(_) => println!("pinned"),
    ///     Err(hubspot_postal::Error::NotAssociated { .. }) => println!("associate it first"),
    ///     Err(e) => return Err(e.into()),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn pin(&self, pin: &Pin) -> Result<Record> {
        let target = pin.target();
        if !self
            .is_associated(pin.engagement(), target.object_type(), target.id())
            .await?
        {
            return Err(Error::NotAssociated {
                engagement: pin.engagement().clone(),
                target: target.clone(),
            });
        }
        let call = self.call_to(&endpoints::UPDATE_RECORD, &record(target), None)?;
        self.call(call.json(&pin.patch())?).await
    }

    /// Removes any pin from a record.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::pin::PinTarget;
    /// client.unpin(&PinTarget::deal("3003".parse()?)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn unpin(&self, target: &PinTarget) -> Result<Record> {
        let call = self.call_to(&endpoints::UPDATE_RECORD, &record(target), None)?;
        self.call(call.json(&Pin::unpin_patch())?).await
    }

    /// The engagement pinned on a record, if any.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::pin::PinTarget;
    /// if let Some(id) = client.pinned(&PinTarget::contact("501".parse()?)).await? {
    ///     println!("postal mail {id} is pinned");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn pinned(&self, target: &PinTarget) -> Result<Option<PostalMailId>> {
        let record = self
            .get_record(
                target.object_type(),
                target.id(),
                &[PINNED_ENGAGEMENT_ID.to_owned()],
            )
            .await?;
        Ok(record.pinned_engagement_id())
    }

    /// Reads a contact, company, deal or ticket with the given properties.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let contact = client.get_record(&ObjectType::Contact, &"501".parse()?, &["email".to_owned()]).await?;
    /// println!("{:?}", contact.properties.get("email"));
    /// # Ok(()) }
    /// ```
    pub async fn get_record(
        &self,
        object_type: &ObjectType,
        id: &RecordId,
        properties: &[String],
    ) -> Result<Record> {
        let mut q = Query::new();
        q.push_all("properties", properties);
        let args = [
            ("objectType", Segment::plural(object_type)),
            ("objectId", Segment::from(id)),
        ];
        self.call(self.call_to(&endpoints::GET_RECORD, &args, Some(&q))?)
            .await
    }

    /// Whether the postal mail is associated with the record, following every page.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let yes = client.is_associated(&"1001".parse()?, &ObjectType::Contact, &"501".parse()?).await?;
    /// println!("{yes}");
    /// # Ok(()) }
    /// ```
    pub async fn is_associated(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
    ) -> Result<bool> {
        // The largest page: fewer requests for a record with many associations.
        let mut options = AssociationListOptions::new().limit(ASSOCIATIONS_LIST_PAGE_SIZE);
        let mut seen = std::collections::HashSet::new();
        loop {
            let page = self.list_associations(id, to, &options).await?;
            if page.results.iter().any(|r| &r.to_object_id == to_id) {
                return Ok(true);
            }
            match page.next_after() {
                None => return Ok(false),
                Some(next) if !seen.insert(next.to_owned()) => {
                    return Err(Error::CursorRepeated {
                        operation: endpoints::LIST_ASSOCIATIONS.name(),
                        cursor: next.to_owned(),
                    });
                }
                Some(next) => options.after = Some(next.to_owned()),
            }
        }
    }
}

/// The path arguments of the record a pin addresses.
fn record(target: &PinTarget) -> [(&'static str, Segment<'_>); 2] {
    [
        ("objectType", Segment::plural(target.object_type())),
        ("objectId", Segment::from(target.id())),
    ]
}
