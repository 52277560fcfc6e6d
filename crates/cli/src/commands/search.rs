//! `search`: filters (`PROP:OP[:VALUE]`, ANDed) and free text, every page of results.

use std::io::Write;

use hubspot_postal::Client;
use hubspot_postal::model::limits::SEARCH_MAX_PAGE_SIZE;
use hubspot_postal::model::search::{Filter, Operator, SearchRequest};

use crate::args::SearchArgs;
use crate::error::CliError;
use crate::output::{LETTER_PROPERTIES, print_letters};

/// Parses `PROP:OP[:VALUE]`. Only the first two colons split, so a value may hold colons
/// (`hs_timestamp:GTE:2021-11-12T00:00:00Z`).
pub fn parse_filter(s: &str) -> Result<Filter, String> {
    let mut parts = s.splitn(3, ':');
    let (Some(prop), Some(op)) = (parts.next(), parts.next()) else {
        return Err(format!("{s:?}: expected PROPERTY:OPERATOR[:VALUE]"));
    };
    let value = parts.next();
    let operator = Operator::parse(op).ok_or_else(|| {
        let all: Vec<&str> = Operator::ALL.iter().map(|o| o.as_str()).collect();
        format!("{op:?} is not an operator: use one of {}", all.join(", "))
    })?;
    let need = || value.ok_or_else(|| format!("{s:?}: {op} needs a value"));
    let filter = match operator {
        Operator::HasProperty | Operator::NotHasProperty if value.is_some() => {
            return Err(format!("{s:?}: {op} takes no value"));
        }
        Operator::HasProperty => Filter::has_property(prop),
        Operator::NotHasProperty => Filter::not_has_property(prop),
        Operator::Between => {
            let (low, high) = need()?
                .split_once(';')
                .ok_or_else(|| format!("{s:?}: BETWEEN takes LOW;HIGH"))?;
            Filter::between(prop, low, high)
        }
        Operator::In => Filter::is_in(prop, need()?.split(';')),
        Operator::NotIn => Filter::not_in(prop, need()?.split(';')),
        Operator::Eq => Filter::eq(prop, need()?),
        Operator::Neq => Filter::neq(prop, need()?),
        Operator::Lt => Filter::lt(prop, need()?),
        Operator::Lte => Filter::lte(prop, need()?),
        Operator::Gt => Filter::gt(prop, need()?),
        Operator::Gte => Filter::gte(prop, need()?),
        Operator::ContainsToken => Filter::contains_token(prop, need()?),
        Operator::NotContainsToken => Filter::not_contains_token(prop, need()?),
    };
    filter.validate().map_err(|e| e.to_string())?;
    Ok(filter)
}

/// Runs `search`.
pub async fn run(client: &Client, args: SearchArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut builder = SearchRequest::builder()
        .properties(LETTER_PROPERTIES)
        .limit(SEARCH_MAX_PAGE_SIZE);
    for filter in args.filters {
        builder = builder.filter(filter);
    }
    if let Some(q) = args.query {
        builder = builder.query(q);
    }
    let letters = client.search_all(builder.build()?);
    print_letters(letters, args.json, args.max, "matching letters", out).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_operand_shape() {
        let f = parse_filter("hs_timestamp:GTE:2021-11-12T00:00:00Z").ok();
        assert_eq!(
            f.and_then(|f| f.value),
            Some("2021-11-12T00:00:00Z".to_owned())
        );
        let f = parse_filter("hubspot_owner_id:in:1;2").ok();
        assert_eq!(f.and_then(|f| f.values).map(|v| v.len()), Some(2));
        assert!(parse_filter("hs_timestamp:BETWEEN:1;2").is_ok());
        assert!(parse_filter("hs_timestamp:BETWEEN:1").is_err());
        assert!(parse_filter("hubspot_owner_id:HAS_PROPERTY").is_ok());
        assert!(parse_filter("hubspot_owner_id:HAS_PROPERTY:x").is_err());
        assert!(parse_filter("hs_postal_mail_body:CONTAINS_TOKEN").is_err());
        assert!(parse_filter("x:LIKE:y").is_err());
        assert!(parse_filter("nothing").is_err());
    }
}
