//! Chart archives (`.tgz`): Helm's pkg/chart/loader/archive
//! (`LoadArchiveFiles`, `EnsureArchive`) and pkg/chart/v2/loader/archive.go
//! (`LoadArchive`, `LoadFile`), plus a deterministic writer for the
//! playground's "download as .tgz".
//!
//! Helm reads archives as a stream: gzip (Go's compress/gzip) feeding a tar
//! reader (Go's archive/tar), and an error surfaces only when the tar reader
//! asks for bytes past it. A corrupt gzip trailer after the tar end marker is
//! therefore never noticed by Helm; the lazy reader below keeps that
//! behaviour, and reproduces Go's error texts (`gzip: invalid header`,
//! `unexpected EOF`, `archive/tar: invalid tar header`, ...).

use std::collections::BTreeMap;
use std::rc::Rc;

use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

use super::{load_error, load_list, Chart, File, LoadError};
use crate::error::Kind;
use crate::gofmt::strconv::quote;

/// `archive.MaxDecompressedChartSize`: 100 MiB for all files together.
pub(crate) const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;
/// `archive.MaxDecompressedFileSize`: 5 MiB for one file.
pub(crate) const MAX_DECOMPRESSED_FILE_SIZE: u64 = 5 * 1024 * 1024;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// An error of Go's io/gzip/flate/tar layers, printed as Go prints it.
#[derive(Clone, Debug, PartialEq)]
enum GoErr {
    /// io.EOF
    Eof,
    /// io.ErrUnexpectedEOF
    UnexpectedEof,
    /// gzip.ErrHeader
    GzipHeader,
    /// gzip.ErrChecksum
    GzipChecksum,
    /// flate.CorruptInputError (offset in the deflate stream; our inflater
    /// reads ahead a little differently from Go's, so it is approximate)
    FlateCorrupt(usize),
    /// tar.ErrHeader
    TarHeader,
    /// tar.ErrFieldTooLong
    TarFieldTooLong,
    /// Helm's own messages.
    Helm(String),
}

impl GoErr {
    fn text(&self) -> String {
        match self {
            GoErr::Eof => "EOF".into(),
            GoErr::UnexpectedEof => "unexpected EOF".into(),
            GoErr::GzipHeader => "gzip: invalid header".into(),
            GoErr::GzipChecksum => "gzip: invalid checksum".into(),
            GoErr::FlateCorrupt(off) => format!("flate: corrupt input before offset {off}"),
            GoErr::TarHeader => "archive/tar: invalid tar header".into(),
            GoErr::TarFieldTooLong => "archive/tar: header field too long".into(),
            GoErr::Helm(m) => m.clone(),
        }
    }
}

// ---------------------------------------------------------------- gzip ---

/// A lazy port of Go's `gzip.Reader` (multistream, as Go's default) over
/// an in-memory input.
struct Gunzip<'a> {
    input: &'a [u8],
    pos: usize,
    inflater: Box<InflateState>,
    /// Input position where the current member's deflate data starts.
    deflate_start: usize,
    digest: u32,
    size: u32,
    /// Sticky error (Go's `z.err`), returned once the data before it is read.
    err: Option<GoErr>,
}

impl<'a> Gunzip<'a> {
    /// `gzip.NewReader`: reads the first member's header.
    fn new(input: &'a [u8]) -> Result<Gunzip<'a>, GoErr> {
        let mut z = Gunzip {
            input,
            pos: 0,
            inflater: InflateState::new_boxed(DataFormat::Raw),
            deflate_start: 0,
            digest: 0,
            size: 0,
            err: None,
        };
        z.read_header()?;
        Ok(z)
    }

    /// `io.ReadFull` on the raw input.
    fn take(&mut self, n: usize) -> Result<&'a [u8], GoErr> {
        let rest = self.input.get(self.pos..).unwrap_or(&[]);
        if rest.len() >= n {
            self.pos += n;
            Ok(&rest[..n])
        } else if rest.is_empty() {
            self.pos = self.input.len();
            Err(GoErr::Eof)
        } else {
            self.pos = self.input.len();
            Err(GoErr::UnexpectedEof)
        }
    }

