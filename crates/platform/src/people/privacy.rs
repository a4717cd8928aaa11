use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Who may see something a person records: everyone, their followers, or
/// only they themselves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Privacy {
    Public,
    Followers,
    #[default]
    Private,
}

impl Privacy {
    pub fn as_str(self) -> &'static str {
        match self {
            Privacy::Public => "public",
            Privacy::Followers => "followers",
            Privacy::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Privacy::Public),
            "followers" => Some(Privacy::Followers),
            "private" => Some(Privacy::Private),
            _ => None,
        }
    }
}
