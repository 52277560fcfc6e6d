//! Lists and searches: one page (query and body exact), every page as a stream through
//! `paging.next.after`, resuming, the repeated-cursor guard and search's 10,000-result ceiling
//! (reference §2.2, §3).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use futures::StreamExt;
use hubspot_postal::model::engagement::PostalMail;
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::search::{Direction, Filter, FilterGroup, SearchRequest};
use hubspot_postal::model::validation::ValidationError;
use hubspot_postal::transport::http::Method;
use hubspot_postal::{Error, ListOptions, Result};
use serde_json::{Value, json};
use support::*;

fn page(ids: &[&str], next: Option<&str>) -> Value {
    let mut p = json!({ "results": ids.iter().map(|id| postal_mail(id, &[])).collect::<Vec<_>>() });
    if let Some(after) = next {
        p["paging"] = json!({ "next": { "after": after, "link": format!("?after={after}") } });
    }
    p
}

fn search_page(total: u64, ids: &[&str], next: Option<&str>) -> Value {
    let mut p = page(ids, next);
    p["total"] = json!(total);
    p
}

fn ids_of(items: &[Result<PostalMail>]) -> Vec<String> {
    items
        .iter()
        .map(|r| r.as_ref().unwrap().id.to_string())
        .collect()
}

#[tokio::test]
async fn list_page_sends_limit_cursor_and_read_options_and_decodes_the_reference_page() {
    let (client, scripted) = setup();
    scripted.push_json(200, list_example());
    let options = ListOptions::new()
        .limit(1)
        .after("NTI1Cg==")
        .properties(["hs_timestamp", "hs_postal_mail_body"])
        .associations([ObjectType::Contact])
        .archived(true);
    let page = client.list_page(&options).await.unwrap();

    assert_request(
        &scripted.requests()[0],
        Method::GET,
        "/crm/v3/objects/postal_mail",
        &[
            ("limit", "1"),
            ("after", "NTI1Cg%3D%3D"),
            ("properties", "hs_timestamp"),
            ("properties", "hs_postal_mail_body"),
            ("associations", "contacts"),
            ("archived", "true"),
        ],
        None,
    );
    assert_eq!(page.results.len(), 1);
    assert_eq!(page.results[0].id.as_str(), "513881705057");
    assert_eq!(
        page.results[0].url.as_deref(),
        Some("https://app.hubspot.com/contacts/{HubId}/record/0-420/513881705057")
    );
    assert_eq!(page.next_after(), Some("513881705058"));
}

#[tokio::test]
async fn list_page_with_defaults_sends_no_query_and_last_page_has_no_cursor() {
    let (client, scripted) = setup();
    scripted.push_json(200, page(&["1"], None));
    let page = client.list_page(&ListOptions::new()).await.unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::GET,
        "/crm/v3/objects/postal_mail",
        &[],
        None,
    );
    assert_eq!(page.next_after(), None);
}

#[tokio::test]
async fn list_page_limits_are_checked_before_sending() {
    let (client, scripted) = setup();
    for limit in [0, 101, 1000] {
        let err = client
            .list_page(&ListOptions::new().limit(limit))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Validation(ValidationError::PageSize { limit: l, max: 100 }) if l == limit),
            "{err:?}"
        );
    }
    // The stream reports the same error once and sends nothing.
    let items: Vec<_> = client
        .list_all(ListOptions::new().limit(101))
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    assert!(matches!(items[0], Err(Error::Validation(_))));
    assert_eq!(scripted.request_count(), 0);
    // 100 is allowed.
    scripted.push_json(200, page(&[], None));
    client
        .list_page(&ListOptions::new().limit(100))
        .await
        .unwrap();
    assert_eq!(
        query_param(&scripted.requests()[0], "limit").as_deref(),
        Some("100")
    );
}

