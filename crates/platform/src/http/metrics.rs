//! Prometheus metrics at `/metrics`: requests by route and status, and their latency.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Mutex<Registry>>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    in_flight: Family<RouteLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("athlos");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.0, 14))
        });
        registry.register("http_request_duration_seconds", "Time to answer an HTTP request", latency.clone());
        let in_flight = Family::<RouteLabels, Gauge>::default();
        registry.register("http_requests_in_flight", "HTTP requests being answered now", in_flight.clone());
        Self { registry: Arc::new(Mutex::new(registry)), requests, latency, in_flight }
    }
}

impl Metrics {
    /// Lets other parts of the platform (jobs, contexts) add their own metrics.
    pub fn registry(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.registry.lock().expect("metrics registry lock")
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry()).expect("writing to a String");
        out
    }
}

pub async fn record(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    // The route template, not the path, so that ids do not explode the labels.
    let route =
        request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = request.method().to_string();
    let labels = RouteLabels { method: method.clone(), route: route.clone() };
    let started = Instant::now();
    metrics.in_flight.get_or_create(&labels).inc();
    let response = next.run(request).await;
    metrics.in_flight.get_or_create(&labels).dec();
    metrics.latency.get_or_create(&labels).observe(started.elapsed().as_secs_f64());
    metrics.requests.get_or_create(&RequestLabels { method, route, status: response.status().as_u16() }).inc();
    response
}

pub async fn export(State(metrics): State<Metrics>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], metrics.render())
}
