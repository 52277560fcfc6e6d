//! Pins, and the record reads they rest on.

use hubspot_postal::Result;
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::pin::{Pin, PinTarget};
use hubspot_postal::model::record::Record;

use crate::client::Client;

impl Client {
    /// Pins a postal mail on a record, after checking they are associated. See
    /// [`hubspot_postal::Client::pin`].
    pub fn pin(&self, pin: &Pin) -> Result<Record> {
        let (client, pin) = (self.inner(), pin.clone());
        self.run("pin", async move { client.pin(&pin).await })
    }

    /// Removes any pin from a record. See [`hubspot_postal::Client::unpin`].
    pub fn unpin(&self, target: &PinTarget) -> Result<Record> {
        let (client, target) = (self.inner(), target.clone());
        self.run("unpin", async move { client.unpin(&target).await })
    }

    /// The engagement pinned on a record, if any. See [`hubspot_postal::Client::pinned`].
    pub fn pinned(&self, target: &PinTarget) -> Result<Option<PostalMailId>> {
        let (client, target) = (self.inner(), target.clone());
        self.run("pinned", async move { client.pinned(&target).await })
    }

    /// Reads a contact, company, deal or ticket. See [`hubspot_postal::Client::get_record`].
    pub fn get_record(
        &self,
        object_type: &ObjectType,
        id: &RecordId,
        properties: &[String],
    ) -> Result<Record> {
        let client = self.inner();
        let (object_type, id, properties) = (object_type.clone(), id.clone(), properties.to_vec());
        self.run("get_record", async move {
            client.get_record(&object_type, &id, &properties).await
        })
    }

    /// Whether the postal mail is associated with the record, following every page. See
    /// [`hubspot_postal::Client::is_associated`].
    pub fn is_associated(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
    ) -> Result<bool> {
        let (client, id, to, to_id) = (self.inner(), id.clone(), to.clone(), to_id.clone());
        self.run("is_associated", async move {
            client.is_associated(&id, &to, &to_id).await
        })
    }
}
