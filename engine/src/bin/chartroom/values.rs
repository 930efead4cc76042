//! `chartroom values [NAME] CHART [flags]`: the merged values the
//! templates see, each leaf followed by ` # <origin>`, or with `--unused`
//! the value paths no template read (issue 15).

use chartroom_engine::chart::Chart;
use chartroom_engine::error::Error;
use chartroom_engine::{RenderOutput, RenderRequest};

pub fn print(chart: &Chart, req: &RenderRequest, out: &RenderOutput, unused: bool) -> Result<(), Error> {
    if unused {
        if let Some(t) = &out.trace {
            for p in &t.unused_values {
                println!("{p}");
            }
        }
        return Ok(());
    }
    let text = chartroom_engine::values_origin::annotated_values(chart, req)?;
    print!("{text}");
    Ok(())
}
