//! A render error as the page shows it: Helm's text, with long chains of
//! nested `error calling include` frames folded to the first and last ones
//! (the rest a click away), and a location button that says what it points
//! at in the editor's terms.

use leptos::prelude::*;

use crate::protocol::RenderFailure;

/// Frames shown at each end of a folded chain.
const KEEP: usize = 2;
/// Chains with more frames than this are folded.
const FOLD_OVER: usize = 6;

/// A message cut into shown head, folded middle and shown tail.
#[derive(Debug, PartialEq)]
pub struct Folded<'a> {
    pub head: &'a str,
    pub hidden: &'a str,
    pub tail: &'a str,
    /// Frames in `hidden`.
    pub frames: usize,
}

/// Go's nested function errors read `… error calling include: template: …`:
/// each frame ends after `error calling NAME: `. A chain of more than
/// `FOLD_OVER` frames is folded to `KEEP` frames at each end.
pub fn fold(message: &str) -> Option<Folded<'_>> {
    const MARK: &str = "error calling ";
    let mut ends = Vec::new();
    let mut from = 0;
    while let Some(i) = message[from..].find(MARK) {
        let name_start = from + i + MARK.len();
        let Some(j) = message[name_start..].find(": ") else { break };
        let end = name_start + j + 2;
        ends.push(end);
        from = end;
    }
    // Frames: [0, ends[0]), [ends[0], ends[1]), …, [ends[last], len).
    let n = ends.len() + 1;
    if n <= FOLD_OVER {
        return None;
    }
    let head_end = ends[KEEP - 1];
    let tail_start = ends[n - 1 - KEEP];
    Some(Folded {
        head: &message[..head_end],
        hidden: &message[head_end..tail_start],
        tail: &message[tail_start..],
        frames: n - 2 * KEEP,
    })
}

/// The location button's text: the editor's line and column (counted from
/// 1; Go's messages count columns from 0, so `:8:22` there is column 23).
pub fn location_label(e: &RenderFailure) -> Option<String> {
    let file = e.file.as_deref()?;
    Some(match (e.line, e.col) {
        (Some(l), Some(c)) => format!("{file} · line {l}, column {c}"),
        (Some(l), None) => format!("{file} · line {l}"),
        _ => file.to_string(),
    })
}

/// `goto(file, line, col)` opens the file at the position.
pub fn error_view(
    e: RenderFailure,
    id: &'static str,
    goto: impl Fn(String, Option<u64>, Option<u64>) + Clone + 'static,
) -> impl IntoView {
    let loc = location_label(&e);
    let file = e.file.clone();
    let (line, col) = (e.line, e.col);
    let message = match fold(&e.message) {
        Some(f) => {
            let (head, hidden, tail, n) = (f.head.to_string(), f.hidden.to_string(), f.tail.to_string(), f.frames);
            view! {
                <div class="message">
                    {head}
                    <details class="error-frames" id=format!("{id}-frames")>
                        <summary>{format!("… {n} more nested frames (show)")}</summary>
                        <span class="frames-hidden">{hidden}</span>
                    </details>
                    {tail}
                </div>
            }
            .into_any()
        }
        None => view! { <div class="message">{e.message.clone()}</div> }.into_any(),
    };
    view! {
        <div id=id data-testid=id role="alert" class="error"
            data-file=e.file.clone().unwrap_or_default()
            data-line=e.line.map(|l| l.to_string()).unwrap_or_default()
            data-col=e.col.map(|c| c.to_string()).unwrap_or_default()>
            <div class="error-head">
                <strong>"Error"</strong>
                {loc.map(|loc| view! {
                    <button type="button" class="location" id=format!("{id}-location")
                        title="Show in the editor (lines and columns count from 1; Go's messages count columns from 0)"
                        on:click=move |_| {
                            if let Some(f) = file.clone() { goto(f, line, col) }
                        }>{loc}</button>
                })}
            </div>
            {message}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_include_chain_folds_to_its_first_and_last_frames() {
        let frame = "template: c/templates/a.yaml:1:19: executing \"r\" at <include \"r\" .>: error calling include: ";
        let msg = format!(
            "template: c/templates/a.yaml:2:6: executing \"c/templates/a.yaml\" at <include \"r\" .>: error calling include: {}render stopped: too deep",
            frame.repeat(249)
        );
        let f = fold(&msg).expect("folded");
        assert_eq!(format!("{}{}{}", f.head, f.hidden, f.tail), msg, "nothing lost");
        assert!(f.head.starts_with("template: c/templates/a.yaml:2:6:") && f.head.ends_with("error calling include: "));
        assert_eq!(f.head.matches("error calling").count(), 2);
        assert_eq!(f.tail, format!("{frame}render stopped: too deep"));
        assert_eq!(f.frames, 251 - 4);
        assert_eq!(f.hidden.matches("error calling").count(), 247);
    }

    #[test]
    fn short_messages_are_not_folded() {
        assert_eq!(fold("template: x:1:2: executing \"x\" at <fail \"no\">: error calling fail: no"), None);
        assert_eq!(fold("parse error at (c/templates/a.yaml:4): unexpected EOF"), None);
    }

    #[test]
    fn the_location_says_line_and_column() {
        let e = RenderFailure { message: String::new(), file: Some("c/t.yaml".into()), line: Some(8), col: Some(23) };
        assert_eq!(location_label(&e).as_deref(), Some("c/t.yaml · line 8, column 23"));
        let e = RenderFailure { col: None, ..e };
        assert_eq!(location_label(&e).as_deref(), Some("c/t.yaml · line 8"));
    }
}
