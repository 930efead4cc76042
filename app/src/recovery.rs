//! Replacing the workspace never loses work: where a replacement comes from,
//! whether what it brings must wait for the user's consent (plugins), and the
//! name the previous work is kept under. Pure; the page does the storage.

/// What replaces the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A share link (the URL fragment).
    Link,
    /// A bundle file ("Open bundle").
    Bundle,
    /// An imported chart (.tgz, folder, dropped files).
    Import,
    /// The examples gallery.
    Example,
    /// "Reset example".
    Reset,
    /// A named workspace of this browser.
    Saved,
    /// `chartroom:load` from the embedding page.
    Embed,
}

impl Source {
    /// It comes from someone else: its plugin waits for the user's consent
    /// (the user's own saved workspaces keep the state they were saved with).
    pub fn is_from_outside(self) -> bool {
        matches!(self, Source::Link | Source::Bundle | Source::Import | Source::Embed)
    }

    /// The name the previous work is saved under before it is replaced
    /// (`now`: local "YYYY-MM-DD HH:MM"). None for an embed: embeds never
    /// write the user's named workspaces (their undo is in memory).
    pub fn backup_name(self, now: &str) -> Option<String> {
        let what = match self {
            Source::Link => "opening a link",
            Source::Bundle => "opening a bundle",
            Source::Import => "importing a chart",
            Source::Example => "opening an example",
            Source::Reset => "resetting to the example",
            Source::Saved => "opening a saved workspace",
            Source::Embed => return None,
        };
        Some(format!("Before {what} {now}"))
    }
}

/// `base`, or `base (2)`, `base (3)`… — the first not in `taken`.
pub fn unique_name(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base} ({n})")).find(|c| !taken.iter().any(|t| t == c)).unwrap_or_else(|| base.to_string())
}

/// Should the work `previous` be kept before it is replaced? Not when nothing
/// would be lost: it is the untouched example, the incoming work itself, or
/// (`unchanged`) exactly what was last opened and is still recoverable there.
pub fn worth_keeping(previous_is_example: bool, same_as_incoming: bool, unchanged: bool) -> bool {
    !previous_is_example && !same_as_incoming && !unchanged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_sources_need_consent() {
        for s in [Source::Link, Source::Bundle, Source::Import, Source::Embed] {
            assert!(s.is_from_outside(), "{s:?}");
        }
        for s in [Source::Example, Source::Reset, Source::Saved] {
            assert!(!s.is_from_outside(), "{s:?}");
        }
    }

    #[test]
    fn backup_names() {
        assert_eq!(
            Source::Link.backup_name("2026-12-06 21:30").as_deref(),
            Some("Before opening a link 2026-12-06 21:30")
        );
        assert_eq!(Source::Embed.backup_name("x"), None);
        let taken = vec!["a".to_string(), "a (2)".to_string()];
        assert_eq!(unique_name("a", &taken), "a (3)");
        assert_eq!(unique_name("b", &taken), "b");
    }

    #[test]
    fn only_work_that_would_be_lost_is_kept() {
        assert!(worth_keeping(false, false, false));
        assert!(!worth_keeping(true, false, false));
        assert!(!worth_keeping(false, true, false));
        assert!(!worth_keeping(false, false, true));
    }
}
