//! The API routes, built from the model's endpoint table: every row under every version that
//! has it, each route told its [`ApiVersion`] (an `Extension`), so a version's behaviour
//! (required properties from `2026-09`) is decided by the version the caller chose.
//!
//! A path of a version that lacks the operation, or of a version that does not exist
//! (`/crm/objects/2024-01/postal_mail`), has no route and gets the router's 404, as HubSpot
//! answers.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Extension, RawQuery, State};
use axum::routing::{MethodFilter, MethodRouter, on};
use bytes::Bytes;
use hubspot_postal_model::endpoints::{ApiVersion, ENDPOINTS, Endpoint, HttpMethod};

use super::{Params, associations, lifecycle, objects};
use crate::state::Shared;

/// The route serving a row's template. HubSpot's object API serves every object type on the
/// paths the table spells for postal mail, so the emulator does too: the `postal_mail`
/// segment and its id become the `{objectType}` and `{objectId}` placeholders the handlers
/// read.
pub(crate) fn route_path(template: &str) -> String {
    template
        .split('/')
        .map(|segment| match segment {
            "postal_mail" => "{objectType}",
            "{postalMailId}" => "{objectId}",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn filter(method: HttpMethod) -> MethodFilter {
    match method {
        HttpMethod::Get => MethodFilter::GET,
        HttpMethod::Post => MethodFilter::POST,
        HttpMethod::Put => MethodFilter::PUT,
        HttpMethod::Patch => MethodFilter::PATCH,
        HttpMethod::Delete => MethodFilter::DELETE,
    }
}

/// The last segments of a batch template (`read`, `labels/archive`): the handler's action.
fn batch_action(template: &'static str) -> &'static str {
    template
        .rsplit_once("/batch/")
        .map_or(template, |(_, action)| action)
}

type Api = MethodRouter<Arc<Shared>>;

fn object_batch(f: MethodFilter, action: &'static str) -> Api {
    on(
        f,
        move |s: State<Arc<Shared>>, v: Extension<ApiVersion>, p: Params, q: RawQuery, b: Bytes| {
            objects::batch(action, s, v, p, q, b)
        },
    )
}

fn v3_association_batch(f: MethodFilter, action: &'static str) -> Api {
    on(f, move |s: State<Arc<Shared>>, p: Params, b: Bytes| {
        associations::v3_batch(action, s, p, b)
    })
}

/// The handler of a row (its template in one version given for the batch action), or
/// `None` for a row the emulator does not serve (a test keeps that list empty).
pub(crate) fn handler(e: &Endpoint, template: &'static str) -> Option<Api> {
    let f = filter(e.method());
    let action = batch_action(template);
    let mr = match e.name() {
        "create" => on(f, objects::create),
        "get" | "get_record" => on(f, objects::read),
        "update" | "update_record" => on(f, objects::update),
        "archive" => on(f, objects::archive),
        "list" => on(f, objects::list),
        "batch_read" | "batch_create" | "batch_update" | "batch_upsert" | "batch_archive" => {
            object_batch(f, action)
        }
        "search" => on(f, objects::search),
        "merge" => on(f, lifecycle::merge),
        "gdpr_delete" => on(f, lifecycle::gdpr_delete),
        "associate" => on(f, associations::v3_put),
        "dissociate" => on(f, associations::v3_delete),
        "associate_labelled" => on(f, associations::v4_put),
        "associate_default" => on(f, associations::v4_put_default),
        "remove_associations" => on(f, associations::v4_delete),
        "list_associations" => on(f, associations::v4_list),
        "batch_associate" => on(f, associations::v4_batch_create),
        "batch_read_associations" => on(f, associations::v4_batch_read),
        "batch_remove_associations" => on(f, associations::v4_batch_archive),
        "batch_remove_association_labels" => on(f, associations::v4_batch_labels_archive),
        "batch_associate_default" => on(f, associations::v4_batch_default),
        "v3_batch_associate" | "v3_batch_read_associations" | "v3_batch_remove_associations" => {
            v3_association_batch(f, action)
        }
        // Creating a label is not a row (the client never does it), but tests and fixtures
        // need custom labels in every version, so label paths also take POST.
        "association_labels" => on(f, associations::labels).post(associations::create_label),
        _ => return None,
    };
    Some(mr)
}

/// Adds every (row, version) route to `router`. Rows that map to one route (`get` and
/// `get_record` once the object type is a placeholder) share a handler, so the first wins.
pub(crate) fn api_routes(mut router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    let mut seen = HashSet::new();
    for e in ENDPOINTS {
        for version in e.versions() {
            let Some(template) = e.template(version) else {
                continue;
            };
            let path = route_path(template);
            if !seen.insert((path.clone(), e.method())) {
                continue;
            }
            if let Some(mr) = handler(e, template) {
                router = router.route(&path, mr.layer(Extension(version)));
            }
        }
    }
    router
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_has_a_handler_in_every_version() {
        for e in ENDPOINTS {
            for v in e.versions() {
                let t = e.template(v).unwrap_or_default();
                assert!(
                    handler(e, t).is_some(),
                    "{} in {v} has no handler",
                    e.name()
                );
            }
        }
    }

    #[test]
    fn routes_generalize_the_postal_mail_segment_only() {
        assert_eq!(
            route_path("/crm/objects/2026-03/postal_mail/{postalMailId}"),
            "/crm/objects/2026-03/{objectType}/{objectId}"
        );
        assert_eq!(
            route_path("/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read"),
            "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read"
        );
        assert_eq!(
            batch_action("/crm/v4/associations/{a}/{b}/batch/labels/archive"),
            "labels/archive"
        );
    }
}
