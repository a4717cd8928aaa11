//! The realtime socket as a browser meets it: tickets and tokens, guarded
//! topics, resuming, heartbeats, the cut-off of a client that cannot keep
//! up, "going away" at shutdown, a person's own workouts arriving live, and
//! delivery across two replicas over Redis and RabbitMQ.

mod support;

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use support::bus::Bus;
use support::socket::{next_message, Socket};
use support::{access, unique_email, Backend, TestApp};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message as Frame;

const PATIENCE: Duration = Duration::from_secs(20);

fn socket_url(app: &TestApp, query: &str) -> String {
    format!("ws://{}/api/v1/realtime{query}", app.server.addr)
}

async fn person(app: &TestApp) -> (String, String) {
    let token = access(&app.signed_up(&unique_email("live"), "correct horse battery").await);
    let me: Value = app.get_as(&token, "/api/v1/account").await.json().await.unwrap();
    (me["id"].as_str().unwrap().to_string(), token)
}

async fn ticket(app: &TestApp, token: &str) -> String {
    let issued = app.post_as(token, "/api/v1/realtime/ticket", json!({})).await;
    assert_eq!(issued.status(), 201);
    let body: Value = issued.json().await.unwrap();
    assert_eq!(body["expires_in"], 30);
    body["ticket"].as_str().unwrap().to_string()
}

async fn open(app: &TestApp, token: &str) -> Socket {
    let ticket = ticket(app, token).await;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(socket_url(app, &format!("?ticket={ticket}"))).await.unwrap();
    assert_eq!(next_message(&mut socket).await["type"], "ready");
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket.send(Frame::text(message.to_string())).await.unwrap();
}

/// Reads until the server closes; its close code. One deadline for the
/// close, as in `next_message`: the server's pings would renew one per frame.
async fn close_code(socket: &mut Socket) -> u16 {
    let closed = async {
        loop {
            match socket.next().await {
                Some(Ok(Frame::Close(Some(close)))) => return u16::from(close.code),
                Some(Ok(_)) => continue,
                other => panic!("the socket ended without a close frame: {other:?}"),
            }
        }
    };
    tokio::time::timeout(PATIENCE, closed).await.expect("a close in time")
}

async fn subscribe(socket: &mut Socket, topic: &str, after: Option<&str>) -> Value {
    send(socket, json!({ "type": "subscribe", "topic": topic, "after": after })).await;
    next_message(socket).await
}

async fn tickets_open_the_socket_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token) = person(&app).await;
    let ticket = ticket(&app, &token).await;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(socket_url(&app, &format!("?ticket={ticket}"))).await.unwrap();
    assert_eq!(next_message(&mut socket).await, json!({ "type": "ready", "user_id": id, "heartbeat_secs": 20 }));

    // Used once, it is gone; an expired one never worked; neither is a token.
    let again = tokio_tungstenite::connect_async(socket_url(&app, &format!("?ticket={ticket}"))).await;
    assert_http_status(again, 401);
    let expired = self::ticket(&app, &token).await;
    sqlx::query("UPDATE realtime_tickets SET expires_at = 0").execute(app.server.platform.db.pool()).await.unwrap();
    assert_http_status(tokio_tungstenite::connect_async(socket_url(&app, &format!("?ticket={expired}"))).await, 401);
    let unauthenticated = app.client.post(app.url("/api/v1/realtime/ticket")).send().await.unwrap();
    assert_eq!(unauthenticated.status(), 401);
}

fn assert_http_status<T: std::fmt::Debug>(outcome: Result<T, tokio_tungstenite::tungstenite::Error>, status: u16) {
    match outcome {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status().as_u16(), status),
        other => panic!("expected HTTP {status}, got {other:?}"),
    }
}

async fn a_token_in_the_first_message_authenticates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token) = person(&app).await;
    let (mut socket, _) = tokio_tungstenite::connect_async(socket_url(&app, "")).await.unwrap();
    send(&mut socket, json!({ "type": "auth", "token": token })).await;
    assert_eq!(next_message(&mut socket).await["user_id"], id);
    send(&mut socket, json!({ "type": "ping" })).await;
    assert_eq!(next_message(&mut socket).await, json!({ "type": "pong" }));

    // Anything before authenticating, or a bad token, closes with 4001.
    let (mut early, _) = tokio_tungstenite::connect_async(socket_url(&app, "")).await.unwrap();
    send(&mut early, json!({ "type": "subscribe", "topic": format!("user:{id}") })).await;
    assert_eq!(close_code(&mut early).await, 4001);
    let (mut forged, _) = tokio_tungstenite::connect_async(socket_url(&app, "")).await.unwrap();
    send(&mut forged, json!({ "type": "auth", "token": "not-a-token" })).await;
    assert_eq!(close_code(&mut forged).await, 4001);
}

