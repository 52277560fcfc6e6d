//! Checks the endpoint table against HubSpot's OpenAPI files, version by version: every row a
//! version has is an operation of that version's spec, and every postal-mail operation of the
//! spec is a row. The specs are copies in `tests/fixtures/spec-versions/` (see its
//! `SOURCES.md`), so the test reads nothing outside the repository.

use std::collections::BTreeSet;
use std::path::PathBuf;

use hubspot_postal_model::endpoints::{ApiVersion, ENDPOINTS, Endpoint};
use serde_json::Value;

/// The spec files of each version. The legacy track spans the v3 objects APIs and the v3 and
/// v4 association APIs.
fn spec_files(version: ApiVersion) -> &'static [&'static str] {
    match version {
        ApiVersion::V3 => &[
            "crm-objects-postal-mail-v3.json",
            "crm-objects-generic-v3.json",
            "crm-associations-v4.json",
            "crm-associations-v4-flexible.json",
            "crm-associations-v3.json",
            "crm-associations-schema-v4.json",
        ],
        ApiVersion::V2025_09 => &["crm-objects-postal-mail-2025-09.json"],
        ApiVersion::V2026_03 => &["crm-objects-postal-mail-2026-03.json"],
        ApiVersion::V2026_09 => &["crm-objects-postal-mail-2026-09.json"],
        ApiVersion::V2026_09Beta => &["crm-objects-postal-mail-2026-09-beta.json"],
    }
}

/// Rows whose path in a version no spec file holds: documented choices
/// (`docs/api-versions.md`, "Choices where no source settles it").
fn chosen(version: ApiVersion) -> &'static [&'static str] {
    // The association batch and label paths under `/crm/associations/{version}/` are in no
    // postal-mail spec: HubSpot's reference pages show batch/create (2025-09, 2026-03) and
    // batch/associate/default (2026-03); the others follow v4 by analogy.
    const DATED_ASSOCIATIONS: &[&str] = &[
        "batch_associate",
        "batch_read_associations",
        "batch_remove_associations",
        "batch_remove_association_labels",
        "batch_associate_default",
        "association_labels",
    ];
    match version {
        // The v3 per-object association PUT/DELETE is documented in prose only (the
        // postal-mail guide); the `/crm/v4/associations/{from}/{to}/labels` form the client
        // has always used is in the associations guide, while the schema spec moved it to
        // `/crm/associations/v4/…`.
        ApiVersion::V3 => &["associate", "dissociate", "association_labels"],
        _ => DATED_ASSOCIATIONS,
    }
}

/// Operations of the V3-track spec files that are not about postal mail and so have no row:
/// association usage reports and the management of label definitions.
fn not_postal_mail(path: &str) -> bool {
    path.contains("/usage/high-usage-report/")
        || path.contains("/definitions/")
        || (path.starts_with("/crm/associations/v4/") && path.contains("/labels"))
}

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spec-versions")
        .join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// `(METHOD, path)` with the source object type resolved to `postal_mail` (specs and rows
/// use the generic `{objectType}` forms) and placeholder names erased (`{postalMailId}` and
/// `{objectId}` name the same segment).
fn normalize(method: &str, path: &str) -> (String, String) {
    let path = path.replacen("{objectType}", "postal_mail", 1).replacen(
        "{fromObjectType}",
        "postal_mail",
        1,
    );
    let mut out = String::new();
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push_str("{}");
            }
            '}' => in_name = false,
            _ if in_name => {}
            _ => out.push(c),
        }
    }
    (method.to_ascii_uppercase(), out)
}

fn spec_operations(version: ApiVersion) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for file in spec_files(version) {
        let spec = fixture(file);
        let paths = spec["paths"]
            .as_object()
            .unwrap_or_else(|| panic!("{file} has no paths"));
        for (path, item) in paths {
            let methods = item.as_object().into_iter().flatten().map(|(m, _)| m);
            for m in
                methods.filter(|m| ["get", "put", "post", "patch", "delete"].contains(&m.as_str()))
            {
                if !not_postal_mail(path) {
                    ops.insert(normalize(m, path));
                }
            }
        }
    }
    ops
}

fn row_operation(e: &Endpoint, v: ApiVersion) -> Option<(String, String)> {
    e.template(v).map(|t| normalize(e.method().as_str(), t))
}

#[test]
fn every_row_is_in_its_versions_spec_or_a_listed_choice() {
    let mut problems = Vec::new();
    for v in ApiVersion::ALL {
        let spec = spec_operations(v);
        for e in ENDPOINTS {
            let Some(op) = row_operation(e, v) else {
                continue;
            };
            let in_spec = spec.contains(&op);
            let listed = chosen(v).contains(&e.name());
            if !in_spec && !listed {
                problems.push(format!(
                    "{v}: {} {:?} is in no spec and not a listed choice",
                    e.name(),
                    op
                ));
            }
            if in_spec && listed {
                problems.push(format!(
                    "{v}: {} is in the spec; remove it from the choices",
                    e.name()
                ));
            }
        }
        for name in chosen(v) {
            let has = ENDPOINTS
                .iter()
                .any(|e| e.name() == *name && e.template(v).is_some());
            if !has {
                problems.push(format!(
                    "{v}: listed choice {name} is not a row of this version"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_postal_mail_operation_of_each_spec_is_a_row() {
    let mut missing = Vec::new();
    for v in ApiVersion::ALL {
        let rows: BTreeSet<_> = ENDPOINTS
            .iter()
            .filter_map(|e| row_operation(e, v))
            .collect();
        for op in spec_operations(v) {
            if !rows.contains(&op) {
                missing.push(format!("{v}: {op:?}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "spec operations without a row: {missing:#?}"
    );
}

/// The normalization must not make different paths equal, or the checks above prove little.
#[test]
fn normalization_keeps_paths_apart() {
    assert_eq!(
        normalize("get", "/crm/objects/2026-03/{objectType}/{objectId}"),
        normalize("GET", "/crm/objects/2026-03/postal_mail/{postalMailId}")
    );
    assert_ne!(
        normalize("get", "/crm/objects/2026-03/postal_mail/{postalMailId}"),
        normalize("get", "/crm/objects/2026-09/postal_mail/{postalMailId}")
    );
    assert_ne!(
        normalize("get", "/crm/v3/objects/postal_mail"),
        normalize("post", "/crm/v3/objects/postal_mail")
    );
    assert_ne!(
        normalize(
            "put",
            "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}"
        ),
        normalize(
            "put",
            "/crm/v4/objects/{objectType}/{objectId}/associations/default/{toObjectType}/{toObjectId}"
        )
    );
}
