//! The process's resident set size from /proc/self/status (Linux), for the
//! tests that print or bound peak memory (hostile.rs, render_memory.rs).
//! Included with `#[path]`.

/// Resets the process's peak resident set size (Linux: `5` to
/// /proc/self/clear_refs) and returns the current one, in bytes.
pub fn rss_reset() -> Option<usize> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    rss_field("VmRSS:")
}

/// The peak resident set size since the last [`rss_reset`], in bytes.
pub fn rss_peak() -> Option<usize> {
    rss_field("VmHWM:")
}

fn rss_field(name: &str) -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(name))?;
    let kb: usize = line[name.len()..].trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}
