//! Reports and moderation: anyone reports a profile, a training or a
//! comment they can see, with a reason; administrators work through the
//! queue and hide the content, warn or suspend its author, or dismiss the
//! report. Every action is logged with who and why; the reporter sees what
//! happened, and the author is told when their content was hidden.

pub(crate) mod store;

use platform::db::{now_ms, rfc3339};
use platform::http::Caller;
use platform::notify::{self, Notice};
use platform::outbox::{self, DomainEvent};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::{IntoParams, ToSchema};

use crate::error::{Result, SocialError};
use crate::{profiles, reactions, Social};

/// What social tells training when a moderator hides a training.
pub const TRAINING_HIDDEN: &str = "TrainingHidden";
/// What social tells partners when a moderator hides a chat message.
pub const MESSAGE_HIDDEN: &str = "MessageHidden";
/// Reports one person may file in a day.
pub const DAILY_REPORTS: i64 = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    Profile,
    Training,
    Comment,
    /// A chat message: reported from its conversation, which keeps it.
    Message,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    Spam,
    Abuse,
    Privacy,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Hides the content from everyone but administrators; tells its author.
    Hide,
    /// Sends the author a warning with the reason.
    Warn,
    /// Suspends the author's account and ends their sessions.
    Suspend,
    /// Nothing to do.
    Dismiss,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub subject: Subject,
    /// The profile's user id, the training's id or the comment's id.
    #[schema(max_length = 64)]
    pub id: String,
    pub reason: Reason,
    /// At most 1 000 characters.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub details: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub action: Action,
    /// Why, 1 to 1 000 characters: logged, and told to the author for a warning.
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Report {
    pub id: String,
    pub subject: Subject,
    pub subject_id: String,
    pub reason: Reason,
    pub details: String,
    /// `open`, `dismissed` or `actioned`.
    pub state: String,
    /// What was done, once decided.
    pub outcome: Option<String>,
    pub created_at: String,
    pub resolved_at: Option<String>,
    /// For administrators: who reported, whose content, and the content itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LoggedAction {
    pub id: String,
    pub moderator_id: String,
    pub report_id: Option<String>,
    pub action: Action,
    pub subject: Subject,
    pub subject_id: String,
    pub target_id: String,
    pub reason: String,
    pub created_at: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct QueueQuery {
    /// `open` (the default), `dismissed` or `actioned`.
    #[param(pattern = "^(open|dismissed|actioned)$")]
    pub state: Option<String>,
}

/// A report as stored.
#[derive(Clone, Debug)]
pub struct StoredReport {
    pub id: String,
    pub reporter_id: String,
    pub subject: Subject,
    pub subject_id: String,
    pub subject_owner: String,
    pub reason: Reason,
    pub details: String,
    pub state: String,
    pub outcome: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

impl StoredReport {
    pub(crate) fn shown(self, for_admin: bool) -> Report {
        Report {
            id: self.id,
            subject: self.subject,
            subject_id: self.subject_id,
            reason: self.reason,
            details: self.details,
            state: self.state,
            outcome: self.outcome,
            created_at: rfc3339(self.created_at),
            resolved_at: self.resolved_at.map(rfc3339),
            reporter_id: for_admin.then_some(self.reporter_id),
            subject_owner: for_admin.then_some(self.subject_owner),
            content: None,
        }
    }
}

impl Social {
    pub async fn report(&self, me: &str, new: NewReport) -> Result<Report> {
        let details = checked_details(&new.details)?;
        if new.subject == Subject::Profile {
            self.existing(&new.id).await?;
        }
        let mut tx = self.platform.db.begin().await?;
        let owner = self.owner_of(&mut tx, me, new.subject, &new.id).await?;
        let report = file(&mut tx, me, new.subject, new.id, owner, new.reason, details, None).await?;
        tx.commit().await?;
        Ok(report.shown(false))
    }

    /// Files a report of a chat message that partners checked the reporter
    /// received; the text is kept with the report for the moderators.
    pub async fn report_message(&self, me: &str, message: ReportedMessage<'_>) -> Result<Report> {
        let details = checked_details(message.details)?;
        let reason: Reason = serde_json::from_value(serde_json::Value::String(message.reason.into()))
            .map_err(|_| SocialError::invalid("reason", "the reason is spam, abuse, privacy or other"))?;
        let (id, owner) = (message.id.to_string(), message.author_id.to_string());
        let mut tx = self.platform.db.begin().await?;
        let report = file(&mut tx, me, Subject::Message, id, owner, reason, details, Some(message.text)).await?;
        tx.commit().await?;
        Ok(report.shown(false))
    }

    /// Whose the subject is, if the reporter may see it.
    async fn owner_of(&self, conn: &mut AnyConnection, me: &str, subject: Subject, id: &str) -> Result<String> {
        match subject {
            Subject::Profile => Ok(id.to_string()),
            Subject::Training => Ok(self.visible_training(conn, me, id).await?.user_id),
            Subject::Comment => {
                let comment = reactions::store::comment_by_id(conn, id).await?.ok_or(SocialError::NotFound)?;
                if comment.hidden {
                    return Err(SocialError::NotFound);
                }
                self.visible_training(conn, me, &comment.workout_id).await?;
                Ok(comment.author_id)
            }
            Subject::Message => Err(SocialError::invalid("subject", "report a message from its conversation")),
        }
    }

    pub async fn my_reports(&self, me: &str) -> Result<Vec<Report>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        Ok(store::reports_by(&mut conn, me).await?.into_iter().map(|r| r.shown(false)).collect())
    }

    /// The queue, for administrators, with each subject's content.
    pub async fn queue(&self, caller: &Caller, state: Option<&str>) -> Result<Vec<Report>> {
        caller.require_admin()?;
        let state = state.unwrap_or("open");
        if !["open", "dismissed", "actioned"].contains(&state) {
            return Err(SocialError::invalid("state", "state is open, dismissed or actioned"));
        }
        let mut conn = self.platform.db.pool().acquire().await?;
        let mut out = Vec::new();
        for report in store::queue(&mut conn, state).await? {
            let content = content_of(&mut conn, report.subject, &report.subject_id).await?;
            let mut shown = report.shown(true);
            shown.content = content;
            out.push(shown);
        }
        Ok(out)
    }

    pub async fn actions(&self, caller: &Caller) -> Result<Vec<LoggedAction>> {
        caller.require_admin()?;
        let mut conn = self.platform.db.pool().acquire().await?;
        store::actions(&mut conn).await
    }

    /// Decides a report: acts on its subject, logs it, tells who should know.
    pub async fn decide(&self, caller: &Caller, report_id: &str, decision: Decision) -> Result<Report> {
        caller.require_admin()?;
        let reason = decision.reason.trim().to_string();
        if reason.is_empty() || reason.chars().count() > 1000 {
            return Err(SocialError::invalid("reason", "give a reason of 1 to 1 000 characters"));
        }
        let report = {
            let mut conn = self.platform.db.pool().acquire().await?;
            store::report(&mut conn, report_id).await?.ok_or(SocialError::NotFound)?
        };
        if report.state != "open" {
            return Err(SocialError::Conflict("this report was decided already".into()));
        }
        if decision.action == Action::Suspend {
            self.people.suspend(&caller.id, &report.subject_owner).await.map_err(SocialError::Internal)?;
        }
        let mut tx = self.platform.db.begin().await?;
        let outcome = apply(&mut tx, &report, decision.action, &reason).await?;
        let state = if decision.action == Action::Dismiss { "dismissed" } else { "actioned" };
        if !store::resolve(&mut tx, report_id, state, &outcome, now_ms()).await? {
            return Err(SocialError::Conflict("this report was decided already".into()));
        }
        store::log_action(&mut tx, &caller.id, &report, decision.action, &reason, now_ms()).await?;
        let notice = Notice {
            user_id: &report.reporter_id,
            kind: "report_resolved",
            subject_id: Some(&report.id),
            actor_id: None,
            title: &format!("Your report was looked at: {outcome}"),
            data: serde_json::json!({ "report_id": report.id, "outcome": outcome }),
        };
        notify::request(&mut tx, &notice).await?;
        tx.commit().await?;
        let mut conn = self.platform.db.pool().acquire().await?;
        Ok(store::report(&mut conn, report_id).await?.ok_or(SocialError::NotFound)?.shown(true))
    }
}

/// A chat message as partners hands it over.
pub struct ReportedMessage<'a> {
    pub id: &'a str,
    pub author_id: &'a str,
    pub text: &'a str,
    pub reason: &'a str,
    pub details: &'a str,
}

