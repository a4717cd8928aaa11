//! A person's own data: the export ZIP made by a job and fetched with the
//! mailed link, and the erasure of their files when the account goes.

mod support;

use std::io::Read;
use std::time::Duration;

use serde_json::{json, Value};
use support::{access, eventually, expect_problem, token_in, unique_email, wait_for_mail, Backend, TestApp};

fn email() -> String {
    unique_email("exporter")
}

async fn user_id(app: &TestApp, token: &str) -> String {
    let me: Value = app.get_as(token, "/api/v1/account").await.json().await.unwrap();
    me["id"].as_str().unwrap().to_string()
}

/// Waits for the export-ready mail (beside the one asking to confirm the
/// address, in either order) and downloads the archive its link points at.
async fn download_export(app: &TestApp, address: &str) -> (String, Vec<u8>) {
    let mail = support::wait_for_mail_about(&app.outbox(), address, "Your Athlos data is ready").await;
    let token = token_in(&mail);
    let response = app.get(&format!("/api/v1/account/exports/download?token={token}")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"athlos-export-"));
    (token, response.bytes().await.unwrap().to_vec())
}

fn entry(zip: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a valid ZIP");
    let mut text = String::new();
    archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the export")).read_to_string(&mut text).unwrap();
    text
}

fn bytes_of(zip: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a valid ZIP");
    let mut bytes = Vec::new();
    archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the export")).read_to_end(&mut bytes).unwrap();
    bytes
}

async fn an_export_is_made_by_a_job_and_fetched_with_the_mailed_link(backend: Backend) {
    let app = TestApp::spawn_without_worker(backend).await;
    let address = email();
    let token = access(&app.signed_up(&address, "correct horse battery").await);
    let preferences = json!({ "units": "imperial", "default_privacy": "followers", "language": "ru" });
    assert_eq!(app.patch_as(&token, "/api/v1/account", preferences.clone()).await.status(), 200);
    assert_eq!(app.put_avatar_as(&token, support::striped_png(100, 100)).await.status(), 204);

    let started = app.post_as(&token, "/api/v1/account/exports", json!({})).await;
    assert_eq!(started.status(), 202);
    let started: Value = started.json().await.unwrap();
    assert_eq!(started["status"], "pending");
    // One at a time: a second request while the first is pending is refused.
    expect_problem(app.post_as(&token, "/api/v1/account/exports", json!({})).await, 409, "conflict").await;

    app.start_worker();
    let (link_token, zip) = download_export(&app, &address).await;
    let account: Value = serde_json::from_str(&entry(&zip, "identity/account.json")).unwrap();
    assert_eq!(account["email"], address.as_str());
    assert_eq!(account["display_name"], "Runner");
    assert_eq!(account["preferences"], preferences);
    assert_eq!(account["avatar"]["file"], "identity/avatar.jpg");
    let picture = bytes_of(&zip, "identity/avatar.jpg");
    assert_eq!(image::load_from_memory(&picture).unwrap().width(), 256);
    let sessions: Value = serde_json::from_str(&entry(&zip, "identity/sessions.json")).unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 1);
    assert!(entry(&zip, "README.txt").contains("what Athlos keeps about you"));

    let listed: Value = app.get_as(&token, "/api/v1/account/exports").await.json().await.unwrap();
    assert_eq!(listed[0]["status"], "ready");
    assert_eq!(listed[0]["size_bytes"].as_u64().unwrap(), zip.len() as u64);

    // Someone else sees none of it, and a wrong link opens nothing.
    let other = access(&app.signed_up(&email(), "correct horse battery").await);
    let theirs: Value = app.get_as(&other, "/api/v1/account/exports").await.json().await.unwrap();
    assert_eq!(theirs, json!([]));
    let wrong = format!("/api/v1/account/exports/download?token={}x", &link_token[..42]);
    expect_problem(app.get(&wrong).await, 400, "invalid-token").await;
}

async fn a_new_export_replaces_the_previous_archive(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email();
    let token = access(&app.signed_up(&address, "correct horse battery").await);
    let id = user_id(&app, &token).await;
    assert_eq!(app.post_as(&token, "/api/v1/account/exports", json!({})).await.status(), 202);
    let (first_link, _) = download_export(&app, &address).await;
    assert_eq!(app.post_as(&token, "/api/v1/account/exports", json!({})).await.status(), 202);
    wait_for_mail(&app.outbox(), &address, 3).await;

    // The old archive is deleted once the new one is committed, which is
    // also when its mail may go out.
    let exports = format!("users/{id}/exports");
    let blobs = &app.server.platform.blobs;
    eventually("the old archive is deleted", Duration::from_secs(20), || async {
        blobs.list(&exports).await.unwrap().len() == 1
    })
    .await;
    let listed: Value = app.get_as(&token, "/api/v1/account/exports").await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let old = format!("/api/v1/account/exports/download?token={first_link}");
    expect_problem(app.get(&old).await, 400, "invalid-token").await;
}

