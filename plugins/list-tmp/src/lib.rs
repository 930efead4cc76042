//! getter/v1 for `tmp://`: fills its temp dir (a file, a directory with a
//! file in it), then lists /tmp and /tmp/sub (fd_readdir on the preopen and
//! on an opened directory, path_open with O_DIRECTORY, fd_filestat_get on a
//! directory) and returns the listing as `data` (wasm32-wasip1). Needs
//! `fileSystem.createTempDir: true`.
use extism_pdk::*;

fn list(dir: &str) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| Error::msg(format!("cannot list {dir}: {e}")))? {
        let e = e.map_err(|e| Error::msg(format!("cannot list {dir}: {e}")))?;
        let name = e.file_name().to_string_lossy().into_owned();
        // A directory's size is the host's (4096 on ext4): not printed.
        if e.file_type()?.is_dir() {
            names.push(format!("{name} dir"));
        } else {
            names.push(format!("{name} file {}", e.metadata()?.len()));
        }
    }
    // Host directory order is unspecified (wasmtime passes the host's).
    names.sort();
    Ok(names)
}

#[plugin_fn]
pub fn helm_plugin_main(input: String) -> FnResult<String> {
    let v: serde_json::Value = serde_json::from_str(&input)?;
    let href = v["href"].as_str().unwrap_or("");
    std::fs::write("/tmp/a.txt", href).map_err(|e| Error::msg(format!("write /tmp/a.txt: {e}")))?;
    std::fs::create_dir("/tmp/sub").map_err(|e| Error::msg(format!("mkdir /tmp/sub: {e}")))?;
    std::fs::write("/tmp/sub/b.txt", "bb").map_err(|e| Error::msg(format!("write /tmp/sub/b.txt: {e}")))?;
    // fd_filestat_get on a directory opened with O_DIRECTORY.
    let meta = std::fs::File::open("/tmp/sub")?.metadata()?;
    let mut out = format!("/tmp/sub is_dir={}\n", meta.is_dir());
    for d in ["/tmp", "/tmp/sub"] {
        out.push_str(&format!("{d}: {}\n", list(d)?.join(", ")));
    }
    Ok(serde_json::json!({ "data": base64(out.as_bytes()) }).to_string())
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
