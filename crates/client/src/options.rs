//! Options of reads and lists: which properties, histories and associations to return, and
//! whether to read the recycling bin.

use hubspot_postal_model::object_type::ObjectType;

use crate::query::Query;

/// What a `get` returns.
///
/// ```
/// use hubspot_postal::GetOptions;
/// use hubspot_postal::model::object_type::ObjectType;
/// let options = GetOptions::new()
///     .properties(["hs_postal_mail_body", "hs_timestamp"])
///     .associations([ObjectType::Contact, ObjectType::Company]);
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GetOptions {
    /// Properties to return (HubSpot's defaults when empty).
    pub properties: Vec<String>,
    /// Properties to return with their history.
    pub properties_with_history: Vec<String>,
    /// Object types whose associated ids to return.
    pub associations: Vec<ObjectType>,
    /// Read from the recycling bin.
    pub archived: bool,
}

impl GetOptions {
    /// HubSpot's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Properties to return.
    pub fn properties<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.properties = names.into_iter().map(Into::into).collect();
        self
    }

    /// Properties to return with history.
    pub fn properties_with_history<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        names: I,
    ) -> Self {
        self.properties_with_history = names.into_iter().map(Into::into).collect();
        self
    }

    /// Associations to return.
    pub fn associations<I: IntoIterator<Item = ObjectType>>(mut self, types: I) -> Self {
        self.associations = types.into_iter().collect();
        self
    }

    /// Read archived records.
    pub fn archived(mut self, archived: bool) -> Self {
        self.archived = archived;
        self
    }

    pub(crate) fn write(&self, q: &mut Query) {
        q.push_all("properties", &self.properties);
        q.push_all("propertiesWithHistory", &self.properties_with_history);
        let assoc: Vec<&str> = self.associations.iter().map(ObjectType::plural).collect();
        q.push_all("associations", &assoc);
        if self.archived {
            q.push("archived", "true");
        }
    }
}

/// What a list page returns, and where it starts.
///
/// ```
/// use hubspot_postal::ListOptions;
/// let first = ListOptions::new().limit(100).properties(["hs_timestamp"]);
/// let resumed = first.clone().after("513881705058");
/// # let _ = resumed;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListOptions {
    /// Page size, 1 to 100 (HubSpot's default is 10).
    pub limit: Option<u32>,
    /// Cursor to start after (resume a listing).
    pub after: Option<String>,
    /// Properties, history and associations to return, and whether to list archived records.
    pub read: GetOptions,
}

impl ListOptions {
    /// First page, HubSpot's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Page size.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts after `cursor`.
    pub fn after(mut self, cursor: impl Into<String>) -> Self {
        self.after = Some(cursor.into());
        self
    }

    /// Properties to return.
    pub fn properties<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.read = self.read.properties(names);
        self
    }

    /// Associations to return.
    pub fn associations<I: IntoIterator<Item = ObjectType>>(mut self, types: I) -> Self {
        self.read = self.read.associations(types);
        self
    }

    /// List only archived records (the recycling bin).
    pub fn archived(mut self, archived: bool) -> Self {
        self.read = self.read.archived(archived);
        self
    }
}

/// What a batch read returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BatchReadOptions {
    /// Properties to return.
    pub properties: Vec<String>,
    /// Properties with history.
    pub properties_with_history: Vec<String>,
    /// Read archived records.
    pub archived: bool,
}

impl BatchReadOptions {
    /// HubSpot's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Properties to return.
    pub fn properties<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.properties = names.into_iter().map(Into::into).collect();
        self
    }

    /// Read archived records.
    pub fn archived(mut self, archived: bool) -> Self {
        self.archived = archived;
        self
    }
}

/// Which page of a record's associations to read, and how large.
///
/// ```
/// use hubspot_postal::AssociationListOptions;
/// let first = AssociationListOptions::new().limit(100);
/// let next = first.clone().after("MTAw");
/// # let _ = next;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AssociationListOptions {
    /// Page size, 1 to 500 (HubSpot's default, 500, when `None`). Only the association
    /// listing takes it: in versions without that endpoint the page comes from batch read,
    /// whose page size HubSpot chooses.
    pub limit: Option<u32>,
    /// The cursor from the previous page.
    pub after: Option<String>,
}

impl AssociationListOptions {
    /// The first page, HubSpot's page size.
    pub fn new() -> Self {
        Self::default()
    }

    /// The page size (1 to 500).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The page after `cursor`.
    pub fn after(mut self, cursor: impl Into<String>) -> Self {
        self.after = Some(cursor.into());
        self
    }
}
