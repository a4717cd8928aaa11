//! Layered configuration: `ATHLOS_*` environment variables win over a `.env`
//! file, which wins over `athlos.toml`, which wins over the defaults below.
//!
//! Every setting is a flat key so that one name works in all three layers:
//! `ATHLOS_S3_BUCKET=x` in the environment is `s3_bucket = "x"` in the file.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// The effective configuration of one process.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Folder for the SQLite database, local files, the mail outbox and the secret key.
    pub data_dir: PathBuf,
    /// Address and port the HTTP server listens on.
    pub listen: SocketAddr,
    /// The URL people reach this server at (links in mails). Defaults to `http://<listen>`.
    pub public_url: Option<String>,
    /// `sqlite://…` or `postgres://…`. Defaults to `<data_dir>/athlos.db`.
    pub database_url: Option<String>,
    /// How long to keep retrying an unreachable database at start.
    pub database_connect_timeout_secs: u64,
    pub database_max_connections: u32,
    /// How long a request waits for a pooled connection before it fails with 503.
    pub database_acquire_timeout_secs: u64,
    /// Key for signing tokens; generated into `<data_dir>/secret.key` when unset.
    pub secret_key: Option<String>,

    /// Where local files live when no S3 endpoint is set. Defaults to `<data_dir>/files`.
    pub files_dir: Option<PathBuf>,
    pub s3_endpoint: Option<String>,
    pub s3_bucket: Option<String>,
    pub s3_region: String,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
    /// Path-style addressing (`endpoint/bucket/key`), which MinIO and Ceph want.
    pub s3_path_style: bool,

    /// `smtp://user:pass@host:587` (STARTTLS), `smtps://…:465` (implicit TLS) or
    /// `smtp://host:25?tls=none`. Unset: mails are written to the outbox folder.
    pub smtp_url: Option<String>,
    /// A PEM certificate to trust for the SMTP server in addition to the system's.
    pub smtp_ca_file: Option<PathBuf>,
    pub mail_from: String,
    /// Defaults to `<data_dir>/outbox`.
    pub outbox_dir: Option<PathBuf>,

    /// An OpenID Connect provider people may log in with (Keycloak, Google, another Athlos).
    pub oidc_issuer: Option<String>,
    pub oidc_client_id: Option<String>,
    pub oidc_client_secret: Option<String>,
    /// The provider's name on the login button.
    pub oidc_name: String,

    /// Origins allowed to call the API from a browser, comma-separated; empty allows none.
    #[serde(deserialize_with = "comma_separated")]
    pub cors_origins: Vec<String>,
    /// The largest JSON or form body.
    pub max_body_bytes: usize,
    /// The largest single uploaded file: an activity file or a photo.
    pub max_upload_bytes: usize,
    /// The largest archive for a bulk import (a Strava export can be gigabytes).
    pub max_import_bytes: usize,
    /// Activity files up to this size are read while the upload waits;
    /// larger ones by a job, the workout showing `processing` meanwhile.
    pub track_inline_bytes: usize,
    /// A PEM certificate chain: with `tls_key`, the server speaks HTTPS
    /// itself (for deployments without a proxy in front). Read again when
    /// the file changes.
    pub tls_cert: Option<std::path::PathBuf>,
    /// The PEM private key of `tls_cert`.
    pub tls_key: Option<std::path::PathBuf>,
    /// Take the client's address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    pub request_timeout_secs: u64,
    pub shutdown_grace_secs: u64,

    /// How many jobs one worker runs at once.
    pub worker_concurrency: usize,
    pub job_max_attempts: u32,
    /// The longest one run of a job may take; then it counts as failed.
    pub job_lease_secs: u64,
    /// How often a worker renews the lease of each job it runs. A job whose
    /// lease (three heartbeats) runs out, because its worker died, is taken
    /// by another worker.
    pub job_heartbeat_ms: u64,
    /// The first retry waits this long; each later one waits twice the one before.
    pub job_retry_base_ms: u64,
    pub job_poll_ms: u64,

    /// How long an access token lasts; clients renew it with their refresh
    /// token, and realtime sockets ask for the new one.
    pub access_token_secs: u64,

    /// The event bus between contexts: unset for in-process, `amqp://…` for
    /// RabbitMQ, `redis://…` for Redis Streams.
    pub bus_url: Option<String>,
    /// Prefix of the exchanges, queues, streams and keys Athlos makes on the
    /// bus, so that several installations can share one broker.
    pub bus_namespace: String,
    /// How often a context tries to handle an event before it is dead.
    pub event_max_attempts: u32,
    /// The pause after a handler's first failure; it doubles each time.
    pub event_retry_base_ms: u64,
    /// How long published events and the inboxes' rows are kept.
    pub outbox_retention_hours: u64,
    /// How often the relay looks for new events when the outbox was empty.
    pub relay_poll_ms: u64,
    /// Fan-out of realtime messages between replicas: unset for in-process,
    /// `redis://…` for Redis pub/sub, `amqp://…` for RabbitMQ.
    pub realtime_url: Option<String>,
    /// How often a realtime socket is pinged; one silent for three pings is closed.
    pub realtime_heartbeat_secs: u64,
    /// How long a chat message stays unread before its reader is mailed (0: at the next look).
    pub chat_unread_mail_minutes: u64,
    /// How long the sync protocol keeps tombstones and the ids of applied
    /// changes; a device offline for longer pulls everything again.
    pub sync_horizon_days: u64,
    /// The contexts this process serves, comma-separated (default: all).
    pub modules: Option<String>,

    /// Map tiles behind a workout's track, as a URL template such as
    /// `https://tile.openstreetmap.org/{z}/{x}/{y}.png`. Unset: the client
    /// draws tracks on a plain background and asks no tile server anything.
    pub map_tiles: Option<String>,
    /// The credit the tile provider asks for, shown on every map.
    pub map_attribution: Option<String>,

    /// `tracing` filter, for example `info` or `athlos=debug,info`.
    pub log: String,
    /// `auto` (JSON unless on a terminal), `json` or `pretty`.
    pub log_format: LogFormat,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Auto,
    Json,
    Pretty,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("athlos-data"),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            database_url: None,
            database_connect_timeout_secs: 30,
            database_max_connections: 10,
            database_acquire_timeout_secs: 10,
            secret_key: None,
            files_dir: None,
            s3_endpoint: None,
            s3_bucket: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_path_style: true,
            smtp_url: None,
            smtp_ca_file: None,
            mail_from: "Athlos <athlos@localhost>".into(),
            outbox_dir: None,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_name: "single sign-on".into(),
            cors_origins: Vec::new(),
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 64 * 1024 * 1024,
            max_import_bytes: 4 * 1024 * 1024 * 1024,
            track_inline_bytes: 4 * 1024 * 1024,
            tls_cert: None,
            tls_key: None,
            trust_forwarded_for: false,
            request_timeout_secs: 60,
            shutdown_grace_secs: 30,
            worker_concurrency: 4,
            job_max_attempts: 8,
            job_lease_secs: 300,
            job_heartbeat_ms: 10_000,
            job_retry_base_ms: 10_000,
            job_poll_ms: 1_000,
            access_token_secs: 15 * 60,
            bus_url: None,
            bus_namespace: "athlos".into(),
            event_max_attempts: 5,
            event_retry_base_ms: 500,
            outbox_retention_hours: 168,
            relay_poll_ms: 100,
            realtime_url: None,
            realtime_heartbeat_secs: 20,
            chat_unread_mail_minutes: 30,
            sync_horizon_days: 30,
            modules: None,
            map_tiles: None,
            map_attribution: None,
            log: "info".into(),
            log_format: LogFormat::Auto,
        }
    }
}

