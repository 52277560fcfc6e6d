//! The search request: filter groups (ORed) of filters (ANDed) with HubSpot's 13 operators,
//! one sort, a free-text query, and paging; plus the builder that enforces HubSpot's limits
//! before anything is sent.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::RecordId;
use crate::limits::{
    SEARCH_MAX_BODY_CHARS, SEARCH_MAX_FILTER_GROUPS, SEARCH_MAX_FILTERS_PER_GROUP,
    SEARCH_MAX_FILTERS_TOTAL, SEARCH_MAX_PAGE_SIZE, SEARCH_MAX_RESULTS,
};
use crate::object_type::ObjectType;
use crate::properties::{Redacted, is_sensitive};
use crate::timestamp::Timestamp;
use crate::validation::ValidationError;

/// A filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Operator {
    /// Equal.
    Eq,
    /// Not equal.
    Neq,
    /// Less than.
    Lt,
    /// Less than or equal.
    Lte,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Gte,
    /// Between `value` and `highValue`, inclusive.
    Between,
    /// One of `values`.
    In,
    /// None of `values`.
    NotIn,
    /// Has any value.
    HasProperty,
    /// Has no value.
    NotHasProperty,
    /// Contains a token; `*` is a wildcard.
    ContainsToken,
    /// Does not contain a token.
    NotContainsToken,
}

impl Operator {
    /// Every operator.
    pub const ALL: [Operator; 13] = [
        Self::Eq,
        Self::Neq,
        Self::Lt,
        Self::Lte,
        Self::Gt,
        Self::Gte,
        Self::Between,
        Self::In,
        Self::NotIn,
        Self::HasProperty,
        Self::NotHasProperty,
        Self::ContainsToken,
        Self::NotContainsToken,
    ];

    /// The wire form (`EQ`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "EQ",
            Self::Neq => "NEQ",
            Self::Lt => "LT",
            Self::Lte => "LTE",
            Self::Gt => "GT",
            Self::Gte => "GTE",
            Self::Between => "BETWEEN",
            Self::In => "IN",
            Self::NotIn => "NOT_IN",
            Self::HasProperty => "HAS_PROPERTY",
            Self::NotHasProperty => "NOT_HAS_PROPERTY",
            Self::ContainsToken => "CONTAINS_TOKEN",
            Self::NotContainsToken => "NOT_CONTAINS_TOKEN",
        }
    }

    /// Parses the wire form, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        let upper = s.to_ascii_uppercase();
        Self::ALL.into_iter().find(|o| o.as_str() == upper)
    }
}

/// One filter. Its `Debug` keeps the values of a sensitive property (the letter text) out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Property, or `associations.{type}` for associated records.
    pub property_name: String,
    /// The operator.
    pub operator: Operator,
    /// The value (all single-value operators, and the low end of `BETWEEN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The high end of `BETWEEN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_value: Option<String>,
    /// The values of `IN` / `NOT_IN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

impl fmt::Debug for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Filter");
        d.field("property_name", &self.property_name)
            .field("operator", &self.operator);
        if is_sensitive(&self.property_name) {
            let chars = |v: &Option<String>| v.as_ref().map(|v| Redacted(v.chars().count()));
            d.field("value", &chars(&self.value))
                .field("high_value", &chars(&self.high_value))
                .field(
                    "values",
                    &self.values.as_ref().map(|vs| {
                        vs.iter()
                            .map(|v| Redacted(v.chars().count()))
                            .collect::<Vec<_>>()
                    }),
                );
        } else {
            d.field("value", &self.value)
                .field("high_value", &self.high_value)
                .field("values", &self.values);
        }
        d.finish()
    }
}

impl Filter {
    fn single(property: &str, operator: Operator, value: impl Into<String>) -> Self {
        Self {
            property_name: property.to_owned(),
            operator,
            value: Some(value.into()),
            high_value: None,
            values: None,
        }
    }

