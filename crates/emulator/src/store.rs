//! The emulator's data: objects of every supported type, association labels and the
//! association graph, all in memory behind one lock.
//!
//! Associations are stored once per pair of records, as a set of label indexes visible from
//! both ends: a label defines the type id in each direction (453 one way, 454 the other), so
//! reading from either side shows the right id without a second copy that could drift.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use hubspot_postal_model::association::DEFAULT_PAIRS;
use hubspot_postal_model::object_type::ObjectType;

use crate::schema::{PINNED, SUPPORTED, TypeSchema, builtin};

/// One end of an association: a type and a record id.
pub(crate) type Node = (ObjectType, u64);

/// First id handed out; fixed so a run's ids do not depend on the seed.
pub(crate) const FIRST_ID: u64 = 1_000_000;

/// A stored object. System properties are derived, not stored.
#[derive(Debug, Clone)]
pub(crate) struct Obj {
    pub props: BTreeMap<String, String>,
    pub created: i64,
    pub updated: i64,
    pub archived_at: Option<i64>,
    /// What search shows while the latest writes are younger than the search lag.
    pub indexed: Indexed,
}

/// What the search index holds of an object whose latest writes it has not seen yet.
///
/// HubSpot's search index trails writes by seconds while get, list and batch read see them at
/// once. One snapshot per object is enough: writes close together form one run, and search
/// shows the object as it stood before that run until the lag has passed since its last write.
#[derive(Debug, Clone, Default)]
pub(crate) enum Indexed {
    /// The current state (seeded and fixture records, and everything when there is no lag).
    #[default]
    Current,
    /// Not in the index yet: created through the API within the current run of writes.
    Absent,
    /// The properties and modification time before the current run of writes.
    Before {
        props: BTreeMap<String, String>,
        updated: i64,
    },
}

impl Obj {
    pub fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }

    /// Records a write at `now`: keeps what search still shows (the state before the run of
    /// writes that began less than `lag_ms` ago) and moves the modification time.
    pub fn touch(&mut self, now: i64, lag_ms: i64) {
        if lag_ms <= 0 {
            self.indexed = Indexed::Current;
        } else if self.is_indexed(now, lag_ms) || matches!(self.indexed, Indexed::Current) {
            self.indexed = Indexed::Before {
                props: self.props.clone(),
                updated: self.updated,
            };
        }
        self.updated = now.max(self.updated);
    }

    /// Whether the index has caught up with every write.
    fn is_indexed(&self, now: i64, lag_ms: i64) -> bool {
        now.saturating_sub(self.updated) >= lag_ms
    }

    /// The object as search sees it at `now`, or `None` while it is not indexed yet.
    pub fn search_view(&self, now: i64, lag_ms: i64) -> Option<Cow<'_, Obj>> {
        if lag_ms <= 0 || self.is_indexed(now, lag_ms) {
            return Some(Cow::Borrowed(self));
        }
        match &self.indexed {
            Indexed::Current => Some(Cow::Borrowed(self)),
            Indexed::Absent => None,
            Indexed::Before { props, updated } => Some(Cow::Owned(Obj {
                props: props.clone(),
                updated: *updated,
                indexed: Indexed::Current,
                ..self.clone()
            })),
        }
    }
}

/// An association type between two object types, with its id in each direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelDef {
    pub from: ObjectType,
    pub to: ObjectType,
    pub forward: u32,
    pub inverse: u32,
    pub category: String,
    pub label: Option<String>,
    pub inverse_label: Option<String>,
}

impl LabelDef {
    /// The type id and label as seen from a record of type `from`.
    pub fn view(&self, from: &ObjectType) -> (u32, Option<&str>) {
        if &self.from == from {
            (self.forward, self.label.as_deref())
        } else {
            (self.inverse, self.inverse_label.as_deref())
        }
    }

    pub fn joins(&self, a: &ObjectType, b: &ObjectType) -> bool {
        (&self.from == a && &self.to == b) || (&self.from == b && &self.to == a)
    }

