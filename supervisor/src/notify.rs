//! Push notifications through ntfy: queued, rate-limited and sent by a task of their own, so
//! they never hold up trading; a failed send is logged, not fatal.

use std::time::Duration;

use tokio::sync::mpsc;
use trading_core::config::NotificationSettings;

/// Notifications waiting to be sent; more are dropped (and logged).
const QUEUE: usize = 64;

/// How urgent a notification is (ntfy priorities).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// A run failed or retries are exhausted.
    High,
    /// A deferral or a success.
    Low,
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Short title.
    pub title: String,
    /// The text.
    pub body: String,
    /// Urgency.
    pub urgency: Urgency,
}

/// The sending end; cheap to clone. Inert when no ntfy server is configured.
#[derive(Clone)]
pub struct Notifier {
    sender: Option<mpsc::Sender<Note>>,
    on_success: bool,
}

impl Notifier {
    /// Starts the sender task when `settings.ntfy_url` is set; `token` is NTFY_TOKEN.
    pub fn start(settings: &NotificationSettings, token: Option<String>) -> Self {
        let Some(base) = settings.ntfy_url.clone() else {
            return Self {
                sender: None,
                on_success: false,
            };
        };
        let (sender, mut queue) = mpsc::channel::<Note>(QUEUE);
        let url = format!("{}/{}", base.trim_end_matches('/'), settings.topic);
        let interval = settings.min_interval;
        tokio::spawn(async move {
            let http = match reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
            {
                Ok(http) => http,
                Err(err) => {
                    tracing::error!(%err, "notifications disabled: cannot build the HTTP client");
                    return;
                }
            };
            while let Some(note) = queue.recv().await {
                let (priority, tags) = match note.urgency {
                    Urgency::High => ("high", "warning"),
                    Urgency::Low => ("low", "information_source"),
                };
                let mut request = http
                    .post(&url)
                    .header("Title", &note.title)
                    .header("Priority", priority)
                    .header("Tags", tags)
                    .body(note.body);
                if let Some(token) = &token {
                    request = request.bearer_auth(token);
                }
                match request.send().await {
                    Ok(response) if response.status().is_success() => {}
                    Ok(response) => {
                        tracing::warn!(status = %response.status(), "notification refused by the ntfy server")
                    }
                    Err(err) => tracing::warn!(err = %err.without_url(), "notification not sent"),
                }
                tokio::time::sleep(interval).await;
            }
        });
        Self {
            sender: Some(sender),
            on_success: settings.on_success,
        }
    }

    /// Whether successful runs are announced too.
    pub fn on_success(&self) -> bool {
        self.on_success
    }

    /// Queues a notification; never waits.
    pub fn send(&self, title: impl Into<String>, body: impl Into<String>, urgency: Urgency) {
        let Some(sender) = &self.sender else { return };
        let note = Note {
            title: title.into(),
            body: body.into(),
            urgency,
        };
        if let Err(err) = sender.try_send(note) {
            tracing::warn!(%err, "notification dropped: the queue is full");
        }
    }
}
