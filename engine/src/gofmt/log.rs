//! Go's `log` package as Helm uses it: `log.Printf` from code that has no
//! error to return (values coalescing warns this way). Helm writes such lines
//! straight to stderr with the standard logger's `2009/11/10 23:00:00 `
//! prefix; the engine keeps them per thread, in order, for the caller to
//! print (the CLI) or show (the page), without a time.

use std::cell::RefCell;

thread_local! {
    static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// At most this many lines are kept: a chart that warns on every key of a
/// huge values file must not grow the log without bound.
const MAX_LINES: usize = 10_000;

/// `log.Printf(format, ...)` with the message already formatted.
pub fn printf(msg: String) {
    LINES.with(|l| {
        let mut l = l.borrow_mut();
        if l.len() < MAX_LINES {
            l.push(msg);
        }
    });
}

/// The lines logged since the last call, oldest first.
pub fn take() -> Vec<String> {
    LINES.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

/// The standard logger's prefix for a time given as seconds since the
/// Unix epoch (UTC): `2009/11/10 23:00:00 `.
pub fn std_prefix(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = super::civil::civil_from_days(days);
    format!("{y:04}/{m:02}/{d:02} {:02}:{:02}:{:02} ", secs / 3600, secs / 60 % 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_go_log_lstdflags() {
        // time.Date(2009, 11, 10, 23, 0, 0, 0, time.UTC).Unix() = 1257894000
        assert_eq!(std_prefix(1_257_894_000), "2009/11/10 23:00:00 ");
        assert_eq!(std_prefix(0), "1970/01/01 00:00:00 ");
    }

    #[test]
    fn lines_are_taken_in_order() {
        take();
        printf("a".into());
        printf("b".into());
        assert_eq!(take(), vec!["a".to_string(), "b".to_string()]);
        assert!(take().is_empty());
    }
}
