//! The story with the async client. `examples/quickstart.rs` calls [`run`].

use std::io::Write;

use futures::TryStreamExt;
use hubspot_postal::model::association::{
    AssociationCategory, AssociationSpec, LabelledType, types,
};
use hubspot_postal::model::engagement::UpdatePostalMail;
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::pin::{Pin, PinTarget};
use hubspot_postal::model::properties::BODY;
use hubspot_postal::model::search::{Filter, SearchRequest};
use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal::{AssociationListOptions, Client, GetOptions, ListOptions};
use hubspot_postal_emulator::Emulator;

use crate::error::StoryError;
use crate::letter::{self, LIST_SCAN_LIMIT, SEARCH_ATTEMPTS, SEARCH_PAUSE};
use crate::target::{
    Target, emulator_banner, emulator_client, emulator_config, portal_banner, portal_client,
    seed_records,
};
use crate::timeline::Timeline;

/// The label to set with the v4 API: a user-defined label between postal mail and companies
/// if the portal has one, else HubSpot's unlabelled default type.
pub fn label_spec(labels: &[LabelledType]) -> (AssociationSpec, String) {
    labels
        .iter()
        .find(|l| l.category == AssociationCategory::UserDefined && l.label.is_some())
        .map(|l| {
            (
                AssociationSpec::user_defined(l.type_id),
                format!("label {:?}", l.label.as_deref().unwrap_or_default()),
            )
        })
        .unwrap_or_else(|| {
            (
                AssociationSpec::hubspot_defined(types::POSTAL_MAIL_TO_COMPANY),
                "the HubSpot-defined default type".to_owned(),
            )
        })
}