    /// `property = value`.
    pub fn eq(property: &str, value: impl Into<String>) -> Self {
        Self::single(property, Operator::Eq, value)
    }
    /// `property != value`.
    pub fn neq(property: &str, value: impl Into<String>) -> Self {
        Self::single(property, Operator::Neq, value)
    }
    /// `property < value`.
    pub fn lt(property: &str, value: impl Into<String>) -> Self {
        Self::single(property, Operator::Lt, value)
    }
    /// `property <= value`.
    pub fn lte(property: &str, value: impl Into<String>) -> Self {
        Self::single(property, Operator::Lte, value)
    }
    /// `property > value`.
    pub fn gt(property: &str, value: impl Into<String>) -> Self {
        Self::single(property, Operator::Gt, value)
    }
    /// `property >= value`.
    pub fn gte(property: &str, value: impl Into<String>) -> Self {
        Self::single(property, Operator::Gte, value)
    }
    /// `low <= property <= high`.
    pub fn between(property: &str, low: impl Into<String>, high: impl Into<String>) -> Self {
        Self {
            high_value: Some(high.into()),
            ..Self::single(property, Operator::Between, low)
        }
    }
    /// `property` is one of `values`. HubSpot wants lowercase values for string properties.
    pub fn is_in<I: IntoIterator<Item = S>, S: Into<String>>(property: &str, values: I) -> Self {
        Self {
            property_name: property.to_owned(),
            operator: Operator::In,
            value: None,
            high_value: None,
            values: Some(values.into_iter().map(Into::into).collect()),
        }
    }
    /// `property` is none of `values`.
    pub fn not_in<I: IntoIterator<Item = S>, S: Into<String>>(property: &str, values: I) -> Self {
        Self {
            operator: Operator::NotIn,
            ..Self::is_in(property, values)
        }
    }
    /// `property` has a value.
    pub fn has_property(property: &str) -> Self {
        Self {
            property_name: property.to_owned(),
            operator: Operator::HasProperty,
            value: None,
            high_value: None,
            values: None,
        }
    }
    /// `property` has no value.
    pub fn not_has_property(property: &str) -> Self {
        Self {
            operator: Operator::NotHasProperty,
            ..Self::has_property(property)
        }
    }
    /// `property` contains `token` (`*` wildcards allowed).
    pub fn contains_token(property: &str, token: impl Into<String>) -> Self {
        Self::single(property, Operator::ContainsToken, token)
    }
    /// `property` does not contain `token`.
    pub fn not_contains_token(property: &str, token: impl Into<String>) -> Self {
        Self::single(property, Operator::NotContainsToken, token)
    }
    /// `hs_timestamp` between two instants, as epoch milliseconds (the form search takes).
    pub fn timestamp_between(from: Timestamp, to: Timestamp) -> Self {
        Self::between(
            crate::properties::TIMESTAMP,
            from.epoch_millis().to_string(),
            to.epoch_millis().to_string(),
        )
    }
    /// Associated with the record `id` of type `object` (`associations.contact EQ id`).
    pub fn associated_with(object: &ObjectType, id: &RecordId) -> Self {
        Self::eq(&format!("associations.{}", object.singular()), id.as_str())
    }

    /// Checks that the operator has exactly the operands it needs.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let problem = match self.operator {
            Operator::Between if self.value.is_none() || self.high_value.is_none() => {
                Some("needs value and highValue")
            }
            Operator::In | Operator::NotIn if self.values.as_ref().is_none_or(Vec::is_empty) => {
                Some("needs a non-empty values list")
            }
            Operator::HasProperty | Operator::NotHasProperty
                if self.value.is_some() || self.values.is_some() =>
            {
                Some("takes no value")
            }
            Operator::Eq
            | Operator::Neq
            | Operator::Lt
            | Operator::Lte
            | Operator::Gt
            | Operator::Gte
            | Operator::ContainsToken
            | Operator::NotContainsToken
                if self.value.is_none() =>
            {
                Some("needs a value")
            }
            _ if self.property_name.is_empty() => Some("needs a property name"),
            _ => None,
        };
        match problem {
            Some(problem) => Err(ValidationError::InvalidFilter {
                property: self.property_name.clone(),
                operator: self.operator.as_str(),
                problem,
            }),
            None => Ok(()),
        }
    }
}

/// Filters that must all match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FilterGroup {
    /// The filters, ANDed.
    pub filters: Vec<Filter>,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Direction {
    /// Oldest / smallest first.
    Ascending,
    /// Newest / largest first.
    Descending,
}

/// A sort; HubSpot applies one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sort {
    /// Property to sort by.
    pub property_name: String,
    /// Direction.
    pub direction: Direction,
}