/// Settings whose values never appear in `config check` or in logs.
const SECRET_KEYS: &[&str] = &["secret_key", "s3_secret_access_key", "oidc_client_secret"];

/// A configuration that cannot be used, worded for the person who set it.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    /// The environment variable name, which is what people set most often.
    pub setting: String,
    pub problem: String,
}

impl ConfigError {
    fn new(key: &str, problem: impl Into<String>) -> Self {
        Self { setting: env_name(key), problem: problem.into() }
    }
}

fn env_name(key: &str) -> String {
    format!("ATHLOS_{}", key.to_ascii_uppercase())
}

impl Config {
    /// Reads the layers from the working directory and the process environment.
    pub fn load(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        // `.env` (in the working folder only) fills just the variables the
        // environment does not already set: that gives the environment precedence.
        match dotenvy::from_path(".env") {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => return Err(ConfigError { setting: ".env".into(), problem: e.to_string() }),
        }
        let file = config_file.unwrap_or(Path::new("athlos.toml"));
        if config_file.is_some() && !file.exists() {
            return Err(ConfigError {
                setting: file.display().to_string(),
                problem: "the configuration file does not exist".into(),
            });
        }
        Self::from_figment(
            Figment::from(Serialized::defaults(Config::default()))
                .merge(Toml::file(file))
                .merge(Env::prefixed("ATHLOS_").map(|k| k.as_str().to_ascii_lowercase().into())),
        )
    }

    fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let config: Config = figment.extract().map_err(|e| {
            let key = e.path.first().cloned().unwrap_or_default();
            let problem = match &e.kind {
                figment::error::Kind::UnknownField(field, _) => {
                    return ConfigError { setting: env_name(field), problem: "is not a known setting".into() }
                }
                kind => kind.to_string(),
            };
            ConfigError::new(&key, problem)
        })?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.database_url {
            if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(ConfigError::new("database_url", "must start with sqlite:, postgres:// or postgresql://"));
            }
        }
        match (&self.tls_cert, &self.tls_key) {
            (Some(_), None) => return Err(ConfigError::new("tls_key", "must be set when ATHLOS_TLS_CERT is set")),
            (None, Some(_)) => return Err(ConfigError::new("tls_cert", "must be set when ATHLOS_TLS_KEY is set")),
            _ => {}
        }
        if self.s3_endpoint.is_some() && self.s3_bucket.is_none() {
            return Err(ConfigError::new("s3_bucket", "must be set when ATHLOS_S3_ENDPOINT is set"));
        }
        if let Some(issuer) = &self.oidc_issuer {
            url::Url::parse(issuer).map_err(|e| ConfigError::new("oidc_issuer", format!("is not a URL: {e}")))?;
            if self.oidc_client_id.is_none() {
                return Err(ConfigError::new("oidc_client_id", "must be set when ATHLOS_OIDC_ISSUER is set"));
            }
        }
        if let Some(url) = &self.smtp_url {
            crate::mail::SmtpSettings::parse(url).map_err(|e| ConfigError::new("smtp_url", e))?;
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::new("mail_from", "must be an address like `Athlos <athlos@example.org>`"));
        }
        if let Some(url) = self.bus_url.as_deref().filter(|u| !u.trim().is_empty()) {
            if !["amqp://", "amqps://", "redis://", "rediss://"].iter().any(|scheme| url.starts_with(scheme)) {
                return Err(ConfigError::new(
                    "bus_url",
                    "must start with amqp://, amqps:// or redis://, or be unset for the in-process bus",
                ));
            }
        }
        if let Some(url) = self.realtime_url.as_deref().filter(|u| !u.trim().is_empty()) {
            if !["amqp://", "amqps://", "redis://", "rediss://"].iter().any(|scheme| url.starts_with(scheme)) {
                return Err(ConfigError::new(
                    "realtime_url",
                    "must start with redis:// or amqp://, or be unset for one process",
                ));
            }
        }
        if self.bus_namespace.is_empty()
            || !self.bus_namespace.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(ConfigError::new("bus_namespace", "must be letters, digits, `-`, `_` or `.`"));
        }
        if let Some(url) = &self.public_url {
            url::Url::parse(url).map_err(|e| ConfigError::new("public_url", format!("is not a URL: {e}")))?;
        }
        if let Some(template) = self.map_tiles.as_deref().filter(|t| *t != NO_TILES) {
            tile_server(template).map_err(|problem| ConfigError::new("map_tiles", problem))?;
        }
        for (key, value) in [
            ("worker_concurrency", self.worker_concurrency as u64),
            ("job_max_attempts", self.job_max_attempts as u64),
            ("job_lease_secs", self.job_lease_secs),
            ("job_heartbeat_ms", self.job_heartbeat_ms),
            ("database_acquire_timeout_secs", self.database_acquire_timeout_secs),
            ("job_poll_ms", self.job_poll_ms),
            ("access_token_secs", self.access_token_secs),
            ("realtime_heartbeat_secs", self.realtime_heartbeat_secs),
            ("event_max_attempts", self.event_max_attempts as u64),
            ("event_retry_base_ms", self.event_retry_base_ms),
            ("outbox_retention_hours", self.outbox_retention_hours),
            ("relay_poll_ms", self.relay_poll_ms),
            ("max_body_bytes", self.max_body_bytes as u64),
            ("max_upload_bytes", self.max_upload_bytes as u64),
            ("max_import_bytes", self.max_import_bytes as u64),
            ("request_timeout_secs", self.request_timeout_secs),
            ("database_max_connections", self.database_max_connections as u64),
        ] {
            if value == 0 {
                return Err(ConfigError::new(key, "must be greater than 0"));
            }
        }
        Ok(())
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", self.data_dir.join("athlos.db").display()))
    }

    pub fn files_dir(&self) -> PathBuf {
        self.files_dir.clone().unwrap_or_else(|| self.data_dir.join("files"))
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.outbox_dir.clone().unwrap_or_else(|| self.data_dir.join("outbox"))
    }

    pub fn public_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| local_url(self.listen))
    }

    /// The tile template maps are drawn on: OpenStreetMap's standard tiles
    /// unless another is set, none when set to `none`. OpenStreetMap's tile
    /// usage policy allows light use such as a club's, with attribution.
    pub fn tiles(&self) -> Option<&str> {
        match self.map_tiles.as_deref() {
            None => Some(OSM_TILES),
            Some(NO_TILES) => None,
            Some(template) => Some(template),
        }
    }

    /// The credit shown on maps: the one set, or OpenStreetMap's for its tiles.
    pub fn tiles_attribution(&self) -> Option<&str> {
        match (self.tiles(), self.map_attribution.as_deref()) {
            (None, _) => None,
            (Some(_), Some(credit)) => Some(credit),
            (Some(OSM_TILES), None) => Some(OSM_ATTRIBUTION),
            (Some(_), None) => None,
        }
    }

    /// Where browsers fetch map tiles from (`scheme://host[:port]`, `*.` for
    /// a `{s}` subdomain), for the web client's Content-Security-Policy.
    pub fn map_tiles_origin(&self) -> Option<String> {
        let url = tile_server(self.tiles()?).ok()?;
        let host = url.host_str()?.replacen(SUBDOMAIN_SAMPLE, "*", 1);
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        Some(format!("{}://{host}{port}", url.scheme()))
    }

    /// The effective configuration as TOML, with secrets and passwords in URLs masked.
    pub fn masked_toml(&self) -> String {
        let mut value = serde_json::to_value(self).expect("config serializes");
        let map = value.as_object_mut().expect("config is an object");
        for key in SECRET_KEYS {
            if map.get(*key).is_some_and(|v| !v.is_null()) {
                map.insert((*key).into(), "********".into());
            }
        }
        for key in ["database_url", "smtp_url", "bus_url", "realtime_url"] {
            if let Some(serde_json::Value::String(url)) = map.get(key) {
                let masked = mask_url_password(url);
                map.insert(key.into(), masked.into());
            }
        }
        let mut out = String::new();
        for (key, value) in map.iter() {
            let shown = match value {
                serde_json::Value::Null => "(unset)".to_string(),
                v => v.to_string(),
            };
            out.push_str(&format!("{:<32} {shown}\n", env_name(key)));
        }
        out
    }
}

