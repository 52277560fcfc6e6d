//! Where the story runs: HubSpot, when `HUBSPOT_ACCESS_TOKEN` is set (with the contact and
//! company named by `HUBSPOT_CONTACT_ID` and `HUBSPOT_COMPANY_ID`), else the embedded emulator
//! with a seeded contact and company.

use hubspot_postal::AccessToken;
use hubspot_postal::model::ids::RecordId;

use hubspot_postal_emulator::{EmulatorConfig, Fixtures};

use crate::error::StoryError;

/// The token variable.
pub const TOKEN_VAR: &str = "HUBSPOT_ACCESS_TOKEN";
/// The contact variable (HubSpot only).
pub const CONTACT_VAR: &str = "HUBSPOT_CONTACT_ID";
/// The company variable (HubSpot only).
pub const COMPANY_VAR: &str = "HUBSPOT_COMPANY_ID";

/// Where to run.
#[derive(Debug)]
pub enum Target {
    /// Real HubSpot, with existing records.
    HubSpot {
        /// The access token.
        token: AccessToken,
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
    /// closure in tests, which must not change the process environment).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, StoryError> {
        let Some(token) = var(TOKEN_VAR).filter(|t| !t.trim().is_empty()) else {
            return Ok(Self::Emulator);
        };
        let id = |name: &str| -> Result<RecordId, StoryError> {
            let value = var(name).ok_or_else(|| {
                StoryError::Setup(format!(
                    "{TOKEN_VAR} is set, so this runs against HubSpot: set {CONTACT_VAR} and {COMPANY_VAR} to the ids of a contact and a company it may log a letter against ({name} is missing)"
                ))
            })?;
            Ok(RecordId::new(value.trim())?)
        };
        Ok(Self::HubSpot {
            contact: id(CONTACT_VAR)?,
            company: id(COMPANY_VAR)?,
            token: AccessToken::new(token),
        })
    }

    /// Decides from the process environment.
    pub fn from_env() -> Result<Self, StoryError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }
}

/// The embedded emulator's settings: a portal with one user-defined association label between
/// postal mail and companies, as a real portal may have, so step 5 can show a v4 label.
pub fn emulator_config() -> Result<EmulatorConfig, StoryError> {
    const PORTAL: &str = r#"{"labels": [{"from": "postal_mail", "to": "companies",
        "label": "Contract copy", "inverseLabel": "Contract letter", "typeId": 30001, "inverseTypeId": 30002}]}"#;
    Ok(EmulatorConfig::default().fixtures(Fixtures::from_json_str(PORTAL)?))
}

/// The first line printed when running on the emulator.
pub fn emulator_banner(base_url: &str) -> String {
    format!("No {TOKEN_VAR} set: running against the embedded HubSpot emulator at {base_url}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_by_token_and_asks_for_ids() {
        assert!(matches!(Target::from_vars(|_| None), Ok(Target::Emulator)));
        let missing = Target::from_vars(|n| (n == TOKEN_VAR).then(|| "pat".to_owned()));
        assert!(matches!(missing, Err(StoryError::Setup(m)) if m.contains(CONTACT_VAR)));
        let all = Target::from_vars(|n| {
            Some(match n {
                TOKEN_VAR => "pat".to_owned(),
                _ => "501".to_owned(),
            })
        });
        assert!(matches!(all, Ok(Target::HubSpot { .. })));
    }
}
