//! The date-based versions' record lifecycle operations: merging two postal mails and GDPR
//! deletion.

use hubspot_postal_model::endpoints;
use hubspot_postal_model::engagement::PostalMail;
use hubspot_postal_model::ids::PostalMailId;
use serde::Serialize;

use super::postal_mail::letter;
use crate::client::Client;
use crate::error::Result;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MergeBody<'a> {
    primary_object_id: &'a str,
    object_id_to_merge: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GdprDeleteBody<'a> {
    object_id: &'a str,
}

impl Client {
    /// Merges `to_merge` into `primary` (`POST …/postal_mail/merge`) and returns the merged
    /// record. Only in the versions that have it (`2025-09`, `2026-09-beta`); elsewhere
    /// [`Error::NotInVersion`](crate::Error::NotInVersion) before anything is sent.
    ///
    /// A merge that may have reached HubSpot is never repeated blindly (a repeat would fail
    /// or act on the merged record): after an ambiguous failure the error says it may have
    /// been applied; read `primary` to see.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let merged = client.merge(&"1001".parse()?, &"1002".parse()?).await?;
    /// println!("kept {}", merged.id);
    /// # Ok(()) }
    /// ```
    pub async fn merge(
        &self,
        primary: &PostalMailId,
        to_merge: &PostalMailId,
    ) -> Result<PostalMail> {
        let body = MergeBody {
            primary_object_id: primary.as_str(),
            object_id_to_merge: to_merge.as_str(),
        };
        let call = self.call_to(&endpoints::MERGE, &[], None)?.json(&body)?;
        self.call(call)
            .await
            .map_err(|e| e.naming_missing(&[letter(primary), letter(to_merge)]))
    }

    /// Deletes a postal mail permanently, for a GDPR request (`POST …/postal_mail/gdpr-delete`,
    /// 204): unlike [`archive`](Self::archive) it cannot be restored. Only in `2025-09` and
    /// `2026-09-beta`.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// client.gdpr_delete(&"1001".parse()?).await?;
    /// # Ok(()) }
    /// ```
    pub async fn gdpr_delete(&self, id: &PostalMailId) -> Result<()> {
        let body = GdprDeleteBody {
            object_id: id.as_str(),
        };
        let call = self
            .call_to(&endpoints::GDPR_DELETE, &[], None)?
            .json(&body)?;
        self.call_empty(call)
            .await
            .map_err(|e| e.naming_missing(&[letter(id)]))
    }
}