    pub fn is_default(&self) -> bool {
        self.category == "HUBSPOT_DEFINED" && self.label.is_none()
    }
}

#[derive(Debug)]
pub(crate) struct Store {
    next_id: u64,
    next_label_type: u32,
    pub objects: BTreeMap<ObjectType, BTreeMap<u64, Obj>>,
    adj: HashMap<Node, BTreeMap<Node, BTreeSet<usize>>>,
    pub labels: Vec<LabelDef>,
    pub schemas: BTreeMap<ObjectType, TypeSchema>,
    /// How long a write stays invisible to search (milliseconds; 0 = at once).
    pub search_lag_ms: i64,
    /// The portal's required-property rules by type (fixtures `requiredProperties`), enforced
    /// only by the API versions that enforce them.
    portal_required: BTreeMap<ObjectType, Vec<String>>,
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    pub fn new() -> Self {
        let schemas = SUPPORTED
            .iter()
            .filter_map(|t| builtin(t).map(|s| (t.clone(), s)))
            .collect();
        let objects = SUPPORTED
            .iter()
            .map(|t| (t.clone(), BTreeMap::new()))
            .collect();
        // The HubSpot-defined pairs come from the model's one table (G-ASSOC).
        let labels = DEFAULT_PAIRS
            .iter()
            .filter_map(|p| {
                let other: ObjectType = p.object.parse().ok()?;
                Some(LabelDef {
                    from: ObjectType::PostalMail,
                    to: other,
                    forward: p.from_postal_mail.0,
                    inverse: p.to_postal_mail.0,
                    category: "HUBSPOT_DEFINED".into(),
                    label: None,
                    inverse_label: None,
                })
            })
            .collect();
        Self {
            next_id: FIRST_ID,
            next_label_type: 10_000,
            objects,
            adj: HashMap::new(),
            labels,
            schemas,
            search_lag_ms: 0,
            portal_required: BTreeMap::new(),
        }
    }

    /// Sets how long API writes stay invisible to search (rounded up to a millisecond).
    pub fn set_search_lag(&mut self, lag: std::time::Duration) {
        self.search_lag_ms = i64::try_from(lag.as_micros().div_ceil(1000)).unwrap_or(i64::MAX);
    }

    pub fn schema(&self, t: &ObjectType) -> Option<&TypeSchema> {
        self.schemas.get(t)
    }

    pub fn alloc_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Keeps fixed (fixture) ids from colliding with generated ones.
    pub fn reserve_id(&mut self, id: u64) {
        if id >= self.next_id {
            self.next_id = id.saturating_add(1);
        }
    }

    pub fn table(&self, t: &ObjectType) -> Option<&BTreeMap<u64, Obj>> {
        self.objects.get(t)
    }

    pub fn obj(&self, t: &ObjectType, id: u64) -> Option<&Obj> {
        self.objects.get(t)?.get(&id)
    }

    pub fn obj_mut(&mut self, t: &ObjectType, id: u64) -> Option<&mut Obj> {
        self.objects.get_mut(t)?.get_mut(&id)
    }

    /// The object if it exists and is not archived.
    pub fn live(&self, t: &ObjectType, id: u64) -> Option<&Obj> {
        self.obj(t, id).filter(|o| !o.is_archived())
    }

    pub fn insert(&mut self, t: &ObjectType, props: BTreeMap<String, String>, now: i64) -> u64 {
        let id = self.alloc_id();
        self.insert_with_id(t, id, props, now);
        id
    }

    pub fn insert_with_id(
        &mut self,
        t: &ObjectType,
        id: u64,
        props: BTreeMap<String, String>,
        now: i64,
    ) {
        self.reserve_id(id);
        let obj = Obj {
            props,
            created: now,
            updated: now,
            archived_at: None,
            indexed: Indexed::Current,
        };
        self.objects.entry(t.clone()).or_default().insert(id, obj);
    }

