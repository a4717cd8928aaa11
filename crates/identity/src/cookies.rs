//! The two short-lived cookies of the browser flows (the `/oauth` sign-in and
//! the external login's state): read from requests, written `HttpOnly` and
//! `SameSite=Lax`, and `Secure` when the server is reached over HTTPS.

use axum::http::{header, HeaderMap, HeaderValue};

pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value; `max_age_secs` 0 deletes the cookie.
pub fn set(name: &str, value: &str, path: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&cookie).expect("cookie values are JWTs and ASCII names")
}