fn checked_details(details: &str) -> Result<String> {
    let details = details.trim().to_string();
    if details.chars().count() > 1000 {
        return Err(SocialError::invalid("details", "the details are longer than 1 000 characters"));
    }
    Ok(details)
}

/// Files a report within the daily limit, once per reporter and subject.
#[allow(clippy::too_many_arguments)]
async fn file(
    conn: &mut AnyConnection,
    me: &str,
    subject: Subject,
    subject_id: String,
    owner: String,
    reason: Reason,
    details: String,
    content: Option<&str>,
) -> Result<StoredReport> {
    if store::filed_since(conn, me, now_ms() - 24 * 3600 * 1000).await? >= DAILY_REPORTS {
        return Err(SocialError::TooMany(format!("you filed {DAILY_REPORTS} reports today; try again tomorrow")));
    }
    if owner == me {
        return Err(SocialError::invalid("id", "you cannot report your own content"));
    }
    let report = StoredReport {
        id: uuid::Uuid::now_v7().to_string(),
        reporter_id: me.to_string(),
        subject,
        subject_id,
        subject_owner: owner,
        reason,
        details,
        state: "open".into(),
        outcome: None,
        created_at: now_ms(),
        resolved_at: None,
    };
    if !store::add_report(conn, &report, content).await? {
        return Err(SocialError::Conflict("you reported this already; an administrator will look at it".into()));
    }
    Ok(report)
}