    /// `noEOF`: inside a header, a clean EOF is still unexpected.
    fn take_no_eof(&mut self, n: usize) -> Result<&'a [u8], GoErr> {
        self.take(n).map_err(|e| if e == GoErr::Eof { GoErr::UnexpectedEof } else { e })
    }

    /// `Reader.readHeader` (RFC 1952 member header).
    fn read_header(&mut self) -> Result<(), GoErr> {
        let head = self.take(10)?;
        if head[0] != 0x1f || head[1] != 0x8b || head[2] != 8 {
            return Err(GoErr::GzipHeader);
        }
        let flg = head[3];
        let mut digest = crc32_update(0, head);
        if flg & 0x04 != 0 {
            // FEXTRA
            let l = self.take_no_eof(2)?;
            digest = crc32_update(digest, l);
            let n = u16::from_le_bytes([l[0], l[1]]) as usize;
            let extra = self.take_no_eof(n)?;
            digest = crc32_update(digest, extra);
        }
        for flag in [0x08u8, 0x10] {
            // FNAME, FCOMMENT: NUL-terminated, at most 512 bytes in Go.
            if flg & flag != 0 {
                let rest = self.input.get(self.pos..).unwrap_or(&[]);
                match rest.iter().position(|&b| b == 0) {
                    Some(i) if i < 512 => {
                        digest = crc32_update(digest, &rest[..=i]);
                        self.pos += i + 1;
                    }
                    Some(_) => return Err(GoErr::GzipHeader),
                    None if rest.len() >= 512 => return Err(GoErr::GzipHeader),
                    None => {
                        self.pos = self.input.len();
                        return Err(GoErr::UnexpectedEof);
                    }
                }
            }
        }
        if flg & 0x02 != 0 {
            // FHCRC
            let c = self.take_no_eof(2)?;
            if u16::from_le_bytes([c[0], c[1]]) != (digest & 0xffff) as u16 {
                return Err(GoErr::GzipHeader);
            }
        }
        self.digest = 0;
        self.size = 0;
        self.inflater.reset(DataFormat::Raw);
        self.deflate_start = self.pos;
        Ok(())
    }

    /// Fills `out` as far as possible; returns how much was written and the
    /// error that stopped it (None when `out` is full).
    fn fill(&mut self, out: &mut [u8]) -> (usize, Option<GoErr>) {
        let mut filled = 0;
        while filled < out.len() {
            if let Some(e) = &self.err {
                return (filled, Some(e.clone()));
            }
            let rest = self.input.get(self.pos..).unwrap_or(&[]);
            let res = inflate(&mut self.inflater, rest, &mut out[filled..], MZFlush::None);
            self.pos += res.bytes_consumed;
            let written = &out[filled..filled + res.bytes_written];
            self.digest = crc32_update(self.digest, written);
            self.size = self.size.wrapping_add(res.bytes_written as u32);
            filled += res.bytes_written;
            match res.status {
                Ok(MZStatus::StreamEnd) => self.end_member(),
                Ok(_) => {
                    if res.bytes_consumed == 0 && res.bytes_written == 0 {
                        // No progress: the input is exhausted mid-stream.
                        self.err = Some(GoErr::UnexpectedEof);
                    }
                }
                Err(MZError::Buf) => self.err = Some(GoErr::UnexpectedEof),
                Err(_) => self.err = Some(GoErr::FlateCorrupt(self.pos - self.deflate_start)),
            }
        }
        (filled, None)
    }

    /// The deflate stream ended: check the trailer, then look for another
    /// member (Go's multistream mode).
    fn end_member(&mut self) {
        let trailer = match self.take_no_eof(8) {
            Ok(t) => t,
            Err(e) => {
                self.err = Some(e);
                return;
            }
        };
        let digest = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
        if digest != self.digest || size != self.size {
            self.err = Some(GoErr::GzipChecksum);
            return;
        }
        if let Err(e) = self.read_header() {
            self.err = Some(e);
        }
    }
}

/// CRC-32 (IEEE), as gzip needs it: table-driven (a bit at a time made a
/// 100 MB archive — Helm's limit — take seconds to check).
fn crc32_update(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in data {
        c = CRC_TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

const CRC_TABLE: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            k += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
};

// ----------------------------------------------------------------- tar ---

const BLOCK: usize = 512;

/// The parts of Go's `tar.Header` Helm looks at.
#[derive(Clone, Debug, Default)]
struct TarHeader {
    name: String,
    typeflag: u8,
    /// Header's size (after PAX), as Helm compares it with its limits.
    size: i64,
    mode: i64,
}

impl TarHeader {
    /// `hd.FileInfo().IsDir()`.
    fn is_dir(&self) -> bool {
        self.typeflag == b'5' || (self.mode & !0o7777) == 0o40000
    }
}

/// A port of the parts of Go's `archive/tar.Reader` that Helm exercises.
struct TarReader<'a> {
    r: Gunzip<'a>,
    /// Unread data bytes of the current entry.
    remaining: u64,
    pad: u64,
    err: Option<GoErr>,
}

/// Go's tar `parser` error flag.
struct Parser {
    err: bool,
}