async fn topics_are_guarded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token) = person(&app).await;
    let (other, _) = person(&app).await;
    let mut socket = open(&app, &token).await;
    let own = format!("user:{id}");
    assert_eq!(
        subscribe(&mut socket, &own, None).await,
        json!({ "type": "subscribed", "topic": own, "resumed": true })
    );
    for topic in [format!("user:{other}"), "chat:1".to_string(), "nonsense".to_string()] {
        let refused = subscribe(&mut socket, &topic, None).await;
        assert_eq!(refused["type"], "refused", "{topic}");
        assert!(!refused["reason"].as_str().unwrap().is_empty());
    }
    send(&mut socket, json!({ "type": "launch", "missiles": true })).await;
    assert_eq!(next_message(&mut socket).await["type"], "error");
}

async fn a_workout_reaches_the_persons_open_devices(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token) = person(&app).await;
    let mut phone = open(&app, &token).await;
    let mut laptop = open(&app, &token).await;
    for device in [&mut phone, &mut laptop] {
        assert_eq!(subscribe(device, &format!("user:{id}"), None).await["type"], "subscribed");
    }
    let body =
        json!({ "sport": "running", "started_at": "2026-11-20T07:00:00Z", "duration_s": 1800, "distance_m": 5000.0 });
    let logged: Value = app.post_as(&token, "/api/v1/workouts", body).await.json().await.unwrap();
    for device in [&mut phone, &mut laptop] {
        // The sync hint for the same change may come first (docs/sync.md).
        let event = loop {
            let event = next_message(device).await;
            assert_eq!(event["type"], "event");
            if event["kind"] != "SyncChanged" {
                break event;
            }
        };
        assert_eq!(event["kind"], "WorkoutRecorded");
        assert_eq!(event["data"]["workout_id"], logged["id"]);
    }
}

async fn a_client_resumes_within_the_window(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token) = person(&app).await;
    let topic = format!("user:{id}");
    let mut socket = open(&app, &token).await;
    subscribe(&mut socket, &topic, None).await;
    for n in 0..5 {
        app.server.platform.realtime.publish(&topic, "Tick", json!(n)).await;
    }
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(next_message(&mut socket).await["id"].as_str().unwrap().to_string());
    }
    drop(socket);

    // Back after a reconnect: what came after the second message, in order.
    let mut again = open(&app, &token).await;
    let resumed = subscribe(&mut again, &topic, Some(&ids[1])).await;
    assert_eq!(resumed["resumed"], true);
    for expected in &ids[2..] {
        assert_eq!(&next_message(&mut again).await["id"], expected);
    }
    // From an id the server no longer holds: told to fetch afresh.
    let mut late = open(&app, &token).await;
    assert_eq!(subscribe(&mut late, &topic, Some("0190aaaa-0000-7000-8000-000000000000")).await["resumed"], false);
    assert_eq!(next_message(&mut late).await, json!({ "type": "refetch", "topic": topic }));
}

async fn a_client_that_cannot_keep_up_is_cut_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, token) = person(&app).await;
    let topic = format!("user:{id}");
    let mut socket = open(&app, &token).await;
    subscribe(&mut socket, &topic, None).await;
    // The client reads nothing while far more arrives than any buffer holds.
    let padding = "x".repeat(4096);
    for n in 0..20_000 {
        app.server.platform.realtime.publish(&topic, "Tick", json!({ "n": n, "padding": padding })).await;
    }
    assert_eq!(close_code(&mut socket).await, 4008);
}

async fn stopping_the_server_closes_sockets_as_going_away(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, token) = person(&app).await;
    let mut socket = open(&app, &token).await;
    let TestApp { server, env, .. } = app;
    let stopping = tokio::spawn(server.stop());
    assert_eq!(close_code(&mut socket).await, u16::from(CloseCode::Away));
    drop(socket);
    stopping.await.unwrap().unwrap();
    drop(env);
}

/// Before the access token behind a socket expires the server asks for a
/// new one: given, the socket lives on; not given, it closes with 4001.
async fn an_expiring_token_is_renewed_or_the_socket_closes(backend: Backend) {
    // Tokens of five seconds: every one is due for renewal as soon as it is
    // given, with time for the logins (argon2) a busy machine makes slow.
    let app = TestApp::spawn_with(backend, |config| config.access_token_secs = 5).await;
    let email = unique_email("expiring");
    let first = access(&app.signed_up(&email, "correct horse battery").await);
    let mut socket = open(&app, &first).await;
    // What is left of the token's five seconds, in whole seconds.
    let asked = next_message(&mut socket).await;
    assert_eq!(asked["type"], "reauth");
    let left = asked["expires_in"].as_i64().unwrap();
    assert!((1..=5).contains(&left), "{asked}");

    let renewed = access(&app.logged_in(&email, "correct horse battery").await);
    send(&mut socket, json!({ "type": "auth", "token": renewed })).await;
    assert_eq!(next_message(&mut socket).await["type"], "renewed");
    // Asked again for the new token's renewal, and this time none comes.
    assert_eq!(next_message(&mut socket).await["type"], "reauth");
    assert_eq!(close_code(&mut socket).await, 4001);

    // Another person's token never takes over a socket.
    let stranger = access(&app.signed_up(&unique_email("stranger"), "correct horse battery").await);
    let mut socket = open(&app, &access(&app.logged_in(&email, "correct horse battery").await)).await;
    send(&mut socket, json!({ "type": "auth", "token": stranger })).await;
    assert_eq!(close_code(&mut socket).await, 4003);
}

