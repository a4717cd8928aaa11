//! The HTTP edge: probes, problem+json errors, limits, request ids, CORS,
//! compression, metrics and the OpenAPI document.

mod support;

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::Value;
use support::{Backend, TestApp};

async fn problem(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
    assert_eq!(content_type, "application/problem+json", "status {status}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
    (status, body)
}

async fn probes_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert_eq!(health.json::<Value>().await.unwrap()["status"], "ok");
    assert_eq!(app.get("/readyz").await.status(), 200);

    // With the database gone, the process is alive but not ready.
    app.server.platform.db.close().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let (status, body) = problem(app.get("/readyz").await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["type"], "/problems/database-unreachable");
}

async fn server_describes_itself(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let info: Value = app.get("/api/v1/server").await.json().await.unwrap();
    assert_eq!(info["name"], "Athlos");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    // Unconfigured, a server on a loopback address names itself `localhost`.
    assert_eq!(info["url"], format!("http://localhost:{}", app.server.addr.port()));
    // Unconfigured, maps use OpenStreetMap's tiles with their credit.
    assert_eq!(info["map_tiles"], "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
    assert_eq!(info["map_attribution"], "© OpenStreetMap contributors");

    let tiles = "https://tiles.example.org/{z}/{x}/{y}.png";
    let mapped = TestApp::spawn_with(backend, |c| {
        c.map_tiles = Some(tiles.into());
        c.map_attribution = Some("© Example maps".into());
    })
    .await;
    let info: Value = mapped.get("/api/v1/server").await.json().await.unwrap();
    assert_eq!(info["map_tiles"], tiles);
    assert_eq!(info["map_attribution"], "© Example maps");

    // `none`: no tile server is contacted; tracks on a plain background.
    let plain = TestApp::spawn_with(backend, |c| c.map_tiles = Some("none".into())).await;
    let info: Value = plain.get("/api/v1/server").await.json().await.unwrap();
    assert!(info["map_tiles"].is_null() && info["map_attribution"].is_null(), "{info}");
}

async fn every_error_is_a_problem(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.max_body_bytes = 1024;
        c.max_upload_bytes = 2048;
        c.max_import_bytes = 2048;
    })
    .await;

    let (status, body) = problem(app.get("/api/v1/no-such-thing").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["type"], "/problems/not-found");

    let (status, body) = problem(app.client.delete(app.url("/healthz")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["type"], "/problems/method-not-allowed");

    let too_big = app.client.post(app.url("/api/v1/server")).body(vec![b'x'; 4096]).send().await.unwrap();
    assert_eq!(too_big.headers()["connection"], "close", "the unread rest of the body ends the connection");
    let (status, body) = problem(too_big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["type"], "/problems/body-too-large");
    assert!(body["detail"].as_str().unwrap().contains("ATHLOS_MAX_BODY_BYTES"));

    // A JSON body over max_body_bytes, though under the upload limits.
    let login = app.url("/api/v1/auth/login");
    let too_big = app.client.post(login).header("content-type", "application/json").body(vec![b' '; 1500]);
    let (status, body) = problem(too_big.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["type"], "/problems/body-too-large");
}

async fn request_ids_are_made_or_kept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let made = app.get("/healthz").await;
    let id = made.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 7);

    let kept = app.client.get(app.url("/healthz")).header("x-request-id", "from-the-gateway").send().await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "from-the-gateway");

    // Errors carry the id too, so a person can quote it.
    let missing = app.get("/nowhere").await;
    assert!(missing.headers().contains_key("x-request-id"));
}

async fn cors_follows_the_configuration(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.cors_origins = vec!["https://app.example.org".into()]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/server"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, idempotency-key")
            .send()
    };
    let allowed = preflight("https://app.example.org").await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://app.example.org");
    let refused = preflight("https://evil.example.com").await.unwrap();
    assert!(!refused.headers().contains_key("access-control-allow-origin"));

    // Without configured origins no browser origin is allowed.
    let closed = TestApp::spawn(backend).await;
    let response = closed
        .client
        .get(closed.url("/api/v1/server"))
        .header("origin", "https://app.example.org")
        .send()
        .await
        .unwrap();
    assert!(!response.headers().contains_key("access-control-allow-origin"));
}

async fn large_answers_are_compressed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.client.get(app.url("/openapi.json")).header(ACCEPT_ENCODING, "gzip").send().await.unwrap();
    assert_eq!(response.headers()[CONTENT_ENCODING], "gzip");
}

