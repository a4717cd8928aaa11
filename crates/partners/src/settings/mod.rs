//! Which mails a person wants from partners: one on a match, one for
//! messages left unread. Both on until turned off.

pub(crate) mod store;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::Result;
use crate::Partners;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerSettings {
    /// Mail me when I match with someone.
    pub mail_matches: bool,
    /// Mail me about messages left unread.
    pub mail_unread: bool,
}

impl Default for PartnerSettings {
    fn default() -> Self {
        Self { mail_matches: true, mail_unread: true }
    }
}

impl Partners {
    pub async fn settings(&self, me: &str) -> Result<PartnerSettings> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::get(&mut conn, me).await
    }

    pub async fn set_settings(&self, me: &str, settings: PartnerSettings) -> Result<PartnerSettings> {
        let mut tx = self.platform.db.begin().await?;
        store::put(&mut tx, me, settings).await?;
        tx.commit().await?;
        Ok(settings)
    }
}
