//! A minimal in-process WASI preview 1 (`wasi_snapshot_preview1`): argv
//! (always empty in Helm) and env per plugin type, clocks from the injected
//! [`Clock`], random bytes from a seedable generator, fd 0/1/2 captured in
//! memory, `proc_exit`, and an in-memory `/tmp` preopen (fd 3) only with
//! `fileSystem.createTempDir: true`. Every other function returns ENOSYS
//! and is logged as denied.

use std::collections::BTreeMap;

use wasmi::{Caller, Error, Extern, Linker, Memory, Module, Val};

use super::host::HostState;
use super::log::Decision;

pub const WASI: &str = "wasi_snapshot_preview1";

const ESUCCESS: i32 = 0;
const EBADF: i32 = 8;
const EEXIST: i32 = 20;
const EINVAL: i32 = 28;
const EISDIR: i32 = 31;
const ENOENT: i32 = 44;
const ENOSYS: i32 = 52;
const ENOTDIR: i32 = 54;
const ENOTEMPTY: i32 = 55;
const ENOTCAPABLE: i32 = 76;

/// The errno of a call whose only failure is writing its results into the
/// guest's memory (an address out of bounds).
fn errno(written: bool) -> i32 {
    if written {
        ESUCCESS
    } else {
        EINVAL
    }
}

/// WASI p1 filetypes.
const FT_CHAR: u8 = 2;
const FT_DIR: u8 = 3;
const FT_FILE: u8 = 4;

const PREOPEN_FD: i32 = 3;

/// Chartroom's cap on what one call may write to stdout+stderr (16 MiB;
/// Helm has none: cli output streams to the terminal). Past it the call
/// fails with `stdout/stderr limit exceeded: …`.
pub const MAX_CAPTURE_BYTES: usize = 16 << 20;

const IMPLEMENTED: &[&str] = &[
    "args_sizes_get",
    "args_get",
    "environ_sizes_get",
    "environ_get",
    "clock_time_get",
    "clock_res_get",
    "random_get",
    "sched_yield",
    "proc_exit",
    "fd_write",
    "fd_read",
    "fd_close",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "path_open",
    "fd_filestat_get",
    "path_filestat_get",
    "fd_seek",
    "path_unlink_file",
    "fd_readdir",
    "path_create_directory",
    "path_remove_directory",
];

#[derive(Debug, Default)]
pub(crate) struct OpenFile {
    /// Path under /tmp ("" is /tmp itself).
    path: String,
    pos: u64,
    append: bool,
    /// An opened directory (fd_readdir, path_* relative to it).
    dir: bool,
}

#[derive(Debug, Default)]
pub(crate) struct WasiState {
    pub env: Vec<(String, String)>,
    pub stdin: Vec<u8>,
    pub stdin_pos: usize,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// `Some` when fileSystem.createTempDir is set: path → contents.
    pub tmp: Option<BTreeMap<String, Vec<u8>>>,
    /// Directories created under /tmp (path_create_directory); a file's
    /// parent directories exist implicitly.
    pub dirs: std::collections::BTreeSet<String>,
    pub files: BTreeMap<i32, OpenFile>,
    pub next_fd: i32,
    pub rng: u64,
    /// Cap on captured stdout+stderr (a write past it fails the call) and
    /// on /tmp bytes (a write past it gets ENOSYS): [`MAX_CAPTURE_BYTES`].
    pub max_capture: usize,
}

