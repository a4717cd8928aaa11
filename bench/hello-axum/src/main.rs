//! A bare axum server answering `GET /healthz` with a plain "ok", with no
//! middleware at all: the baseline that `bench/load` measures Athlos against.

use axum::{routing::get, Router};

#[tokio::main]
async fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8090".into());
    let app = Router::new().route("/healthz", get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
