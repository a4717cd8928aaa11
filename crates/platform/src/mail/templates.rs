//! Mail templates: a subject, a text body and an HTML body per mail, in
//! minijinja. HTML bodies are escaped automatically, text bodies are not.

use minijinja::Environment;
use serde::Serialize;

use super::{Mail, MailError};

pub struct MailTemplates {
    env: Environment<'static>,
}

impl Default for MailTemplates {
    fn default() -> Self {
        let mut templates = Self { env: Environment::new() };
        templates.add(
            "test",
            include_str!("../../templates/mail/test.subject"),
            include_str!("../../templates/mail/test.txt"),
            include_str!("../../templates/mail/test.html"),
        );
        templates
    }
}

impl MailTemplates {
    /// Adds one mail; contexts call this at start-up for the mails they send.
    pub fn add(&mut self, name: &str, subject: &'static str, text: &'static str, html: &'static str) {
        for (suffix, source) in [("subject", subject), ("txt", text), ("html", html)] {
            self.env
                .add_template_owned(format!("{name}.{suffix}"), source)
                .unwrap_or_else(|e| panic!("mail template {name}.{suffix} does not parse: {e}"));
        }
    }

    pub fn render(&self, name: &str, to: &str, context: impl Serialize) -> Result<Mail, MailError> {
        let part = |suffix: &str| -> Result<String, MailError> {
            let template = self
                .env
                .get_template(&format!("{name}.{suffix}"))
                .map_err(|_| MailError::UnknownTemplate(name.to_string()))?;
            Ok(template.render(&context)?)
        };
        Ok(Mail {
            to: to.to_string(),
            subject: part("subject")?.trim().to_string(),
            text: part("txt")?,
            html: part("html")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let mail = MailTemplates::default()
            .render("test", "a@example.org", serde_json::json!({ "instance": "<Club & Co>" }))
            .unwrap();
        assert!(mail.html.contains("&lt;Club &amp; Co&gt;"), "{}", mail.html);
        assert!(mail.text.contains("<Club & Co>"), "{}", mail.text);
        assert!(!mail.subject.contains('\n'));
    }

    #[test]
    fn an_unknown_template_is_an_error() {
        let err = MailTemplates::default().render("nope", "a@example.org", ()).unwrap_err();
        assert!(matches!(err, MailError::UnknownTemplate(_)));
    }
}
