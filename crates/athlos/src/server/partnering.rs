//! Identity and social answering partners' questions about people: names,
//! addresses, home areas, follows and blocks; and social's moderation
//! taking reports of chat messages.

use futures::future::BoxFuture;
use identity::{Identity, IdentityError};
use partners::people::{MessageReport, People, ReportRefused, Standing};
use platform::people::PublicProfile;
use social::moderation::ReportedMessage;
use social::{Social, SocialError};

pub struct Partnering {
    pub identity: Identity,
    pub social: Social,
}

impl People for Partnering {
    fn profiles<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<PublicProfile>, String>> {
        Box::pin(async move { self.identity.public_profiles(ids).await.map_err(|e| e.to_string()) })
    }

    fn home_area<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<String>, String>> {
        Box::pin(async move { Ok(self.social.my_profile(user_id).await.map_err(|e| e.to_string())?.home_area) })
    }

    fn blocked_around<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Vec<String>, String>> {
        Box::pin(async move { self.social.blocked_around(user_id).await.map_err(|e| e.to_string()) })
    }

    fn standing<'a>(&'a self, a: &'a str, b: &'a str) -> BoxFuture<'a, Result<Standing, String>> {
        Box::pin(async move {
            let (a_follows, blocked) = self.social.standing(a, b).await.map_err(|e| e.to_string())?;
            let (b_follows, _) = self.social.standing(b, a).await.map_err(|e| e.to_string())?;
            Ok(Standing { follow_each_other: a_follows && b_follows, blocked })
        })
    }

    fn address<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<(String, String)>, String>> {
        Box::pin(async move {
            match self.identity.user(user_id).await {
                Ok(user) => Ok(Some((user.email, user.display_name))),
                Err(IdentityError::NotFound) => Ok(None),
                Err(e) => Err(e.to_string()),
            }
        })
    }

    fn report<'a>(&'a self, report: MessageReport<'a>) -> BoxFuture<'a, Result<(), ReportRefused>> {
        Box::pin(async move {
            let message = ReportedMessage {
                id: report.message_id,
                author_id: report.author_id,
                text: report.text,
                reason: report.reason,
                details: report.details,
            };
            match self.social.report_message(report.reporter_id, message).await {
                Ok(_) => Ok(()),
                Err(SocialError::Conflict(m)) => Err(ReportRefused::Already(m)),
                Err(SocialError::TooMany(m)) => Err(ReportRefused::TooMany(m)),
                Err(SocialError::Invalid { field, detail }) => Err(ReportRefused::Invalid { field, detail }),
                Err(e) => Err(ReportRefused::Failed(e.to_string())),
            }
        })
    }
}
