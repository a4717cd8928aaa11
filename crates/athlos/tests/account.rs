//! The account's preferences (units, the default privacy of new workouts)
//! and profile pictures, on SQLite and PostgreSQL; pictures on the local
//! folder and on the test S3 server.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use support::{corpus_file, eventually, expect_problem, striped_png, Backend, TestApp};

on_every_database!(
    made_titles_follow_the_language_preference,
    preferences_are_shown_changed_and_checked,
    new_workouts_take_their_owners_default_privacy,
    an_avatar_on_the_local_folder_is_squared_shown_and_removed,
    an_avatar_on_s3_is_squared_shown_and_removed,
    pictures_that_are_not_images_or_too_large_are_refused,
    pictures_claiming_too_many_pixels_are_refused_before_decoding,
);

async fn account(app: &TestApp, token: &str) -> Value {
    app.get_as(token, "/api/v1/account").await.json().await.unwrap()
}

/// Titles the server makes come in the person's language, by the local time
/// of day the start was written in.
async fn made_titles_follow_the_language_preference(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("language").await;
    assert_eq!(account(&app, &token).await["language"], "en");
    let run = json!({ "sport": "running", "started_at": "2026-11-20T19:10:00+03:00", "duration_s": 1800 });
    let logged: Value = app.post_as(&token, "/api/v1/workouts", run.clone()).await.json().await.unwrap();
    assert_eq!(logged["title"], "Evening Run");
    let changed: Value =
        app.patch_as(&token, "/api/v1/account", json!({ "language": "ru" })).await.json().await.unwrap();
    assert_eq!(changed["language"], "ru");
    let logged: Value = app.post_as(&token, "/api/v1/workouts", run).await.json().await.unwrap();
    assert_eq!(logged["title"], "Бег вечером");
}

async fn preferences_are_shown_changed_and_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("preferences").await;
    let me = account(&app, &token).await;
    assert_eq!((me["units"].as_str(), me["default_privacy"].as_str()), (Some("metric"), Some("private")), "{me}");
    assert!(me["avatar_url"].is_null());

    // Each field changes alone; what is left out stays.
    let changed: Value =
        app.patch_as(&token, "/api/v1/account", json!({ "units": "imperial" })).await.json().await.unwrap();
    assert_eq!((changed["units"].as_str(), changed["display_name"].as_str()), (Some("imperial"), Some("Runner")));
    let change = json!({ "default_privacy": "followers", "display_name": "  Ada  " });
    let changed: Value = app.patch_as(&token, "/api/v1/account", change).await.json().await.unwrap();
    assert_eq!(changed["default_privacy"], "followers");
    assert_eq!(changed["display_name"], "Ada");
    assert_eq!(changed["units"], "imperial");
    let unchanged = app.patch_as(&token, "/api/v1/account", json!({})).await;
    assert_eq!(unchanged.status(), 200);
    assert_eq!(unchanged.json::<Value>().await.unwrap(), changed);

    // A wrong value is named, and nothing of that request changes.
    for (body, field) in [
        (json!({ "units": "furlongs" }), "units"),
        (json!({ "language": "fr", "units": "metric" }), "language"),
        (json!({ "default_privacy": "friends", "display_name": "Not Ada" }), "default_privacy"),
        (json!({ "display_name": "   ", "units": "metric" }), "display_name"),
    ] {
        let refused = expect_problem(app.patch_as(&token, "/api/v1/account", body).await, 422, "invalid-input").await;
        assert_eq!(refused["field"], field);
    }
    assert_eq!(account(&app, &token).await, changed);

    // Someone else's preferences are their own.
    let (other, _) = app.someone("neighbour").await;
    assert_eq!(account(&app, &other).await["units"], "metric");
}