/// `PublicObjectSearchRequest`. Its `Debug` keeps the free-text query and letter-text filter
/// values out, since both usually quote a letter.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    /// Groups, ORed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filter_groups: Vec<FilterGroup>,
    /// Sorts (HubSpot applies one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sorts: Vec<Sort>,
    /// Free text over the default searchable properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Properties to return.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<String>,
    /// Page size, at most 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Offset cursor from the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl fmt::Debug for SearchRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchRequest")
            .field("filter_groups", &self.filter_groups)
            .field("sorts", &self.sorts)
            .field(
                "query",
                &self.query.as_ref().map(|q| Redacted(q.chars().count())),
            )
            .field("properties", &self.properties)
            .field("limit", &self.limit)
            .field("after", &self.after)
            .finish()
    }
}

impl SearchRequest {
    /// A builder that validates on [`SearchBuilder::build`].
    ///
    /// ```
    /// use hubspot_postal_model::search::{Filter, SearchRequest, Direction};
    /// let request = SearchRequest::builder()
    ///     .filter(Filter::contains_token("hs_postal_mail_body", "contract"))
    ///     .or_group(vec![Filter::is_in("hubspot_owner_id", ["9274996"])])
    ///     .sort("hs_timestamp", Direction::Descending)
    ///     .limit(100)
    ///     .build()?;
    /// assert_eq!(request.filter_groups.len(), 2);
    ///
    /// let too_many = SearchRequest::builder().limit(500).build();
    /// assert!(too_many.is_err());
    /// # Ok::<(), hubspot_postal_model::validation::ValidationError>(())
    /// ```
    pub fn builder() -> SearchBuilder {
        SearchBuilder::default()
    }

    /// Checks every documented limit: groups, filters per group and in all, operands, page
    /// size, the result ceiling and the encoded body length.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.filter_groups.len() > SEARCH_MAX_FILTER_GROUPS {
            return Err(ValidationError::TooManyFilterGroups {
                count: self.filter_groups.len(),
                max: SEARCH_MAX_FILTER_GROUPS,
            });
        }
        let mut total = 0;
        for (group, g) in self.filter_groups.iter().enumerate() {
            if g.filters.len() > SEARCH_MAX_FILTERS_PER_GROUP {
                return Err(ValidationError::TooManyFiltersInGroup {
                    group,
                    count: g.filters.len(),
                    max: SEARCH_MAX_FILTERS_PER_GROUP,
                });
            }
            total += g.filters.len();
            g.filters.iter().try_for_each(Filter::validate)?;
        }
        if total > SEARCH_MAX_FILTERS_TOTAL {
            return Err(ValidationError::TooManyFilters {
                count: total,
                max: SEARCH_MAX_FILTERS_TOTAL,
            });
        }
        let limit = self.limit.unwrap_or(crate::limits::DEFAULT_PAGE_SIZE);
        if limit == 0 || limit > SEARCH_MAX_PAGE_SIZE {
            return Err(ValidationError::PageSize {
                limit,
                max: SEARCH_MAX_PAGE_SIZE,
            });
        }
        if let Some(after) = &self.after {
            let offset: u64 = after.parse().unwrap_or(0);
            if offset.saturating_add(u64::from(limit)) > SEARCH_MAX_RESULTS {
                return Err(ValidationError::SearchResultCeiling {
                    offset,
                    max: SEARCH_MAX_RESULTS,
                });
            }
        }
        let chars = serde_json::to_string(self)
            .map(|s| s.chars().count())
            .unwrap_or(usize::MAX);
        if chars > SEARCH_MAX_BODY_CHARS {
            return Err(ValidationError::SearchTooLong {
                chars,
                max: SEARCH_MAX_BODY_CHARS,
            });
        }
        Ok(())
    }
}

/// Builds a [`SearchRequest`]; see [`SearchRequest::builder`].
#[derive(Debug, Clone, Default)]
pub struct SearchBuilder {
    request: SearchRequest,
}

impl SearchBuilder {
    /// Adds a filter to the last group (ANDed), starting the first group if needed.
    pub fn filter(mut self, filter: Filter) -> Self {
        match self.request.filter_groups.last_mut() {
            Some(group) => group.filters.push(filter),
            None => self.request.filter_groups.push(FilterGroup {
                filters: vec![filter],
            }),
        }
        self
    }