impl WasiState {
    pub fn new(env: Vec<(String, String)>, stdin: Vec<u8>, temp_dir: bool, seed: u64) -> WasiState {
        WasiState {
            env,
            stdin,
            tmp: if temp_dir { Some(BTreeMap::new()) } else { None },
            next_fd: 4,
            rng: seed ^ 0x9E37_79B9_7F4A_7C15,
            max_capture: MAX_CAPTURE_BYTES,
            ..Default::default()
        }
    }
    /// splitmix64.
    fn next_u64(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn tmp_bytes(&self) -> usize {
        self.tmp.as_ref().map(|t| t.values().map(Vec::len).sum()).unwrap_or(0)
    }
    /// Is `path` (under /tmp, "" = /tmp) an existing directory?
    pub fn is_dir(&self, path: &str) -> bool {
        let Some(tmp) = self.tmp.as_ref() else { return false };
        if path.is_empty() || self.dirs.contains(path) {
            return true;
        }
        let prefix = format!("{path}/");
        tmp.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix))
            || self.dirs.range(prefix.clone()..).next().is_some_and(|k| k.starts_with(&prefix))
    }
    /// The directory an fd names: the preopen or an opened directory.
    fn dir_of_fd(&self, fd: i32) -> Option<String> {
        self.tmp.as_ref()?;
        if fd == PREOPEN_FD {
            return Some(String::new());
        }
        self.files.get(&fd).filter(|f| f.dir).map(|f| f.path.clone())
    }
    /// The entries of a directory, sorted: (name, filetype).
    fn list_dir(&self, path: &str) -> Vec<(String, u8)> {
        let prefix = if path.is_empty() { String::new() } else { format!("{path}/") };
        let mut out: BTreeMap<String, u8> = BTreeMap::new();
        let mut add = |full: &str, is_dir: bool| {
            if let Some(rest) = full.strip_prefix(&prefix) {
                match rest.split_once('/') {
                    Some((child, _)) => {
                        out.insert(child.to_string(), FT_DIR);
                    }
                    None if !rest.is_empty() => {
                        out.insert(rest.to_string(), if is_dir { FT_DIR } else { FT_FILE });
                    }
                    None => {}
                }
            }
        };
        for k in self.tmp.iter().flat_map(|t| t.keys()) {
            add(k, false);
        }
        for d in &self.dirs {
            add(d, true);
        }
        out.into_iter().collect()
    }
}

/// A stable inode number for a path (wasmtime reports the host's).
fn inode(path: &str) -> u64 {
    path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)) | 1
}

/// Joins a path relative to the directory `base` (both under /tmp).
fn join(base: &str, raw: &[u8]) -> Option<String> {
    let rel = std::str::from_utf8(raw).ok()?;
    if rel.starts_with('/') {
        return None; // absolute paths are not relative to a dirfd
    }
    let full = if base.is_empty() { rel.to_string() } else { format!("{base}/{rel}") };
    tmp_path(full.as_bytes())
}

/// A 64-byte WASI filestat.
fn filestat(path: &str, ft: u8, size: u64) -> [u8; 64] {
    let mut b = [0u8; 64];
    b[8..16].copy_from_slice(&inode(path).to_le_bytes());
    b[16] = ft;
    b[24..32].copy_from_slice(&1u64.to_le_bytes());
    b[32..40].copy_from_slice(&size.to_le_bytes());
    b
}

fn memory(c: &Caller<'_, HostState>) -> Option<Memory> {
    match c.get_export("memory") {
        Some(Extern::Memory(m)) => Some(m),
        _ => None,
    }
}

fn read(c: &Caller<'_, HostState>, ptr: i32, len: i32) -> Option<Vec<u8>> {
    let m = memory(c)?;
    let d = m.data(c);
    let start = ptr as u32 as usize;
    d.get(start..start.checked_add(len as u32 as usize)?).map(<[u8]>::to_vec)
}

fn write(c: &mut Caller<'_, HostState>, ptr: i32, bytes: &[u8]) -> bool {
    let Some(m) = memory(c) else { return false };
    let d = m.data_mut(c);
    let start = ptr as u32 as usize;
    match start.checked_add(bytes.len()).and_then(|end| d.get_mut(start..end)) {
        Some(s) => {
            s.copy_from_slice(bytes);
            true
        }
        None => false,
    }
}

fn u32_at(c: &Caller<'_, HostState>, ptr: i32) -> Option<u32> {
    read(c, ptr, 4).and_then(|b| <[u8; 4]>::try_from(b.as_slice()).ok()).map(u32::from_le_bytes)
}