#[tokio::test]
async fn list_all_follows_next_after_over_three_pages_in_order() {
    let (client, scripted) = setup();
    scripted.push_json(200, page(&["1", "2"], Some("c2")));
    scripted.push_json(200, page(&["3", "4"], Some("c3")));
    scripted.push_json(200, page(&["5"], None));

    let items: Vec<_> = client
        .list_all(
            ListOptions::new()
                .limit(2)
                .properties(["hs_timestamp", "hs_postal_mail_body"]),
        )
        .collect()
        .await;

    assert_eq!(ids_of(&items), ["1", "2", "3", "4", "5"]);
    let requests = scripted.requests();
    assert_eq!(requests.len(), 3, "stops after the page without paging");
    let afters: Vec<Option<String>> = requests.iter().map(|r| query_param(r, "after")).collect();
    assert_eq!(afters, [None, Some("c2".into()), Some("c3".into())]);
    for r in &requests {
        let after = query_param(r, "after");
        let mut expected = vec![("limit", "2")];
        if let Some(a) = after.as_deref() {
            expected.push(("after", a));
        }
        expected.push(("properties", "hs_timestamp"));
        expected.push(("properties", "hs_postal_mail_body"));
        assert_request(
            r,
            Method::GET,
            "/crm/v3/objects/postal_mail",
            &expected,
            None,
        );
    }
}

#[tokio::test]
async fn list_pages_yields_each_page_with_its_cursor() {
    let (client, scripted) = setup();
    scripted.push_json(200, page(&["1"], Some("c2")));
    scripted.push_json(200, page(&["2"], None));
    let pages: Vec<_> = client.list_pages(ListOptions::new()).collect().await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].as_ref().unwrap().next_after(), Some("c2"));
    assert_eq!(pages[1].as_ref().unwrap().next_after(), None);
}

#[tokio::test]
async fn list_all_resumes_from_a_saved_cursor() {
    let (client, scripted) = setup();
    scripted.push_json(200, page(&["7", "8"], Some("c9")));
    scripted.push_json(200, page(&["9"], None));
    let items: Vec<_> = client
        .list_all(ListOptions::new().after("513881705058"))
        .collect()
        .await;
    assert_eq!(ids_of(&items), ["7", "8", "9"]);
    let afters: Vec<_> = scripted
        .requests()
        .iter()
        .map(|r| query_param(r, "after"))
        .collect();
    assert_eq!(afters, [Some("513881705058".into()), Some("c9".into())]);
}

#[tokio::test]
async fn list_all_stops_with_cursor_repeated_instead_of_looping() {
    let (client, scripted) = setup();
    scripted.push_json(200, page(&["1", "2"], Some("c2")));
    // Page 2 hands back page 1's cursor: following it would loop forever.
    scripted.push_json(200, page(&["3", "4"], Some("c2")));
    // If the guard failed, the client would ask again and get this.
    scripted.push_json(200, page(&["3", "4"], Some("c2")));

    let mut stream = client.list_all(ListOptions::new());
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(pm) => ok.push(pm.id.to_string()),
            Err(e) => errors.push(e),
        }
    }
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        matches!(&errors[0], Error::CursorRepeated { operation: "list", cursor } if cursor == "c2"),
        "{:?}",
        errors[0]
    );
    // Page 2's records were fetched with a fresh cursor: they are not lost.
    assert_eq!(ok, ["1", "2", "3", "4"]);
    // The loop above ran to the end of the stream: nothing more was asked for.
    assert_eq!(scripted.request_count(), 2);
}

#[tokio::test]
async fn list_all_resumed_at_a_cursor_that_comes_back_stops_without_duplicates() {
    let (client, scripted) = setup();
    scripted.push_json(200, page(&["7"], Some("c7")));
    scripted.push_json(200, page(&["7"], Some("c7")));
    let items: Vec<_> = client
        .list_all(ListOptions::new().after("c7"))
        .collect()
        .await;
    let ok: Vec<_> = items.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(ok.len(), 1, "record 7 yielded once: {items:?}");
    assert!(matches!(
        items.last(),
        Some(Err(Error::CursorRepeated { .. }))
    ));
    assert_eq!(scripted.request_count(), 1);
}