impl Parser {
    fn parse_string(b: &[u8]) -> String {
        let n = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        String::from_utf8_lossy(&b[..n]).into_owned()
    }

    fn parse_numeric(&mut self, b: &[u8]) -> i64 {
        if let Some(&first) = b.first() {
            if first & 0x80 != 0 {
                // base-256, two's complement big-endian
                let inv: u8 = if first & 0x40 != 0 { 0xff } else { 0 };
                let mut x: u64 = 0;
                for (i, &c) in b.iter().enumerate() {
                    let mut c = c ^ inv;
                    if i == 0 {
                        c &= 0x7f;
                    }
                    if x >> 56 > 0 {
                        self.err = true;
                        return 0;
                    }
                    x = x << 8 | c as u64;
                }
                if x >> 63 > 0 {
                    self.err = true;
                    return 0;
                }
                return if inv == 0xff { !(x as i64) } else { x as i64 };
            }
        }
        self.parse_octal(b)
    }

    fn parse_octal(&mut self, b: &[u8]) -> i64 {
        let is_pad = |c: &u8| *c == b' ' || *c == 0;
        let start = b.iter().position(|c| !is_pad(c)).unwrap_or(b.len());
        let end = b.iter().rposition(|c| !is_pad(c)).map_or(start, |i| i + 1);
        let t = &b[start..end.max(start)];
        if t.is_empty() {
            return 0;
        }
        let s = Parser::parse_string(t);
        match u64::from_str_radix(&s, 8) {
            Ok(x) if !s.starts_with('+') => x as i64,
            _ => {
                self.err = true;
                0
            }
        }
    }
}

/// `block.computeChecksum`: unsigned and signed sums, the checksum field
/// counted as spaces.
fn tar_checksums(b: &[u8]) -> (i64, i64) {
    let (mut unsigned, mut signed) = (0i64, 0i64);
    for (i, &c) in b.iter().enumerate() {
        let c = if (148..156).contains(&i) { b' ' } else { c };
        unsigned += c as i64;
        signed += c as i8 as i64;
    }
    (unsigned, signed)
}

#[derive(Clone, Copy, PartialEq)]
enum TarFormat {
    V7,
    Ustar,
    Gnu,
    Star,
}

/// `block.getFormat`, None = FormatUnknown (bad checksum).
fn tar_format(b: &[u8]) -> Option<TarFormat> {
    let mut p = Parser { err: false };
    let value = p.parse_octal(&b[148..156]);
    let (s1, s2) = tar_checksums(b);
    if p.err || (value != s1 && value != s2) {
        return None;
    }
    let magic = &b[257..263];
    let version = &b[263..265];
    let trailer = &b[508..512];
    Some(if magic == b"ustar\x00" && trailer == b"tar\x00" {
        TarFormat::Star
    } else if magic == b"ustar\x00" {
        TarFormat::Ustar
    } else if magic == b"ustar " && version == b" \x00" {
        TarFormat::Gnu
    } else {
        TarFormat::V7
    })
}

/// `maxSpecialFileSize`: PAX and GNU long-name payloads.
const MAX_SPECIAL_FILE_SIZE: u64 = 1 << 20;