/// A client that completes the handshake and then never answers: it reads
/// raw bytes, so no library answers the server's pings for it.
async fn a_silent_client_is_closed_after_three_heartbeats(backend: Backend) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(backend, |config| config.realtime_heartbeat_secs = 1).await;
    let (_, token) = person(&app).await;
    let ticket = ticket(&app, &token).await;
    let mut stream = tokio::net::TcpStream::connect(app.server.addr).await.unwrap();
    let request = format!(
        "GET /api/v1/realtime?ticket={ticket} HTTP/1.1\r\nHost: {}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        app.server.addr
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut received)).await.expect("closed in time").unwrap();
    let (pings, close) = server_frames(&received);
    // Pinged at the first heartbeats, closed at the third with nothing heard.
    assert!(pings >= 2, "pinged before giving up: {pings}");
    assert_eq!(close, Some(4002));
}

/// How many pings the server sent after its 101, and the code of its close frame.
fn server_frames(bytes: &[u8]) -> (usize, Option<u16>) {
    let start = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP answer") + 4;
    assert!(bytes.starts_with(b"HTTP/1.1 101"), "{}", String::from_utf8_lossy(&bytes[..start]));
    let (mut at, mut pings) = (start, 0);
    while at + 2 <= bytes.len() {
        let opcode = bytes[at] & 0x0f;
        let (mut length, mut header) = ((bytes[at + 1] & 0x7f) as usize, 2);
        if length == 126 {
            length = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
            header = 4;
        }
        let payload = &bytes[at + header..(at + header + length).min(bytes.len())];
        match opcode {
            0x9 => pings += 1,
            0x8 => return (pings, payload.get(..2).map(|c| u16::from_be_bytes([c[0], c[1]]))),
            _ => {}
        }
        at += header + length;
    }
    (pings, None)
}

on_every_database!(
    a_silent_client_is_closed_after_three_heartbeats,
    an_expiring_token_is_renewed_or_the_socket_closes,
    tickets_open_the_socket_once,
    a_token_in_the_first_message_authenticates,
    topics_are_guarded,
    a_workout_reaches_the_persons_open_devices,
    a_client_resumes_within_the_window,
    a_client_that_cannot_keep_up_is_cut_off,
    stopping_the_server_closes_sockets_as_going_away,
);

/// Two replicas on one database with a fan-out between them: what one
/// publishes reaches a socket on the other.
async fn replicas_share_one_audience(backend: Backend, bus: Bus) {
    let url = bus.url().unwrap().expect("a broker");
    let namespace = format!("test-{}", uuid::Uuid::now_v7().simple());
    let (u, ns) = (url.clone(), namespace.clone());
    let a = TestApp::spawn_with(backend, move |config| {
        config.realtime_url = Some(u);
        config.bus_namespace = ns;
    })
    .await;
    let mut config = a.env.config();
    config.public_url = Some(a.server.url());
    config.realtime_url = Some(url);
    config.bus_namespace = namespace;
    let b =
        athlos::server::start(config, &athlos::cli::ServeArgs { no_worker: true, ..Default::default() }).await.unwrap();

    let (id, token) = person(&a).await;
    let issued: Value = a
        .client
        .post(format!("http://{}/api/v1/realtime/ticket", b.addr))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = format!("ws://{}/api/v1/realtime?ticket={}", b.addr, issued["ticket"].as_str().unwrap());
    let (mut on_b, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert_eq!(next_message(&mut on_b).await["type"], "ready");
    let topic = format!("user:{id}");
    subscribe(&mut on_b, &topic, None).await;
    // The fan-out listener of B may still be connecting: publish until one arrives.
    let arrived = async {
        loop {
            a.server.platform.realtime.publish(&topic, "Tick", json!("from A")).await;
            if let Ok(message) = tokio::time::timeout(Duration::from_millis(200), next_message(&mut on_b)).await {
                return message;
            }
        }
    };
    let message = tokio::time::timeout(PATIENCE, arrived).await.expect("a message across replicas");
    assert_eq!(message["data"], "from A");
    b.stop().await.unwrap();
}

// In-process fan-out reaches one process only, so it has no case here.
bus_tests!(sqlite_redis, Sqlite, Redis; replicas_share_one_audience);
bus_tests!(sqlite_rabbitmq, Sqlite, RabbitMq; replicas_share_one_audience);
bus_tests!(postgres_redis, Postgres, Redis; replicas_share_one_audience);
bus_tests!(postgres_rabbitmq, Postgres, RabbitMq; replicas_share_one_audience);
