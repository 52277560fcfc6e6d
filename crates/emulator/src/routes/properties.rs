//! `GET /crm/v3/properties/{objectType}/{propertyName}`: one property's definition, as
//! HubSpot's properties API answers it, so that a client can check a property before relying
//! on it (the CLI's `import --key-property` checks that it exists and has unique values).
//!
//! Fixtures cannot declare uniqueness, and the emulator's upsert finds a record by any
//! writable custom property as if its values were unique; so custom (fixture) properties are
//! reported with `hasUniqueValue: true` and built-in ones with `false`, as HubSpot's own are.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Params, object_type, param};
use crate::errors::{ApiError, ApiResult};
use crate::schema::{PropKind, builtin};
use crate::state::{Shared, lock};

/// HubSpot's `type` and `fieldType` of a property of this kind.
fn types(kind: PropKind) -> (&'static str, &'static str) {
    match kind {
        PropKind::Text => ("string", "text"),
        PropKind::Number => ("number", "number"),
        PropKind::DateTime => ("datetime", "date"),
        PropKind::Enumeration => ("enumeration", "select"),
    }
}

pub(crate) async fn read(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
) -> ApiResult<Json<Value>> {
    let t = object_type(param(&p, "objectType"))?;
    let name = param(&p, "propertyName");
    let store = lock(&s.store);
    let def = store
        .schema(&t)
        .and_then(|schema| schema.props.get(name))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "OBJECT_NOT_FOUND",
                format!(
                    "Unable to find property {name} for object type {}",
                    t.singular()
                ),
            )
        })?;
    let built_in = builtin(&t).is_some_and(|b| b.props.contains_key(name));
    let (kind, field_type) = types(def.kind);
    Ok(Json(json!({
        "name": name,
        "label": name,
        "type": kind,
        "fieldType": field_type,
        "groupName": format!("{}information", t.singular()),
        "description": "",
        "options": [],
        "displayOrder": -1,
        "hasUniqueValue": !built_in && !def.read_only,
        "hidden": false,
        "calculated": false,
        "externalOptions": false,
        "archived": false,
        "formField": false,
        "modificationMetadata": {
            "archivable": !built_in,
            "readOnlyDefinition": built_in,
            "readOnlyValue": def.read_only,
        },
    })))
}
