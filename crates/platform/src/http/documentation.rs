//! The OpenAPI document and a self-contained page to browse it: no script or
//! font from elsewhere, so it works on a server with no way out.

use axum::response::Html;

pub async fn page() -> Html<&'static str> {
    Html(include_str!("documentation.html"))
}
