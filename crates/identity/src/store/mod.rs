//! The identity context's SQL, one file per concern; the rest of identity
//! calls `store::…` and does not mind which file answers. The OAuth
//! provider, passkeys and exports keep theirs in their own `store` modules.

mod external_identities;
mod one_time_tokens;
mod rate_limits;
mod second_factor;
mod sessions;
mod signing_keys;
mod users;

pub use external_identities::*;
pub use one_time_tokens::*;
pub use rate_limits::*;
pub use second_factor::*;
pub use sessions::*;
pub use signing_keys::*;
pub use users::*;