/// Does what the moderator decided; the outcome the reporter reads.
async fn apply(conn: &mut AnyConnection, report: &StoredReport, action: Action, reason: &str) -> Result<String> {
    let owner = report.subject_owner.as_str();
    match action {
        Action::Dismiss => Ok("no rule was broken".into()),
        Action::Suspend => Ok("the account was suspended".into()),
        Action::Warn => {
            tell(conn, owner, "moderation_warning", &format!("A moderator warned you: {reason}"), report, reason)
                .await?;
            Ok("the author was warned".into())
        }
        Action::Hide => {
            hide(conn, report).await?;
            tell(conn, owner, "content_hidden", "A moderator hid something you posted", report, reason).await?;
            Ok("the content was hidden".into())
        }
    }
}

async fn hide(conn: &mut AnyConnection, report: &StoredReport) -> Result<()> {
    match report.subject {
        Subject::Comment => {
            if let Some(mut comment) = reactions::store::comment_by_id(conn, &report.subject_id).await? {
                comment.hidden = true;
                reactions::store::update_comment(conn, &comment).await?;
            }
        }
        Subject::Training => {
            // Training owns the workout: it makes it private, and says so.
            let facts = serde_json::json!({ "workout_id": report.subject_id, "user_id": report.subject_owner });
            let event = DomainEvent {
                kind: TRAINING_HIDDEN,
                subject_id: &report.subject_id,
                user_id: &report.subject_owner,
                payload: &facts,
            };
            outbox::record(conn, &event).await?;
        }
        Subject::Message => {
            // Partners keeps the conversation: it hides the message.
            let facts = serde_json::json!({ "message_id": report.subject_id, "user_id": report.subject_owner });
            let event = DomainEvent {
                kind: MESSAGE_HIDDEN,
                subject_id: &report.subject_id,
                user_id: &report.subject_owner,
                payload: &facts,
            };
            outbox::record(conn, &event).await?;
        }
        Subject::Profile => {
            let mut about = profiles::store::get(conn, &report.subject_id).await?;
            about.bio.clear();
            about.home_area = None;
            profiles::store::put(conn, &report.subject_id, &about, now_ms()).await?;
        }
    }
    Ok(())
}

async fn tell(
    conn: &mut AnyConnection,
    user_id: &str,
    kind: &str,
    title: &str,
    report: &StoredReport,
    reason: &str,
) -> Result<()> {
    let data = serde_json::json!({ "subject": report.subject, "subject_id": report.subject_id, "reason": reason });
    let notice = Notice { user_id, kind, subject_id: Some(&report.subject_id), actor_id: None, title, data };
    notify::request(conn, &notice).await?;
    Ok(())
}

/// What was reported, for the administrator deciding.
async fn content_of(conn: &mut AnyConnection, subject: Subject, id: &str) -> Result<Option<String>> {
    Ok(match subject {
        Subject::Comment => reactions::store::comment_by_id(conn, id).await?.map(|c| c.body),
        Subject::Training => crate::trainings::store::get(conn, id).await?.map(|t| t.title),
        Subject::Profile => Some(profiles::store::get(conn, id).await?.bio),
        Subject::Message => store::reported_text(conn, id).await?,
    })
}
