//! Where an example runs, chosen from the environment: a portal when `HUBSPOT_ACCESS_TOKEN` is
//! set (HubSpot, or the URL in `HUBSPOT_BASE_URL`, such as a standalone emulator), logging
//! against the contact and company named by `HUBSPOT_CONTACT_ID` and `HUBSPOT_COMPANY_ID`;
//! else the embedded emulator, with a contact and a company seeded for the story.
//!
//! A standalone emulator (`hubspot-postal emulator --fixtures …`) is a portal like any other:
//! give its URL, any token (unless it was started with `--token`) and the ids of records its
//! fixtures hold; `examples/quickstart.rs` shows the commands.

use hubspot_postal::model::ids::RecordId;
use hubspot_postal::{AccessToken, Client, ClientBuilder, RateLimiter};
use hubspot_postal_emulator::{EmulatorConfig, EmulatorHandle, Fixtures};

use crate::error::StoryError;

/// The token variable.
pub const TOKEN_VAR: &str = "HUBSPOT_ACCESS_TOKEN";
/// Where the portal is, when it is not HubSpot (a standalone emulator, say).
pub const BASE_URL_VAR: &str = "HUBSPOT_BASE_URL";
/// The contact variable (portal only).
pub const CONTACT_VAR: &str = "HUBSPOT_CONTACT_ID";
/// The company variable (portal only).
pub const COMPANY_VAR: &str = "HUBSPOT_COMPANY_ID";

/// Where to run.
#[derive(Debug)]
pub enum Target {
    /// A portal with existing records: HubSpot, or the one at `base_url`.
    HubSpot {
        /// The access token.
        token: AccessToken,
        /// `HUBSPOT_BASE_URL`, when set; HubSpot's own URL otherwise.
        base_url: Option<String>,
        /// An existing contact.
        contact: RecordId,
        /// An existing company.
        company: RecordId,
    },
    /// The embedded emulator.
    Emulator,
}

impl Target {
    /// Decides from variables looked up by `var` (`std::env::var(..).ok()` in the examples; a
    /// closure in tests, which must not change the process environment). A variable set to
    /// blanks counts as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, StoryError> {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let base_url = var(BASE_URL_VAR).map(|u| u.trim().to_owned());
        let Some(token) = var(TOKEN_VAR) else {
            return match base_url {
                // The reader meant to use that URL: running elsewhere would hide the mistake.
                Some(url) => Err(StoryError::Setup(format!(
                    "{BASE_URL_VAR} is set ({url}) but {TOKEN_VAR} is not: set a token to run \
                     against that URL (a standalone emulator accepts any unless started with \
                     --token), or unset {BASE_URL_VAR} to run on the embedded emulator"
                ))),
                None => Ok(Self::Emulator),
            };
        };
        let missing: Vec<&str> = [CONTACT_VAR, COMPANY_VAR]
            .into_iter()
            .filter(|name| var(name).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(StoryError::Setup(missing_records(
                &missing,
                base_url.as_deref(),
            )));
        }
        let id = |name: &str| -> Result<RecordId, StoryError> {
            let value = var(name).unwrap_or_default();
            RecordId::new(value.trim()).map_err(|e| {
                StoryError::Setup(format!(
                    "{name} must be the id of a record of the portal: {e}"
                ))
            })
        };
        Ok(Self::HubSpot {
            contact: id(CONTACT_VAR)?,
            company: id(COMPANY_VAR)?,
            base_url,
            token: AccessToken::new(token),
        })
    }

    /// Decides from the process environment.
    pub fn from_env() -> Result<Self, StoryError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }
}

/// What to say when a token is set but the records to log against are not named: what is
/// missing, where to find the ids, and how to run offline instead.
fn missing_records(missing: &[&str], base_url: Option<&str>) -> String {
    let portal = base_url.unwrap_or("HubSpot");
    // Offline means neither variable: a base URL without a token is refused too.
    let unset: &[&str] = if base_url.is_some() {
        &[TOKEN_VAR, BASE_URL_VAR]
    } else {
        &[TOKEN_VAR]
    };
    format!(
        "{TOKEN_VAR} is set, so this example runs against {portal} and logs its letters against \
         an existing contact and company there, but {missing} {is} not set. Set {CONTACT_VAR} \
         and {COMPANY_VAR} to their ids (the number at the end of the record's URL in HubSpot, \
         or records of its fixtures on a standalone emulator). To run offline on the embedded \
         emulator instead, unset {names} (`env {flags} cargo run --example …`).",
        missing = missing.join(" and "),
        is = if missing.len() == 1 { "is" } else { "are" },
        names = unset.join(" and "),
        flags = unset
            .iter()
            .map(|v| format!("-u {v}"))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The client settings for a portal: its token, and its base URL when `HUBSPOT_BASE_URL` gave
/// one (HubSpot's otherwise). The blocking example converts them with
/// `hubspot_postal_blocking::ClientBuilder::from`.
pub fn portal_client(token: AccessToken, base_url: Option<String>) -> ClientBuilder {
    let builder = Client::builder().token(token);
    match base_url {
        Some(url) => builder.base_url(url),
        None => builder,
    }
}

/// The client settings for the embedded emulator at `base_url`.
pub fn emulator_client(base_url: String) -> ClientBuilder {
    // The emulator has no rate limit unless asked; pacing would only slow the story.
    Client::builder()
        .token("emulator-token")
        .base_url(base_url)
        .rate_limiter(RateLimiter::unlimited())
}

/// The embedded emulator's settings: a portal with one user-defined association label between
/// postal mail and companies, as a real portal may have, so a story can show a v4 label.
pub fn emulator_config() -> Result<EmulatorConfig, StoryError> {
    const PORTAL: &str = r#"{"labels": [{"from": "postal_mail", "to": "companies",
        "label": "Contract copy", "inverseLabel": "Contract letter", "typeId": 30001, "inverseTypeId": 30002}]}"#;
    Ok(EmulatorConfig::default().fixtures(Fixtures::from_json_str(PORTAL)?))
}

