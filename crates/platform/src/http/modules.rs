//! Paths of the contexts this process does not serve (`--modules`): asked
//! for one, it answers a 404 that names the module, so a gateway that sends
//! requests to the wrong replicas is found at the first request.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Problem;

/// Path prefixes (`/api/v1/workouts`, `/oauth`) and the module that owns each.
#[derive(Clone, Debug, Default)]
pub struct Unserved(Arc<Vec<(String, String)>>);

impl Unserved {
    /// `served` and `unserved` are (module, paths of its routes); a prefix
    /// that a served module also uses stays open.
    pub fn new(served: &[(String, Vec<String>)], unserved: &[(String, Vec<String>)]) -> Self {
        let open: Vec<String> = served.iter().flat_map(|(_, paths)| paths.iter().map(|p| prefix(p))).collect();
        let mut closed: Vec<(String, String)> = unserved
            .iter()
            .flat_map(|(module, paths)| paths.iter().map(move |p| (prefix(p), module.clone())))
            .filter(|(prefix, _)| !open.contains(prefix))
            .collect();
        closed.sort();
        closed.dedup();
        Self(Arc::new(closed))
    }

    pub fn module_of(&self, path: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(prefix, _)| {
                path == prefix || path.strip_prefix(prefix.as_str()).is_some_and(|rest| rest.starts_with('/'))
            })
            .map(|(_, module)| module.as_str())
    }
}

/// `/api/v1/<resource>` for API paths, `/<first segment>` for the others.
fn prefix(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let take = if segments.len() >= 3 && segments[0] == "api" { 3 } else { 1 };
    format!("/{}", segments.iter().take(take).copied().collect::<Vec<_>>().join("/"))
}

/// Middleware in front of what no route answered.
pub async fn refuse(State(unserved): State<Unserved>, request: Request, next: Next) -> Response {
    let Some(module) = unserved.module_of(request.uri().path()) else { return next.run(request).await };
    Problem::new(
        StatusCode::NOT_FOUND,
        "module-not-served",
        format!(
            "This server does not serve the {module} module. The gateway in front of it should send {} to a replica started with --modules {module} (or with every module).",
            request.uri().path()
        ),
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_module_of_a_path_it_does_not_serve() {
        let served = [("identity".to_string(), vec!["/api/v1/account".to_string(), "/oauth/token".to_string()])];
        let unserved = [(
            "training".to_string(),
            vec!["/api/v1/workouts".to_string(), "/api/v1/workouts/{id}".to_string(), "/api/v1/account/x".to_string()],
        )];
        let guard = Unserved::new(&served, &unserved);
        assert_eq!(guard.module_of("/api/v1/workouts"), Some("training"));
        assert_eq!(guard.module_of("/api/v1/workouts/0193/photos"), Some("training"));
        assert_eq!(guard.module_of("/api/v1/workoutsx"), None);
        assert_eq!(guard.module_of("/api/v1/account/x"), None, "a prefix a served module uses stays open");
        assert_eq!(guard.module_of("/oauth/token"), None);
    }
}