/// Runs the nine steps against `client`, logging against `contact` and `company`, printing
/// the timeline to `out`. Returns the letter's id.
pub async fn story<W: Write + ?Sized>(
    client: &Client,
    contact: &RecordId,
    company: &RecordId,
    out: &mut W,
) -> Result<PostalMailId, StoryError> {
    let mut t = Timeline::new(out);
    let now = Timestamp::now();
    let marker = letter::marker(now);

    // 1. A letter received from the contact, associated with it in the same request.
    let created = client
        .create(letter::letter_from(contact, now, &marker)?)
        .await?;
    let id = created.id;
    t.step(format!(
        "Logged a letter received from contact {contact} as postal mail {id}"
    ))?;
    t.detail(format!("timestamp:   {now}"))?;
    t.detail(format!("owner:       {}", letter::OWNER))?;
    t.detail(format!("attachments: {}", letter::ATTACHMENTS))?;
    t.detail(format!("body:        {}", letter::first_body(&marker)))?;

    // 2. Read it back with its associations.
    let read = client
        .get(
            &id,
            &GetOptions::new()
                .properties([BODY])
                .associations([ObjectType::Contact, ObjectType::Company]),
        )
        .await?;
    t.step(format!("Read postal mail {id} back"))?;
    t.detail(format!(
        "associated contacts: {}",
        letter::associated(&read, "contacts")
    ))?;

    // 3. List postal mail, page by page, until the letter shows up.
    let mut letters = client.list_all(ListOptions::new().limit(100));
    let mut seen = 0usize;
    let mut listed = false;
    while seen < LIST_SCAN_LIMIT {
        let Some(l) = letters.try_next().await? else {
            break;
        };
        seen += 1;
        if l.id == id {
            listed = true;
            break;
        }
    }
    t.step(if listed {
        format!("Listed postal mail: {id} is there (after {seen} letter(s))")
    } else {
        format!(
            "Listed postal mail: {id} is not among the first {seen} (listing goes oldest first)"
        )
    })?;

    // 4. Update the body.
    client
        .update(
            &id,
            UpdatePostalMail::new().body(letter::updated_body(&marker)),
        )
        .await?;
    t.step("Updated the body")?;
    t.detail(format!("body:        {}", letter::updated_body(&marker)))?;

    // 5. Associate with the company: the default type, then with a label. Both are in every
    //    API version (v3's per-object association path is not in the date-based ones).
    client
        .associate_default(&id, &ObjectType::Company, company)
        .await?;
    let labels = client.association_labels(&ObjectType::Company).await?;
    let (spec, which) = label_spec(&labels);
    let pair = client
        .associate_labelled(&id, &ObjectType::Company, company, vec![spec])
        .await?;
    t.step(format!(
        "Associated postal mail {id} with company {company}"
    ))?;
    t.detail(format!(
        "default type {} ({})",
        types::POSTAL_MAIL_TO_COMPANY,
        types::POSTAL_MAIL_TO_COMPANY.v3_name().unwrap_or_default()
    ))?;
    t.detail(format!(
        "labelled: {which}; labels now: {}",
        if pair.labels.is_empty() {
            "none".to_owned()
        } else {
            pair.labels.join(", ")
        }
    ))?;

    // 6. Pin it on the contact (HubSpot requires the association, made at create).
    let target = PinTarget::contact(contact.clone());
    client.pin(&Pin::new(id.clone(), target.clone())).await?;
    let pinned = client.pinned(&target).await?;
    t.step(format!("Pinned postal mail {id} on contact {contact}"))?;
    t.detail(format!(
        "contact {contact} pins: {}",
        pinned.map_or_else(|| "nothing".to_owned(), |p| p.to_string())
    ))?;

    // 7. Remove every association with the company.
    client
        .remove_associations(&id, &ObjectType::Company, company)
        .await?;
    let left = client
        .list_associations(&id, &ObjectType::Company, &AssociationListOptions::new())
        .await?;
    t.step(format!(
        "Removed the association with company {company} ({} left)",
        left.results.len()
    ))?;

    // 8. Search by a word of the body; HubSpot's index lags writes, so try a few times.
    let request = SearchRequest::builder()
        .filter(Filter::contains_token(BODY, marker.clone()))
        .properties([BODY])
        .build()?;
    let mut attempts = 0;
    let found = loop {
        attempts += 1;
        let page = client.search_page(&request).await?;
        if page.results.iter().any(|l| l.id == id) {
            break true;
        }
        if attempts >= SEARCH_ATTEMPTS {
            break false;
        }
        tokio::time::sleep(SEARCH_PAUSE).await;
    };
    if !found {
        return Err(StoryError::Unexpected(format!(
            "search for {marker:?} did not find postal mail {id} after {attempts} attempts"
        )));
    }
    t.step(format!(
        "Searched for \"{marker}\": found postal mail {id} (attempt {attempts})"
    ))?;

    // 9. Delete to the recycling bin, and find it in the archived list.
    client.archive(&id).await?;
    let mut archived = client.list_all(ListOptions::new().limit(100).archived(true));
    let mut in_bin = false;
    let mut seen = 0usize;
    while seen < LIST_SCAN_LIMIT {
        let Some(l) = archived.try_next().await? else {
            break;
        };
        seen += 1;
        if l.id == id {
            in_bin = true;
            break;
        }
    }
    t.step(format!("Deleted postal mail {id} to the recycling bin"))?;
    t.detail(if in_bin {
        "the archived list shows it".to_owned()
    } else {
        format!("not among the first {seen} archived letters")
    })?;
    Ok(id)
}

/// The quickstart: picks the target, prints where it runs, and tells the story.
pub async fn run<W: Write + ?Sized>(
    target: Target,
    out: &mut W,
) -> Result<PostalMailId, StoryError> {
    match target {
        Target::HubSpot {
            token,
            base_url,
            contact,
            company,
        } => {
            let from_variable = base_url.is_some();
            let client = portal_client(token, base_url).build()?;
            writeln!(out, "{}", portal_banner(client.base_url(), from_variable))?;
            story(&client, &contact, &company, out).await
        }
        Target::Emulator => {
            let emulator = Emulator::start(emulator_config()?).await?;
            writeln!(out, "{}", emulator_banner(&emulator.base_url()))?;
            let (contact, company) = seed_records(&emulator, out)?;
            let client = emulator_client(emulator.base_url()).build()?;
            story(&client, &contact, &company, out).await
        }
    }
}
