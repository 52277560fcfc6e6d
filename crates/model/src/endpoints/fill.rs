//! Filling a row's path template: [`Segment`], a path segment that can only come from a
//! validated value, and the placeholder substitution that checks every name is given once.

use std::borrow::Cow;

use crate::association::AssociationTypeId;
use crate::ids::{PostalMailId, RecordId};
use crate::object_type::ObjectType;

use super::NotInVersion;

/// One path segment, built only from values that cannot change a path's shape.
///
/// Ids are validated when they are made; object types use their path names, and a custom
/// name built around validation is percent-encoded rather than trusted.
///
/// ```
/// use hubspot_postal_model::endpoints::Segment;
/// use hubspot_postal_model::object_type::ObjectType;
///
/// assert_eq!(Segment::plural(&ObjectType::Contact).as_str(), "contacts");
/// assert_eq!(Segment::singular(&ObjectType::Contact).as_str(), "contact");
/// assert_eq!(Segment::plural(&ObjectType::Custom("a/../b".into())).as_str(), "a%2F..%2Fb");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a>(Cow<'a, str>);

impl<'a> Segment<'a> {
    /// An object type's plural path name (`contacts`), as in object and v4 association paths.
    pub fn plural(t: &'a ObjectType) -> Self {
        Self::object_name(t.plural())
    }

    /// An object type's singular name (`contact`), as in the v3 per-object association path.
    pub fn singular(t: &'a ObjectType) -> Self {
        Self::object_name(t.singular())
    }

    /// Any text as one segment, such as a unique property's value: every byte outside
    /// `A–Z a–z 0–9 - _ .` is percent-encoded, and `.` or `..` alone are encoded too, so the
    /// text can neither add nor climb segments.
    ///
    /// ```
    /// use hubspot_postal_model::endpoints::Segment;
    /// assert_eq!(Segment::encoded("REF/2026 #1").as_str(), "REF%2F2026%20%231");
    /// assert_eq!(Segment::encoded("..").as_str(), "%2E%2E");
    /// ```
    pub fn encoded(text: &'a str) -> Self {
        Self::object_name(text)
    }

    fn object_name(name: &'a str) -> Self {
        if name == "." || name == ".." {
            // Safe bytes, but as a whole segment they would move up the path.
            Self(Cow::Owned(name.replace('.', "%2E")))
        } else if name.bytes().all(is_path_safe) {
            Self(Cow::Borrowed(name))
        } else {
            Self(Cow::Owned(percent_encode(name)))
        }
    }

    /// The text put into the path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'a> From<&'a PostalMailId> for Segment<'a> {
    fn from(id: &'a PostalMailId) -> Self {
        Self(Cow::Borrowed(id.as_ref()))
    }
}

impl<'a> From<&'a RecordId> for Segment<'a> {
    fn from(id: &'a RecordId) -> Self {
        Self(Cow::Borrowed(id.as_ref()))
    }
}

impl From<AssociationTypeId> for Segment<'static> {
    fn from(id: AssociationTypeId) -> Self {
        Self(Cow::Owned(id.to_string()))
    }
}

fn is_path_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if is_path_safe(b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Why a path could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// The chosen version lacks the operation.
    #[error(transparent)]
    NotInVersion(#[from] NotInVersion),
    /// The template has a placeholder no argument fills.
    #[error("no value for the path placeholder {{{0}}}")]
    Missing(String),
    /// An argument names no placeholder of the template (a caller bug: the wrong row).
    #[error("the path template has no placeholder {{{0}}}")]
    Unused(String),
}

/// Replaces each `{name}` of `template` with the argument of that name.
///
/// Runs on every request, so it allocates only the result: which arguments were used is a bit
/// mask (a template has at most a handful of placeholders; more than 64 arguments is an error).
pub(super) fn fill(template: &str, args: &[(&str, Segment<'_>)]) -> Result<String, PathError> {
    if let Some((name, _)) = args.get(64) {
        return Err(PathError::Unused((*name).to_owned()));
    }
    let extra: usize = args.iter().map(|(_, s)| s.as_str().len()).sum();
    let mut out = String::with_capacity(template.len() + extra);
    let mut used: u64 = 0;
    let mut rest = template;
    // Byte searches: the braces are ASCII (so every index found is a char boundary), and
    // `str::find(char)` sets up a searcher on each call, which costs more than these short
    // templates take to scan.
    while let Some(open) = rest.bytes().position(|b| b == b'{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .bytes()
            .position(|b| b == b'}')
            .ok_or_else(|| PathError::Missing(after.to_owned()))?;
        let name = &after[..close];
        let i = args
            .iter()
            .position(|(n, _)| *n == name)
            .ok_or_else(|| PathError::Missing(name.to_owned()))?;
        used |= 1 << i;
        out.push_str(args[i].1.as_str());
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    match (0..args.len()).find(|i| used & (1 << i) == 0) {
        Some(i) => Err(PathError::Unused(args[i].0.to_owned())),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_every_placeholder_and_rejects_missing_or_extra_names() {
        let id = RecordId::new("7").unwrap_or_else(|e| panic!("{e}"));
        let t = ObjectType::Contact;
        let ok = fill(
            "/a/{objectType}/{objectId}",
            &[
                ("objectType", Segment::plural(&t)),
                ("objectId", (&id).into()),
            ],
        );
        assert_eq!(ok, Ok("/a/contacts/7".to_owned()));
        assert_eq!(
            fill("/a/{objectId}", &[]),
            Err(PathError::Missing("objectId".into()))
        );
        assert_eq!(
            fill("/a", &[("objectId", (&id).into())]),
            Err(PathError::Unused("objectId".into()))
        );
    }

    #[test]
    fn unsafe_custom_names_cannot_add_segments() {
        let t = ObjectType::Custom("..".into());
        assert_eq!(Segment::plural(&t).as_str(), "%2E%2E");
        let t = ObjectType::Custom("p_x?y#z".into());
        assert_eq!(Segment::plural(&t).as_str(), "p_x%3Fy%23z");
    }
}