#[tokio::test]
async fn list_all_ends_after_an_error_page() {
    let (client, scripted) = setup();
    scripted.push_json(200, page(&["1"], Some("c2")));
    scripted.push_json(
        500,
        json!({"status":"error","message":"internal","correlationId":"c-500"}),
    );
    scripted.push_json(200, page(&["2"], None));
    let items: Vec<_> = client.list_all(ListOptions::new()).collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().id.as_str(), "1");
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.correlation_id(), Some("c-500"));
    assert_eq!(scripted.request_count(), 2);
}

// ---- search --------------------------------------------------------------------------------

/// The reference §3 request.
fn reference_search() -> SearchRequest {
    SearchRequest::builder()
        .filter(Filter::between(
            "hs_timestamp",
            "1579514400000",
            "1642672800000",
        ))
        .filter(Filter::is_in("hubspot_owner_id", ["9274996"]))
        .filter(Filter::eq("associations.contact", "501"))
        .sort("hs_timestamp", Direction::Descending)
        .query("contract")
        .properties(["hs_postal_mail_body", "hs_timestamp"])
        .limit(100)
        .after("0")
        .build()
        .unwrap()
}

#[tokio::test]
async fn search_page_posts_the_reference_body_and_decodes_total_and_cursor() {
    let (client, scripted) = setup();
    scripted.push_json(200, search_page(38, &["1", "2"], Some("10")));
    let page = client.search_page(&reference_search()).await.unwrap();

    assert_request(
        &scripted.requests()[0],
        Method::POST,
        "/crm/v3/objects/postal_mail/search",
        &[],
        Some(json!({ "filterGroups": [ { "filters": [
              { "propertyName": "hs_timestamp", "operator": "BETWEEN", "value": "1579514400000", "highValue": "1642672800000" },
              { "propertyName": "hubspot_owner_id", "operator": "IN", "values": ["9274996"] },
              { "propertyName": "associations.contact", "operator": "EQ", "value": "501" } ] } ],
          "sorts": [ { "propertyName": "hs_timestamp", "direction": "DESCENDING" } ],
          "query": "contract", "properties": ["hs_postal_mail_body", "hs_timestamp"], "limit": 100, "after": "0" })),
    );
    assert_eq!(page.total, 38);
    assert_eq!(page.results.len(), 2);
    assert_eq!(page.next_after(), Some("10"));
}

#[tokio::test]
async fn search_page_rejects_an_invalid_request_without_sending() {
    let (client, scripted) = setup();
    let group = FilterGroup {
        filters: vec![Filter::eq("hubspot_owner_id", "1")],
    };
    let request = SearchRequest {
        filter_groups: vec![group; 6],
        ..SearchRequest::default()
    };
    let err = client.search_page(&request).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Validation(ValidationError::TooManyFilterGroups { count: 6, max: 5 })
        ),
        "{err:?}"
    );
    let too_big = SearchRequest {
        limit: Some(201),
        ..SearchRequest::default()
    };
    assert!(matches!(
        client.search_page(&too_big).await,
        Err(Error::Validation(ValidationError::PageSize { .. }))
    ));
    let items: Vec<_> = client.search_all(request).collect().await;
    assert_eq!(items.len(), 1);
    assert!(matches!(items[0], Err(Error::Validation(_))));
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn search_all_follows_offsets_over_three_pages() {
    let (client, scripted) = setup();
    scripted.push_json(200, search_page(5, &["1", "2"], Some("2")));
    scripted.push_json(200, search_page(5, &["3", "4"], Some("4")));
    scripted.push_json(200, search_page(5, &["5"], None));
    let request = SearchRequest::builder()
        .filter(Filter::eq("hubspot_owner_id", "9274996"))
        .limit(2)
        .build()
        .unwrap();
    let items: Vec<_> = client.search_all(request).collect().await;
    assert_eq!(ids_of(&items), ["1", "2", "3", "4", "5"]);
    let requests = scripted.requests();
    assert_eq!(requests.len(), 3);
    for (r, after) in requests.iter().zip([None, Some("2"), Some("4")]) {
        let mut expected = json!({
            "filterGroups": [{"filters": [{"propertyName": "hubspot_owner_id", "operator": "EQ", "value": "9274996"}]}],
            "limit": 2
        });
        if let Some(a) = after {
            expected["after"] = json!(a);
        }
        assert_request(
            r,
            Method::POST,
            "/crm/v3/objects/postal_mail/search",
            &[],
            Some(expected),
        );
    }
}

