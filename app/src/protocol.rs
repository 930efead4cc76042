//! Messages between the page and the render worker.
//!
//! These mirror the engine's `RenderRequest`/`RenderOutput`/`RenderError` with
//! serde derives, so the engine crate stays free of web and serialisation
//! dependencies. Every job carries a sequence number: the page only shows the
//! reply to its newest job, so a slow render can never overwrite a newer one.

use serde::{Deserialize, Serialize};

/// One render, as sent to the worker.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RenderJob {
    pub seq: u64,
    /// Chart files, paths relative to the chart root.
    pub files: Vec<(String, Vec<u8>)>,
    pub release_name: String,
    pub namespace: String,
    /// User `-f` files in order (name, bytes).
    pub values_files: Vec<(String, Vec<u8>)>,
    /// `--set` arguments.
    pub set: Vec<String>,
}

/// A successful render.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rendered {
    /// Exactly `helm template`'s stdout.
    pub manifest: String,
    pub notes: String,
}

/// A failed render: Helm's error text plus where it points, when known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RenderFailure {
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub col: Option<u64>,
}

impl RenderFailure {
    /// "templates/x.yaml:3:7", "templates/x.yaml:3", "templates/x.yaml" or None.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match (self.line, self.col) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        })
    }
}

/// The worker's answer to one job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RenderReply {
    pub seq: u64,
    /// Time spent inside `chartroom_engine::render`, in milliseconds.
    pub engine_ms: f64,
    pub result: Result<Rendered, RenderFailure>,
    /// The engine panicked: this worker is unusable and must be replaced.
    pub worker_lost: bool,
}

impl RenderJob {
    /// Runs the engine on this job (called in the worker; also usable natively).
    pub fn run(self) -> Result<Rendered, RenderFailure> {
        let req = chartroom_engine::RenderRequest {
            files: self.files.into_iter().collect(),
            release_name: self.release_name,
            namespace: self.namespace,
            values_files: self.values_files,
            set: self.set,
            ..chartroom_engine::RenderRequest::default()
        };
        match chartroom_engine::render(&req) {
            Ok(out) => Ok(Rendered { manifest: out.manifest, notes: out.notes }),
            Err(e) => Err(RenderFailure {
                message: e.message,
                file: e.file,
                line: e.line.map(|l| l as u64),
                col: e.col.map(|c| c as u64),
            }),
        }
    }
}
