//! The mails identity sends.

use platform::mail::MailTemplates;

pub const VERIFY_EMAIL: &str = "identity.verify-email";
pub const ACCOUNT_EXISTS: &str = "identity.account-exists";
pub const RESET_PASSWORD: &str = "identity.reset-password";
pub const EXPORT_READY: &str = "identity.export-ready";

pub fn add_templates(templates: &mut MailTemplates) {
    templates.add(
        VERIFY_EMAIL,
        "Confirm your e-mail address for Athlos",
        include_str!("../templates/verify-email.txt"),
        include_str!("../templates/verify-email.html"),
    );
    templates.add(
        ACCOUNT_EXISTS,
        "You already have an Athlos account",
        include_str!("../templates/account-exists.txt"),
        include_str!("../templates/account-exists.html"),
    );
    templates.add(
        RESET_PASSWORD,
        "Reset your Athlos password",
        include_str!("../templates/reset-password.txt"),
        include_str!("../templates/reset-password.html"),
    );
    templates.add(
        EXPORT_READY,
        "Your Athlos data is ready to download",
        include_str!("../templates/export-ready.txt"),
        include_str!("../templates/export-ready.html"),
    );
}
