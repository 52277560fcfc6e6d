//! 32 tasks × 500 mixed operations: every acknowledged create exists once, no update is
//! lost, archives stick.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use common::Emu;
use serde_json::json;

const PM: &str = "/crm/v3/objects/postal_mail";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mixed_operations_stay_consistent() {
    let emu = Arc::new(Emu::start().await);
    let mut tasks = Vec::new();
    for task in 0..32u32 {
        let emu = emu.clone();
        tasks.push(tokio::spawn(async move {
            // Each task owns its objects, so the expected final value of each is known.
            let mut mine: BTreeMap<String, Option<String>> = BTreeMap::new();
            let mut archived = BTreeSet::new();
            for op in 0..500u32 {
                let live: Vec<String> = mine.keys().filter(|k| !archived.contains(*k)).cloned().collect();
                match (op % 5, live.is_empty()) {
                    (0, _) | (_, true) => {
                        let body = format!("t{task} op{op}");
                        let r = emu.post(PM, json!({"properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": body}})).await;
                        assert_eq!(r.status, 201);
                        let id = r.body["id"].as_str().unwrap().to_owned();
                        assert!(mine.insert(id, Some(body)).is_none(), "duplicate id");
                    }
                    (1 | 2, false) => {
                        let id = &live[(op as usize * 7) % live.len()];
                        let body = format!("t{task} upd{op}");
                        let r = emu.patch(&format!("{PM}/{id}"), json!({"properties": {"hs_postal_mail_body": body}})).await;
                        assert_eq!(r.status, 200, "{}", r.body);
                        mine.insert(id.clone(), Some(body));
                    }
                    (3, false) => {
                        let id = &live[(op as usize * 3) % live.len()];
                        let r = emu.get(&format!("{PM}/{id}?properties=hs_postal_mail_body")).await;
                        assert_eq!(r.status, 200);
                        assert_eq!(r.body["properties"]["hs_postal_mail_body"].as_str(), mine[id].as_deref());
                    }
                    _ => {
                        if op % 20 == 4 {
                            let id = live[0].clone();
                            assert_eq!(emu.delete(&format!("{PM}/{id}")).await.status, 204);
                            archived.insert(id);
                        } else {
                            assert_eq!(emu.get(&format!("{PM}?limit=5")).await.status, 200);
                        }
                    }
                }
            }
            (mine, archived)
        }));
    }
    let mut expected = BTreeMap::new();
    let mut archived_all = BTreeSet::new();
    for t in tasks {
        let (mine, archived) = t.await.unwrap();
        for (k, v) in mine {
            assert!(
                expected.insert(k, v).is_none(),
                "an id was handed to two creates"
            );
        }
        archived_all.extend(archived);
    }
    let stored = emu.handle.postal_mails(true);
    assert_eq!(
        stored.len(),
        expected.len(),
        "every acknowledged create exists, nothing else"
    );
    for o in stored {
        let id = o["id"].as_str().unwrap();
        assert_eq!(
            o["properties"]["hs_postal_mail_body"].as_str(),
            expected[id].as_deref(),
            "lost update on {id}"
        );
        assert_eq!(o["archived"].as_bool().unwrap(), archived_all.contains(id));
    }
    assert_eq!(emu.handle.count_status(500), 0);
    assert_eq!(emu.handle.request_log().len(), 32 * 500);
}
