//! Go's `log/slog` as Helm's CLI sets it up (`internal/logging.NewLogger`):
//! a `slog.TextHandler` on stderr with the time attribute removed, so a line
//! is `level=WARN msg="this chart is deprecated" key=value…`. Code with no
//! error to return (dependency conditions, the manifest sorter, the release
//! name check before its error) logs this way; the lines join the standard
//! logger's in [`super::log`], in order, for the CLI to print and the page to
//! show.

/// One TextHandler line: `level=LEVEL msg=MSG` and the attributes, each
/// value as is or quoted.
pub fn line(level: &str, msg: &str, attrs: &[(&str, &str)]) -> String {
    let mut s = format!("level={level} msg={}", value(msg));
    for (k, v) in attrs {
        s.push(' ');
        s.push_str(k);
        s.push('=');
        s.push_str(&value(v));
    }
    s
}

/// Logs a line through Helm's default logger (kept with the `log` lines).
pub fn log(level: &str, msg: &str, attrs: &[(&str, &str)]) {
    super::log::printf(line(level, msg, attrs));
}

/// Whether a logged line came from slog rather than `log.Printf` (which the
/// CLI prints after the time): the handler starts every line with `level=`,
/// and none of Helm's `log.Printf` texts does.
pub fn is_slog_line(l: &str) -> bool {
    l.starts_with("level=")
}

/// A string attribute as the TextHandler writes it: strconv.Quote'd when
/// slog's `needsQuoting` says so.
pub fn value(s: &str) -> String {
    if needs_quoting(s) {
        super::strconv::quote(s)
    } else {
        s.to_string()
    }
}

/// log/slog's needsQuoting: empty; an ASCII byte that is a space, `=`, or
/// outside encoding/json's safe set (controls, `"`) — a backslash is left
/// alone; or a rune that is invalid, a Unicode space or not printable.
fn needs_quoting(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    s.chars().any(|c| {
        if c.is_ascii() {
            c != '\\' && (c == ' ' || c == '=' || c == '"' || (c as u32) < 0x20)
        } else {
            c == char::REPLACEMENT_CHARACTER || c.is_whitespace() || !super::isprint::is_print(c)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected lines as Go 1.24's slog.NewTextHandler writes them (time removed).
    #[test]
    fn text_handler_quoting() {
        assert_eq!(line("WARN", "this chart is deprecated", &[]), r#"level=WARN msg="this chart is deprecated""#);
        assert_eq!(
            line("INFO", "skipping unknown hooks", &[("hookTypes", "test-failure")]),
            r#"level=INFO msg="skipping unknown hooks" hookTypes=test-failure"#
        );
        assert_eq!(value(r"a\b"), r"a\b");
        assert_eq!(value("a=b"), r#""a=b""#);
        assert_eq!(value(""), r#""""#);
        assert_eq!(value("tab\there"), r#""tab\there""#);
        assert_eq!(value("[x,y]"), "[x,y]");
        assert_eq!(value("\u{7f}"), "\u{7f}");
        assert_eq!(value("café"), "café");
        assert_eq!(value("a\u{a0}b"), r#""a\u00a0b""#);
        assert!(is_slog_line(&line("ERROR", "x", &[])));
    }
}
