//! Notifications as a person meets them: a finished export tells them, the
//! list pages and counts what is unread, reading marks it, preferences turn
//! a kind off or into a daily digest, the notice arrives live, and nobody
//! reaches another's.

mod support;

use std::time::Duration;

use futures::SinkExt;
use platform::notify::Notice;
use serde_json::{json, Value};
use support::socket::next_message;
use support::{access, eventually, expect_problem, unique_email, wait_for_mail_about, Backend, TestApp};
use tokio_tungstenite::tungstenite::Message as Frame;

async fn person(app: &TestApp) -> (String, String, String) {
    let email = unique_email("noticed");
    let token = access(&app.signed_up(&email, "correct horse battery").await);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    (me["id"].as_str().unwrap().to_string(), token, email)
}

/// Asks for `n` notices of `kind` for `user_id`, as any context would.
async fn notify(app: &TestApp, user_id: &str, kind: &str, n: usize) {
    for i in 0..n {
        let title = format!("Notice {i}");
        let notice = Notice { user_id, kind, subject_id: None, actor_id: None, title: &title, data: json!({ "n": i }) };
        support::ask_notice(app, &notice).await;
    }
}

async fn page(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app.get_as(token, &format!("/api/v1/notifications{query}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn unread_becomes(app: &TestApp, token: &str, n: i64) {
    eventually(&format!("{n} unread"), Duration::from_secs(20), || async { page(app, token, "").await["unread"] == n })
        .await;
}

async fn a_finished_export_is_a_notice_that_can_be_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, token, _) = person(&app).await;
    let (_, stranger, _) = person(&app).await;
    assert_eq!(app.post_as(&token, "/api/v1/account/exports", json!({})).await.status(), 202);
    unread_becomes(&app, &token, 1).await;
    let listed = page(&app, &token, "").await;
    let notice = &listed["items"][0];
    assert_eq!(notice["kind"], "export_ready");
    assert_eq!(notice["title"], "Your data export is ready");
    assert_eq!(notice["read"], false);
    let id = notice["id"].as_str().unwrap();

    // Another person's notice is not found, and stays unread.
    let theirs = app.post_as(&stranger, &format!("/api/v1/notifications/{id}/read"), json!({})).await;
    expect_problem(theirs, 404, "not-found").await;
    assert_eq!(page(&app, &stranger, "").await["items"], json!([]));
    assert_eq!(page(&app, &token, "").await["unread"], 1);

    let read = app.post_as(&token, &format!("/api/v1/notifications/{id}/read"), json!({})).await;
    assert_eq!(read.status(), 204);
    let listed = page(&app, &token, "").await;
    assert_eq!((listed["unread"].clone(), listed["items"][0]["read"].clone()), (json!(0), json!(true)));
}

async fn lists_page_newest_first_and_all_can_be_read_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token, _) = person(&app).await;
    notify(&app, &id, "test_notice", 25).await;
    unread_becomes(&app, &token, 25).await;
    let first = page(&app, &token, "").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 20);
    assert_eq!(first["items"][0]["title"], "Notice 24", "newest first");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = page(&app, &token, &format!("?cursor={cursor}")).await;
    assert_eq!(second["items"].as_array().unwrap().len(), 5);
    assert_eq!(second["items"][4]["title"], "Notice 0");
    assert!(second["next_cursor"].is_null());
    for bad in ["?limit=0", "?limit=101"] {
        expect_problem(app.get_as(&token, &format!("/api/v1/notifications{bad}")).await, 422, "invalid-input").await;
    }
    assert_eq!(app.post_as(&token, "/api/v1/notifications/read", json!({})).await.status(), 204);
    assert_eq!(page(&app, &token, "").await["unread"], 0);
}

async fn a_kind_turned_off_is_not_kept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token, _) = person(&app).await;
    let off = app.client.put(app.url("/api/v1/notifications/preferences/test_notice")).bearer_auth(&token);
    let chosen: Value = off.json(&json!({ "channel": "off" })).send().await.unwrap().json().await.unwrap();
    assert_eq!(chosen, json!({ "kind": "test_notice", "channel": "off" }));
    for (kind, body) in [("Bad Kind", json!({ "channel": "off" })), ("test_notice", json!({ "channel": "pigeon" }))] {
        let refused = app.client.put(app.url(&format!("/api/v1/notifications/preferences/{kind}"))).bearer_auth(&token);
        let status = refused.json(&body).send().await.unwrap().status();
        assert!(status == 422 || status == 404, "{kind}: {status}");
    }
    let preferences: Value = app.get_as(&token, "/api/v1/notifications/preferences").await.json().await.unwrap();
    assert_eq!(preferences, json!([{ "kind": "test_notice", "channel": "off" }]));

    notify(&app, &id, "test_notice", 1).await;
    notify(&app, &id, "other_notice", 1).await;
    unread_becomes(&app, &token, 1).await;
    assert_eq!(page(&app, &token, "").await["items"][0]["kind"], "other_notice");
}

async fn a_digest_mails_what_stayed_unread_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token, email) = person(&app).await;
    let digest = app.client.put(app.url("/api/v1/notifications/preferences/test_notice")).bearer_auth(&token);
    assert_eq!(digest.json(&json!({ "channel": "digest" })).send().await.unwrap().status(), 200);
    notify(&app, &id, "test_notice", 2).await;
    notify(&app, &id, "other_notice", 1).await;
    unread_becomes(&app, &token, 3).await;

    let notifications = &app.server.contexts.notifications;
    assert_eq!(notifications.send_digests().await.unwrap(), 1);
    let mail = wait_for_mail_about(&app.outbox(), &email, "What you missed on Athlos").await;
    assert!(mail.contains("Notice 0") && mail.contains("Notice 1"), "{mail}");
    assert!(!mail.contains("other_notice") && !mail.contains("Notice 2"), "only the digest kinds: {mail}");
    assert_eq!(notifications.send_digests().await.unwrap(), 0, "mailed once");
}

async fn a_notice_arrives_live_with_the_unread_count(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token, _) = person(&app).await;
    let issued: Value = app.post_as(&token, "/api/v1/realtime/ticket", json!({})).await.json().await.unwrap();
    let url = format!("ws://{}/api/v1/realtime?ticket={}", app.server.addr, issued["ticket"].as_str().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert_eq!(next_message(&mut socket).await["type"], "ready");
    socket.send(Frame::text(json!({ "type": "subscribe", "topic": format!("user:{id}") }).to_string())).await.unwrap();
    // A subscription hears what is published after it, so the notice waits for it.
    assert_eq!(next_message(&mut socket).await["type"], "subscribed");
    notify(&app, &id, "test_notice", 1).await;
    let mut message = next_message(&mut socket).await;
    while message["type"] != "event" {
        message = next_message(&mut socket).await;
    }
    assert_eq!(message["kind"], "NotificationAdded");
    assert_eq!(message["data"]["unread"], 1);
    assert_eq!(message["data"]["notification"]["title"], "Notice 0");
}

on_every_database!(
    a_finished_export_is_a_notice_that_can_be_read,
    lists_page_newest_first_and_all_can_be_read_at_once,
    a_kind_turned_off_is_not_kept,
    a_digest_mails_what_stayed_unread_once,
    a_notice_arrives_live_with_the_unread_count,
);
