//! The buses every event test runs on: in-process, RabbitMQ and Redis
//! Streams (started by `scripts/test`; under `CI=true` a missing one fails).

use super::{service, Backend};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bus {
    InProcess,
    RabbitMq,
    Redis,
}

impl Bus {
    /// The broker's URL; none for the in-process bus. Panics (under CI) or
    /// returns `Err` (skip) when the broker is not there.
    pub fn url(self) -> Result<Option<String>, ()> {
        match self {
            Bus::InProcess => Ok(None),
            Bus::RabbitMq => service("TEST_AMQP_URL", "RabbitMQ").map(Some).ok_or(()),
            Bus::Redis => service("TEST_REDIS_URL", "Redis").map(Some).ok_or(()),
        }
    }

    /// The same URL with its host and port replaced by `proxy`.
    pub fn url_through(self, proxy: std::net::SocketAddr) -> Option<String> {
        let mut url = url::Url::parse(&self.url().ok()??).expect("a broker URL");
        url.set_ip_host(proxy.ip()).unwrap();
        url.set_port(Some(proxy.port())).unwrap();
        Some(url.to_string())
    }

    /// `host:port` of the broker.
    pub fn address(self) -> Option<String> {
        let url = url::Url::parse(&self.url().ok()??).expect("a broker URL");
        Some(format!(
            "{}:{}",
            url.host_str()?,
            url.port_or_known_default().or(match self {
                Bus::RabbitMq => Some(5672),
                _ => Some(6379),
            })?
        ))
    }
}

/// An app on `backend` whose events go through `bus`, in a namespace of its
/// own, relaying and retrying quickly so tests wait little.
pub async fn app_on(backend: Backend, bus: Bus) -> super::TestApp {
    let url = bus.url().unwrap();
    super::TestApp::spawn_with(backend, move |config| {
        config.bus_url = url;
        config.bus_namespace = format!("test-{}", uuid::Uuid::now_v7().simple());
        config.relay_poll_ms = 20;
        config.event_retry_base_ms = 10;
    })
    .await
}

pub fn available(backend: Backend, bus: Bus) -> bool {
    (backend == Backend::Sqlite || service("TEST_POSTGRES_URL", "PostgreSQL").is_some()) && bus.url().is_ok()
}

/// Runs each named `async fn(Backend, Bus)` on every database and every bus.
#[macro_export]
macro_rules! on_every_bus_and_database {
    ($($name:ident),* $(,)?) => {
        $crate::bus_tests!(sqlite_in_process, Sqlite, InProcess; $($name),*);
        $crate::bus_tests!(sqlite_rabbitmq, Sqlite, RabbitMq; $($name),*);
        $crate::bus_tests!(sqlite_redis, Sqlite, Redis; $($name),*);
        $crate::bus_tests!(postgres_in_process, Postgres, InProcess; $($name),*);
        $crate::bus_tests!(postgres_rabbitmq, Postgres, RabbitMq; $($name),*);
        $crate::bus_tests!(postgres_redis, Postgres, Redis; $($name),*);
    };
}

#[macro_export]
macro_rules! bus_tests {
    ($module:ident, $db:ident, $bus:ident; $($name:ident),*) => {
        mod $module {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let (backend, bus) = ($crate::support::Backend::$db, $crate::support::bus::Bus::$bus);
                if !$crate::support::bus::available(backend, bus) { return; }
                super::$name(backend, bus).await
            })*
        }
    };
}

/// `athlos_events_published_total` of one process: what its relay published.
pub fn published(platform: &platform::Platform) -> u64 {
    let text = platform.metrics.render();
    let line = text.lines().find(|l| l.starts_with("athlos_events_published_total ")).expect("the metric");
    line.rsplit(' ').next().unwrap().parse().unwrap()
}
