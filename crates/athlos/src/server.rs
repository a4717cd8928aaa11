//! Starting and stopping the server and the worker.

mod competitors;
mod equipment;
mod partnering;
mod people;
mod relations;
mod syncing;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use platform::config::Config;
use platform::events::EventHandlers;
use platform::http::modules::Unserved;
use platform::mail::MailTemplates;
use platform::Platform;
use sqlx::migrate::Migrator;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use utoipa_axum::router::OpenApiRouter;

use crate::cli::ServeArgs;

/// Every context's migrations; a context adds its own here.
pub fn migrations() -> Vec<&'static Migrator> {
    vec![
        &platform::db::PLATFORM_MIGRATIONS,
        &identity::MIGRATIONS,
        &training::MIGRATIONS,
        &notifications::MIGRATIONS,
        &inventory::MIGRATIONS,
        &social::MIGRATIONS,
        &competition::MIGRATIONS,
        &partners::MIGRATIONS,
        &sync::MIGRATIONS,
    ]
}

/// Every context's mail templates.
pub fn mail_templates() -> MailTemplates {
    let mut templates = MailTemplates::default();
    identity::add_templates(&mut templates);
    notifications::add_templates(&mut templates);
    partners::add_templates(&mut templates);
    templates
}

/// Every context of this build, by the name `--modules` knows it by.
pub const ALL_MODULES: &[&str] =
    &["identity", "training", "notifications", "inventory", "social", "competition", "partners", "sync"];

/// The contexts of this build, wired to each other.
#[derive(Clone)]
pub struct Contexts {
    pub identity: identity::Identity,
    pub training: training::Training,
    pub notifications: notifications::Notifications,
    pub inventory: inventory::Inventory,
    pub social: social::Social,
    pub competition: competition::Competitions,
    pub partners: partners::Partners,
    pub sync: sync::Sync,
    /// The contexts this process serves.
    modules: Arc<Vec<String>>,
}

impl Contexts {
    pub async fn new(platform: &Platform) -> anyhow::Result<Self> {
        let identity = identity::Identity::new(platform.clone()).await?;
        // Training learns who is calling, and asks about people, from identity.
        let people = Arc::new(people::Accounts(identity.clone()));
        let training = training::Training::new(platform.clone(), identity.authenticator(), people);
        // Inventory and training ask each other: the sports and workouts, the equipment.
        let workouts = Arc::new(equipment::Workouts(training.clone()));
        let inventory = inventory::Inventory::new(platform.clone(), identity.authenticator(), workouts);
        let social = social::Social::new(
            platform.clone(),
            identity.authenticator(),
            Arc::new(relations::Accounts(identity.clone())),
        );
        let competitors = competitors::Competitors { identity: identity.clone(), social: social.clone() };
        let competition =
            competition::Competitions::new(platform.clone(), identity.authenticator(), Arc::new(competitors));
        let partnering = partnering::Partnering { identity: identity.clone(), social: social.clone() };
        let partners = partners::Partners::new(platform.clone(), identity.authenticator(), Arc::new(partnering));
        let training = training
            .with_equipment(Arc::new(equipment::Gear(inventory.clone())))
            .with_followers(Arc::new(relations::Relations(social.clone())));
        let records = syncing::Records { training: training.clone(), inventory: inventory.clone() };
        let sync = sync::Sync::new(platform.clone(), identity.authenticator(), Arc::new(records));
        // Exports and erasure reach every context holding a person's data.
        let identity = identity.with_personal_data(vec![
            training.personal_data(),
            inventory.personal_data(),
            social.personal_data(),
            competition.personal_data(),
            partners.personal_data(),
        ]);
        let addresses = Arc::new(people::Accounts(identity.clone()));
        let notifications = notifications::Notifications::new(platform.clone(), identity.authenticator(), addresses);
        Ok(Self {
            identity,
            training,
            notifications,
            inventory,
            social,
            competition,
            partners,
            sync,
            modules: platform.modules.clone(),
        })
    }

    fn serves(&self, module: &str) -> bool {
        self.modules.iter().any(|m| m == module)
    }

    /// The jobs this process runs: the platform's and its contexts'.
    pub fn job_handlers(&self, platform: &Platform) -> platform::jobs::JobHandlers {
        let mut handlers = platform.job_handlers();
        if self.serves("identity") {
            self.identity.register_jobs(&mut handlers);
        }
        if self.serves("training") {
            self.training.register_jobs(&mut handlers);
        }
        if self.serves("notifications") {
            self.notifications.register_jobs(&mut handlers);
        }
        if self.serves("inventory") {
            self.inventory.register_jobs(&mut handlers);
        }
        if self.serves("competition") {
            self.competition.register_jobs(&mut handlers);
        }
        if self.serves("partners") {
            self.partners.register_jobs(&mut handlers);
        }
        if self.serves("sync") {
            self.sync.register_jobs(&mut handlers);
        }
        handlers
    }