/// Seeds the contact and company a story logs against on the embedded emulator, and says so
/// on `out`.
pub fn seed_records<W: std::io::Write + ?Sized>(
    emulator: &EmulatorHandle,
    out: &mut W,
) -> Result<(RecordId, RecordId), StoryError> {
    let contact = RecordId::new(
        emulator.seed_record("contacts", [("firstname", "Ada"), ("lastname", "Lovelace")]),
    )?;
    let company =
        RecordId::new(emulator.seed_record("companies", [("name", "Analytical Engines Ltd")]))?;
    writeln!(out, "Seeded contact {contact} and company {company}")?;
    Ok((contact, company))
}

/// The line printed when running on the embedded emulator.
pub fn emulator_banner(base_url: &str) -> String {
    format!("No {TOKEN_VAR} set: running against the embedded HubSpot emulator at {base_url}")
}

/// The line printed when running on a portal: HubSpot, or the URL `HUBSPOT_BASE_URL` named.
pub fn portal_banner(client_base_url: &str, from_variable: bool) -> String {
    if from_variable {
        format!("Running against {client_base_url} (from {BASE_URL_VAR})")
    } else {
        format!("Running against HubSpot at {client_base_url}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(set: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            set.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn setup_error(set: &'static [(&'static str, &'static str)]) -> String {
        match Target::from_vars(vars(set)) {
            Err(StoryError::Setup(message)) => message,
            other => panic!("expected a setup error, got {other:?}"),
        }
    }

    #[test]
    fn without_a_token_it_runs_on_the_embedded_emulator() {
        assert!(matches!(Target::from_vars(|_| None), Ok(Target::Emulator)));
        assert!(matches!(
            Target::from_vars(vars(&[(TOKEN_VAR, "  ")])),
            Ok(Target::Emulator)
        ));
    }

    #[test]
    fn a_token_without_record_ids_says_what_is_missing_and_how_to_run_offline() {
        let message = setup_error(&[(TOKEN_VAR, "pat")]);
        for says in [
            "runs against HubSpot",
            "HUBSPOT_CONTACT_ID and HUBSPOT_COMPANY_ID are not set",
            "unset HUBSPOT_ACCESS_TOKEN",
            "env -u HUBSPOT_ACCESS_TOKEN cargo run --example",
        ] {
            assert!(message.contains(says), "{says:?} missing from: {message}");
        }
        let one = setup_error(&[(TOKEN_VAR, "pat"), (COMPANY_VAR, "601")]);
        assert!(one.contains("but HUBSPOT_CONTACT_ID is not set"), "{one}");
        let there = setup_error(&[(TOKEN_VAR, "pat"), (BASE_URL_VAR, "http://127.0.0.1:8089")]);
        for says in [
            "runs against http://127.0.0.1:8089",
            "unset HUBSPOT_ACCESS_TOKEN and HUBSPOT_BASE_URL",
            "env -u HUBSPOT_ACCESS_TOKEN -u HUBSPOT_BASE_URL cargo run --example",
        ] {
            assert!(there.contains(says), "{says:?} missing from: {there}");
        }
    }

    #[test]
    fn a_bad_id_names_its_variable() {
        let message = setup_error(&[
            (TOKEN_VAR, "pat"),
            (CONTACT_VAR, "ada"),
            (COMPANY_VAR, "601"),
        ]);
        assert!(message.starts_with(CONTACT_VAR), "{message}");
    }

    #[test]
    fn a_base_url_is_used_with_a_token_and_refused_without_one() {
        let target = Target::from_vars(vars(&[
            (TOKEN_VAR, "pat"),
            (BASE_URL_VAR, "http://127.0.0.1:8089"),
            (CONTACT_VAR, "501"),
            (COMPANY_VAR, " 601 "),
        ]));
        match target {
            Ok(Target::HubSpot {
                base_url,
                contact,
                company,
                ..
            }) => {
                assert_eq!(base_url.as_deref(), Some("http://127.0.0.1:8089"));
                assert_eq!((contact.as_str(), company.as_str()), ("501", "601"));
            }
            other => panic!("{other:?}"),
        }
        let message = setup_error(&[(BASE_URL_VAR, "http://127.0.0.1:8089")]);
        assert!(
            message.contains(TOKEN_VAR) && message.contains("unset HUBSPOT_BASE_URL"),
            "{message}"
        );
    }
}