async fn new_workouts_take_their_owners_default_privacy(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("sharer").await;
    let logged = |privacy: Option<&str>| {
        let mut body = json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 1800 });
        if let Some(privacy) = privacy {
            body["privacy"] = json!(privacy);
        }
        app.post_as(&token, "/api/v1/workouts", body)
    };
    let first: Value = logged(None).await.json().await.unwrap();
    assert_eq!(first["privacy"], "private", "the default of the default");

    app.patch_as(&token, "/api/v1/account", json!({ "default_privacy": "public" })).await;
    let by_hand: Value = logged(None).await.json().await.unwrap();
    assert_eq!(by_hand["privacy"], "public");
    let chosen: Value = logged(Some("followers")).await.json().await.unwrap();
    assert_eq!(chosen["privacy"], "followers", "a privacy sent wins");
    let uploaded = app.upload_as(&token, "lake.gpx", corpus_file("gpx/cerknicko-jezero.gpx"), &[]).await;
    assert_eq!(uploaded.status(), 201);
    assert_eq!(uploaded.json::<Value>().await.unwrap()["privacy"], "public");
    // Anyone sees a workout that became public by default.
    assert_eq!(app.get(&format!("/api/v1/workouts/{}", by_hand["id"].as_str().unwrap())).await.status(), 200);
    assert_eq!(app.get(&format!("/api/v1/workouts/{}", first["id"].as_str().unwrap())).await.status(), 404);
}

async fn an_avatar_on_the_local_folder_is_squared_shown_and_removed(backend: Backend) {
    avatars(TestApp::spawn(backend).await).await;
}

async fn an_avatar_on_s3_is_squared_shown_and_removed(backend: Backend) {
    if let Some(app) = TestApp::spawn_on_s3(backend).await {
        avatars(app).await;
    }
}

fn jpeg_size(bytes: &[u8]) -> (u32, u32) {
    let picture = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg).expect("a JPEG");
    (picture.width(), picture.height())
}

async fn avatars(app: TestApp) {
    let (token, me) = app.someone("portrait").await;
    let (other, _) = app.someone("viewer").await;
    assert_eq!(app.put_avatar_as(&token, striped_png(600, 400)).await.status(), 204);
    let url = account(&app, &token).await["avatar_url"].as_str().expect("an avatar_url").to_string();
    assert!(url.starts_with(&format!("/api/v1/users/{me}/avatar?v=")), "{url}");
    assert_eq!(app.stored_files(&format!("users/{me}")).await, vec![format!("users/{me}/avatar.jpg")]);

    // Anyone may fetch it without a token, as an <img> does.
    let shown = app.get(&url).await;
    assert_eq!(shown.status(), 200);
    assert_eq!(shown.headers()["content-type"], "image/jpeg");
    assert_eq!(shown.headers()["cache-control"], "private, max-age=300");
    assert_eq!(jpeg_size(&shown.bytes().await.unwrap()), (256, 256));
    assert_eq!(app.get_as(&other, &format!("/api/v1/users/{me}/avatar")).await.status(), 200);

    // A new picture (here the body itself, a small one that grows) gets a new address.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let raw = app
        .client
        .put(app.url("/api/v1/account/avatar"))
        .bearer_auth(&token)
        .header("content-type", "image/png")
        .body(striped_png(40, 90))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 204);
    let newer = account(&app, &token).await["avatar_url"].as_str().unwrap().to_string();
    assert_ne!(newer, url);
    assert_eq!(jpeg_size(&app.get(&newer).await.bytes().await.unwrap()), (256, 256));

    let removed = app.client.delete(app.url("/api/v1/account/avatar")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(removed.status(), 204);
    assert!(account(&app, &token).await["avatar_url"].is_null());
    expect_problem(app.get(&newer).await, 404, "not-found").await;
    assert!(app.stored_files(&format!("users/{me}")).await.is_empty());
    let again = app.client.delete(app.url("/api/v1/account/avatar")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(again.status(), 204, "removing none is no error");
    let nobody = format!("/api/v1/users/{}/avatar", uuid::Uuid::now_v7());
    expect_problem(app.get(&nobody).await, 404, "not-found").await;

    // Deleting the account sweeps the picture with the rest of the person's files.
    assert_eq!(app.put_avatar_as(&token, striped_png(64, 64)).await.status(), 204);
    let deleted = app.delete_as(&token, "/api/v1/account", json!({ "password": "correct horse battery staple" })).await;
    assert_eq!(deleted.status(), 204);
    let folder = format!("users/{me}");
    eventually("the picture being erased", Duration::from_secs(20), || async {
        app.stored_files(&folder).await.is_empty()
    })
    .await;
    expect_problem(app.get(&format!("/api/v1/users/{me}/avatar")).await, 404, "not-found").await;
}

async fn pictures_that_are_not_images_or_too_large_are_refused(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.max_upload_bytes = 64 * 1024).await;
    let (token, me) = app.someone("careless").await;
    let put = |content_type: &'static str, body: Vec<u8>| {
        app.client
            .put(app.url("/api/v1/account/avatar"))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    for refused in [
        app.put_avatar_as(&token, b"just some words, not a picture".to_vec()).await,
        app.put_avatar_as(&token, corpus_file("gpx/cerknicko-jezero.gpx")[..2000].to_vec()).await,
        put("image/png", b"\x89PNG\r\n\x1a\n but then nothing".to_vec()).await.unwrap(),
        put("image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec()).await.unwrap(),
    ] {
        let problem = expect_problem(refused, 422, "invalid-input").await;
        assert_eq!(problem["field"], "file", "{problem}");
        assert!(problem["detail"].as_str().unwrap().contains("JPEG, PNG or WebP"), "{problem}");
    }
    let empty = expect_problem(put("image/jpeg", Vec::new()).await.unwrap(), 422, "invalid-input").await;
    assert_eq!(empty["field"], "file");
    let nameless = reqwest::multipart::Form::new().part("photo", reqwest::multipart::Part::bytes(striped_png(8, 8)));
    let wrong_field =
        app.client.put(app.url("/api/v1/account/avatar")).bearer_auth(&token).multipart(nameless).send().await.unwrap();
    assert_eq!(expect_problem(wrong_field, 422, "invalid-input").await["field"], "file");
    expect_problem(put("text/plain", b"hello".to_vec()).await.unwrap(), 415, "unsupported-media-type").await;

    // Over the limit (here the server's 64 KiB upload limit, under 10 MiB).
    let large = put("image/png", vec![0x89; 80 * 1024]).await.unwrap();
    let problem = expect_problem(large, 413, "file-too-large").await;
    assert!(problem["detail"].as_str().unwrap().contains("65536"), "{problem}");

    // None of it was kept, and a picture needs a login.
    assert!(account(&app, &token).await["avatar_url"].is_null());
    assert!(app.stored_files(&format!("users/{me}")).await.is_empty());
    let anonymous = app.client.put(app.url("/api/v1/account/avatar")).header("content-type", "image/png");
    assert_eq!(anonymous.body(striped_png(8, 8)).send().await.unwrap().status(), 401);
}

/// A PNG whose header declares `width`×`height` pixels of 16-bit RGBA while
/// its data holds one row of zeros: a few hundred bytes that claim up to
/// gigabytes, as someone wanting to exhaust the server would send.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    use std::io::Write;
    fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        png.extend((data.len() as u32).to_be_bytes());
        png.extend(kind);
        png.extend(data);
        png.extend(crc.sum().to_be_bytes());
    }
    // 16 bits, RGBA, deflate, adaptive filters, not interlaced.
    let header = [&width.to_be_bytes()[..], &height.to_be_bytes(), &[16, 6, 0, 0, 0]].concat();
    let mut one_row = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    one_row.write_all(&vec![0; 1 + width as usize * 8]).unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &one_row.finish().unwrap());
    chunk(&mut png, b"IEND", &[]);
    png
}

