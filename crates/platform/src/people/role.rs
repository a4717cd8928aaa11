use serde::{Deserialize, Serialize};

// What a person may do beyond their own things: administrators also look
// after accounts and shared catalogues (sports); partners publish offers
// shown beside people's equipment; organisers run competitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Partner,
    Organiser,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Partner => "partner",
            Role::Organiser => "organiser",
            Role::Admin => "admin",
        }
    }

    /// A stored role; anything this build does not know is a plain user,
    /// so that it grants nothing.
    pub fn parse(s: &str) -> Self {
        match s {
            "admin" => Role::Admin,
            "partner" => Role::Partner,
            "organiser" => Role::Organiser,
            _ => Role::User,
        }
    }
}