/// Stands in for `{s}` when a tile template is checked: a subdomain a URL
/// parser accepts and nothing real is called.
const SUBDOMAIN_SAMPLE: &str = "tile-subdomain";

/// A tile URL template as a URL, with its placeholders filled in: it must be
/// http(s) and name the zoom, column and row, or no map could be drawn.
const OSM_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";
/// `ATHLOS_MAP_TILES=none`: no tile server is ever contacted.
const NO_TILES: &str = "none";

fn tile_server(template: &str) -> Result<url::Url, String> {
    let example = "like https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    for placeholder in ["{z}", "{x}", "{y}"] {
        if !template.contains(placeholder) {
            return Err(format!("must contain {{z}}, {{x}} and {{y}} ({example}); {placeholder} is missing"));
        }
    }
    let filled = template
        .replace("{z}", "1")
        .replace("{x}", "0")
        .replace("{y}", "0")
        .replace("{s}", SUBDOMAIN_SAMPLE)
        .replace("{r}", "");
    let url = url::Url::parse(&filled).map_err(|e| format!("is not a URL ({example}): {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("must be an http:// or https:// URL ({example})"));
    }
    Ok(url)
}

/// Accepts `"a,b"` (as an environment variable gives it) as well as `["a", "b"]`.
fn comma_separated<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Origins {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Origins::deserialize(d)? {
        Origins::One(s) => s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
        Origins::Many(v) => v,
    })
}