async fn metrics_count_requests_by_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for _ in 0..3 {
        app.get("/healthz").await;
    }
    app.get("/missing").await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(text.contains(r#"athlos_http_requests_total{method="GET",route="/healthz",status="200"} 3"#), "{text}");
    assert!(text.contains("athlos_http_request_duration_seconds_bucket"));
}

async fn the_api_is_documented(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let spec: Value = app.get("/openapi.json").await.json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"), "{}", spec["openapi"]);
    for path in ["/healthz", "/readyz", "/api/v1/server"] {
        assert!(spec["paths"][path].is_object(), "{path} missing from the OpenAPI document");
    }
    // The answers every operation shares are documented on each, errors as problems
    // (tests/schemathesis/run holds the server to all of it).
    let list = &spec["paths"]["/api/v1/workouts"]["get"];
    for status in ["400", "401", "403", "422"] {
        let problem = &list["responses"][status]["content"]["application/problem+json"]["schema"]["$ref"];
        assert_eq!(problem, "#/components/schemas/Problem", "{status} of GET /api/v1/workouts");
    }
    let limit = list["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "limit").unwrap();
    assert_eq!((&limit["schema"]["minimum"], &limit["schema"]["maximum"]), (&Value::from(1), &Value::from(100)));
    let change = &spec["paths"]["/api/v1/account"]["patch"]["responses"];
    assert!(change["413"].is_object() && change["415"].is_object(), "{change}");
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(operation["responses"].get("500").is_none(), "{method} {path} documents a 500: that is a bug");
        }
    }
    // The API reference is the web client's second page, built with it and reading /openapi.json.
    let page = app.get("/documentation").await;
    assert!(page.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let html = page.text().await.unwrap();
    assert!(html.contains("API reference") && !html.contains("https://"), "the page must work offline: {html}");
    let script = html
        .split('"')
        .find(|part| part.starts_with("/assets/documentation-") && part.ends_with(".js"))
        .unwrap_or_else(|| panic!("the page loads no script of its own: {html}"));
    let code = app.get(script).await.text().await.unwrap();
    assert!(code.contains("/openapi.json"), "the reference reads the document");
}

/// Sends the head of a login request and part of its body, leaving the rest for later.
async fn half_sent_request(app: &TestApp) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(app.server.addr).await.unwrap();
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nhost: test\r\ncontent-type: application/json\r\ncontent-length: 96\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(br#"{"email": "slow@example.org","#).await.unwrap();
    stream
}

async fn read_response(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut buffer = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(30), stream.read(&mut buffer)).await.unwrap().unwrap();
    String::from_utf8_lossy(&buffer[..n]).into_owned()
}

async fn a_slow_request_times_out_with_a_problem(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.request_timeout_secs = 1).await;
    let mut stream = half_sent_request(&app).await;
    let response = read_response(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(response.contains("application/problem+json") && response.contains("/problems/timeout"), "{response}");
}

async fn shutdown_lets_requests_in_flight_finish(backend: Backend) {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::spawn(backend).await;
    let mut stream = half_sent_request(&app).await;
    // The server is answering it (reading its body) before shutdown begins.
    let metrics = app.url("/metrics");
    support::eventually("the login request being in flight", std::time::Duration::from_secs(10), || {
        let metrics = metrics.clone();
        async move {
            let text = reqwest::get(metrics).await.unwrap().text().await.unwrap();
            text.contains(r#"athlos_http_requests_in_flight{method="POST",route="/api/v1/auth/login"} 1"#)
        }
    })
    .await;
    let addr = app.server.addr;
    let TestApp { server, env: _env, .. } = app;
    let stopping = tokio::spawn(server.stop());
    // Once the server takes no new connections, shutdown is under way…
    support::eventually("the listener closing", std::time::Duration::from_secs(10), || async move {
        tokio::net::TcpStream::connect(addr).await.is_err()
    })
    .await;
    // …and the request that was in flight still gets its answer.
    let rest = br#""password": "not the right one at all"}"#;
    let padding = 96 - br#"{"email": "slow@example.org","#.len() - rest.len();
    stream.write_all(&[rest.as_slice(), " ".repeat(padding).as_bytes()].concat()).await.unwrap();
    let response = read_response(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    drop(stream);
    stopping.await.unwrap().unwrap();
}

on_every_database!(
    a_slow_request_times_out_with_a_problem,
    shutdown_lets_requests_in_flight_finish,
    probes_answer,
    server_describes_itself,
    every_error_is_a_problem,
    request_ids_are_made_or_kept,
    cors_follows_the_configuration,
    large_answers_are_compressed,
    metrics_count_requests_by_route,
    the_api_is_documented,
);
