//! Where each value came from (issue 15).
use crate::api::{RenderError, RenderRequest};
use crate::chart::Chart;

pub fn annotated_values(_chart: &Chart, _req: &RenderRequest) -> Result<String, RenderError> {
    Ok(String::new())
}
