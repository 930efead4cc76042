//! A render error as the page shows it: Helm's text, with long chains of
//! nested `error calling include` frames folded to the first and last ones
//! (the rest a click away), a location button that says what it points at
//! in the editor's terms, and one to the template line whose `include` or
//! `tpl` led there. Everything comes from the engine's error fields
//! (position, calls, frame ends); the text is only shown.

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

/// Go's nested function errors read `… error calling include: template: …`;
/// the engine says where each frame ends (`frames`: byte offsets just after
/// each `error calling NAME: `). A chain of more than `FOLD_OVER` frames is
/// folded to `KEEP` frames at each end. Offsets that do not fit the text
/// (not increasing, not at a character boundary) leave it unfolded.
pub fn fold<'a>(message: &'a str, frames: &[u64]) -> Option<Folded<'a>> {
    let ends: Vec<usize> = frames.iter().map(|&f| usize::try_from(f).unwrap_or(usize::MAX)).collect();
    let fits = ends.windows(2).all(|w| w[0] < w[1]) && ends.iter().all(|&e| message.is_char_boundary(e));
    // Frames: [0, ends[0]), [ends[0], ends[1]), …, [ends[last], len).
    let n = ends.len() + 1;
    if !fits || n <= FOLD_OVER {
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

/// The caller button's text: the outermost `include`/`tpl` call, in the
/// template the render started from, when the error is marked elsewhere.
pub fn caller_label(e: &RenderFailure) -> Option<String> {
    let c = e.calls.first()?;
    if e.file.as_deref() == Some(c.file.as_str()) && e.line == Some(c.line) {
        return None;
    }
    let more = match e.calls.len() {
        1 => String::new(),
        n => format!(" (1 of {n} nested calls)"),
    };
    Some(format!("{} at {} · line {}, column {}{more}", c.function, c.file, c.line, c.col))
}

/// `goto(file, line, col)` opens the file at the position.
pub fn error_view(
    e: RenderFailure,
    id: &'static str,
    goto: impl Fn(String, Option<u64>, Option<u64>) + Clone + 'static,
) -> impl IntoView {
    let loc = location_label(&e);
    let caller = caller_label(&e).zip(e.calls.first().cloned());
    let goto_caller = goto.clone();
    let file = e.file.clone();
    let (line, col) = (e.line, e.col);
    let message = match fold(&e.message, &e.frames) {
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
                {caller.map(|(label, c)| view! {
                    <button type="button" class="location caller" id=format!("{id}-caller")
                        title="Show the call that led there"
                        on:click=move |_| goto_caller(c.file.clone(), Some(c.line), Some(c.col))>{label}</button>
                })}
            </div>
            {message}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the engine answers for a chart whose only template is `template`.
    fn render_failure(template: &str) -> RenderFailure {
        let mut req = chartroom_engine::RenderRequest::default();
        req.files.insert("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
        req.files.insert("templates/t.yaml".into(), template.as_bytes().to_vec());
        crate::protocol::failure(chartroom_engine::render(&req).expect_err("the render fails"))
    }

    /// 200 nested includes, then an error (the e2e test's chart): Helm
    /// v4.2.3 answers with 201 `error calling include` frames and the index
    /// error.
    const CHAIN: &str = "{{ define \"r\" }}{{ if lt (len .) 200 }}{{ include \"r\" (append . 1) }}{{ else }}{{ index . 500 }}{{ end }}{{ end }}\nx: {{ include \"r\" (list) }}\n";

    #[test]
    fn a_long_include_chain_folds_to_its_first_and_last_frames() {
        let e = render_failure(CHAIN);
        assert_eq!(e.message.matches("error calling include: ").count(), 201);
        let f = fold(&e.message, &e.frames).expect("folded");
        assert_eq!(format!("{}{}{}", f.head, f.hidden, f.tail), e.message, "nothing lost");
        assert!(f.head.starts_with("template: c/templates/t.yaml:2:6:") && f.head.ends_with("error calling include: "));
        assert_eq!(f.head.matches("error calling").count(), 2);
        // The last two frames: the innermost include and the index call.
        assert_eq!(f.tail.matches("error calling").count(), 1);
        assert!(f
            .tail
            .ends_with("error calling index: index out of range: 500\n\nUse --debug flag to render out invalid YAML"));
        assert_eq!(f.frames, 203 - 4);
        assert_eq!(f.hidden.matches("error calling").count(), 199);
        // The call chain: the template's include first.
        assert_eq!(e.calls.len(), 201);
        assert_eq!((e.calls[0].file.as_str(), e.calls[0].line, e.calls[0].col), ("c/templates/t.yaml", 2, 7));
        assert_eq!(
            caller_label(&e).as_deref(),
            Some("include at c/templates/t.yaml · line 2, column 7 (1 of 201 nested calls)")
        );
    }

    #[test]
    fn short_chains_and_offsets_that_do_not_fit_are_not_folded() {
        // Text that reads like frames is not one.
        let e = render_failure("x: {{ fail \"error calling a: error calling b: error calling c: error calling d: error calling e: error calling f: x\" }}\n");
        assert!(e.frames.len() <= 1, "{:?}", e.frames);
        assert_eq!(fold(&e.message, &e.frames), None);
        assert_eq!(fold("parse error at (c/templates/a.yaml:4): unexpected EOF", &[]), None);
        assert!(fold("abcdefgh", &[1, 2, 3, 4, 5, 6, 7]).is_some());
        assert_eq!(fold("abcdefgh", &[1, 2, 3, 9, 5, 6, 7]), None, "not increasing");
        assert_eq!(fold("abcdefgh", &[1, 2, 3, 4, 5, 6, 70]), None, "past the end");
    }

    #[test]
    fn the_location_says_line_and_column() {
        let e =
            RenderFailure { file: Some("c/t.yaml".into()), line: Some(8), col: Some(23), ..RenderFailure::default() };
        assert_eq!(location_label(&e).as_deref(), Some("c/t.yaml · line 8, column 23"));
        let e = RenderFailure { col: None, ..e };
        assert_eq!(location_label(&e).as_deref(), Some("c/t.yaml · line 8"));
        assert_eq!(caller_label(&e), None);
    }
}
