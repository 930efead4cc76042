//! The compiled-pattern type behind Sprig's regex functions, semver and
//! values.schema.json patterns: regex-automata's Pike VM used directly.
//!
//! Why not the `regex` crate's `Regex`: its meta engine links a lazy DFA,
//! a one-pass DFA, a backtracker and Aho-Corasick literal prefilters, all
//! pure speed (~75 KB brotli in the browser worker), and its features cannot
//! be trimmed because Leptos depends on `regex` with default features. The
//! Pike VM reports the same leftmost-first matches (the meta engine is
//! defined to agree with it) with the same syntax and UTF-8 rules; templates
//! match short strings, where its linear-time search costs little.

#[cfg(feature = "regex")]
mod full {
    use std::sync::Arc;

    use regex_automata::nfa::thompson::{self, pikevm, pikevm::PikeVM};
    use regex_automata::util::{captures, pool::Pool, syntax};
    use regex_automata::{Input, PatternID};

    type CacheFn = Box<dyn Fn() -> pikevm::Cache + Send + Sync>;

    /// A compiled pattern (cheap to clone).
    #[derive(Clone)]
    pub struct Regex(Arc<Inner>);

    struct Inner {
        vm: PikeVM,
        caches: Pool<pikevm::Cache, CacheFn>,
    }

    /// A match: byte offsets into the searched text.
    #[derive(Clone, Copy)]
    pub struct Match<'h> {
        hay: &'h str,
        start: usize,
        end: usize,
    }

    impl<'h> Match<'h> {
        pub fn start(&self) -> usize {
            self.start
        }
        pub fn end(&self) -> usize {
            self.end
        }
        pub fn as_str(&self) -> &'h str {
            self.hay.get(self.start..self.end).unwrap_or("")
        }
    }

    /// The groups of one match (group 0 is the whole match).
    pub struct Captures<'h> {
        hay: &'h str,
        caps: captures::Captures,
    }

    impl<'h> Captures<'h> {
        pub fn get(&self, i: usize) -> Option<Match<'h>> {
            let s = self.caps.get_group(i)?;
            Some(Match { hay: self.hay, start: s.start, end: s.end })
        }
        pub fn len(&self) -> usize {
            self.caps.group_len()
        }
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }
    }

    /// The `regex` crate's size limit on the compiled program (10 MiB).
    const SIZE_LIMIT: usize = 10 * (1 << 20);

    impl Regex {
        /// Compiles a pattern in the `regex` crate's syntax (Unicode, UTF-8).
        /// Errors read like the `regex` crate's: the syntax error's text, or
        /// "Compiled regex exceeds size limit of N bytes.".
        pub fn new(pat: &str) -> Result<Regex, crate::error::Error> {
            let hir = syntax::parse_with(pat, &syntax::Config::new()).map_err(|e| e.to_string())?;
            let nfa = thompson::Compiler::new()
                .configure(thompson::Config::new().nfa_size_limit(Some(SIZE_LIMIT)))
                .build_from_hir(&hir)
                .map_err(|e| match e.size_limit() {
                    Some(n) => format!("Compiled regex exceeds size limit of {n} bytes."),
                    None => e.to_string(),
                })?;
            let vm = PikeVM::new_from_nfa(nfa).map_err(|e| e.to_string())?;
            let for_cache = vm.clone();
            let create: CacheFn = Box::new(move || for_cache.create_cache());
            Ok(Regex(Arc::new(Inner { vm, caches: Pool::new(create) })))
        }

        pub fn is_match(&self, hay: &str) -> bool {
            let mut cache = self.0.caches.get();
            self.0.vm.is_match(&mut cache, hay)
        }

        pub fn find<'h>(&self, hay: &'h str) -> Option<Match<'h>> {
            self.find_at(hay, 0)
        }

        /// The first match starting at or after byte `start`; the text before
        /// `start` still counts for `^` and `\b`.
        pub fn find_at<'h>(&self, hay: &'h str, start: usize) -> Option<Match<'h>> {
            let mut cache = self.0.caches.get();
            let m = self.0.vm.find(&mut cache, Input::new(hay).range(start.min(hay.len())..))?;
            Some(Match { hay, start: m.start(), end: m.end() })
        }

        /// All successive non-overlapping matches (the `regex` crate's
        /// `find_iter`: an empty match right after a match is skipped).
        pub fn find_iter<'h>(&self, hay: &'h str) -> Vec<Match<'h>> {
            let mut cache = self.0.caches.get();
            self.0.vm.find_iter(&mut cache, hay).map(|m| Match { hay, start: m.start(), end: m.end() }).collect()
        }

        pub fn captures<'h>(&self, hay: &'h str) -> Option<Captures<'h>> {
            self.captures_at(hay, 0)
        }

        pub fn captures_at<'h>(&self, hay: &'h str, start: usize) -> Option<Captures<'h>> {
            let mut cache = self.0.caches.get();
            let mut caps = self.0.vm.create_captures();
            self.0.vm.search(&mut cache, &Input::new(hay).range(start.min(hay.len())..), &mut caps);
            caps.is_match().then_some(Captures { hay, caps })
        }

        pub fn captures_iter<'h>(&self, hay: &'h str) -> Vec<Captures<'h>> {
            let mut cache = self.0.caches.get();
            self.0.vm.captures_iter(&mut cache, hay).map(|caps| Captures { hay, caps }).collect()
        }

        /// The names of the groups in order (None for unnamed ones, and for
        /// group 0).
        pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> {
            self.0.vm.get_nfa().group_info().pattern_names(PatternID::ZERO)
        }
    }
}

