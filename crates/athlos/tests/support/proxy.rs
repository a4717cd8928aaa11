//! A TCP proxy the test controls, between Athlos and a broker: cutting it
//! drops every connection through it at once, as a flaky network would,
//! without touching the machine's shared broker.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

pub struct Proxy {
    pub addr: SocketAddr,
    links: Arc<Mutex<Vec<AbortHandle>>>,
    accept: AbortHandle,
}

impl Proxy {
    /// Forwards connections on a free local port to `target` (`host:port`).
    pub async fn start(target: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let addr = listener.local_addr().unwrap();
        let links: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let registry = links.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                registry.lock().unwrap().push(link.abort_handle());
            }
        })
        .abort_handle();
        Self { addr, links, accept }
    }

    /// Drops every open connection; new ones are still let through.
    pub fn cut(&self) -> usize {
        let links: Vec<AbortHandle> = std::mem::take(&mut *self.links.lock().unwrap());
        let live = links.iter().filter(|l| !l.is_finished()).count();
        links.iter().for_each(AbortHandle::abort);
        live
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}
