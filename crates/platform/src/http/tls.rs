//! HTTPS without a proxy: `ATHLOS_TLS_CERT` and `ATHLOS_TLS_KEY` (PEM files)
//! make the server speak TLS (rustls) on its one port. The files are looked
//! at every few seconds and read again when they change, so a renewed
//! certificate (certbot, cert-manager) is used by the next connection
//! without a restart; a renewal that cannot be read keeps the old one.
//!
//! Handshakes run apart from the accept loop, each with a time limit, so a
//! client that connects and says nothing holds up nobody else.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;

/// How long a client has to finish its handshake.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);
/// How often the certificate files are looked at.
const LOOK_EVERY: Duration = Duration::from_secs(5);
/// Handshaken connections waiting for the server to take them.
const BACKLOG: usize = 1024;

/// Where the certificate chain and its key are.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TlsFiles {
    /// The server's TLS settings from the files: HTTP/2 and HTTP/1.1 offered.
    pub fn load(&self) -> Result<Arc<ServerConfig>, String> {
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&self.cert)
            .and_then(|certs| certs.collect())
            .map_err(|e| format!("{} holds no readable PEM certificate: {e}", self.cert.display()))?;
        if chain.is_empty() {
            return Err(format!("{} holds no certificate", self.cert.display()));
        }
        let key = PrivateKeyDer::from_pem_file(&self.key)
            .map_err(|e| format!("{} holds no readable PEM private key: {e}", self.key.display()))?;
        let mut config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| format!("the certificate and key do not go together: {e}"))?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }

    fn changed_at(&self) -> Option<(SystemTime, SystemTime)> {
        let at = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        Some((at(&self.cert)?, at(&self.key)?))
    }
}

/// A listener handing axum connections whose TLS handshake is done.
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Starts accepting on `listener` with the certificate of `files`
    /// (already checked by [`TlsFiles::load`]), until `shutdown`.
    pub fn start(
        listener: TcpListener,
        files: TlsFiles,
        first: Arc<ServerConfig>,
        shutdown: CancellationToken,
    ) -> Self {
        let local = listener.local_addr().expect("a bound listener has an address");
        let current = Arc::new(RwLock::new(first));
        let (sender, ready) = mpsc::channel(BACKLOG);
        tokio::spawn(watch(files, current.clone(), shutdown.clone()));
        tokio::spawn(accept(listener, current, sender, shutdown));
        Self { ready, local }
    }
}

async fn accept(
    listener: TcpListener,
    current: Arc<RwLock<Arc<ServerConfig>>>,
    ready: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>,
    shutdown: CancellationToken,
) {
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => return,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors, for one: wait rather than spin.
                    tracing::warn!(error = %e, "a connection could not be accepted");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let acceptor = TlsAcceptor::from(current.read().expect("tls config lock").clone());
        let ready = ready.clone();
        tokio::spawn(async move {
            match tokio::time::timeout(HANDSHAKE_LIMIT, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => {
                    let _ = ready.send((tls, peer)).await;
                }
                Ok(Err(e)) => tracing::debug!(%peer, error = %e, "a TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "a TLS handshake took too long"),
            }
        });
    }
}

/// Reads the files again whenever they change.
async fn watch(files: TlsFiles, current: Arc<RwLock<Arc<ServerConfig>>>, shutdown: CancellationToken) {
    let mut seen = files.changed_at();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
        let now = files.changed_at();
        if now == seen {
            continue;
        }
        match files.load() {
            Ok(config) => {
                *current.write().expect("tls config lock") = config;
                seen = now;
                tracing::info!(cert = %files.cert.display(), "the TLS certificate was read again");
            }
            // Half-written during a renewal, perhaps: the old one serves meanwhile.
            Err(e) => tracing::warn!(error = %e, "the changed TLS certificate could not be used; keeping the old one"),
        }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accept loop ended (shutdown): wait for the server to stop.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_half_written_certificate_is_refused_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let files = TlsFiles { cert: dir.path().join("cert.pem"), key: dir.path().join("key.pem") };
        std::fs::write(&files.cert, "-----BEGIN CERTIFICATE-----\nnot yet\n").unwrap();
        std::fs::write(&files.key, "").unwrap();
        let refused = files.load().unwrap_err();
        assert!(refused.contains("cert.pem"), "{refused}");
    }
}