/// The (ptr,len) pairs of an iovec array.
fn iovecs(c: &Caller<'_, HostState>, iovs: i32, n: i32) -> Option<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    for i in 0..(n.max(0) as u32).min(1024) {
        let p = iovs.wrapping_add((i * 8) as i32);
        out.push((u32_at(c, p)? as i32, u32_at(c, p.wrapping_add(4))? as i32));
    }
    Some(out)
}

fn ev(c: &mut Caller<'_, HostState>, name: &str, args: String, d: Decision, rule: &str) {
    let rem = c.get_fuel().ok();
    c.data_mut().event(&format!("{WASI}.{name}"), args, d, rule, rem);
}

/// "KEY=VALUE\0" strings for environ_*.
fn env_strings(s: &WasiState) -> Vec<Vec<u8>> {
    s.env.iter().map(|(k, v)| format!("{k}={v}\0").into_bytes()).collect()
}

fn tmp_path(raw: &[u8]) -> Option<String> {
    let p = std::str::from_utf8(raw).ok()?;
    let mut parts = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?; // escaping the preopen is refused
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Links the implemented functions, then any other WASI import the module
/// declares as a function returning ENOSYS (logged as denied).
pub(crate) fn link_wasi(linker: &mut Linker<HostState>, module: &Module) -> Result<(), Error> {
    linker.func_wrap(WASI, "args_sizes_get", |mut c: Caller<'_, HostState>, argc: i32, size: i32| -> i32 {
        ev(&mut c, "args_sizes_get", "argc=0".into(), Decision::Allowed, "argv is empty (Helm)");
        errno(write(&mut c, argc, &0u32.to_le_bytes()) && write(&mut c, size, &0u32.to_le_bytes()))
    })?;
    linker.func_wrap(WASI, "args_get", |_c: Caller<'_, HostState>, _a: i32, _b: i32| -> i32 { ESUCCESS })?;
    linker.func_wrap(WASI, "environ_sizes_get", |mut c: Caller<'_, HostState>, count: i32, size: i32| -> i32 {
        let strs = env_strings(&c.data().wasi);
        let total: usize = strs.iter().map(Vec::len).sum();
        ev(&mut c, "environ_sizes_get", format!("vars={}", strs.len()), Decision::Allowed, "env per plugin type");
        if write(&mut c, count, &(strs.len() as u32).to_le_bytes())
            && write(&mut c, size, &(total as u32).to_le_bytes())
        {
            ESUCCESS
        } else {
            EINVAL
        }
    })?;
    linker.func_wrap(WASI, "environ_get", |mut c: Caller<'_, HostState>, ptrs: i32, buf: i32| -> i32 {
        let strs = env_strings(&c.data().wasi);
        let mut off = buf as u32;
        for (i, s) in strs.iter().enumerate() {
            if !write(&mut c, ptrs.wrapping_add(i as i32 * 4), &off.to_le_bytes()) || !write(&mut c, off as i32, s) {
                return EINVAL;
            }
            off = off.wrapping_add(s.len() as u32);
        }
        ESUCCESS
    })?;
    linker.func_wrap(WASI, "clock_time_get", |mut c: Caller<'_, HostState>, id: i32, _prec: i64, out: i32| -> i32 {
        let clock = c.data().clock.clone();
        let ns = match id {
            0 => clock.wall_ns(),
            1..=3 => (clock.now_ms() * 1e6) as u64,
            _ => return EINVAL,
        };
        ev(&mut c, "clock_time_get", format!("id={id}"), Decision::Allowed, "clocks");
        errno(write(&mut c, out, &ns.to_le_bytes()))
    })?;
    linker.func_wrap(WASI, "clock_res_get", |mut c: Caller<'_, HostState>, _id: i32, out: i32| -> i32 {
        errno(write(&mut c, out, &1000u64.to_le_bytes()))
    })?;
    linker.func_wrap(WASI, "random_get", |mut c: Caller<'_, HostState>, buf: i32, len: i32| -> i32 {
        let n = len.max(0) as usize;
        // Refuse before allocating when the buffer is not in guest memory.
        let fits = memory(&c)
            .map(|m| (buf as u32 as usize).checked_add(n).is_some_and(|end| end <= m.data(&c).len()))
            .unwrap_or(false);
        if !fits {
            return EINVAL;
        }
        let mut bytes = Vec::with_capacity(n);
        while bytes.len() < n {
            let r = c.data_mut().wasi.next_u64().to_le_bytes();
            bytes.extend_from_slice(&r[..(n - bytes.len()).min(8)]);
        }
        ev(&mut c, "random_get", format!("bytes={n}"), Decision::Allowed, "seeded random");
        errno(write(&mut c, buf, &bytes))
    })?;
    linker.func_wrap(WASI, "sched_yield", |_c: Caller<'_, HostState>| -> i32 { ESUCCESS })?;
    linker.func_wrap(WASI, "proc_exit", |mut c: Caller<'_, HostState>, code: i32| -> Result<(), Error> {
        ev(&mut c, "proc_exit", format!("code={code}"), Decision::Allowed, "always");
        Err(Error::i32_exit(code))
    })?;
    linker.func_wrap(WASI, "fd_write", |mut c: Caller<'_, HostState>, fd: i32, iovs: i32, n: i32, nwritten: i32| -> Result<i32, Error> {
        let Some(vecs) = iovecs(&c, iovs, n) else { return Ok(EINVAL) };
        let mut data = Vec::new();
        for (p, l) in vecs {
            match read(&c, p, l) {
                Some(b) => data.extend_from_slice(&b),
                None => return Ok(EINVAL),
            }
        }
        let len = data.len();
        let cap = c.data().wasi.max_capture;
        let rc = match fd {
            1 | 2 => {
                let w = &mut c.data_mut().wasi;
                let used = w.stdout.len() + w.stderr.len();
                let keep = len.min(cap.saturating_sub(used));
                let dst = if fd == 1 { &mut w.stdout } else { &mut w.stderr };
                dst.extend_from_slice(&data[..keep]);
                if keep < len {
                    // A guest that floods stdio must not fill the page's
                    // memory nor spin forever on a silently truncated pipe.
                    ev(&mut c, "fd_write", format!("fd={fd} bytes={len}"), Decision::Denied, &format!("stdio capture cap={cap} bytes"));
                    let msg = format!(
                        "stdout/stderr limit exceeded: the guest wrote more than {cap} bytes ({} MiB) to stdout and stderr, the most Chartroom captures per call (Helm streams cli output to the terminal)",
                        cap >> 20
                    );
                    let trap = Error::new(msg.clone());
                    c.data_mut().failure = Some(crate::error::Error::limit(crate::error::Limit::Capture, msg));
                    return Err(trap);
                }
                ev(&mut c, "fd_write", format!("fd={fd} bytes={len}"), Decision::Allowed, "captured stdio");
                ESUCCESS
            }
            fd => {
                let used = c.data().wasi.tmp_bytes();
                let w = &mut c.data_mut().wasi;
                match (w.files.get_mut(&fd), w.tmp.as_mut()) {
                    (Some(f), Some(_)) if f.dir => return Ok(EISDIR),
                    (Some(f), Some(tmp)) => {
                        if used + len > cap {
                            ev(&mut c, "fd_write", format!("fd={fd} bytes={len}"), Decision::Denied, "temp dir size cap");
                            return Ok(ENOSYS);
                        }
                        let file = tmp.entry(f.path.clone()).or_default();
                        let pos = if f.append { file.len() } else { f.pos as usize };
                        if file.len() < pos + len {
                            file.resize(pos + len, 0);
                        }
                        file[pos..pos + len].copy_from_slice(&data);
                        f.pos = (pos + len) as u64;
                        let path = f.path.clone();
                        ev(&mut c, "fd_write", format!("/tmp/{path} bytes={len}"), Decision::Allowed, "fileSystem.createTempDir");
                        ESUCCESS
                    }
                    _ => {
                        ev(&mut c, "fd_write", format!("fd={fd}"), Decision::Denied, "no such fd");
                        return Ok(EBADF);
                    }
                }
            }
        };
        if rc == ESUCCESS && !write(&mut c, nwritten, &(len as u32).to_le_bytes()) {
            return Ok(EINVAL);
        }
        Ok(rc)
    })?;
    linker.func_wrap(
        WASI,
        "fd_read",
        |mut c: Caller<'_, HostState>, fd: i32, iovs: i32, n: i32, nread: i32| -> i32 {
            let Some(vecs) = iovecs(&c, iovs, n) else { return EINVAL };
            let want: usize = vecs.iter().map(|(_, l)| *l as u32 as usize).sum();
            let data: Vec<u8> = {
                let w = &mut c.data_mut().wasi;
                if fd == 0 {
                    let start = w.stdin_pos.min(w.stdin.len());
                    let end = (start + want).min(w.stdin.len());
                    w.stdin_pos = end;
                    w.stdin[start..end].to_vec()
                } else if let (Some(f), Some(tmp)) = (w.files.get_mut(&fd), w.tmp.as_ref()) {
                    if f.dir {
                        return EISDIR;
                    }
                    let file = tmp.get(&f.path).map(Vec::as_slice).unwrap_or(&[]);
                    let start = (f.pos as usize).min(file.len());
                    let end = (start + want).min(file.len());
                    f.pos = end as u64;
                    file[start..end].to_vec()
                } else {
                    return EBADF;
                }
            };
            let mut off = 0;
            for (p, l) in vecs {
                let take = (l as u32 as usize).min(data.len() - off);
                if take == 0 {
                    break;
                }
                if !write(&mut c, p, &data[off..off + take]) {
                    return EINVAL;
                }
                off += take;
            }
            errno(write(&mut c, nread, &(off as u32).to_le_bytes()))
        },
    )?;
    linker.func_wrap(WASI, "fd_close", |mut c: Caller<'_, HostState>, fd: i32| -> i32 {
        if c.data_mut().wasi.files.remove(&fd).is_some() || (0..=2).contains(&fd) {
            ESUCCESS
        } else {
            EBADF
        }
    })?;
    linker.func_wrap(WASI, "fd_fdstat_get", |mut c: Caller<'_, HostState>, fd: i32, out: i32| -> i32 {
        let w = &c.data().wasi;
        let filetype: u8 = match fd {
            0..=2 => 2, // character device
            PREOPEN_FD if w.tmp.is_some() => FT_DIR,
            fd => match w.files.get(&fd) {
                Some(f) if f.dir => FT_DIR,
                Some(_) => FT_FILE,
                None => return EBADF,
            },
        };
        let mut b = [0u8; 24];
        b[0] = filetype;
        b[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
        b[16..24].copy_from_slice(&u64::MAX.to_le_bytes());
        errno(write(&mut c, out, &b))
    })?;
    linker
        .func_wrap(WASI, "fd_fdstat_set_flags", |_c: Caller<'_, HostState>, _fd: i32, _f: i32| -> i32 { ESUCCESS })?;
    linker.func_wrap(WASI, "fd_prestat_get", |mut c: Caller<'_, HostState>, fd: i32, out: i32| -> i32 {
        if fd == PREOPEN_FD && c.data().wasi.tmp.is_some() {
            ev(&mut c, "fd_prestat_get", "fd=3 /tmp".into(), Decision::Allowed, "fileSystem.createTempDir");
            let mut b = [0u8; 8];
            b[4..8].copy_from_slice(&4u32.to_le_bytes());
            return if write(&mut c, out, &b) { ESUCCESS } else { EINVAL };
        }
        if fd == PREOPEN_FD {
            ev(
                &mut c,
                "fd_prestat_get",
                "fd=3".into(),
                Decision::Denied,
                "no filesystem: fileSystem.createTempDir is false",
            );
        }
        EBADF
    })?;
    linker.func_wrap(WASI, "fd_prestat_dir_name", |mut c: Caller<'_, HostState>, fd: i32, p: i32, l: i32| -> i32 {
        if fd != PREOPEN_FD || c.data().wasi.tmp.is_none() {
            return EBADF;
        }
        let name = &b"/tmp"[..(l.max(0) as usize).min(4)];
        errno(write(&mut c, p, name))
    })?;
    linker.func_wrap(
        WASI,
        "path_open",
        |mut c: Caller<'_, HostState>,
         dirfd: i32,
         _df: i32,
         p: i32,
         l: i32,
         oflags: i32,
         rights: i64,
         _ri: i64,
         fdflags: i32,
         out: i32|
         -> i32 {
            let raw = read(&c, p, l).unwrap_or_default();
            let shown = String::from_utf8_lossy(&raw).into_owned();
            let Some(base) = c.data().wasi.dir_of_fd(dirfd) else {
                let (rule, errno) = if c.data().wasi.tmp.is_none() {
                    ("no filesystem: fileSystem.createTempDir is false", EBADF)
                } else if c.data().wasi.files.contains_key(&dirfd) {
                    ("not a directory", ENOTDIR)
                } else {
                    ("no such fd", EBADF)
                };
                ev(&mut c, "path_open", format!("fd={dirfd} path={shown}"), Decision::Denied, rule);
                return errno;
            };
            let Some(path) = join(&base, &raw) else {
                ev(&mut c, "path_open", format!("/tmp/{shown}"), Decision::Denied, "path escapes /tmp");
                return ENOTCAPABLE;
            };
            let (creat, dir, excl, trunc) = (oflags & 1 != 0, oflags & 2 != 0, oflags & 4 != 0, oflags & 8 != 0);
            // fd_write (1<<6) in the base rights: the guest wants to write.
            let wants_write = rights & (1 << 6) != 0;
            let w = &mut c.data_mut().wasi;
            let is_dir = w.is_dir(&path);
            let Some(tmp) = w.tmp.as_mut() else { return EBADF };
            let exists = is_dir || tmp.contains_key(&path);
            if exists && excl && creat {
                return EEXIST;
            }
            if is_dir {
                if trunc || (wants_write && !dir) {
                    return EISDIR;
                }
            } else if dir {
                return if exists { ENOTDIR } else { ENOENT };
            } else {
                if !exists && !creat {
                    ev(
                        &mut c,
                        "path_open",
                        format!("/tmp/{path}"),
                        Decision::Allowed,
                        "fileSystem.createTempDir (ENOENT)",
                    );
                    return ENOENT;
                }
                // A file needs its parent directory.
                if let Some((parent, _)) = path.rsplit_once('/') {
                    if !w.is_dir(parent) {
                        return ENOENT;
                    }
                }
                let Some(tmp) = w.tmp.as_mut() else { return EBADF };
                if !exists || trunc {
                    tmp.insert(path.clone(), Vec::new());
                }
            }
            let fd = w.next_fd;
            w.next_fd += 1;
            w.files.insert(fd, OpenFile { path: path.clone(), pos: 0, append: fdflags & 1 != 0, dir: is_dir });
            let what = if is_dir { "fileSystem.createTempDir (directory)" } else { "fileSystem.createTempDir" };
            ev(&mut c, "path_open", format!("/tmp/{path}"), Decision::Allowed, what);
            errno(write(&mut c, out, &(fd as u32).to_le_bytes()))
        },
    )?;
    linker.func_wrap(WASI, "fd_filestat_get", |mut c: Caller<'_, HostState>, fd: i32, out: i32| -> i32 {
        let w = &c.data().wasi;
        let b = match (w.files.get(&fd), w.tmp.as_ref()) {
            (Some(f), Some(_)) if f.dir => filestat(&f.path, FT_DIR, 0),
            (Some(f), Some(tmp)) => filestat(&f.path, FT_FILE, tmp.get(&f.path).map(Vec::len).unwrap_or(0) as u64),
            _ if fd == PREOPEN_FD && w.tmp.is_some() => filestat("", FT_DIR, 0),
            _ if (0..=2).contains(&fd) => filestat("", FT_CHAR, 0),
            _ => return EBADF,
        };
        errno(write(&mut c, out, &b))
    })?;
    linker.func_wrap(
        WASI,
        "path_filestat_get",
        |mut c: Caller<'_, HostState>, dirfd: i32, _fl: i32, p: i32, l: i32, out: i32| -> i32 {
            let raw = read(&c, p, l).unwrap_or_default();
            let w = &c.data().wasi;
            let Some(base) = w.dir_of_fd(dirfd) else { return EBADF };
            let Some(path) = join(&base, &raw) else { return ENOTCAPABLE };
            let b = if w.is_dir(&path) {
                filestat(&path, FT_DIR, 0)
            } else {
                match w.tmp.as_ref().and_then(|t| t.get(&path)) {
                    Some(f) => filestat(&path, FT_FILE, f.len() as u64),
                    None => return ENOENT,
                }
            };
            errno(write(&mut c, out, &b))
        },
    )?;
    // Directory entries as wasmtime's WASI p1 gives them: `.` (cookie 1)
    // and `..` (cookie 2) first, then the entries (cookie i+3); each is a
    // 24-byte dirent (d_next u64, d_ino u64, d_namlen u32, d_type u8) and
    // its name, written until the buffer is full (the last one truncated;
    // libc then asks again with a larger buffer).
    linker.func_wrap(
        WASI,
        "fd_readdir",
        |mut c: Caller<'_, HostState>, fd: i32, buf: i32, len: i32, cookie: i64, used: i32| -> i32 {
            let w = &c.data().wasi;
            let path = match w.files.get(&fd) {
                Some(f) if f.dir => f.path.clone(),
                Some(_) => return ENOTDIR,
                None if fd == PREOPEN_FD && w.tmp.is_some() => String::new(),
                None => return EBADF,
            };
            let parent = path.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap_or_default();
            let mut entries = vec![(".".to_string(), FT_DIR, inode(&path)), ("..".to_string(), FT_DIR, inode(&parent))];
            for (name, ft) in w.list_dir(&path) {
                let full = if path.is_empty() { name.clone() } else { format!("{path}/{name}") };
                let ino = inode(&full);
                entries.push((name, ft, ino));
            }
            let cap = len.max(0) as usize;
            let mut bytes = Vec::new();
            for (i, (name, ft, ino)) in entries.iter().enumerate().skip(cookie.max(0) as usize) {
                if bytes.len() >= cap {
                    break;
                }
                let mut d = Vec::with_capacity(24 + name.len());
                d.extend_from_slice(&(i as u64 + 1).to_le_bytes());
                d.extend_from_slice(&ino.to_le_bytes());
                d.extend_from_slice(&(name.len() as u32).to_le_bytes());
                d.push(*ft);
                d.extend_from_slice(&[0, 0, 0]);
                d.extend_from_slice(name.as_bytes());
                let take = d.len().min(cap - bytes.len());
                bytes.extend_from_slice(&d[..take]);
            }
            let n = entries.len().saturating_sub(2);
            ev(&mut c, "fd_readdir", format!("/tmp/{path} entries={n}"), Decision::Allowed, "fileSystem.createTempDir");
            errno(write(&mut c, buf, &bytes) && write(&mut c, used, &(bytes.len() as u32).to_le_bytes()))
        },
    )?;
    linker.func_wrap(
        WASI,
        "path_create_directory",
        |mut c: Caller<'_, HostState>, dirfd: i32, p: i32, l: i32| -> i32 {
            let raw = read(&c, p, l).unwrap_or_default();
            let w = &mut c.data_mut().wasi;
            let Some(base) = w.dir_of_fd(dirfd) else { return EBADF };
            let Some(path) = join(&base, &raw) else { return ENOTCAPABLE };
            if path.is_empty() || w.is_dir(&path) || w.tmp.as_ref().is_some_and(|t| t.contains_key(&path)) {
                return EEXIST;
            }
            if let Some((parent, _)) = path.rsplit_once('/') {
                if !w.is_dir(parent) {
                    return ENOENT;
                }
            }
            w.dirs.insert(path.clone());
            ev(&mut c, "path_create_directory", format!("/tmp/{path}"), Decision::Allowed, "fileSystem.createTempDir");
            ESUCCESS
        },
    )?;
    linker.func_wrap(
        WASI,
        "path_remove_directory",
        |mut c: Caller<'_, HostState>, dirfd: i32, p: i32, l: i32| -> i32 {
            let raw = read(&c, p, l).unwrap_or_default();
            let w = &mut c.data_mut().wasi;
            let Some(base) = w.dir_of_fd(dirfd) else { return EBADF };
            let Some(path) = join(&base, &raw) else { return ENOTCAPABLE };
            if path.is_empty() {
                return ENOTCAPABLE;
            }
            if !w.is_dir(&path) {
                return if w.tmp.as_ref().is_some_and(|t| t.contains_key(&path)) { ENOTDIR } else { ENOENT };
            }
            if !w.list_dir(&path).is_empty() {
                return ENOTEMPTY;
            }
            w.dirs.remove(&path);
            ESUCCESS
        },
    )?;
    linker.func_wrap(
        WASI,
        "fd_seek",
        |mut c: Caller<'_, HostState>, fd: i32, off: i64, whence: i32, out: i32| -> i32 {
            let w = &mut c.data_mut().wasi;
            let size = match (w.files.get(&fd), w.tmp.as_ref()) {
                (Some(f), Some(tmp)) => tmp.get(&f.path).map(Vec::len).unwrap_or(0) as i64,
                _ => return if (0..=2).contains(&fd) { 70 } else { EBADF }, // ESPIPE
            };
            let Some(f) = w.files.get_mut(&fd) else { return EBADF };
            let base = match whence {
                0 => 0,
                1 => f.pos as i64,
                2 => size,
                _ => return EINVAL,
            };
            let Some(new) = base.checked_add(off).filter(|n| *n >= 0) else { return EINVAL };
            f.pos = new as u64;
            errno(write(&mut c, out, &(new as u64).to_le_bytes()))
        },
    )?;
    linker.func_wrap(WASI, "path_unlink_file", |mut c: Caller<'_, HostState>, dirfd: i32, p: i32, l: i32| -> i32 {
        let raw = read(&c, p, l).unwrap_or_default();
        let w = &mut c.data_mut().wasi;
        let Some(base) = w.dir_of_fd(dirfd) else { return EBADF };
        let Some(path) = join(&base, &raw) else { return ENOTCAPABLE };
        if w.is_dir(&path) {
            return EISDIR;
        }
        match w.tmp.as_mut().and_then(|tmp| tmp.remove(&path)) {
            Some(_) => ESUCCESS,
            None => ENOENT,
        }
    })?;

    // Anything else the module imports from WASI: ENOSYS, logged.
    for imp in module.imports() {
        if imp.module() != WASI {
            continue;
        }
        let name = imp.name().to_string();
        if IMPLEMENTED.contains(&name.as_str()) {
            continue;
        }
        let wasmi::ExternType::Func(ty) = imp.ty().clone() else { continue };
        let returns_errno = ty.results().len() == 1 && ty.results().first() == Some(&wasmi::ValType::I32);
        let n = name.clone();
        linker.func_new(
            WASI,
            &name,
            ty,
            move |mut c: Caller<'_, HostState>, _args: &[Val], results: &mut [Val]| -> Result<(), Error> {
                ev(&mut c, &n, String::new(), Decision::Denied, "not provided by this host (ENOSYS)");
                if returns_errno {
                    if let Some(r) = results.first_mut() {
                        *r = Val::I32(ENOSYS);
                    }
                    Ok(())
                } else {
                    Err(Error::new(format!("{WASI}.{n} is not supported by this host")))
                }
            },
        )?;
    }
    Ok(())
}