async fn pictures_claiming_too_many_pixels_are_refused_before_decoding(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, me) = app.someone("huge").await;
    // 144 megapixels (1.15 GB decoded); 48 megapixels, each side within
    // bounds; a side longer than 12 000 pixels.
    for (width, height) in [(12_000, 12_000), (8_000, 6_000), (12_001, 10)] {
        let picture = png_declaring(width, height);
        assert!(picture.len() < 2000, "{} bytes", picture.len());
        let refused = expect_problem(app.put_avatar_as(&token, picture).await, 422, "invalid-input").await;
        assert_eq!(refused["field"], "file", "{refused}");
        let detail = refused["detail"].as_str().unwrap();
        assert!(detail.contains(&format!("{width}×{height} pixels")), "{refused}");
        assert!(detail.contains("at most 40 megapixels and 12000 pixels a side"), "{refused}");
    }
    // 36 megapixels are within bounds, but at 16 bits they take 288 MB decoded.
    let deep = expect_problem(app.put_avatar_as(&token, png_declaring(6_000, 6_000)).await, 422, "invalid-input").await;
    assert_eq!(deep["field"], "file", "{deep}");
    assert!(deep["detail"].as_str().unwrap().contains("more than 160 MB"), "{deep}");

    assert!(account(&app, &token).await["avatar_url"].is_null());
    assert!(app.stored_files(&format!("users/{me}")).await.is_empty());
}