    /// What every context of this build does with events, served here or not.
    pub fn event_handlers(&self) -> EventHandlers {
        let mut handlers = EventHandlers::default();
        self.training.register_events(&mut handlers);
        self.notifications.register_events(&mut handlers);
        self.inventory.register_events(&mut handlers);
        self.social.register_events(&mut handlers);
        self.competition.register_events(&mut handlers);
        self.partners.register_events(&mut handlers);
        self.sync.register_events(&mut handlers);
        handlers
    }

    /// Each context's routes, by module.
    fn routes_by_module(&self) -> Vec<(String, OpenApiRouter<Platform>)> {
        vec![
            ("identity".into(), self.identity.routes()),
            ("training".into(), self.training.routes()),
            ("notifications".into(), self.notifications.routes()),
            ("inventory".into(), self.inventory.routes()),
            ("social".into(), self.social.routes()),
            ("competition".into(), self.competition.routes()),
            ("partners".into(), self.partners.routes()),
            ("sync".into(), self.sync.routes()),
        ]
    }

    /// The platform's routes (probes, the realtime socket) and those of the
    /// contexts this process serves.
    pub fn routes(&self) -> OpenApiRouter<Platform> {
        let realtime =
            platform::realtime::routes::all(self.training.platform.realtime.clone(), self.identity.authenticator());
        self.routes_by_module()
            .into_iter()
            .filter(|(module, _)| self.serves(module))
            .fold(platform::http::api().merge(realtime), |api, (_, routes)| api.merge(routes))
    }

    /// The paths of the contexts this process does not serve, refused by name.
    pub fn unserved(&self) -> Unserved {
        let (served, unserved): (Vec<_>, Vec<_>) = self
            .routes_by_module()
            .into_iter()
            .map(|(module, routes)| (module, routes.into_openapi().paths.paths.into_keys().collect::<Vec<_>>()))
            .partition(|(module, _)| self.serves(module));
        Unserved::new(&served, &unserved)
    }

    /// Starts the relay and this process's consumers.
    pub fn start_events(&self, platform: &Platform, shutdown: &CancellationToken) -> Vec<JoinHandle<()>> {
        platform.events.start(&self.event_handlers(), &self.modules, shutdown)
    }
}

/// The contexts this process serves: `--modules` / `ATHLOS_MODULES`, or all.
pub fn modules(config: &Config) -> anyhow::Result<Vec<String>> {
    let Some(list) = config.modules.as_deref().filter(|l| !l.trim().is_empty()) else {
        return Ok(ALL_MODULES.iter().map(|m| m.to_string()).collect());
    };
    let mut modules = Vec::new();
    for module in list.split(',').map(str::trim).filter(|m| !m.is_empty()) {
        if !ALL_MODULES.contains(&module) {
            anyhow::bail!("ATHLOS_MODULES: there is no module `{module}`; this build has {}", ALL_MODULES.join(", "));
        }
        if !modules.iter().any(|m| m == module) {
            modules.push(module.to_string());
        }
    }
    Ok(modules)
}

/// Connects to every backend, preparing the data folder and the secret key.
pub async fn connect(mut config: Config) -> anyhow::Result<Platform> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create the data folder {}", config.data_dir.display()))?;
    let key = platform::secret::load_or_create(config.secret_key.as_deref(), &config.data_dir)
        .with_context(|| format!("cannot keep a secret key in {}", config.data_dir.display()))?;
    config.secret_key = Some(key);
    let modules = modules(&config)?;
    Ok(Platform::connect(config, mail_templates(), modules).await?)
}

/// A server that is listening: what tests and `serve` hold on to.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub platform: Platform,
    pub contexts: Contexts,
    shutdown: CancellationToken,
    http: JoinHandle<std::io::Result<()>>,
    /// The job worker, the relay and the event consumers.
    background: Vec<JoinHandle<()>>,
}

impl RunningServer {
    /// The URL people reach the server at: the public URL.
    pub fn url(&self) -> String {
        self.platform.config.public_url()
    }

