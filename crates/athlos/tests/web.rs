//! The web client embedded in the binary: its files with the right types
//! and caching, the page for every path the client's router knows, and the
//! API's own paths untouched.

mod support;

use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use serde_json::Value;
use support::{expect_problem, Backend, TestApp};

async fn the_page_is_served_for_the_root_and_every_deep_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let root = app.get("/").await;
    assert_eq!(root.status(), 200);
    assert_eq!(root.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(root.headers()[CACHE_CONTROL], "no-cache", "the page is checked again on every visit");
    let policy = root.headers()["content-security-policy"].to_str().unwrap().to_string();
    for directive in ["script-src 'self'", "connect-src 'self'", "worker-src 'self'", "frame-ancestors 'none'"] {
        assert!(policy.contains(directive), "{directive} missing from {policy}");
    }
    assert!(
        policy.contains("style-src 'self' 'unsafe-inline'") && policy.contains("img-src 'self' data: blob: https:")
    );
    assert_eq!(root.headers()["x-content-type-options"], "nosniff");
    assert_eq!(root.headers()["referrer-policy"], "same-origin");
    let etag = root.headers()["etag"].to_str().unwrap().to_string();
    let page = root.text().await.unwrap();
    assert!(page.contains(r#"<div id="root">"#), "{page}");

    // Links in mails and the client's own routes load the same page.
    for path in [
        "/workouts/abc",
        "/verify-email?token=x",
        "/reset-password?token=y",
        "/login/external",
        "/index.html",
        "/settings/",
    ] {
        let deep = app.get(path).await;
        assert_eq!(deep.status(), 200, "{path}");
        assert_eq!(deep.headers()[CACHE_CONTROL], "no-cache", "{path}");
        assert!(deep.headers().contains_key("content-security-policy"), "{path}");
        assert_eq!(deep.text().await.unwrap(), page, "{path}");
    }

    // A browser holding this version gets 304 and no body.
    let again = app.client.get(app.url("/workouts")).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()[CACHE_CONTROL], "no-cache");
    assert!(again.bytes().await.unwrap().is_empty());

    // HEAD answers the headers alone.
    let head = app.client.head(app.url("/workouts/abc")).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(head.bytes().await.unwrap().is_empty());
}

async fn the_servers_own_paths_are_not_the_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/api/v1/nope", "/api", "/api/v2/workouts", "/oauth/nope", "/.well-known/nope"] {
        let body = expect_problem(app.get(path).await, 404, "not-found").await;
        assert_eq!(body["status"], 404, "{path}");
    }
    let health = app.get("/healthz").await;
    assert_eq!(health.headers()[CONTENT_TYPE], "application/json");
    assert_eq!(health.json::<Value>().await.unwrap()["status"], "ok");
    let server: Value = app.get("/api/v1/server").await.json().await.unwrap();
    assert_eq!(server["name"], "Athlos");
    assert!(app.get("/openapi.json").await.json::<Value>().await.unwrap()["paths"].is_object());
    assert!(app.get("/.well-known/jwks.json").await.json::<Value>().await.unwrap()["keys"].is_array());
    let documentation = app.get("/documentation").await.text().await.unwrap();
    assert!(!documentation.contains(r#"<div id="root">"#), "the API browser keeps its own page");
    assert!(app.get("/metrics").await.text().await.unwrap().contains("athlos_http_requests"));

    // Other methods on unknown paths stay misses, and an old build's asset is not the page.
    let posted = app.client.post(app.url("/workouts/abc")).body("x").send().await.unwrap();
    expect_problem(posted, 404, "not-found").await;
    expect_problem(app.get("/assets/index-0ld0ld.js").await, 404, "not-found").await;
    // A known route with another method is still 405.
    let deleted = app.client.delete(app.url("/healthz")).send().await.unwrap();
    expect_problem(deleted, 405, "method-not-allowed").await;
}

async fn built_files_carry_their_type_and_caching(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let files = athlos::web::files();
    assert!(files.iter().any(|f| f == "index.html"), "web/dist has no index.html: {files:?}");
    let index = app.get("/index.html").await;
    assert_eq!(index.headers()[CACHE_CONTROL], "no-cache");

    // Hashed assets never change, so browsers keep them for a year.
    match files.iter().find(|f| f.starts_with("assets/")) {
        Some(asset) => {
            let response = app.get(&format!("/{asset}")).await;
            assert_eq!(response.status(), 200, "{asset}");
            assert_eq!(response.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable", "{asset}");
            assert_eq!(response.headers()["x-content-type-options"], "nosniff");
            let expected = if asset.ends_with(".js") {
                Some("javascript")
            } else if asset.ends_with(".css") {
                Some("text/css")
            } else {
                None
            };
            if let Some(expected) = expected {
                let content_type = response.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
                assert!(content_type.contains(expected), "{asset}: {content_type}");
            }
            assert!(!response.headers().contains_key("content-security-policy"), "only the page has a policy");
        }
        None => eprintln!("note: web/dist holds no assets/ yet; only index.html was checked"),
    }
    // The service worker and the manifest are checked again on each visit, or updates never arrive.
    for name in ["sw.js", "manifest.webmanifest"] {
        if files.iter().any(|f| f == name) {
            let response = app.get(&format!("/{name}")).await;
            assert_eq!(response.status(), 200, "{name}");
            assert_eq!(response.headers()[CACHE_CONTROL], "no-cache", "{name}");
        }
    }
}

/// A public workout's link previews in chats: the page carries Open Graph
/// tags with its title, numbers and route picture; a private one's page
/// says nothing about it, and its picture is not found.
async fn a_public_workouts_link_previews_with_its_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("sharer").await;
    let lake = support::corpus_file("gpx/cerknicko-jezero.gpx");
    let fields = [("title", "Lake \"loop\""), ("privacy", "public")];
    let public: Value = app.upload_as(&token, "lake.gpx", lake, &fields).await.json().await.unwrap();
    let id = public["id"].as_str().unwrap();
    let page = app.get(&format!("/workouts/{id}")).await;
    assert_eq!(page.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"<meta property="og:title" content="Lake &quot;loop&quot;">"#), "{page}");
    assert!(page.contains("4.6 km") && page.contains("by Runner on Athlos"), "{page}");
    let image = format!("{}/api/v1/workouts/{id}/preview.png", app.server.url());
    assert!(page.contains(&format!(r#"<meta property="og:image" content="{image}">"#)), "{page}");
    assert!(page.contains(r#"<div id="root">"#), "still the app");
    let picture = app.client.get(&image).send().await.unwrap();
    assert_eq!(picture.headers()[CONTENT_TYPE], "image/png");
    let picture = image::load_from_memory(&picture.bytes().await.unwrap()).unwrap();
    assert_eq!((picture.width(), picture.height()), (1200, 630));

    let run = serde_json::json!({ "sport": "running", "started_at": "2026-05-01T07:00:00Z", "duration_s": 1800,
                                  "title": "Secret tempo", "privacy": "private" });
    let private: Value = app.post_as(&token, "/api/v1/workouts", run).await.json().await.unwrap();
    let page = app.get(&format!("/workouts/{}", private["id"].as_str().unwrap())).await.text().await.unwrap();
    assert!(!page.contains("og:title") && !page.contains("Secret tempo"), "{page}");
    let hidden = app.get(&format!("/api/v1/workouts/{}/preview.png", private["id"].as_str().unwrap())).await;
    assert_eq!(hidden.status(), 404);
}

on_every_database!(
    a_public_workouts_link_previews_with_its_route,
    the_page_is_served_for_the_root_and_every_deep_link,
    the_servers_own_paths_are_not_the_page,
    built_files_carry_their_type_and_caching,
);
