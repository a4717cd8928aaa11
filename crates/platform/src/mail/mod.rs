//! Mail: rendered from templates, always sent through the job queue, delivered
//! to an outbox folder of `.eml` files by default or to an SMTP server.

mod smtp;
mod templates;

pub use smtp::{SmtpSettings, TlsMode};
pub use templates::MailTemplates;

use std::sync::Arc;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::db::Transaction;
use crate::jobs::{JobFailure, JobHandlers, JobQueue};

/// The job kind that delivers one rendered mail.
pub const SEND_MAIL_JOB: &str = "mail.send";

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("`{0}` is not an e-mail address")]
    BadAddress(String),
    #[error("no mail template named `{0}`")]
    UnknownTemplate(String),
    #[error("rendering the mail failed: {0}")]
    Render(#[from] minijinja::Error),
    #[error("the mail settings are unusable: {0}")]
    Settings(String),
    #[error("the mail could not be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("the SMTP server refused the mail: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("writing the mail to the outbox failed: {0}")]
    Outbox(#[from] lettre::transport::file::Error),
    #[error(transparent)]
    Queue(#[from] crate::jobs::JobError),
}

/// Whether `text` is one e-mail address that mail can be sent to.
pub fn is_address(text: &str) -> bool {
    text.parse::<lettre::Address>().is_ok()
}

/// A mail ready to go: what the queue stores and the transport sends.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Clone)]
enum Transport {
    Outbox(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    templates: Arc<MailTemplates>,
    description: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

impl Mailer {
    pub fn from_config(config: &Config, templates: MailTemplates) -> Result<Self, MailError> {
        let from: Mailbox = config.mail_from.parse().map_err(|_| MailError::BadAddress(config.mail_from.clone()))?;
        let (transport, description) = match &config.smtp_url {
            Some(url) => {
                let settings = SmtpSettings::parse(url).map_err(MailError::Settings)?;
                let transport = settings.transport(config.smtp_ca_file.as_deref()).map_err(MailError::Settings)?;
                (Transport::Smtp(transport), format!("smtp {}:{} ({:?})", settings.host, settings.port, settings.tls))
            }
            None => {
                let dir = config.outbox_dir();
                std::fs::create_dir_all(&dir)
                    .map_err(|e| MailError::Settings(format!("cannot create the outbox {}: {e}", dir.display())))?;
                (Transport::Outbox(AsyncFileTransport::new(&dir)), format!("outbox {}", dir.display()))
            }
        };
        Ok(Self { transport, from, templates: Arc::new(templates), description })
    }

    pub fn describe(&self) -> &str {
        &self.description
    }

    pub fn render(&self, template: &str, to: &str, context: impl Serialize) -> Result<Mail, MailError> {
        self.templates.render(template, to, context)
    }

    /// Renders a mail and queues its delivery inside the caller's transaction.
    pub async fn enqueue(
        &self,
        queue: &JobQueue,
        tx: &mut Transaction,
        template: &str,
        to: &str,
        context: impl Serialize,
    ) -> Result<String, MailError> {
        to.parse::<Mailbox>().map_err(|_| MailError::BadAddress(to.to_string()))?;
        let mail = self.render(template, to, context)?;
        Ok(queue.enqueue(tx, SEND_MAIL_JOB, &mail).await?)
    }

    /// Sends one mail now. Only the job handler calls this: everything else
    /// goes through [`Mailer::enqueue`] so that no mail is lost to a crash.
    pub async fn deliver(&self, mail: &Mail) -> Result<(), MailError> {
        let to: Mailbox = mail.to.parse().map_err(|_| MailError::BadAddress(mail.to.clone()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))?;
        match &self.transport {
            Transport::Outbox(outbox) => {
                let id = outbox.send(message).await?;
                tracing::info!(file = %format!("{id}.eml"), subject = %mail.subject, "mail written to the outbox");
            }
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
                tracing::info!(subject = %mail.subject, "mail handed to the SMTP server");
            }
        }
        Ok(())
    }

    pub fn register_jobs(&self, handlers: &mut JobHandlers) {
        let mailer = self.clone();
        handlers.register(SEND_MAIL_JOB, move |ctx| {
            let mailer = mailer.clone();
            async move {
                let mail: Mail = serde_json::from_value(ctx.payload)
                    .map_err(|e| JobFailure::permanent(format!("not a mail: {e}")))?;
                mailer.deliver(&mail).await.map_err(|e| match &e {
                    MailError::BadAddress(_) | MailError::Build(_) => JobFailure::permanent(e),
                    MailError::Smtp(smtp) if smtp.is_permanent() => JobFailure::permanent(e),
                    _ => JobFailure::retry(e),
                })
            }
        });
    }
}