    /// Adds a new group of filters, ORed with the others.
    pub fn or_group(mut self, filters: Vec<Filter>) -> Self {
        self.request.filter_groups.push(FilterGroup { filters });
        self
    }

    /// Sorts by `property`; replaces any earlier sort, since HubSpot applies one.
    pub fn sort(mut self, property: &str, direction: Direction) -> Self {
        self.request.sorts = vec![Sort {
            property_name: property.to_owned(),
            direction,
        }];
        self
    }

    /// Free-text query.
    pub fn query(mut self, q: impl Into<String>) -> Self {
        self.request.query = Some(q.into());
        self
    }

    /// Properties to return.
    pub fn properties<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.request.properties = names.into_iter().map(Into::into).collect();
        self
    }

    /// Page size (1 to 200).
    pub fn limit(mut self, limit: u32) -> Self {
        self.request.limit = Some(limit);
        self
    }

    /// Starts after this cursor.
    pub fn after(mut self, after: impl Into<String>) -> Self {
        self.request.after = Some(after.into());
        self
    }

    /// Validates and returns the request.
    pub fn build(self) -> Result<SearchRequest, ValidationError> {
        self.request.validate()?;
        Ok(self.request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f() -> Filter {
        Filter::eq("hubspot_owner_id", "1")
    }

    #[test]
    fn limits_are_enforced() {
        let mut b = SearchRequest::builder();
        for _ in 0..6 {
            b = b.or_group(vec![f()]);
        }
        assert_eq!(
            b.build().unwrap_err(),
            ValidationError::TooManyFilterGroups { count: 6, max: 5 }
        );

        let b = SearchRequest::builder().or_group(vec![f(); 7]);
        assert_eq!(
            b.build().unwrap_err(),
            ValidationError::TooManyFiltersInGroup {
                group: 0,
                count: 7,
                max: 6
            }
        );

        let mut b = SearchRequest::builder();
        for _ in 0..4 {
            b = b.or_group(vec![f(); 5]);
        }
        assert_eq!(
            b.build().unwrap_err(),
            ValidationError::TooManyFilters { count: 20, max: 18 }
        );

        assert_eq!(
            SearchRequest::builder().limit(201).build().unwrap_err(),
            ValidationError::PageSize {
                limit: 201,
                max: 200
            }
        );
        assert_eq!(
            SearchRequest::builder().limit(0).build().unwrap_err(),
            ValidationError::PageSize { limit: 0, max: 200 }
        );
        assert!(SearchRequest::builder().limit(200).build().is_ok());

        assert_eq!(
            SearchRequest::builder()
                .limit(100)
                .after("9950")
                .build()
                .unwrap_err(),
            ValidationError::SearchResultCeiling {
                offset: 9950,
                max: 10_000
            }
        );
        assert!(
            SearchRequest::builder()
                .limit(100)
                .after("9900")
                .build()
                .is_ok()
        );

        let long = SearchRequest::builder()
            .query("x".repeat(3_000))
            .build()
            .unwrap_err();
        assert!(matches!(
            long,
            ValidationError::SearchTooLong { max: 3_000, .. }
        ));
    }

    #[test]
    fn operands_are_checked() {
        let bad = [
            Filter {
                high_value: None,
                ..Filter::between("a", "1", "2")
            },
            Filter::is_in("a", Vec::<String>::new()),
            Filter {
                value: Some("x".into()),
                ..Filter::has_property("a")
            },
            Filter {
                value: None,
                ..Filter::eq("a", "1")
            },
            Filter::eq("", "1"),
        ];
        for filter in bad {
            assert!(
                matches!(
                    filter.validate(),
                    Err(ValidationError::InvalidFilter { .. })
                ),
                "{filter:?}"
            );
        }
        for op in Operator::ALL {
            assert_eq!(Operator::parse(op.as_str()), Some(op));
            assert_eq!(serde_json::to_value(op).unwrap(), op.as_str());
        }
    }

    #[test]
    fn association_filter() {
        let filter = Filter::associated_with(&ObjectType::Contact, &RecordId::from(501));
        assert_eq!(filter.property_name, "associations.contact");
        assert_eq!(filter.value.as_deref(), Some("501"));
    }
}
