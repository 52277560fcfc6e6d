//! A row's fields: the columns an import file may have, and each column's value in a row,
//! borrowed from the reader's buffer. Nothing is allocated per row: a row is read, keyed and
//! checked where the reader holds it.

/// Every column an import file may have.
pub const COLUMNS: [&str; 9] = [
    "timestamp",
    "body",
    "owner",
    "attachments",
    "contact_ids",
    "company_ids",
    "deal_ids",
    "ticket_ids",
    "external_id",
];

/// Indexes into [`COLUMNS`], in the order of the names: the order a row's content is hashed
/// in, which keys depend on (see `row`).
const BY_NAME: [usize; 9] = [3, 1, 5, 4, 6, 8, 2, 7, 0];

/// The index in [`COLUMNS`] of `name`.
pub fn column(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| *c == name)
}

/// Where each column's value is in a record: `slots[c]` is the field of column `c`, when the
/// file has that column (a CSV header names it, or a JSON object has it).
pub type Slots = [Option<usize>; COLUMNS.len()];

/// A row's fields. Absent columns are absent; empty cells are empty strings.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    values: &'a csv::StringRecord,
    slots: &'a Slots,
}

impl<'a> Fields<'a> {
    /// The fields of `values`, placed by `slots`.
    pub fn new(values: &'a csv::StringRecord, slots: &'a Slots) -> Self {
        Self { values, slots }
    }

    /// The value of the column named `name`, when the row has it.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.at(column(name)?)
    }

    fn at(&self, column: usize) -> Option<&'a str> {
        let field = (*self.slots.get(column)?)?;
        self.values.get(field)
    }

    /// Every column the row has and its value, in the order of the column names.
    pub fn in_name_order(&self) -> impl Iterator<Item = (&'static str, &'a str)> + '_ {
        BY_NAME
            .iter()
            .filter_map(|&c| self.at(c).map(|value| (COLUMNS[c], value)))
    }
}

/// A row's fields held by a test (the reader's buffer is reused from row to row).
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub struct OwnedFields {
    values: csv::StringRecord,
    slots: Slots,
}

#[cfg(test)]
impl OwnedFields {
    /// From (column, value) pairs; a later pair for the same column wins, as in a CSV header
    /// that names a column twice. Unknown columns are left out.
    pub fn from_pairs<'s>(pairs: impl IntoIterator<Item = (&'s str, &'s str)>) -> Self {
        let mut owned = Self::default();
        for (name, value) in pairs {
            if let Some(c) = column(name) {
                owned.slots[c] = Some(owned.values.len());
                owned.values.push_field(value);
            }
        }
        owned
    }

    /// The fields.
    pub fn fields(&self) -> Fields<'_> {
        Fields::new(&self.values, &self.slots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_order_is_the_sorted_columns() {
        let named: Vec<&str> = BY_NAME.iter().map(|&c| COLUMNS[c]).collect();
        let mut sorted = COLUMNS.to_vec();
        sorted.sort_unstable();
        assert_eq!(named, sorted);
    }

    #[test]
    fn fields_by_name_and_in_name_order() {
        let owned =
            OwnedFields::from_pairs([("timestamp", "1"), ("body", "b"), ("body", "c"), ("x", "y")]);
        let fields = owned.fields();
        assert_eq!(fields.get("body"), Some("c"));
        assert_eq!(fields.get("owner"), None);
        assert_eq!(fields.get("x"), None);
        let all: Vec<_> = fields.in_name_order().collect();
        assert_eq!(all, vec![("body", "c"), ("timestamp", "1")]);
    }
}
