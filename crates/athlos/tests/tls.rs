//! HTTPS from the binary itself (`ATHLOS_TLS_CERT`, `ATHLOS_TLS_KEY`): it
//! answers over TLS only, a renewed certificate is used without a restart,
//! a renewal that cannot be read keeps the old one, and settings that
//! cannot work stop the start with the setting named.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::{eventually, Backend, TestApp};

/// A self-signed certificate for 127.0.0.1, written to `dir`; its PEM.
fn certificate(dir: &Path, name: &str) -> Vec<u8> {
    let made = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2"])
        .args(["-subj", &format!("/CN={name}"), "-addext", "subjectAltName=IP:127.0.0.1"])
        // Not a CA: clients trust it as the server's own certificate.
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(dir.join(format!("{name}.key")))
        .arg("-out")
        .arg(dir.join(format!("{name}.pem")))
        .output()
        .expect("openssl runs (scripts/test installs it)");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    std::fs::read(dir.join(format!("{name}.pem"))).unwrap()
}

fn trusting(pem: &[u8]) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(pem).unwrap())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

async fn answers(client: &reqwest::Client, url: &str) -> bool {
    matches!(client.get(url).send().await, Ok(r) if r.status() == 200)
}

async fn the_server_speaks_tls_and_takes_a_renewed_certificate(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let first = certificate(dir.path(), "first");
    let (cert, key) = (dir.path().join("server.pem"), dir.path().join("server.key"));
    std::fs::copy(dir.path().join("first.pem"), &cert).unwrap();
    std::fs::copy(dir.path().join("first.key"), &key).unwrap();
    let (c, k) = (cert.clone(), key.clone());
    let app = TestApp::spawn_with(backend, move |config| {
        config.tls_cert = Some(c);
        config.tls_key = Some(k);
    })
    .await;
    let url = format!("https://127.0.0.1:{}/healthz", app.server.addr.port());
    assert!(app.server.url().starts_with("https://"), "{}", app.server.url());
    assert!(answers(&trusting(&first), &url).await);
    let plain = reqwest::Client::new().get(format!("http://{}/healthz", app.server.addr)).send().await;
    assert!(plain.is_err() || plain.unwrap().status() != 200, "no plain HTTP on a TLS port");

    // Renewed in place: the next connections get the new certificate.
    let second = certificate(dir.path(), "second");
    std::fs::copy(dir.path().join("second.key"), &key).unwrap();
    std::fs::copy(dir.path().join("second.pem"), &cert).unwrap();
    let renewed = || async { answers(&trusting(&second), &url).await };
    eventually("the renewed certificate served", Duration::from_secs(30), renewed).await;
    assert!(!answers(&trusting(&first), &url).await, "the old certificate is gone");
}

async fn tls_settings_that_cannot_work_stop_the_start(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let env = support::TestEnv::new(backend).await;
    let mut config = env.config();
    config.tls_cert = Some(dir.path().join("missing.pem"));
    config.tls_key = Some(dir.path().join("missing.key"));
    let failed = athlos::server::start(config.clone(), &Default::default()).await.err().expect("no start");
    assert!(failed.to_string().contains("ATHLOS_TLS_CERT"), "{failed}");

    // A key that is not the certificate's.
    certificate(dir.path(), "one");
    certificate(dir.path(), "other");
    config.tls_cert = Some(dir.path().join("one.pem"));
    config.tls_key = Some(dir.path().join("other.key"));
    let failed = athlos::server::start(config, &Default::default()).await.err().expect("no start");
    assert!(failed.to_string().contains("do not go together"), "{failed}");
}

on_every_database!(the_server_speaks_tls_and_takes_a_renewed_certificate, tls_settings_that_cannot_work_stop_the_start);