/// `postgres://user:pw@host/db` → `postgres://user:********@host/db`.
pub fn mask_url_password(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("********"));
            url.to_string()
        }
        _ => raw.to_string(),
    }
}

/// The URL of a server nobody configured a public URL for. A loopback
/// address is named `localhost`: browsers treat it as a secure origin and
/// accept it for passkeys, which they refuse for a bare IP address.
pub fn local_url(addr: std::net::SocketAddr) -> String {
    if addr.ip().is_loopback() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect();
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        for (k, v) in env {
            figment = figment.merge((k, v));
        }
        Config::from_figment(figment)
    }

    #[test]
    fn defaults_are_the_embedded_backends() {
        let c = load(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert!(c.database_url().starts_with("sqlite://athlos-data/athlos.db"));
        assert_eq!(c.files_dir(), PathBuf::from("athlos-data/files"));
        assert!(c.smtp_url.is_none());
    }

    #[test]
    fn a_bad_value_names_the_environment_variable() {
        let err = load(&[("listen", "not-an-address")]).unwrap_err();
        assert_eq!(err.setting, "ATHLOS_LISTEN");
        let err = load(&[("database_url", "mysql://x")]).unwrap_err();
        assert_eq!(err.setting, "ATHLOS_DATABASE_URL");
        let err = load(&[("s3_endpoint", "http://127.0.0.1:9000")]).unwrap_err();
        assert_eq!(err.setting, "ATHLOS_S3_BUCKET");
        let err = load(&[("tls_cert", "/etc/athlos/cert.pem")]).unwrap_err();
        assert_eq!(err.setting, "ATHLOS_TLS_KEY");
        let err = load(&[("tls_key", "/etc/athlos/key.pem")]).unwrap_err();
        assert_eq!(err.setting, "ATHLOS_TLS_CERT");
        let err = load(&[("worker_concurrency", "0")]).unwrap_err();
        assert_eq!(err.setting, "ATHLOS_WORKER_CONCURRENCY");
    }

    #[test]
    fn map_tiles_must_be_an_http_template_with_zoom_column_and_row() {
        let osm = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
        let c = load(&[("map_tiles", osm), ("map_attribution", "© OpenStreetMap contributors")]).unwrap();
        assert_eq!(c.map_tiles.as_deref(), Some(osm));
        assert_eq!(c.map_tiles_origin().as_deref(), Some("https://tile.openstreetmap.org"));
        let c = load(&[("map_tiles", "http://{s}.tiles.example.org:8081/{z}/{x}/{y}@2x.png")]).unwrap();
        assert_eq!(c.map_tiles_origin().as_deref(), Some("http://*.tiles.example.org:8081"));
        let default = load(&[]).unwrap();
        assert_eq!(default.tiles(), Some(osm));
        assert_eq!(default.tiles_attribution(), Some("© OpenStreetMap contributors"));
        let none = load(&[("map_tiles", "none")]).unwrap();
        assert!(none.tiles().is_none() && none.tiles_attribution().is_none() && none.map_tiles_origin().is_none());
        for bad in [
            "https://tile.openstreetmap.org/{z}/{x}.png",
            "ftp://tiles.example.org/{z}/{x}/{y}.png",
            "tiles/{z}/{x}/{y}.png",
            "javascript:alert(1)//{z}/{x}/{y}",
        ] {
            let err = load(&[("map_tiles", bad)]).unwrap_err();
            assert_eq!(err.setting, "ATHLOS_MAP_TILES", "{bad}");
        }
    }

    #[test]
    fn secrets_are_masked() {
        let c = load(&[
            ("secret_key", "very-secret"),
            ("database_url", "postgres://athlos:hunter2@db/athlos"),
            ("smtp_url", "smtp://mailer:pa55@mail.example.org:587"),
        ])
        .unwrap();
        let shown = c.masked_toml();
        assert!(!shown.contains("very-secret") && !shown.contains("hunter2") && !shown.contains("pa55"), "{shown}");
        assert!(shown.contains("postgres://athlos:********@db/athlos"));
    }
}
