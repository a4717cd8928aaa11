//! The few pages of the browser step (log in, second factor, consent, error),
//! rendered on the server so they work without the web client.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title} · Athlos</title>
<style>
  :root {{ color-scheme: light dark; --accent: #2563eb; --line: #d1d5db; --muted: #6b7280; }}
  body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; }}
  main {{ width: min(100% - 2rem, 24rem); padding: 1.5rem 0; }}
  h1 {{ font-size: 1.4rem; margin: 0 0 1rem; }}
  label {{ display: block; margin: .75rem 0 .25rem; font-weight: 600; }}
  input {{ width: 100%; box-sizing: border-box; padding: .65rem; font: inherit; border: 1px solid var(--line); border-radius: 6px; }}
  button {{ width: 100%; margin-top: 1rem; padding: .7rem; font: inherit; font-weight: 600; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }}
  button.secondary {{ background: transparent; color: inherit; border-color: var(--line); }}
  .error {{ color: #b91c1c; background: rgba(220, 38, 38, .1); padding: .6rem .75rem; border-radius: 6px; }}
  .muted {{ color: var(--muted); font-size: .9rem; }}
  ul {{ padding-left: 1.2rem; }}
</style>
</head>
<body><main>
<h1>{title}</h1>
{body}
</main></body>
</html>"#,
        title = escape(title),
    );
    (status, Html(html)).into_response()
}

fn error_block(error: Option<&str>) -> String {
    error.map(|e| format!(r#"<p class="error" role="alert">{}</p>"#, escape(e))).unwrap_or_default()
}

pub fn login(query: &str, client_name: &str, email: &str, error: Option<&str>) -> Response {
    let status = if error.is_some() { StatusCode::UNAUTHORIZED } else { StatusCode::OK };
    let body = format!(
        r#"<p class="muted">Log in to continue to <strong>{client}</strong>.</p>
{error}
<form method="post" action="/oauth/authorize/login">
  <input type="hidden" name="query" value="{query}">
  <label for="email">E-mail</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="{email}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Log in</button>
</form>"#,
        client = escape(client_name),
        error = error_block(error),
        query = escape(query),
        email = escape(email),
    );
    page(status, "Log in to Athlos", &body)
}

pub fn second_factor(query: &str, challenge: &str, error: Option<&str>) -> Response {
    let status = if error.is_some() { StatusCode::UNAUTHORIZED } else { StatusCode::OK };
    let body = format!(
        r#"<p class="muted">Enter the code from your authenticator app, or one of your recovery codes.</p>
{error}
<form method="post" action="/oauth/authorize/second-factor">
  <input type="hidden" name="query" value="{query}">
  <input type="hidden" name="challenge" value="{challenge}">
  <label for="code">Code</label>
  <input id="code" name="code" autocomplete="one-time-code" inputmode="text" required autofocus>
  <button type="submit">Continue</button>
</form>"#,
        error = error_block(error),
        query = escape(query),
        challenge = escape(challenge),
    );
    page(status, "Second step", &body)
}

pub fn consent(client_name: &str, scopes: &[(&str, &str)], request: &str) -> Response {
    let items: String = scopes.iter().map(|(_, words)| format!("<li>{}</li>", escape(words))).collect();
    let body = format!(
        r#"<p><strong>{client}</strong> asks to:</p>
<ul>{items}</ul>
<p class="muted">You can withdraw this at any time in your account settings, under connected apps.</p>
<form method="post" action="/oauth/authorize/decision">
  <input type="hidden" name="request" value="{request}">
  <button type="submit" name="decision" value="approve">Allow</button>
  <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>"#,
        client = escape(client_name),
        request = escape(request),
    );
    page(StatusCode::OK, "Allow access?", &body)
}

pub fn error(message: &str) -> Response {
    let body = format!(
        r#"<p class="error" role="alert">{}</p><p class="muted">Go back to the application and try again; if it keeps happening, tell its maker.</p>"#,
        escape(message)
    );
    page(StatusCode::BAD_REQUEST, "This sign-in link does not work", &body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_what_could_break_out() {
        assert_eq!(super::escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }
}