impl<'a> TarReader<'a> {
    fn new(r: Gunzip<'a>) -> TarReader<'a> {
        TarReader { r, remaining: 0, pad: 0, err: None }
    }

    /// `io.ReadFull`: EOF when nothing was read, ErrUnexpectedEOF when part.
    fn read_full(&mut self, buf: &mut [u8]) -> Result<(), GoErr> {
        let (n, err) = self.r.fill(buf);
        match err {
            None => Ok(()),
            Some(GoErr::Eof) if n == 0 => Err(GoErr::Eof),
            Some(GoErr::Eof) => Err(GoErr::UnexpectedEof),
            Some(e) => Err(e),
        }
    }

    /// Discards `n` bytes (`io.CopyN` to Discard). Returns the error and
    /// how many bytes were skipped.
    fn discard(&mut self, mut n: u64) -> Result<(), (u64, GoErr)> {
        let mut buf = [0u8; 4096];
        let mut done = 0;
        while n > 0 {
            let k = n.min(buf.len() as u64) as usize;
            let (got, err) = self.r.fill(&mut buf[..k]);
            done += got as u64;
            n -= got as u64;
            if let Some(e) = err {
                return Err((done, e));
            }
        }
        Ok(())
    }

    /// `Reader.Next`: Err(Eof) at the end of the archive.
    fn next(&mut self) -> Result<TarHeader, GoErr> {
        if let Some(e) = &self.err {
            return Err(e.clone());
        }
        let r = self.next_inner();
        if let Err(e) = &r {
            self.err = Some(e.clone());
        }
        r
    }

    fn next_inner(&mut self) -> Result<TarHeader, GoErr> {
        let mut pax: Option<BTreeMap<String, String>> = None;
        let mut gnu_long_name = String::new();
        loop {
            // Skip the rest of the previous entry and its padding.
            let remaining = self.remaining;
            self.remaining = 0;
            if let Err((_, e)) = self.discard(remaining) {
                return Err(if e == GoErr::Eof { GoErr::UnexpectedEof } else { e });
            }
            let pad = self.pad;
            self.pad = 0;
            if let Err((_, e)) = self.discard(pad) {
                // tryReadFull: EOF in the padding ends the archive.
                return Err(e);
            }

            let mut hdr = self.read_header()?;
            self.handle_regular_file(&hdr)?;
            match hdr.typeflag {
                b'x' | b'g' => {
                    let data = self.read_special()?;
                    let recs = parse_pax(&data)?;
                    if hdr.typeflag == b'g' {
                        if let Some(p) = recs.get("path") {
                            hdr.name = p.clone();
                        }
                        return Ok(hdr);
                    }
                    pax = Some(recs);
                }
                b'L' | b'K' => {
                    let data = self.read_special()?;
                    if hdr.typeflag == b'L' {
                        gnu_long_name = Parser::parse_string(&data);
                    }
                }
                _ => {
                    if let Some(recs) = &pax {
                        merge_pax(&mut hdr, recs)?;
                    }
                    if !gnu_long_name.is_empty() {
                        hdr.name = std::mem::take(&mut gnu_long_name);
                    }
                    if hdr.typeflag == 0 {
                        hdr.typeflag = if hdr.name.ends_with('/') { b'5' } else { b'0' };
                    }
                    self.handle_regular_file(&hdr)?;
                    return Ok(hdr);
                }
            }
        }
    }

    /// `handleRegularFile`: header-only types carry no data.
    fn handle_regular_file(&mut self, hdr: &TarHeader) -> Result<(), GoErr> {
        let nb = if matches!(hdr.typeflag, b'1' | b'2' | b'3' | b'4' | b'5' | b'6') { 0 } else { hdr.size };
        if nb < 0 {
            return Err(GoErr::TarHeader);
        }
        let nb = nb as u64;
        self.remaining = nb;
        self.pad = (BLOCK as u64 - nb % BLOCK as u64) % BLOCK as u64;
        Ok(())
    }

    /// `readSpecialFile`: a PAX/GNU payload, at most 1 MiB.
    fn read_special(&mut self) -> Result<Vec<u8>, GoErr> {
        let n = self.remaining;
        let limit = n.min(MAX_SPECIAL_FILE_SIZE + 1);
        let data = self.read_data(limit)?;
        if data.len() as u64 > MAX_SPECIAL_FILE_SIZE {
            return Err(GoErr::TarFieldTooLong);
        }
        Ok(data)
    }

    /// `Reader.readHeader`.
    fn read_header(&mut self) -> Result<TarHeader, GoErr> {
        let mut blk = [0u8; BLOCK];
        self.read_full(&mut blk)?;
        if blk.iter().all(|&b| b == 0) {
            self.read_full(&mut blk)?;
            if blk.iter().all(|&b| b == 0) {
                return Err(GoErr::Eof);
            }
            return Err(GoErr::TarHeader);
        }
        let format = tar_format(&blk).ok_or(GoErr::TarHeader)?;
        let mut p = Parser { err: false };
        let mut hdr = TarHeader {
            typeflag: blk[156],
            name: Parser::parse_string(&blk[0..100]),
            size: p.parse_numeric(&blk[124..136]),
            mode: p.parse_numeric(&blk[100..108]),
        };
        for r in [108..116, 116..124, 136..148] {
            p.parse_numeric(&blk[r]);
        }
        if format != TarFormat::V7 {
            p.parse_numeric(&blk[329..337]);
            p.parse_numeric(&blk[337..345]);
            let prefix = match format {
                TarFormat::Ustar => Parser::parse_string(&blk[345..500]),
                TarFormat::Star => {
                    p.parse_numeric(&blk[476..488]);
                    p.parse_numeric(&blk[488..500]);
                    Parser::parse_string(&blk[345..476])
                }
                _ => String::new(),
            };
            if !prefix.is_empty() {
                hdr.name = format!("{prefix}/{}", hdr.name);
            }
        }
        if p.err {
            return Err(GoErr::TarHeader);
        }
        Ok(hdr)
    }

    /// Reads up to `limit` bytes of the current entry's data (the entry's
    /// reader wrapped in Helm's `io.LimitReader`, copied with `io.Copy`).
    fn read_data(&mut self, limit: u64) -> Result<Vec<u8>, GoErr> {
        if let Some(e) = &self.err {
            return Err(e.clone());
        }
        let want = self.remaining.min(limit);
        // Grow as data arrives: a header may claim more than the stream has.
        let mut out = Vec::new();
        let mut left = want;
        let mut chunk = vec![0u8; 32 * 1024];
        while left > 0 {
            let k = left.min(chunk.len() as u64) as usize;
            let (got, err) = self.r.fill(&mut chunk[..k]);
            out.extend_from_slice(&chunk[..got]);
            left -= got as u64;
            self.remaining -= got as u64;
            if let Some(e) = err {
                let e = if e == GoErr::Eof { GoErr::UnexpectedEof } else { e };
                self.err = Some(e.clone());
                return Err(e);
            }
        }
        Ok(out)
    }
}

/// `parsePAX`: `"%d %s=%s\n"` records.
fn parse_pax(data: &[u8]) -> Result<BTreeMap<String, String>, GoErr> {
    let mut s = data;
    let mut out = BTreeMap::new();
    while !s.is_empty() {
        let sp = s.iter().position(|&b| b == b' ').ok_or(GoErr::TarHeader)?;
        let n: usize = std::str::from_utf8(&s[..sp])
            .ok()
            .filter(|t| !t.starts_with('+'))
            .and_then(|t| t.parse().ok())
            .ok_or(GoErr::TarHeader)?;
        if n < 5 || s.len() < n || sp + 1 > n - 1 {
            return Err(GoErr::TarHeader);
        }
        let rec = &s[sp + 1..n - 1];
        if s[n - 1] != b'\n' {
            return Err(GoErr::TarHeader);
        }
        let eq = rec.iter().position(|&b| b == b'=').ok_or(GoErr::TarHeader)?;
        let key = String::from_utf8_lossy(&rec[..eq]).into_owned();
        let val = String::from_utf8_lossy(&rec[eq + 1..]).into_owned();
        if key.is_empty() {
            return Err(GoErr::TarHeader);
        }
        out.insert(key, val);
        s = &s[n..];
    }
    Ok(out)
}

/// `mergePAX`, for the fields Helm uses.
fn merge_pax(hdr: &mut TarHeader, recs: &BTreeMap<String, String>) -> Result<(), GoErr> {
    for (k, v) in recs {
        match k.as_str() {
            "path" => hdr.name = v.clone(),
            "size" => match v.parse::<i64>() {
                Ok(n) if n >= 0 && !v.starts_with('+') => hdr.size = n,
                _ => return Err(GoErr::TarHeader),
            },
            "uid" | "gid" if v.parse::<i64>().is_err() => return Err(GoErr::TarHeader),
            _ => {}
        }
    }
    Ok(())
}

// ------------------------------------------------------------- helm ---

/// `^[a-zA-Z]:/`
fn is_drive_path(n: &str) -> bool {
    let b = n.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// One file of an archive, path relative to the chart root.
struct BufferedFile {
    name: String,
    data: Vec<u8>,
}

/// `archive.LoadArchiveFiles`: gunzip + untar with Helm's path checks and
/// size limits; the top directory is stripped and a UTF-8 BOM trimmed.
fn load_archive_files(bytes: &[u8]) -> Result<Vec<BufferedFile>, GoErr> {
    let gz = Gunzip::new(bytes)?;
    let mut tr = TarReader::new(gz);
    let mut files = Vec::new();
    let mut remaining_size = MAX_DECOMPRESSED_CHART_SIZE as i64;
    loop {
        let hd = match tr.next() {
            Ok(h) => h,
            Err(GoErr::Eof) => break,
            Err(e) => return Err(e),
        };
        if hd.is_dir() {
            continue;
        }
        if hd.typeflag == b'g' || hd.typeflag == b'x' {
            continue;
        }
        // Archives made on Windows may use `\`.
        let delimiter = if hd.name.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = hd.name.split(delimiter).collect();
        let n = parts[1..].join(&delimiter.to_string()).replace(delimiter, "/");
        if n.starts_with('/') {
            return Err(GoErr::Helm("chart illegally contains absolute paths".into()));
        }
        let n = crate::gofmt::path::clean(&n);
        if n == "." {
            return Err(GoErr::Helm(format!(
                "chart illegally contains content outside the base directory: {}",
                quote(&hd.name)
            )));
        }
        if n.starts_with("..") {
            return Err(GoErr::Helm("chart illegally references parent directory".into()));
        }
        if is_drive_path(&n) {
            return Err(GoErr::Helm("chart contains illegally named files".into()));
        }
        if parts[0] == "Chart.yaml" {
            return Err(GoErr::Helm("chart yaml not in base directory".into()));
        }
        if hd.size > remaining_size {
            return Err(GoErr::Helm(format!(
                "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
            )));
        }
        if hd.size > MAX_DECOMPRESSED_FILE_SIZE as i64 {
            return Err(GoErr::Helm(format!(
                "decompressed chart file {} is larger than the maximum file size {MAX_DECOMPRESSED_FILE_SIZE}",
                quote(&hd.name)
            )));
        }
        let data = tr.read_data(remaining_size.max(0) as u64)?;
        remaining_size -= data.len() as i64;
        if (data.len() as i64) < hd.size || remaining_size <= 0 {
            return Err(GoErr::Helm(format!(
                "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
            )));
        }
        let data = match data.strip_prefix(UTF8_BOM) {
            Some(rest) => rest.to_vec(),
            None => data,
        };
        files.push(BufferedFile { name: n, data });
    }
    if files.is_empty() {
        return Err(GoErr::Helm("no files in chart archive".into()));
    }
    Ok(files)
}

fn go_err(e: GoErr) -> LoadError {
    load_error(e.text())
}

/// The files of a chart archive as the browser's editable tree: paths
/// relative to the chart root (top directory stripped), with Helm's checks.
/// A path present twice keeps its last content, as extracting would.
pub fn files_from_archive(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, LoadError> {
    let files = load_archive_files(bytes).map_err(go_err)?;
    Ok(files.into_iter().map(|f| (f.name, f.data)).collect())
}

/// `loader.LoadArchive` (pkg/chart/v2/loader): a chart from `.tgz` bytes.
/// `.helmignore` is not applied, as Helm does not for archives.
pub fn load_archive(bytes: &[u8]) -> Result<Chart, LoadError> {
    let mut c = load_archive_nested(bytes, "")?;
    c.set_paths(None);
    Ok(c)
}

/// What `helm template NAME.tgz` does with an archive file (Helm 4's
/// pkg/chart/loader.LoadFile, then the v2 loader's LoadFile):
/// `EnsureArchive`'s content sniffing; any failure to unpack reads
/// "unable to load chart archive" (a bad gzip header names the file);
/// the first Chart.yaml decides the chart API version; then `LoadArchive`,
/// whose gzip-header errors name the file too.
pub fn load_archive_file(name: &str, bytes: &[u8]) -> Result<Chart, LoadError> {
    ensure_archive(name, bytes)?;
    let not_valid = |details: &str| {
        load_error(format!("file '{name}' does not appear to be a valid chart file (details: {details})"))
    };
    let files = match load_archive_files(bytes) {
        Ok(f) => f,
        Err(GoErr::GzipHeader) => return Err(not_valid(&GoErr::GzipHeader.text())),
        Err(_) => return Err(load_error("unable to load chart archive")),
    };
    let Some(chart_yaml) = files.iter().find(|f| f.name == "Chart.yaml") else {
        return Err(load_error("unable to detect chart version, no Chart.yaml found"));
    };
    // chartBase{APIVersion}: only the apiVersion is read here.
    let text = String::from_utf8_lossy(&chart_yaml.data);
    let doc = crate::yaml::parse(&text).map_err(|e| {
        let msg = crate::yaml::sigs_unmarshal_error(&e);
        LoadError::new(Kind::Chart, format!("cannot load Chart.yaml: {msg}")).at(
            "Chart.yaml",
            (e.line > 0).then_some(e.line),
            (e.col > 0).then_some(e.col),
        )
    })?;
    let api_version = match &doc {
        crate::value::Value::Map(m, _) => m.borrow().get("apiVersion").cloned(),
        _ => None,
    };
    match api_version {
        None | Some(crate::value::Value::Nil) => {}
        Some(crate::value::Value::String(v)) => {
            // v3 charts go to Helm's internal v3 loader, which reads
            // archives the same way; anything else is refused.
            if !matches!(&*v, "v1" | "v2" | "v3" | "") {
                return Err(load_error("unsupported chart version"));
            }
        }
        Some(other) => {
            let what = match other {
                crate::value::Value::Bool(_) => "bool",
                crate::value::Value::List(..) => "array",
                crate::value::Value::Map(_, _) => "object",
                _ => "number",
            };
            return Err(load_error(format!(
                "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go struct field chartBase.apiVersion of type string"
            )));
        }
    }
    load_archive(bytes).map_err(|e| {
        // errors.Is(err, gzip.ErrHeader): only a subchart's can be left,
        // and the sentinel ends every message that wraps it.
        if e.message.ends_with(&GoErr::GzipHeader.text()) {
            not_valid(&e.message)
        } else {
            e
        }
    })
}

/// Loads an archive as a chart (or subchart: `prefix` is where its files
/// sit in the workspace, for error positions). Paths are set by the caller.
pub(super) fn load_archive_nested(bytes: &[u8], prefix: &str) -> Result<Chart, LoadError> {
    // An archive may contain itself (gzip quines exist): Go would recurse
    // until its stack limit; we stop long before ours.
    if ARCHIVE_DEPTH.with(|d| d.get()) >= MAX_ARCHIVE_DEPTH {
        return Err(load_error("chart archives nested too deeply"));
    }
    let files = load_archive_files(bytes).map_err(go_err)?;
    let list = files.into_iter().map(|f| File { name: f.name, data: Rc::from(f.data) }).collect();
    ARCHIVE_DEPTH.with(|d| d.set(d.get() + 1));
    let r = load_list(list, prefix);
    ARCHIVE_DEPTH.with(|d| d.set(d.get() - 1));
    r
}

const MAX_ARCHIVE_DEPTH: usize = 32;

thread_local! {
    static ARCHIVE_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// `archive.EnsureArchive`: a friendlier error when the file is not gzip.
fn ensure_archive(name: &str, bytes: &[u8]) -> Result<(), LoadError> {
    // Helm sniffs a zeroed 512-byte buffer: a short text file still ends
    // in NULs and so reads as binary.
    let mut head = [0u8; 512];
    let n = bytes.len().min(512);
    head[..n].copy_from_slice(&bytes[..n]);
    let head = &head[..];
    let content_type = detect_content_type(head);
    if content_type != "application/x-gzip" && !head.starts_with(b"\x1f\x8b\x08") {
        if name.ends_with(".yml") || name.ends_with(".yaml") {
            return Err(load_error(format!("file '{name}' seems to be a YAML file, but expected a gzipped archive")));
        }
        return Err(load_error(format!("file '{name}' does not appear to be a gzipped archive; got '{content_type}'")));
    }
    Ok(())
}

/// The common answers of Go's `http.DetectContentType` (WHATWG sniffing):
/// a few binary signatures, then text vs. binary. Charts are gzip; this
/// only words the error for what users mistakenly pass instead.
fn detect_content_type(data: &[u8]) -> &'static str {
    let ws = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let first_non_ws = data.iter().position(|&b| !ws(b)).unwrap_or(data.len());
    let trimmed = &data[first_non_ws..];
    let starts_ci = |sig: &[u8]| {
        trimmed.len() > sig.len()
            && trimmed[..sig.len()].eq_ignore_ascii_case(sig)
            && (trimmed[sig.len()] == b' ' || trimmed[sig.len()] == b'>')
    };
    for tag in [
        &b"<!DOCTYPE HTML"[..],
        b"<HTML",
        b"<HEAD",
        b"<SCRIPT",
        b"<IFRAME",
        b"<H1",
        b"<DIV",
        b"<FONT",
        b"<TABLE",
        b"<A",
        b"<STYLE",
        b"<TITLE",
        b"<B",
        b"<BODY",
        b"<BR",
        b"<P",
        b"<!--",
    ] {
        if starts_ci(tag) {
            return "text/html; charset=utf-8";
        }
    }
    if trimmed.starts_with(b"<?xml") {
        return "text/xml; charset=utf-8";
    }
    let exact: &[(&[u8], &'static str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"%!PS-Adobe-", "application/postscript"),
        (b"\xFE\xFF", "text/plain; charset=utf-16be"),
        (b"\xFF\xFE", "text/plain; charset=utf-16le"),
        (b"\xEF\xBB\xBF", "text/plain; charset=utf-8"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"\x89PNG\x0D\x0A\x1A\x0A", "image/png"),
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"BM", "image/bmp"),
        (b"\x1A\x45\xDF\xA3", "video/webm"),
        (b"\x1F\x8B\x08", "application/x-gzip"),
        (b"PK\x03\x04", "application/zip"),
        (b"Rar!\x1A\x07\x00", "application/x-rar-compressed"),
        (b"Rar!\x1A\x07\x01\x00", "application/x-rar-compressed"),
        (b"\x00\x61\x73\x6D", "application/wasm"),
        (b"7z\xBC\xAF\x27\x1C", "application/x-7z-compressed"),
    ];
    for (sig, ct) in exact {
        if data.starts_with(sig) {
            return ct;
        }
    }
    // A tar archive (not gzipped) sniffs as octet-stream: it has NULs.
    let binary =
        data.iter().any(|&b| b <= 0x08 || b == 0x0b || (0x0e..=0x1a).contains(&b) || (0x1c..=0x1f).contains(&b));
    if binary {
        "application/octet-stream"
    } else {
        "text/plain; charset=utf-8"
    }
}

// -------------------------------------------------------------- writer ---

/// The mtime written for every entry: fixed so that the same files give
/// the same bytes (2000-01-01T00:00:00Z).
pub(crate) const ARCHIVE_MTIME: u64 = 946_684_800;

fn octal_field(dst: &mut [u8], v: u64) {
    // width-1 octal digits, NUL-terminated (as Go's Writer formats them).
    let w = dst.len() - 1;
    let s = format!("{v:0w$o}");
    let s = s.as_bytes();
    let s = &s[s.len().saturating_sub(w)..];
    dst[..s.len()].copy_from_slice(s);
    dst[w] = 0;
}

fn tar_header_block(name: &[u8], prefix: &[u8], size: u64, typeflag: u8, mode: u64) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    b[..name.len()].copy_from_slice(name);
    octal_field(&mut b[100..108], mode);
    octal_field(&mut b[108..116], 0);
    octal_field(&mut b[116..124], 0);
    octal_field(&mut b[124..136], size);
    octal_field(&mut b[136..148], ARCHIVE_MTIME);
    b[156] = typeflag;
    b[257..263].copy_from_slice(b"ustar\x00");
    b[263..265].copy_from_slice(b"00");
    octal_field(&mut b[329..337], 0);
    octal_field(&mut b[337..345], 0);
    b[345..345 + prefix.len()].copy_from_slice(prefix);
    let (sum, _) = tar_checksums(&b);
    // Checksum: 6 octal digits, NUL, space.
    let s = format!("{sum:06o}");
    b[148..154].copy_from_slice(&s.as_bytes()[s.len() - 6..]);
    b[154] = 0;
    b[155] = b' ';
    b
}

fn push_entry(out: &mut Vec<u8>, path: &str, data: &[u8]) {
    let bytes = path.as_bytes();
    let header = if bytes.len() <= 100 {
        Some(tar_header_block(bytes, b"", data.len() as u64, b'0', 0o644))
    } else {
        // USTAR split: prefix (<=155) "/" name (<=100).
        bytes
            .iter()
            .enumerate()
            .filter(|(i, &c)| c == b'/' && *i <= 155 && bytes.len() - i - 1 <= 100 && bytes.len() - i - 1 > 0)
            .map(|(i, _)| i)
            .next()
            .map(|i| tar_header_block(&bytes[i + 1..], &bytes[..i], data.len() as u64, b'0', 0o644))
    };
    let header = match header {
        Some(h) => h,
        None => {
            // PAX extended header carrying the long path.
            let rec_body = format!(" path={path}\n");
            let mut len = rec_body.len() + 1;
            while format!("{len}{rec_body}").len() != len {
                len = format!("{len}{rec_body}").len();
            }
            let rec = format!("{len}{rec_body}");
            let pax_name = format!("PaxHeaders.0/{}", path.rsplit('/').next().unwrap_or(path));
            let pax_name = &pax_name.as_bytes()[..pax_name.len().min(100)];
            out.extend_from_slice(&tar_header_block(pax_name, b"", rec.len() as u64, b'x', 0o644));
            push_padded(out, rec.as_bytes());
            tar_header_block(&bytes[..100], b"", data.len() as u64, b'0', 0o644)
        }
    };
    out.extend_from_slice(&header);
    push_padded(out, data);
}

fn push_padded(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(data);
    let pad = (BLOCK - data.len() % BLOCK) % BLOCK;
    out.resize(out.len() + pad, 0);
}

/// A chart as a `.tgz` like `helm package` lays it out (`NAME/...`),
/// deterministic: entries sorted by path, fixed mtime, mode 0644, no
/// directory entries, gzip without name or time.
pub fn write_archive(chart_name: &str, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut tar = Vec::new();
    for (path, data) in files {
        let path = path.trim_start_matches("./").trim_start_matches('/');
        push_entry(&mut tar, &format!("{chart_name}/{path}"), data);
    }
    tar.resize(tar.len() + 2 * BLOCK, 0);

    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(&tar, 6));
    out.extend_from_slice(&crc32_update(0, &tar).to_le_bytes());
    out.extend_from_slice(&(tar.len() as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_value() {
        assert_eq!(crc32_update(0, b"123456789"), 0xCBF4_3926);
    }
}
