//! The web client: the Vite build in `web/dist`, embedded in the binary so
//! that a server needs no other files and no Node.js. It answers every GET
//! no route claims: a file of the build when there is one, else
//! `index.html`, whose router then reads the path (`/workouts/…`,
//! `/verify-email?token=…`). `/documentation` is the build's API reference
//! (`documentation.html`). The API's own paths never get the page: an
//! unknown one stays a problem+json 404.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use platform::config::Config;
use platform::http::Problem;
use rust_embed::{Embed, EmbeddedFile};

/// The build output. A checkout without it still compiles (the API works);
/// the page then answers 404 saying the client is missing.
#[derive(Embed)]
#[folder = "../../web/dist/"]
#[allow_missing = true]
struct Build;

const INDEX: &str = "index.html";
/// The API reference, reading `/openapi.json`, and where it is found.
const DOCUMENTATION: &str = "documentation.html";
const DOCUMENTATION_PATH: &str = "/documentation";
/// Vite names everything under `assets/` after its content, so a file there
/// never changes; everything else (the page, the service worker, the
/// manifest) must be checked again on each visit or an update never shows.
const ASSETS: &str = "assets/";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Paths that belong to the server: a miss there is an error, not a page.
const SERVER_PREFIXES: &[&str] = &["/api/", "/oauth/", "/.well-known/"];

/// The names of the embedded files (`index.html`, `assets/index-1a2b.js`, …).
pub fn files() -> Vec<String> {
    Build::iter().map(|name| name.into_owned()).collect()
}

/// What answers the paths no route claims; give it to `platform::http::app`.
/// With `training`, a public workout's link (`/workouts/<id>`) gets the
/// page with Open Graph tags, so that a link shared in a chat previews with
/// its title, numbers and route before any script runs.
pub fn pages(config: &Config, training: Option<training::Training>) -> Router {
    let policy = HeaderValue::from_str(&content_security_policy(config)).expect("ASCII policy");
    let site = Arc::new(Site { policy, training, public_url: config.public_url() });
    Router::new().fallback(answer).with_state(site)
}

struct Site {
    /// Content-Security-Policy of the page, fixed at start.
    policy: HeaderValue,
    training: Option<training::Training>,
    /// Open Graph wants absolute addresses.
    public_url: String,
}

/// The page may run only its own scripts and talk only to this server.
/// Styles allow inline ones because the chart and map libraries set them on
/// elements; images allow `https:` for map tiles (and an http tile server
/// when one is configured), `data:` and `blob:` for pictures made in the
/// browser. No one may frame the page (clickjacking).
fn content_security_policy(config: &Config) -> String {
    let mut images = "'self' data: blob: https:".to_string();
    if let Some(origin) = config.map_tiles_origin().filter(|o| o.starts_with("http://")) {
        images.push(' ');
        images.push_str(&origin);
    }
    [
        "default-src 'self'".to_string(),
        "script-src 'self'".to_string(),
        "style-src 'self' 'unsafe-inline'".to_string(),
        format!("img-src {images}"),
        "font-src 'self' data:".to_string(),
        "connect-src 'self'".to_string(),
        "worker-src 'self'".to_string(),
        "manifest-src 'self'".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'self'".to_string(),
        "form-action 'self'".to_string(),
        "frame-ancestors 'none'".to_string(),
    ]
    .join("; ")
}

async fn answer(State(site): State<Arc<Site>>, method: Method, uri: Uri, request: HeaderMap) -> Response {
    let path = uri.path();
    if !(method == Method::GET || method == Method::HEAD)
        || path == "/api"
        || SERVER_PREFIXES.iter().any(|prefix| path.starts_with(prefix))
    {
        // Bare: the problem layer words it like every other miss.
        return StatusCode::NOT_FOUND.into_response();
    }
    // The API reference is a page of its own in the build (web/documentation.html).
    let name = if path == DOCUMENTATION_PATH { DOCUMENTATION } else { path.trim_start_matches('/') };
    if let Some(file) = Some(name).filter(|n| !n.is_empty()).and_then(Build::get) {
        return site.file(name, file, &request);
    }
    // A missing asset is an old build's file: the page in its place would
    // only fail as a script or style.
    if name.starts_with(ASSETS) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(page) = site.shared_workout(name).await {
        return page;
    }
    match Build::get(INDEX) {
        Some(index) => site.file(INDEX, index, &request),
        None => Problem::not_found(
            "The web client is not part of this build (web/dist was empty when it was compiled); the API is at /documentation.",
        )
        .into_response(),
    }
}

impl Site {
    /// The page for a public workout's link, with its preview in the head.
    async fn shared_workout(&self, name: &str) -> Option<Response> {
        let id = name.strip_prefix("workouts/").filter(|id| !id.is_empty() && !id.contains('/'))?;
        let preview = self.training.as_ref()?.share_preview(id).await?;
        let index = Build::get(INDEX)?;
        let html = String::from_utf8_lossy(&index.data);
        let tags = open_graph(&preview, &format!("{}/{name}", self.public_url), &self.public_url);
        let page = html.replacen("</head>", &format!("{tags}</head>"), 1);
        let mut response = Response::new(Body::from(page));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
        headers.insert(header::CONTENT_SECURITY_POLICY, self.policy.clone());
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        Some(response)
    }

