//! HTTP plumbing shared by every context: the layers every request passes,
//! who is calling, problem+json errors, probes, metrics and the OpenAPI
//! document (which the web client's API reference at `/documentation` reads).

pub mod caller;
mod client;
mod document;
mod health;
pub mod json;
pub mod metrics;
pub mod modules;
pub mod precompressed;
mod problem;
mod request_id;
pub mod text;
pub mod tls;

pub use caller::{Application, Authenticator, Bearer, Caller, CallerError};
pub use client::ClientAddress;
pub use problem::{Problem, PROBLEM_JSON};

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::routing::get;
use axum::{middleware, Json, Router};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceBuilder;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::Platform;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(OpenApi)]
#[openapi(
    info(title = "Athlos", description = "The Athlos training platform API. Errors are application/problem+json (RFC 9457)."),
    tags(
        (name = "operations", description = "Probes for load balancers and orchestrators"),
        (name = "server", description = "What this server is"),
        (name = "realtime", description = "The realtime socket: live events on topics (see docs/realtime.md)")
    ),
    components(schemas(Problem))
)]
struct PlatformApi;

/// The platform's own routes, to which each context merges its own.
pub fn api() -> OpenApiRouter<Platform> {
    OpenApiRouter::with_openapi(PlatformApi::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::server_info))
}

/// Turns the assembled routes into the application with every layer.
/// `pages` answers whatever no route does (the binary serves the web client
/// there); it passes the same layers, so its errors become problems too.
/// `Router::new()` answers every such request 404.
pub fn app(platform: Platform, api: OpenApiRouter<Platform>, pages: Router) -> Router {
    let (router, mut openapi) = api.split_for_parts();
    finish_document(&mut openapi);
    let openapi = Arc::new(openapi);
    let config = &platform.config;

    let router = router
        .route("/openapi.json", get(move || async move { Json(openapi.as_ref().clone()) }))
        .route("/metrics", get(metrics::export).with_state(platform.metrics.clone()))
        .layer(middleware::from_fn_with_state(config.max_body_bytes, text::refuse_control_characters))
        .layer(middleware::from_fn_with_state(platform.metrics.clone(), metrics::record))
        .fallback_service(pages)
        .with_state(platform.clone());

    // Innermost first: the limits answer with bare statuses, which the
    // problem layer then turns into problem+json.
    let timeout = Duration::from_secs(config.request_timeout_secs);
    let outer = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, request_id::MakeRequestIdV7))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .option_layer(cors(&config.cors_origins))
        // Level 2 of 9 (and of `precompressed`): a fifth of the time of the default level for JSON,
        // at 5–9 % more bytes (a list of 20 trainings: 1.56 against 1.46 KB).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(2)));
    // Extractors (JSON, forms) stop at max_body_bytes; upload routes lift
    // that limit for themselves and count file sizes as they stream, so only
    // the largest of all limits bounds a request as a whole.
    let largest = config.max_body_bytes.max(config.max_upload_bytes).max(config.max_import_bytes);
    router
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(largest))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(middleware::from_fn(problem::problems_for_bare_errors))
        .layer(middleware::from_fn_with_state(config.trust_forwarded_for, client::attach))
        .layer(outer)
}

/// The OpenAPI document of `api`, exactly as `/openapi.json` serves it.
pub fn document(api: OpenApiRouter<Platform>) -> utoipa::openapi::OpenApi {
    let (_, mut openapi) = api.split_for_parts();
    finish_document(&mut openapi);
    openapi
}

fn finish_document(openapi: &mut utoipa::openapi::OpenApi) {
    openapi.info.version = env!("CARGO_PKG_VERSION").to_string();
    document::complete(openapi);
}

fn request_span(request: &Request) -> tracing::Span {
    let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, HeaderName::from_static("idempotency-key")])
            .expose_headers([REQUEST_ID])
            .max_age(Duration::from_secs(3600)),
    )
}

/// Serves until `shutdown` fires, then lets requests in flight finish for up to `grace`.
pub async fn serve(
    listener: TcpListener,
    tls: Option<(tls::TlsFiles, std::sync::Arc<rustls::ServerConfig>)>,
    app: Router,
    shutdown: CancellationToken,
    grace: Duration,
) -> std::io::Result<()> {
    match tls {
        Some((files, config)) => {
            let listener = tls::TlsListener::start(listener, files, config, shutdown.clone());
            serve_on(listener, app, shutdown, grace).await
        }
        None => serve_on(listener, app, shutdown, grace).await,
    }
}

async fn serve_on<L>(listener: L, app: Router, shutdown: CancellationToken, grace: Duration) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = std::net::SocketAddr>,
{
    use axum::serve::ListenerExt;
    let stopping = shutdown.clone();
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    // `tap_io` does nothing here but give any listener axum's ConnectInfo
    // of the peer's address, which it otherwise gives a TcpListener only.
    let listener = listener.tap_io(|_| {});
    let server = axum::serve(listener, app).with_graceful_shutdown(async move { stopping.cancelled().await });
    let server = std::pin::pin!(server.into_future());
    tokio::select! {
        result = server => result,
        _ = async { shutdown.cancelled().await; tokio::time::sleep(grace).await } => {
            tracing::warn!(grace_secs = grace.as_secs(), "requests still running after the grace period were cut off");
            Ok(())
        }
    }
}
