//! `TimestampArg`: a timestamp on the command line, where `now` is accepted besides the forms
//! the model parses (ISO-8601, a bare date, epoch milliseconds).

use std::str::FromStr;

use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal::model::validation::ValidationError;

/// A parsed `--timestamp` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampArg(pub Timestamp);

impl FromStr for TimestampArg {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, ValidationError> {
        if s.trim().eq_ignore_ascii_case("now") {
            return Ok(Self(Timestamp::now()));
        }
        Timestamp::parse(s).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_now_and_model_forms() {
        assert!("now".parse::<TimestampArg>().is_ok());
        assert_eq!(
            "2021-11-12"
                .parse::<TimestampArg>()
                .ok()
                .map(|t| t.0.to_string()),
            Some("2021-11-12T00:00:00.000Z".to_owned())
        );
        assert!("soon".parse::<TimestampArg>().is_err());
    }
}