    /// Stops taking requests, lets those in flight finish, releases running jobs.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.wait().await
    }

    async fn wait(self) -> anyhow::Result<()> {
        let served = self.http.await.context("the HTTP server task panicked")?;
        for task in self.background {
            task.await.context("a background task panicked")?;
        }
        self.platform.db.close().await;
        served.context("the HTTP server failed")
    }
}

pub async fn start(mut config: Config, args: &ServeArgs) -> anyhow::Result<RunningServer> {
    // Bind first: a port in use is reported before anything else is touched.
    let listener = bind(config.listen).await?;
    let addr = listener.local_addr()?;
    // A certificate that cannot be used stops the start, naming the file.
    let tls = tls_files(&config)?;
    let local = platform::config::local_url(addr);
    let local = if tls.is_some() { local.replacen("http://", "https://", 1) } else { local };
    config.public_url.get_or_insert(local);
    let grace = Duration::from_secs(config.shutdown_grace_secs);
    let platform = connect(config).await?;
    if !args.no_migrate {
        platform.db.migrate(&migrations()).await?;
    }
    let contexts = Contexts::new(&platform).await?;
    let shutdown = CancellationToken::new();
    let mut background = platform.realtime.start(&shutdown);
    // Every replica pushes live boards to its own sockets, whatever it serves.
    background.push(contexts.competition.start_live(&shutdown));
    if !args.no_worker {
        let worker = platform.worker(contexts.job_handlers(&platform));
        background.push(tokio::spawn(worker.run(shutdown.clone())));
        background.extend(contexts.start_events(&platform, &shutdown));
    }
    let pages = crate::web::pages(&platform.config, Some(contexts.training.clone()))
        .layer(axum::middleware::from_fn_with_state(contexts.unserved(), platform::http::modules::refuse));
    let app = platform::http::app(platform.clone(), contexts.routes(), pages);
    let http = tokio::spawn(platform::http::serve(listener, tls, app, shutdown.clone(), grace));
    Ok(RunningServer { addr, platform, contexts, shutdown, http, background })
}

type Tls = (platform::http::tls::TlsFiles, Arc<rustls::ServerConfig>);

fn tls_files(config: &Config) -> anyhow::Result<Option<Tls>> {
    let (Some(cert), Some(key)) = (&config.tls_cert, &config.tls_key) else { return Ok(None) };
    let files = platform::http::tls::TlsFiles { cert: cert.clone(), key: key.clone() };
    let loaded = files.load().map_err(|e| anyhow::anyhow!("ATHLOS_TLS_CERT / ATHLOS_TLS_KEY: {e}"))?;
    Ok(Some((files, loaded)))
}

async fn bind(listen: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(listen).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "cannot listen on {listen}: another program already uses that address. Stop it, or choose another with --listen or ATHLOS_LISTEN"
        ),
        _ => anyhow::anyhow!("cannot listen on {listen}: {e}"),
    })
}

pub async fn serve_until_signal(config: Config, args: ServeArgs) -> anyhow::Result<()> {
    let server = start(config, &args).await?;
    announce(&server, &args);
    tracing::info!(url = %server.url(), "listening");
    stopped().await;
    tracing::info!("shutting down");
    server.stop().await
}

/// Tells the person who started the server where it is and what it runs on.
/// Write errors are ignored: a closed stdout must not stop the server.
fn announce(server: &RunningServer, args: &ServeArgs) {
    use std::io::Write;
    let p = &server.platform;
    let _ = writeln!(
        std::io::stdout(),
        "Athlos is running at {}\n  modules:  {}\n  database: {}\n  files:    {}\n  mail:     {}\n  events:   {}\n  realtime: {}\n  jobs:     {}",
        server.url(),
        p.modules.join(", "),
        platform::config::mask_url_password(&p.config.database_url()),
        p.blobs.describe(),
        p.mailer.describe(),
        p.events.describe(),
        p.realtime.describe(),
        if args.no_worker { "not run here (--no-worker)" } else { "run here, with the event relay and consumers" },
    );
}

pub async fn work_until_signal(config: Config) -> anyhow::Result<()> {
    let platform = connect(config).await?;
    let contexts = Contexts::new(&platform).await?;
    let shutdown = CancellationToken::new();
    let worker = tokio::spawn(platform.worker(contexts.job_handlers(&platform)).run(shutdown.clone()));
    let events = contexts.start_events(&platform, &shutdown);
    stopped().await;
    shutdown.cancel();
    worker.await?;
    for task in events {
        task.await?;
    }
    platform.db.close().await;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM (what orchestrators send).
async fn stopped() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