#[cfg(feature = "regex")]
pub use full::{Captures, Match, Regex};

/// The lean build (no `regex` feature): the same API, but no pattern ever
/// compiles, so none of regex-syntax's parser and tables or the Pike VM is
/// linked. `Regex::new` ends the render asking for the full build
/// (sprig::ondemand), where the page renders it again.
#[cfg(not(feature = "regex"))]
mod lean {
    use std::convert::Infallible;

    #[derive(Clone)]
    pub struct Regex(Infallible);

    #[derive(Clone, Copy)]
    pub struct Match<'h>(Infallible, std::marker::PhantomData<&'h str>);

    impl<'h> Match<'h> {
        pub fn start(&self) -> usize {
            match self.0 {}
        }
        pub fn end(&self) -> usize {
            match self.0 {}
        }
        pub fn as_str(&self) -> &'h str {
            match self.0 {}
        }
    }

    pub struct Captures<'h>(Infallible, std::marker::PhantomData<&'h str>);

    impl<'h> Captures<'h> {
        pub fn get(&self, _i: usize) -> Option<Match<'h>> {
            match self.0 {}
        }
        pub fn len(&self) -> usize {
            match self.0 {}
        }
        pub fn is_empty(&self) -> bool {
            match self.0 {}
        }
    }

    impl Regex {
        pub fn new(_pat: &str) -> Result<Regex, crate::error::Error> {
            crate::sprig::ondemand::want();
            Err("regular expressions are not in this build of the engine (they load on first use)".into())
        }
        pub fn is_match(&self, _hay: &str) -> bool {
            match self.0 {}
        }
        pub fn find<'h>(&self, _hay: &'h str) -> Option<Match<'h>> {
            match self.0 {}
        }
        pub fn find_at<'h>(&self, _hay: &'h str, _start: usize) -> Option<Match<'h>> {
            match self.0 {}
        }
        pub fn find_iter<'h>(&self, _hay: &'h str) -> Vec<Match<'h>> {
            match self.0 {}
        }
        pub fn captures<'h>(&self, _hay: &'h str) -> Option<Captures<'h>> {
            match self.0 {}
        }
        pub fn captures_at<'h>(&self, _hay: &'h str, _start: usize) -> Option<Captures<'h>> {
            match self.0 {}
        }
        pub fn captures_iter<'h>(&self, _hay: &'h str) -> Vec<Captures<'h>> {
            match self.0 {}
        }
        pub fn capture_names(&self) -> std::iter::Empty<Option<&str>> {
            match self.0 {}
        }
    }
}

#[cfg(not(feature = "regex"))]
pub use lean::{Captures, Match, Regex};

/// Escapes the regex meta characters of `s` (the `regex` crate's `escape`).
pub fn escape(s: &str) -> String {
    regex_syntax::escape(s)
}