    /// Archives an object; returns whether it was live. Archiving a postal mail clears every
    /// pin on it, since it leaves the records' timelines (our choice for an UNCONFIRMED fact).
    pub fn archive(&mut self, t: &ObjectType, id: u64, now: i64) -> bool {
        let Some(obj) = self.obj_mut(t, id) else {
            return false;
        };
        if obj.is_archived() {
            return false;
        }
        obj.archived_at = Some(now);
        obj.updated = now;
        if *t == ObjectType::PostalMail {
            for other in self.neighbour_nodes(&(t.clone(), id)) {
                self.unpin_if(&other, id, now);
            }
        }
        true
    }

    /// Every record associated with `node`, archived or not.
    fn neighbour_nodes(&self, node: &Node) -> Vec<Node> {
        self.adj
            .get(node)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn unpin_if(&mut self, record: &Node, postal_mail_id: u64, now: i64) {
        let pm = postal_mail_id.to_string();
        let lag = self.search_lag_ms;
        if let Some(obj) = self.obj_mut(&record.0, record.1)
            && obj.props.get(PINNED) == Some(&pm)
        {
            obj.touch(now, lag);
            obj.props.remove(PINNED);
        }
    }

    /// The portal's required properties of type `t` (none unless fixtures set them).
    pub fn portal_required(&self, t: &ObjectType) -> &[String] {
        self.portal_required.get(t).map_or(&[], Vec::as_slice)
    }

    pub fn set_portal_required(&mut self, t: ObjectType, names: Vec<String>) {
        self.portal_required.insert(t, names);
    }

    /// Merges `secondary` into `primary` (both live, same type): the secondary's associations
    /// join the primary's, records pinning the secondary pin the primary, and the secondary
    /// is archived. The primary's properties stay as they are (our choice; HubSpot's
    /// property rules for a postal-mail merge are UNCONFIRMED).
    pub fn merge(&mut self, t: &ObjectType, primary: u64, secondary: u64, now: i64) {
        let (keep, gone) = ((t.clone(), primary), (t.clone(), secondary));
        let moved: Vec<(Node, BTreeSet<usize>)> = self
            .adj
            .get(&gone)
            .map(|m| m.iter().map(|(n, set)| (n.clone(), set.clone())).collect())
            .unwrap_or_default();
        let (gone_id, keep_id) = (secondary.to_string(), primary.to_string());
        let lag = self.search_lag_ms;
        for (other, set) in moved {
            if let Some(obj) = self.obj_mut(&other.0, other.1)
                && obj.props.get(PINNED) == Some(&gone_id)
            {
                obj.touch(now, lag);
                obj.props.insert(PINNED.to_owned(), keep_id.clone());
            }
            if other != keep {
                let mut joined = self.pair(&keep, &other).cloned().unwrap_or_default();
                joined.extend(set);
                self.set_pair(&keep, &other, joined, now);
            }
            if let Some(m) = self.adj.get_mut(&gone) {
                m.remove(&other);
            }
            if let Some(m) = self.adj.get_mut(&other) {
                m.remove(&gone);
            }
        }
        self.archive(t, secondary, now);
        if let Some(obj) = self.obj_mut(t, primary) {
            obj.touch(now, lag);
        }
    }

    /// Deletes an object for good (GDPR delete): its associations go (and with them any pin
    /// on it), and no read, archived or not, finds it again. Returns whether it existed.
    pub fn purge(&mut self, t: &ObjectType, id: u64, now: i64) -> bool {
        let node = (t.clone(), id);
        for other in self.neighbour_nodes(&node) {
            self.remove_pair(&node, &other, now);
        }
        self.adj.remove(&node);
        self.objects
            .get_mut(t)
            .is_some_and(|m| m.remove(&id).is_some())
    }

    // ---- labels ----

    /// The label whose id, seen from `from` towards `to`, is `type_id`.
    pub fn resolve_type(&self, from: &ObjectType, to: &ObjectType, type_id: u32) -> Option<usize> {
        self.labels.iter().position(|l| {
            l.joins(from, to) && l.view(from).0 == type_id && other_end(l, from) == Some(to)
        })
    }

    /// The label and the other object type for a type id used from `from` (associations
    /// written with a create name only the type id, which implies the target type).
    pub fn resolve_type_from(
        &self,
        from: &ObjectType,
        type_id: u32,
    ) -> Option<(usize, ObjectType)> {
        self.labels.iter().enumerate().find_map(|(i, l)| {
            let to = other_end(l, from)?;
            (l.view(from).0 == type_id).then(|| (i, to.clone()))
        })
    }

    /// The unlabelled HubSpot-defined type between two object types.
    pub fn default_label(&self, a: &ObjectType, b: &ObjectType) -> Option<usize> {
        self.labels
            .iter()
            .position(|l| l.joins(a, b) && l.is_default())
    }

    /// Every label between two object types.
    pub fn labels_between(&self, a: &ObjectType, b: &ObjectType) -> Vec<usize> {
        (0..self.labels.len())
            .filter(|i| self.labels[*i].joins(a, b))
            .collect()
    }

    /// Registers a user-defined label pair; returns its index.
    pub fn add_label(
        &mut self,
        from: &ObjectType,
        to: &ObjectType,
        label: String,
        inverse_label: Option<String>,
        ids: Option<(u32, u32)>,
    ) -> usize {
        let (forward, inverse) = ids.unwrap_or_else(|| {
            let f = self.next_label_type;
            self.next_label_type += 2;
            (f, f + 1)
        });
        self.next_label_type = self
            .next_label_type
            .max(forward.max(inverse).saturating_add(1));
        self.labels.push(LabelDef {
            from: from.clone(),
            to: to.clone(),
            forward,
            inverse,
            category: "USER_DEFINED".into(),
            inverse_label: Some(inverse_label.unwrap_or_else(|| label.clone())),
            label: Some(label),
        });
        self.labels.len() - 1
    }

    // ---- associations ----

    pub fn pair(&self, a: &Node, b: &Node) -> Option<&BTreeSet<usize>> {
        self.adj.get(a)?.get(b)
    }

    /// Adds label `idx` between two records (idempotent).
    pub fn associate(&mut self, a: &Node, b: &Node, idx: usize) {
        self.adj
            .entry(a.clone())
            .or_default()
            .entry(b.clone())
            .or_default()
            .insert(idx);
        self.adj
            .entry(b.clone())
            .or_default()
            .entry(a.clone())
            .or_default()
            .insert(idx);
    }

    /// Replaces the label set between two records; an empty set removes the association.
    pub fn set_pair(&mut self, a: &Node, b: &Node, set: BTreeSet<usize>, now: i64) {
        if set.is_empty() {
            self.remove_pair(a, b, now);
            return;
        }
        self.adj
            .entry(a.clone())
            .or_default()
            .insert(b.clone(), set.clone());
        self.adj
            .entry(b.clone())
            .or_default()
            .insert(a.clone(), set);
    }

    /// Removes every association between two records. A record's pin on the postal mail goes
    /// with it, since a pin requires the association.
    pub fn remove_pair(&mut self, a: &Node, b: &Node, now: i64) -> bool {
        let removed = self.adj.get_mut(a).and_then(|m| m.remove(b)).is_some();
        if let Some(m) = self.adj.get_mut(b) {
            m.remove(a);
        }
        for (x, y) in [(a, b), (b, a)] {
            if x.0 == ObjectType::PostalMail {
                self.unpin_if(y, x.1, now);
            }
        }
        removed
    }

    /// Removes one label; removing the unlabelled default removes the whole association
    /// (S-A4, G-ASSOC).
    pub fn remove_label(&mut self, a: &Node, b: &Node, idx: usize, now: i64) {
        if self.labels.get(idx).is_some_and(LabelDef::is_default) {
            self.remove_pair(a, b, now);
            return;
        }
        let Some(mut set) = self.pair(a, b).cloned() else {
            return;
        };
        set.remove(&idx);
        self.set_pair(a, b, set, now);
    }

    /// Live records of type `to` associated with `from`, ascending by id, with their labels.
    pub fn neighbours(&self, from: &Node, to: &ObjectType) -> Vec<(u64, Vec<usize>)> {
        let Some(m) = self.adj.get(from) else {
            return Vec::new();
        };
        let mut out: Vec<(u64, Vec<usize>)> = m
            .iter()
            .filter(|((t, id), _)| t == to && self.live(t, *id).is_some())
            .map(|((_, id), set)| (*id, set.iter().copied().collect()))
            .collect();
        out.sort_by_key(|(id, _)| *id);
        out
    }

    /// Every stored association, once per pair, for inspection.
    pub fn all_pairs(&self) -> Vec<(Node, Node, Vec<usize>)> {
        let mut out = Vec::new();
        for (a, m) in &self.adj {
            for (b, set) in m {
                if a < b {
                    out.push((a.clone(), b.clone(), set.iter().copied().collect()));
                }
            }
        }
        out.sort();
        out
    }
}

fn other_end<'a>(l: &'a LabelDef, from: &ObjectType) -> Option<&'a ObjectType> {
    if &l.from == from {
        Some(&l.to)
    } else if &l.to == from {
        Some(&l.from)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hubspot_postal_model::association::types;

    #[test]
    fn associations_are_symmetric_with_inverse_ids() {
        let mut s = Store::new();
        let pm = s.insert(&ObjectType::PostalMail, BTreeMap::new(), 0);
        let c = s.insert(&ObjectType::Contact, BTreeMap::new(), 0);
        let idx = s
            .resolve_type(
                &ObjectType::PostalMail,
                &ObjectType::Contact,
                types::POSTAL_MAIL_TO_CONTACT.0,
            )
            .unwrap();
        assert_eq!(
            s.resolve_type(
                &ObjectType::Contact,
                &ObjectType::PostalMail,
                types::CONTACT_TO_POSTAL_MAIL.0
            ),
            Some(idx)
        );
        assert_eq!(
            s.resolve_type(
                &ObjectType::Contact,
                &ObjectType::PostalMail,
                types::POSTAL_MAIL_TO_CONTACT.0
            ),
            None
        );
        let a = (ObjectType::PostalMail, pm);
        let b = (ObjectType::Contact, c);
        s.associate(&a, &b, idx);
        s.associate(&b, &a, idx);
        assert_eq!(s.neighbours(&a, &ObjectType::Contact), vec![(c, vec![idx])]);
        assert_eq!(
            s.labels[idx].view(&ObjectType::Contact).0,
            types::CONTACT_TO_POSTAL_MAIL.0
        );
        assert_eq!(s.all_pairs().len(), 1);
    }

    #[test]
    fn archiving_a_postal_mail_unpins_it() {
        let mut s = Store::new();
        let pm = s.insert(&ObjectType::PostalMail, BTreeMap::new(), 0);
        let c = s.insert(
            &ObjectType::Contact,
            BTreeMap::from([(PINNED.to_owned(), pm.to_string())]),
            0,
        );
        let idx = s
            .default_label(&ObjectType::Contact, &ObjectType::PostalMail)
            .unwrap();
        s.associate(
            &(ObjectType::PostalMail, pm),
            &(ObjectType::Contact, c),
            idx,
        );
        assert!(s.archive(&ObjectType::PostalMail, pm, 5));
        assert!(!s.archive(&ObjectType::PostalMail, pm, 6));
        assert!(
            !s.obj(&ObjectType::Contact, c)
                .unwrap()
                .props
                .contains_key(PINNED)
        );
        assert!(
            s.neighbours(&(ObjectType::Contact, c), &ObjectType::PostalMail)
                .is_empty()
        );
    }
}