/// Deleting an account erases every file kept under the person's folder,
/// whichever context wrote it, and leaves other people's files alone.
async fn deleting_an_account_erases_its_files(app: TestApp) {
    let address = email();
    let token = access(&app.signed_up(&address, "correct horse battery").await);
    let id = user_id(&app, &token).await;
    let other = access(&app.signed_up(&email(), "correct horse battery").await);
    let other_id = user_id(&app, &other).await;
    let blobs = &app.server.platform.blobs;
    blobs.put_bytes(&format!("users/{id}/training/photo.jpg"), "jpeg".into()).await.unwrap();
    blobs.put_bytes(&format!("users/{other_id}/training/photo.jpg"), "jpeg".into()).await.unwrap();
    assert_eq!(app.post_as(&token, "/api/v1/account/exports", json!({})).await.status(), 202);
    let (link, _) = download_export(&app, &address).await;
    assert_eq!(blobs.list(&format!("users/{id}")).await.unwrap().len(), 2);

    let deleted = app.delete_as(&token, "/api/v1/account", json!({ "password": "correct horse battery" })).await;
    assert_eq!(deleted.status(), 204);
    eventually("the account's files are erased", Duration::from_secs(20), || async {
        blobs.list(&format!("users/{id}")).await.unwrap().is_empty()
    })
    .await;
    assert_eq!(blobs.list(&format!("users/{other_id}")).await.unwrap().len(), 1);
    let download = format!("/api/v1/account/exports/download?token={link}");
    expect_problem(app.get(&download).await, 400, "invalid-token").await;
}

async fn deleting_an_account_erases_its_files_in_the_local_folder(backend: Backend) {
    deleting_an_account_erases_its_files(TestApp::spawn(backend).await).await;
}

async fn deleting_an_account_erases_its_files_on_s3(backend: Backend) {
    if let Some(app) = TestApp::spawn_on_s3(backend).await {
        deleting_an_account_erases_its_files(app).await;
    }
}

on_every_database!(
    an_export_is_made_by_a_job_and_fetched_with_the_mailed_link,
    a_new_export_replaces_the_previous_archive,
    deleting_an_account_erases_its_files_in_the_local_folder,
    deleting_an_account_erases_its_files_on_s3,
    workouts_are_in_the_export_and_gone_with_the_account,
);

/// Training's part: workouts as JSON and their original files in the
/// export; the workouts, their files and the efforts gone with the account.
async fn workouts_are_in_the_export_and_gone_with_the_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let address = email();
    let token = access(&app.signed_up(&address, "correct horse battery").await);
    let id = user_id(&app, &token).await;
    let gpx = support::corpus_file("gpx/cerknicko-jezero.gpx");
    let uploaded: Value =
        app.upload_as(&token, "lake.gpx", gpx.clone(), &[("title", "Lake")]).await.json().await.unwrap();
    let workout_id = uploaded["id"].as_str().unwrap().to_string();
    let by_hand = json!({ "sport": "yoga", "started_at": "2026-11-20T07:00:00Z", "duration_s": 1800 });
    assert_eq!(app.post_as(&token, "/api/v1/workouts", by_hand).await.status(), 201);

    assert_eq!(app.post_as(&token, "/api/v1/account/exports", json!({})).await.status(), 202);
    let (_, zip) = download_export(&app, &address).await;
    let workouts: Value = serde_json::from_str(&entry(&zip, "training/workouts.json")).unwrap();
    let titles: Vec<&str> = workouts.as_array().unwrap().iter().map(|w| w["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Lake", "Morning Yoga"], "oldest first");
    assert_eq!(workouts[0]["analysis"]["splits_km"].as_array().unwrap().len(), 5);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
    let mut original = Vec::new();
    archive.by_name(&format!("training/originals/{workout_id}.gpx")).unwrap().read_to_end(&mut original).unwrap();
    assert_eq!(original, gpx);

    let deleted = app.delete_as(&token, "/api/v1/account", json!({ "password": "correct horse battery" })).await;
    assert_eq!(deleted.status(), 204);
    let db = app.server.platform.db.pool();
    // Training erases on identity's `UserDeleted`; the events about the
    // person go, all but that one, which says nothing but the id.
    let person = id.as_str();
    let count =
        |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).bind(person).fetch_one(db).await.unwrap() };
    eventually("the account is erased", Duration::from_secs(20), || async {
        count("SELECT COUNT(*) FROM workouts WHERE user_id = $1").await == 0
            && count("SELECT COUNT(*) FROM outbox_events WHERE user_id = $1 AND kind <> 'UserDeleted'").await == 0
    })
    .await;
    let left: Vec<String> = sqlx::query_scalar("SELECT payload FROM outbox_events WHERE user_id = $1")
        .bind(&id)
        .fetch_all(db)
        .await
        .unwrap();
    assert_eq!(left, [json!({ "user_id": id }).to_string()]);
    for table in ["workouts", "change_log"] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1");
        let left: i64 = sqlx::query_scalar(&sql).bind(&id).fetch_one(db).await.unwrap();
        assert_eq!(left, 0, "{table} keeps nothing of the erased person");
    }
    let efforts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workout_efforts WHERE user_id = $1")
        .bind(&id)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(efforts, 0);
    eventually("their files are erased", Duration::from_secs(20), || async {
        app.stored_files(&format!("users/{id}")).await.is_empty()
    })
    .await;
}