#[tokio::test]
async fn search_all_stops_at_the_10000_ceiling_without_asking_beyond_it() {
    let (client, scripted) = setup();
    scripted.push_json(200, search_page(25_000, &["1"], Some("9900")));
    scripted.push_json(200, search_page(25_000, &["2", "3"], Some("10000")));
    // What HubSpot would say if the client asked past the ceiling.
    scripted.push_json(
        400,
        json!({"status":"error","category":"VALIDATION_ERROR","message":"paging past 10000"}),
    );

    let request = SearchRequest::builder().limit(100).build().unwrap();
    let items: Vec<_> = client.search_all(request).collect().await;

    let ok: Vec<String> = items
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|p| p.id.to_string()))
        .collect();
    assert_eq!(ok, ["1", "2", "3"], "the last reachable page is yielded");
    assert!(
        matches!(
            items.last(),
            Some(Err(Error::Validation(
                ValidationError::SearchResultCeiling {
                    offset: 10_000,
                    max: 10_000
                }
            )))
        ),
        "{:?}",
        items.last()
    );
    assert_eq!(items.len(), 4);
    let requests = scripted.requests();
    assert_eq!(requests.len(), 2, "nothing sent beyond the ceiling");
    for r in &requests {
        let body = body_of(r);
        let after: u64 = body["after"].as_str().map_or(0, |a| a.parse().unwrap());
        let limit = body["limit"].as_u64().unwrap();
        assert!(after < 10_000, "after {after}");
        assert!(after + limit <= 10_000, "after {after} + limit {limit}");
    }
    let last = body_of(&requests[1]);
    assert_eq!(last["after"], "9900");
    assert_eq!(last["limit"], 100);
}

#[tokio::test]
async fn search_all_shrinks_the_last_page_to_stay_under_the_ceiling() {
    let (client, scripted) = setup();
    scripted.push_json(200, search_page(25_000, &["1"], Some("9900")));
    scripted.push_json(200, search_page(25_000, &["2"], Some("10000")));
    let request = SearchRequest::builder().limit(200).build().unwrap();
    let items: Vec<_> = client.search_all(request).collect().await;
    assert!(matches!(
        items.last(),
        Some(Err(Error::Validation(
            ValidationError::SearchResultCeiling { .. }
        )))
    ));
    let requests = scripted.requests();
    assert_eq!(requests.len(), 2);
    let last = body_of(&requests[1]);
    assert_eq!(last["after"], "9900");
    assert_eq!(last["limit"], 100, "200 would reach past 10,000");
}

#[tokio::test]
async fn search_all_stops_with_cursor_repeated() {
    let (client, scripted) = setup();
    scripted.push_json(200, search_page(9, &["1"], Some("1")));
    scripted.push_json(200, search_page(9, &["2"], Some("1")));
    scripted.push_json(200, search_page(9, &["2"], Some("1")));
    let items: Vec<_> = client
        .search_all(SearchRequest::builder().limit(1).build().unwrap())
        .collect()
        .await;
    assert!(
        matches!(items.last(), Some(Err(Error::CursorRepeated { operation: "search", cursor })) if cursor == "1"),
        "{items:?}"
    );
    let ok: Vec<_> = items
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|p| p.id.to_string()))
        .collect();
    assert_eq!(ok, ["1", "2"]);
    assert_eq!(scripted.request_count(), 2);
}