    fn file(&self, name: &str, file: EmbeddedFile, request: &HeaderMap) -> Response {
        let hash = file.metadata.sha256_hash();
        let tag = format!("W/\"{}\"", hash[..16].iter().map(|b| format!("{b:02x}")).collect::<String>());
        let mut headers = HeaderMap::new();
        let cache = if name.starts_with(ASSETS) { IMMUTABLE } else { REVALIDATE };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(header::ETAG, HeaderValue::from_str(&tag).expect("hex"));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        let content_type = content_type(name);
        if content_type.starts_with("text/html") {
            headers.insert(header::CONTENT_SECURITY_POLICY, self.policy.clone());
            headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
        let status = if unchanged(request, &tag) { StatusCode::NOT_MODIFIED } else { StatusCode::OK };
        let body = if status == StatusCode::OK {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).expect("a MIME type"));
            Body::from(file.data)
        } else {
            Body::empty()
        };
        let mut response = Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        response
    }
}

/// Open Graph and Twitter card tags for a shared workout, escaped for HTML.
fn open_graph(preview: &training::SharePreview, url: &str, site: &str) -> String {
    let mut tags = vec![
        ("og:type", "website".to_string()),
        ("og:site_name", "Athlos".to_string()),
        ("og:title", preview.title.clone()),
        ("og:description", preview.description.clone()),
        ("og:url", url.to_string()),
    ];
    if let Some(path) = &preview.image_path {
        tags.push(("og:image", format!("{site}{path}")));
        tags.push(("og:image:width", "1200".into()));
        tags.push(("og:image:height", "630".into()));
    }
    let card = if preview.image_path.is_some() { "summary_large_image" } else { "summary" };
    let mut html: String = tags
        .iter()
        .map(|(property, value)| format!("<meta property=\"{property}\" content=\"{}\">", escape(value)))
        .collect();
    html.push_str(&format!("<meta name=\"twitter:card\" content=\"{card}\">"));
    html.push_str(&format!("<meta name=\"description\" content=\"{}\">", escape(&preview.description)));
    html
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Whether the browser's copy (`If-None-Match`) is this version; tags are
/// compared weakly, as RFC 9110 asks for that header.
fn unchanged(request: &HeaderMap, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let ours = opaque(tag);
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || opaque(t) == ours)
}

/// The type by extension; text gets its charset, which Vite writes as UTF-8.
fn content_type(name: &str) -> String {
    if name.ends_with(".webmanifest") {
        return "application/manifest+json; charset=utf-8".into();
    }
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json")
        || mime.suffix().is_some_and(|s| s.as_str() == "json");
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_graph_tags_are_escaped_and_absolute() {
        let preview = training::SharePreview {
            title: "Lake \"loop\" <fast>".into(),
            description: "4.6 km · 0:57 · by Ada & co on Athlos".into(),
            image_path: Some("/api/v1/workouts/w1/preview.png".into()),
        };
        let tags = open_graph(&preview, "https://club.example/workouts/w1", "https://club.example");
        assert!(tags.contains(r#"<meta property="og:title" content="Lake &quot;loop&quot; &lt;fast&gt;">"#), "{tags}");
        assert!(tags.contains(r#"content="https://club.example/api/v1/workouts/w1/preview.png""#), "{tags}");
        assert!(tags.contains("Ada &amp; co") && tags.contains("summary_large_image"), "{tags}");
    }

    #[test]
    fn types_follow_the_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert!(content_type("assets/index-1a2b.js").ends_with("javascript; charset=utf-8"));
        assert_eq!(content_type("assets/index-1a2b.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("manifest.webmanifest"), "application/manifest+json; charset=utf-8");
        assert_eq!(content_type("precache.json"), "application/json; charset=utf-8");
        assert_eq!(content_type("icons/icon-192.png"), "image/png");
        assert_eq!(content_type("icons/icon.svg"), "image/svg+xml");
        assert_eq!(content_type("assets/font.woff2"), "font/woff2");
    }

    #[test]
    fn a_copy_is_unchanged_when_its_tag_matches_weakly() {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"old\", W/\"abc\""));
        assert!(unchanged(&headers, "W/\"abc\""));
        assert!(!unchanged(&headers, "W/\"abd\""));
        assert!(!unchanged(&HeaderMap::new(), "W/\"abc\""));
    }

    #[test]
    fn an_http_tile_server_is_allowed_for_images() {
        let plain = content_security_policy(&Config::default());
        assert!(plain.contains("img-src 'self' data: blob: https:;") && plain.contains("frame-ancestors 'none'"));
        let config =
            Config { map_tiles: Some("http://tiles.example.org:8080/{z}/{x}/{y}.png".into()), ..Config::default() };
        assert!(content_security_policy(&config).contains("https: http://tiles.example.org:8080;"));
    }
}
