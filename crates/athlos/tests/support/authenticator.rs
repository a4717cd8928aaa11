//! A passkey in a real browser: headless Chromium with a virtual WebAuthn
//! authenticator (tests/browser/authenticator.mjs), asked one ceremony at a time.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

pub struct Authenticator {
    _browser: Child,
    stdin: ChildStdin,
    answers: Lines<BufReader<ChildStdout>>,
}

impl Authenticator {
    /// A browser on `origin` with a fresh authenticator; none outside CI
    /// when Chromium is missing.
    pub async fn open(origin: &str) -> Option<Self> {
        let chromium = super::service("TEST_CHROMIUM", "Chromium")?;
        let node = std::env::var("TEST_NODE").unwrap_or_else(|_| "node".into());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
        let mut browser = Command::new(node)
            .arg("authenticator.mjs")
            .arg(origin)
            .current_dir(dir)
            .env("TEST_CHROMIUM", chromium)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs tests/browser/authenticator.mjs");
        let stdin = browser.stdin.take().unwrap();
        let answers = BufReader::new(browser.stdout.take().unwrap()).lines();
        let mut authenticator = Self { _browser: browser, stdin, answers };
        let ready = authenticator.next_answer().await;
        assert_eq!(ready["ready"], true, "{ready}");
        Some(authenticator)
    }

    /// `navigator.credentials.create()` with the server's options.
    pub async fn create(&mut self, options: &Value) -> Value {
        self.ask(json!({ "op": "create", "options": options })).await
    }

    /// `navigator.credentials.get()` with the server's options.
    pub async fn get(&mut self, options: &Value) -> Value {
        self.ask(json!({ "op": "get", "options": options })).await
    }

    async fn ask(&mut self, request: Value) -> Value {
        let line = format!("{request}\n");
        self.stdin.write_all(line.as_bytes()).await.unwrap();
        let answer = self.next_answer().await;
        assert_eq!(answer["ok"], true, "the browser refused: {answer}");
        answer["credential"].clone()
    }

    async fn next_answer(&mut self) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(60), self.answers.next_line())
            .await
            .expect("the browser answers within a minute")
            .unwrap()
            .expect("the browser is still running");
        serde_json::from_str(&line).unwrap()
    }
}
