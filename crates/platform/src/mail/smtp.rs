//! Reading `ATHLOS_SMTP_URL` into the settings of an SMTP connection.

use std::path::Path;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// `smtps://`: TLS from the first byte (port 465).
    Implicit,
    /// `smtp://` (default): the connection must be upgraded with STARTTLS.
    StartTls,
    /// `smtp://…?tls=opportunistic`: STARTTLS when the server offers it.
    Opportunistic,
    /// `smtp://…?tls=none`: plain text, for a relay on the same host.
    None,
}

#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub user: Option<String>,
    password: Option<String>,
}

impl SmtpSettings {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url =
            url::Url::parse(raw).map_err(|e| format!("is not a URL ({e}); expected smtp://user:password@host:587"))?;
        let implicit = match url.scheme() {
            "smtps" => true,
            "smtp" => false,
            other => return Err(format!("has scheme `{other}`; use smtp:// (STARTTLS) or smtps:// (implicit TLS)")),
        };
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or("names no host")?.to_string();
        let requested = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
        let tls = match (implicit, requested.as_deref()) {
            (true, None) => TlsMode::Implicit,
            (true, Some(_)) => return Err("smtps:// is always TLS; `tls=` only applies to smtp://".into()),
            (false, None | Some("required") | Some("starttls")) => TlsMode::StartTls,
            (false, Some("opportunistic")) => TlsMode::Opportunistic,
            (false, Some("none")) => TlsMode::None,
            (false, Some(other)) => return Err(format!("has tls={other}; use required, opportunistic or none")),
        };
        let port = url.port().unwrap_or(if implicit { 465 } else { 587 });
        let decode = |s: &str| percent_decode(s);
        let user = Some(url.username()).filter(|u| !u.is_empty()).map(decode);
        let password = url.password().map(decode);
        Ok(Self { host, port, tls, user, password })
    }

    pub fn transport(&self, ca_file: Option<&Path>) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let mut params = TlsParameters::builder(self.host.clone());
        if let Some(path) = ca_file {
            let pem = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let cert =
                Certificate::from_pem(&pem).map_err(|e| format!("{} is not a PEM certificate: {e}", path.display()))?;
            params = params.add_root_certificate(cert);
        }
        let params = params.build_rustls().map_err(|e| e.to_string())?;
        let tls = match self.tls {
            TlsMode::Implicit => Tls::Wrapper(params),
            TlsMode::StartTls => Tls::Required(params),
            TlsMode::Opportunistic => Tls::Opportunistic(params),
            TlsMode::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
            .port(self.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&self.user, &self.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tls_mode_port_and_credentials() {
        let s = SmtpSettings::parse("smtp://mailer:p%40ss@mail.example.org").unwrap();
        assert_eq!((s.host.as_str(), s.port, s.tls), ("mail.example.org", 587, TlsMode::StartTls));
        assert_eq!((s.user.as_deref(), s.password.as_deref()), (Some("mailer"), Some("p@ss")));
        let s = SmtpSettings::parse("smtps://mail.example.org").unwrap();
        assert_eq!((s.port, s.tls), (465, TlsMode::Implicit));
        let s = SmtpSettings::parse("smtp://localhost:25?tls=none").unwrap();
        assert_eq!((s.port, s.tls), (25, TlsMode::None));
    }

    #[test]
    fn refuses_what_it_cannot_use() {
        assert!(SmtpSettings::parse("http://mail.example.org").is_err());
        assert!(SmtpSettings::parse("smtp://mail.example.org?tls=maybe").is_err());
        assert!(SmtpSettings::parse("smtps://mail.example.org?tls=none").is_err());
        assert!(SmtpSettings::parse("not a url").is_err());
    }
}
