//! Sprig's date.go on a small port of Go's `time`: `time.Time` values (UTC
//! or a fixed offset; Helm's "Local" is UTC here, as in the oracle), Go
//! layouts for formatting and parsing, `time.Duration` printing/parsing.
//!
//! Named zones (`dateInZone "x" $t "Europe/Berlin"`) need a tz database we
//! do not ship: like Sprig's own fallback for unknown zones they give UTC.

use crate::error::{go_err, Error};
use std::rc::Rc;

use crate::template::{Env, FuncMap, Ty};
use crate::value::{IntType, Object, Value};

use super::{arg, arg_str};

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("now", &[], None, |env, _| Ok(Value::Object(Rc::new(now(env)))));
    m.add("date", &[String, Any], None, |env, a| {
        Ok(Value::string(date_in_zone(env, &arg_str(&a, 0), &arg(&a, 1), "Local")))
    });
    for name in ["dateInZone", "date_in_zone"] {
        m.add(name, &[String, Any, String], None, |env, a| {
            Ok(Value::string(date_in_zone(env, &arg_str(&a, 0), &arg(&a, 1), &arg_str(&a, 2))))
        });
    }
    m.add("htmlDate", &[Any], None, |env, a| Ok(Value::string(date_in_zone(env, "2006-01-02", &arg(&a, 0), "Local"))));
    m.add("htmlDateInZone", &[Any, String], None, |env, a| {
        Ok(Value::string(date_in_zone(env, "2006-01-02", &arg(&a, 0), &arg_str(&a, 1))))
    });
    for name in ["dateModify", "date_modify"] {
        m.add(name, &[String, Ty::Time], None, |_, a| {
            let t = time_arg(&a, 1)?;
            Ok(Value::Object(Rc::new(match parse_duration(&arg_str(&a, 0)) {
                Ok(d) => t.add(d),
                Err(_) => t,
            })))
        });
    }
    for name in ["mustDateModify", "must_date_modify"] {
        m.add(name, &[String, Ty::Time], None, |_, a| {
            let t = time_arg(&a, 1)?;
            Ok(Value::Object(Rc::new(t.add(parse_duration(&arg_str(&a, 0))?))))
        });
    }
    m.add("ago", &[Any], None, |env, a| {
        let nowt = now(env);
        let t = match arg(&a, 0) {
            Value::Object(o) => match o.as_any().downcast_ref::<self::Time>() {
                Some(t) => t.clone(),
                None => nowt.clone(),
            },
            Value::Int(i, IntType::Int64 | IntType::Int) => self::Time::unix(i, 0),
            _ => nowt.clone(),
        };
        let d = nowt.sub(&t);
        Ok(Value::string(format_duration(round_duration(d, 1_000_000_000))))
    });
    m.add("duration", &[Any], None, |_, a| {
        let n = match arg(&a, 0) {
            Value::String(s) => super::cast::parse_int(&s, 10, 64).unwrap_or(0),
            Value::Int(i, IntType::Int64) => i,
            _ => 0,
        };
        Ok(Value::string(format_duration(n.wrapping_mul(1_000_000_000))))
    });
    m.add("durationRound", &[Any], None, |env, a| {
        let d: i64 = match arg(&a, 0) {
            Value::String(s) => parse_duration(&s).unwrap_or(0),
            Value::Int(i, IntType::Int64) => i,
            Value::Object(o) => match o.as_any().downcast_ref::<self::Time>() {
                Some(t) => now(env).sub(t),
                None => 0,
            },
            _ => 0,
        };
        Ok(Value::string(duration_round(d)))
    });
    m.add("toDate", &[String, String], None, |_, a| {
        Ok(Value::Object(Rc::new(parse_layout(&arg_str(&a, 0), &arg_str(&a, 1)).unwrap_or_default())))
    });
    m.add("mustToDate", &[String, String], None, |_, a| {
        Ok(Value::Object(Rc::new(parse_layout(&arg_str(&a, 0), &arg_str(&a, 1))?)))
    });
    m.add("unixEpoch", &[Ty::Time], None, |_, a| Ok(Value::string(time_arg(&a, 0)?.secs.to_string())));
}

/// The host clock for "now" when the render has no fixed time. Native
/// builds read the system clock; wasm32 has none in std, so the browser
/// layer must set `Env::fixed_now_unix_nanos` (until then: the epoch).
#[cfg(not(target_arch = "wasm32"))]
fn host_now_nanos() -> i128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as i128).unwrap_or(0)
}
#[cfg(target_arch = "wasm32")]
fn host_now_nanos() -> i128 {
    0
}

/// "Now" in Unix seconds (for certificate validity).
pub(crate) fn now_unix(env: &Env) -> i64 {
    now(env).secs
}

fn now(env: &Env) -> Time {
    let n = env.fixed_now_unix_nanos.unwrap_or_else(host_now_nanos);
    let mut t = Time::unix(n.div_euclid(1_000_000_000) as i64, n.rem_euclid(1_000_000_000) as i64);
    t.mono = Some(0);
    t
}

/// A `time.Time` argument (the executor checks the Go type; we only
/// recover our object).
fn time_arg(a: &[Value], i: usize) -> Result<Time, Error> {
    match arg(a, i) {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Time>()
            .cloned()
            .ok_or_else(|| go_err!("wrong type for value; expected time.Time; got {}", o.type_name())),
        other => Err(go_err!("wrong type for value; expected time.Time; got {}", other.type_name())),
    }
}

/// Sprig's `dateInZone`: time.Time, int, int32, int64 (Unix seconds);
/// anything else means now.
fn date_in_zone(env: &Env, layout: &str, date: &Value, zone: &str) -> String {
    let t = match date {
        Value::Object(o) => o.as_any().downcast_ref::<Time>().cloned().unwrap_or_else(|| now(env)),
        Value::Int(i, _) => Time::unix(*i, 0),
        _ => now(env),
    };
    let t = match zone {
        "Local" => t.in_zone("UTC".into(), 0, Loc::Local),
        _ => t.in_zone("UTC".into(), 0, Loc::Utc),
    };
    t.format(layout)
}

/// Go's `time.Time` (wall clock seconds since the Unix epoch, nanoseconds,
/// and the zone it is shown in).
#[derive(Clone, Debug, PartialEq)]
pub struct Time {
    pub secs: i64,
    pub nanos: i64,
    pub zone: String,
    pub offset: i32,
    /// Go's monotonic clock reading (only `now` has one; printed as
    /// ` m=+s.nnnnnnnnn`, stripped by `In`/`UTC`). Ours counts from the
    /// render's "now", so it reads +0.000000000 there.
    pub mono: Option<i64>,
    /// The `*time.Location` (`$t.Location`, `%#v`).
    pub loc: Loc,
}

/// Which `*time.Location` a time is in. Helm's Local is UTC here (as in
/// the oracle) but keeps its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loc {
    Local,
    Utc,
    /// `time.FixedZone(zone, offset)`: named after the zone abbreviation.
    Fixed,
}

impl Default for Time {
    /// Go's zero `time.Time`: January 1, year 1, 00:00:00 UTC.
    fn default() -> Time {
        Time { secs: -62_135_596_800, nanos: 0, zone: "UTC".into(), offset: 0, mono: None, loc: Loc::Utc }
    }
}

pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(crate) const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

use crate::gofmt::civil::{civil_from_days, days_from_civil, is_leap};

impl Time {
    pub fn unix(secs: i64, nanos: i64) -> Time {
        let secs = secs.saturating_add(nanos.div_euclid(1_000_000_000));
        Time {
            secs,
            nanos: nanos.rem_euclid(1_000_000_000),
            zone: "UTC".into(),
            offset: 0,
            mono: None,
            loc: Loc::Local,
        }
    }

    fn in_zone(&self, zone: String, offset: i32, loc: Loc) -> Time {
        Time { zone, offset, mono: None, loc, ..self.clone() }
    }

    fn add(&self, d: i64) -> Time {
        let t =
            Time::unix(self.secs.saturating_add(d.div_euclid(1_000_000_000)), self.nanos + d.rem_euclid(1_000_000_000));
        Time { zone: self.zone.clone(), offset: self.offset, mono: self.mono.map(|m| m.saturating_add(d)), ..t }
    }

    /// `t.Sub(u)` in nanoseconds, saturating like Go.
    fn sub(&self, u: &Time) -> i64 {
        let n = (i128::from(self.secs) - i128::from(u.secs)) * 1_000_000_000 + i128::from(self.nanos - u.nanos);
        n.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// Local wall clock fields.
    fn fields(&self) -> (i64, u32, u32, u32, u32, u32, u32, u32) {
        let local = self.secs.saturating_add(i64::from(self.offset));
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400) as u32;
        let (y, mo, d) = civil_from_days(days);
        let wd = (days + 4).rem_euclid(7) as u32; // 1970-01-01 was a Thursday
        let yday = (days - days_from_civil(y, 1, 1) + 1) as u32;
        (y, mo, d, sod / 3600, (sod / 60) % 60, sod % 60, wd, yday)
    }

    /// Go's `Time.Format(layout)`.
    pub fn format(&self, layout: &str) -> String {
        let (year, month, day, hour, min, sec, wd, yday) = self.fields();
        let mut out = String::new();
        let mut rest = layout;
        while !rest.is_empty() {
            let Some((prefix, tok, suffix)) = next_std_chunk(rest) else {
                out.push_str(rest);
                break;
            };
            out.push_str(prefix);
            rest = suffix;
            match tok {
                Tok::Year => out.push_str(&format!("{:04}", year)),
                Tok::Year2 => out.push_str(&format!("{:02}", year.rem_euclid(100))),
                Tok::LongMonth => out.push_str(MONTHS[(month - 1) as usize]),
                Tok::Month => out.push_str(&MONTHS[(month - 1) as usize][..3]),
                Tok::NumMonth => out.push_str(&month.to_string()),
                Tok::ZeroMonth => out.push_str(&format!("{month:02}")),
                Tok::LongWeekDay => out.push_str(DAYS[wd as usize]),
                Tok::WeekDay => out.push_str(&DAYS[wd as usize][..3]),
                Tok::Day => out.push_str(&day.to_string()),
                Tok::UnderDay => out.push_str(&format!("{day:>2}")),
                Tok::ZeroDay => out.push_str(&format!("{day:02}")),
                Tok::UnderYearDay => out.push_str(&format!("{yday:>3}")),
                Tok::ZeroYearDay => out.push_str(&format!("{yday:03}")),
                Tok::Hour => out.push_str(&format!("{hour:02}")),
                Tok::Hour12 => out.push_str(&(if hour % 12 == 0 { 12 } else { hour % 12 }).to_string()),
                Tok::ZeroHour12 => out.push_str(&format!("{:02}", if hour % 12 == 0 { 12 } else { hour % 12 })),
                Tok::Minute => out.push_str(&min.to_string()),
                Tok::ZeroMinute => out.push_str(&format!("{min:02}")),
                Tok::Second => out.push_str(&sec.to_string()),
                Tok::ZeroSecond => out.push_str(&format!("{sec:02}")),
                Tok::PM => out.push_str(if hour >= 12 { "PM" } else { "AM" }),
                Tok::Pm => out.push_str(if hour >= 12 { "pm" } else { "am" }),
                Tok::TZ => {
                    if !self.zone.is_empty() {
                        out.push_str(&self.zone);
                    } else {
                        out.push_str(&offset_text(self.offset, false, false, false));
                    }
                }
                Tok::Iso(colon, secs, hours_only) => {
                    if self.offset == 0 {
                        out.push('Z');
                    } else {
                        out.push_str(&offset_text(self.offset, colon, secs, hours_only));
                    }
                }
                Tok::Num(colon, secs, hours_only) => out.push_str(&offset_text(self.offset, colon, secs, hours_only)),
                Tok::Frac(sep, digits, trim) => {
                    let f = format!("{:09}", self.nanos);
                    let mut f = f[..digits].to_string();
                    if trim {
                        while f.ends_with('0') {
                            f.pop();
                        }
                        if f.is_empty() {
                            continue;
                        }
                    }
                    out.push(sep);
                    out.push_str(&f);
                }
            }
        }
        out
    }
}

fn offset_text(off: i32, colon: bool, secs: bool, hours_only: bool) -> String {
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    let (h, m, s) = (a / 3600, (a / 60) % 60, a % 60);
    let mut out = format!("{sign}{h:02}");
    if !hours_only {
        if colon {
            out.push(':');
        }
        out.push_str(&format!("{m:02}"));
    }
    if secs {
        if colon {
            out.push(':');
        }
        out.push_str(&format!("{s:02}"));
    }
    out
}

#[derive(Clone, Copy, Debug)]
enum Tok {
    Year,
    Year2,
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    PM,
    Pm,
    TZ,
    /// Z07:00 style: (colon, seconds, hours only)
    Iso(bool, bool, bool),
    /// -07:00 style
    Num(bool, bool, bool),
    /// fractional seconds: separator, digits, trim trailing zeros (9s)
    Frac(char, usize, bool),
}

/// Go's `nextStdChunk`: (text before, token, text after).
fn next_std_chunk(layout: &str) -> Option<(&str, Tok, &str)> {
    let b = layout.as_bytes();
    let starts = |i: usize, s: &str| layout[i..].starts_with(s);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let hit: Option<(Tok, usize)> = match c {
            b'J' => {
                if starts(i, "January") {
                    Some((Tok::LongMonth, 7))
                } else if starts(i, "Jan") {
                    Some((Tok::Month, 3))
                } else {
                    None
                }
            }
            b'M' => {
                if starts(i, "Monday") {
                    Some((Tok::LongWeekDay, 6))
                } else if starts(i, "Mon") {
                    Some((Tok::WeekDay, 3))
                } else if starts(i, "MST") {
                    Some((Tok::TZ, 3))
                } else {
                    None
                }
            }
            b'0' => match b.get(i + 1) {
                Some(b'1') => Some((Tok::ZeroMonth, 2)),
                Some(b'2') => Some((Tok::ZeroDay, 2)),
                Some(b'3') => Some((Tok::ZeroHour12, 2)),
                Some(b'4') => Some((Tok::ZeroMinute, 2)),
                Some(b'5') => Some((Tok::ZeroSecond, 2)),
                Some(b'6') => Some((Tok::Year2, 2)),
                Some(b'0') if b.get(i + 2) == Some(&b'2') => Some((Tok::ZeroYearDay, 3)),
                _ => None,
            },
            b'1' => {
                if b.get(i + 1) == Some(&b'5') {
                    Some((Tok::Hour, 2))
                } else {
                    Some((Tok::NumMonth, 1))
                }
            }
            b'2' => {
                if starts(i, "2006") {
                    Some((Tok::Year, 4))
                } else {
                    Some((Tok::Day, 1))
                }
            }
            b'_' => {
                if b.get(i + 1) == Some(&b'2') {
                    // _2006 is a literal _ then the year.
                    if starts(i + 1, "2006") {
                        return Some((&layout[..i + 1], Tok::Year, &layout[i + 5..]));
                    }
                    Some((Tok::UnderDay, 2))
                } else if starts(i, "__2") {
                    Some((Tok::UnderYearDay, 3))
                } else {
                    None
                }
            }
            b'3' => Some((Tok::Hour12, 1)),
            b'4' => Some((Tok::Minute, 1)),
            b'5' => Some((Tok::Second, 1)),
            b'P' if b.get(i + 1) == Some(&b'M') => Some((Tok::PM, 2)),
            b'p' if b.get(i + 1) == Some(&b'm') => Some((Tok::Pm, 2)),
            b'-' => {
                if starts(i, "-07:00:00") {
                    Some((Tok::Num(true, true, false), 9))
                } else if starts(i, "-0700") {
                    Some((Tok::Num(false, false, false), 5))
                } else if starts(i, "-07:00") {
                    Some((Tok::Num(true, false, false), 6))
                } else if starts(i, "-070000") {
                    Some((Tok::Num(false, true, false), 7))
                } else if starts(i, "-07") {
                    Some((Tok::Num(false, false, true), 3))
                } else {
                    None
                }
            }
            b'Z' => {
                if starts(i, "Z07:00:00") {
                    Some((Tok::Iso(true, true, false), 9))
                } else if starts(i, "Z070000") {
                    Some((Tok::Iso(false, true, false), 7))
                } else if starts(i, "Z0700") {
                    Some((Tok::Iso(false, false, false), 5))
                } else if starts(i, "Z07:00") {
                    Some((Tok::Iso(true, false, false), 6))
                } else if starts(i, "Z07") {
                    Some((Tok::Iso(false, false, true), 3))
                } else {
                    None
                }
            }
            b'.' | b',' => {
                let d = b.get(i + 1).copied();
                if matches!(d, Some(b'0') | Some(b'9')) {
                    let ch = d.unwrap_or(b'0');
                    let mut j = i + 1;
                    while j < b.len() && b[j] == ch {
                        j += 1;
                    }
                    // Only a fraction if not followed by a digit.
                    if !(j < b.len() && b[j].is_ascii_digit()) && j - i - 1 <= 9 {
                        Some((Tok::Frac(char::from(c), j - i - 1, ch == b'9'), j - i))
                    } else {
                        None
                    }
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some((tok, len)) = hit {
            return Some((&layout[..i], tok, &layout[i + len..]));
        }
        i += layout[i..].chars().next().map(char::len_utf8).unwrap_or(1);
    }
    None
}

/// Go's `time.Parse` for the common layouts (numbers, month/day names,
/// fractions, numeric zones, UTC/Z); errors use Go's wording.
pub fn parse_layout(layout: &str, value: &str) -> Result<Time, Error> {
    let err = |elem: &str, rest: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            time_quote(value),
            time_quote(layout),
            time_quote(rest),
            time_quote(elem)
        )
    };
    // A layout without a year gives year 0, as in Go.
    let (mut year, mut month, mut day, mut hour, mut min, mut sec, mut nanos) =
        (0i64, 1u32, 1u32, 0u32, 0u32, 0u32, 0i64);
    let mut pm: Option<bool> = None;
    let mut offset: Option<i32> = None;
    let mut zone_name = String::new();
    // `Z` or a `UTC` zone put the result in time.UTC.
    let mut utc = false;
    let mut lay = layout;
    let mut val = value;
    fn num(v: &str, min_d: usize, max_d: usize) -> Option<(i64, &str)> {
        let n = v.bytes().take(max_d).take_while(u8::is_ascii_digit).count();
        if n < min_d {
            return None;
        }
        Some((v[..n].parse().ok()?, &v[n..]))
    }
    loop {
        let Some((prefix, tok, suffix)) = next_std_chunk(lay) else {
            if val != lay {
                if let Some(extra) = val.strip_prefix(lay) {
                    return Err(go_err!("parsing time {}: extra text: {}", time_quote(value), time_quote(extra)));
                }
                return Err(Error::go(err(lay, val)));
            }
            break;
        };
        let tok_text = &lay[prefix.len()..lay.len() - suffix.len()];
        val = val.strip_prefix(prefix).ok_or_else(|| err(prefix, val))?;
        lay = suffix;
        let before = val;
        let bad = || err(tok_text, before);
        match tok {
            Tok::Year => {
                let (y, r) = num(val, 4, 4).ok_or_else(bad)?;
                year = y;
                val = r;
            }
            Tok::Year2 => {
                let (y, r) = num(val, 2, 2).ok_or_else(bad)?;
                year = if y >= 69 { y + 1900 } else { y + 2000 };
                val = r;
            }
            Tok::LongMonth | Tok::Month => {
                let idx = MONTHS.iter().position(|m| {
                    let m = if matches!(tok, Tok::Month) { &m[..3] } else { m };
                    val.get(..m.len()).is_some_and(|p| p.eq_ignore_ascii_case(m))
                });
                let i = idx.ok_or_else(bad)?;
                let l = if matches!(tok, Tok::Month) { 3 } else { MONTHS[i].len() };
                month = i as u32 + 1;
                val = &val[l..];
            }
            Tok::LongWeekDay | Tok::WeekDay => {
                let idx = DAYS.iter().position(|d| {
                    let d = if matches!(tok, Tok::WeekDay) { &d[..3] } else { d };
                    val.get(..d.len()).is_some_and(|p| p.eq_ignore_ascii_case(d))
                });
                let i = idx.ok_or_else(bad)?;
                val = &val[if matches!(tok, Tok::WeekDay) { 3 } else { DAYS[i].len() }..];
            }
            Tok::NumMonth | Tok::ZeroMonth => {
                let (m, r) = num(val, if matches!(tok, Tok::ZeroMonth) { 2 } else { 1 }, 2).ok_or_else(bad)?;
                if !(1..=12).contains(&m) {
                    return Err(go_err!("parsing time {}: month out of range", time_quote(value)));
                }
                month = m as u32;
                val = r;
            }
            Tok::Day | Tok::ZeroDay | Tok::UnderDay => {
                let v = if matches!(tok, Tok::UnderDay) { val.strip_prefix(' ').unwrap_or(val) } else { val };
                let (d, r) = num(v, if matches!(tok, Tok::ZeroDay) { 2 } else { 1 }, 2).ok_or_else(bad)?;
                day = d as u32;
                val = r;
            }
            Tok::UnderYearDay | Tok::ZeroYearDay => return Err(Error::go(bad())),
            Tok::Hour => {
                let (h, r) = num(val, 2, 2).ok_or_else(bad)?;
                if h > 23 {
                    return Err(go_err!("parsing time {}: hour out of range", time_quote(value)));
                }
                hour = h as u32;
                val = r;
            }
            Tok::Hour12 | Tok::ZeroHour12 => {
                let (h, r) = num(val, if matches!(tok, Tok::ZeroHour12) { 2 } else { 1 }, 2).ok_or_else(bad)?;
                if h > 12 {
                    return Err(go_err!("parsing time {}: hour out of range", time_quote(value)));
                }
                hour = h as u32;
                val = r;
            }
            Tok::Minute | Tok::ZeroMinute => {
                let (m, r) = num(val, if matches!(tok, Tok::ZeroMinute) { 2 } else { 1 }, 2).ok_or_else(bad)?;
                if m > 59 {
                    return Err(go_err!("parsing time {}: minute out of range", time_quote(value)));
                }
                min = m as u32;
                val = r;
            }
            Tok::Second | Tok::ZeroSecond => {
                let (s, r) = num(val, if matches!(tok, Tok::ZeroSecond) { 2 } else { 1 }, 2).ok_or_else(bad)?;
                if s > 59 {
                    return Err(go_err!("parsing time {}: second out of range", time_quote(value)));
                }
                sec = s as u32;
                val = r;
                // A fraction after seconds is accepted even if the layout has none.
                if (val.starts_with('.') || val.starts_with(','))
                    && !matches!(next_std_chunk(lay), Some(("", Tok::Frac(..), _)))
                {
                    let n = val[1..].bytes().take_while(u8::is_ascii_digit).count();
                    if n > 0 {
                        nanos = frac_nanos(&val[1..1 + n]);
                        val = &val[1 + n..];
                    }
                }
            }
            Tok::Frac(_, digits, trim) => {
                if !(val.starts_with('.') || val.starts_with(',')) {
                    if trim {
                        continue;
                    }
                    return Err(Error::go(bad()));
                }
                let n = val[1..].bytes().take_while(u8::is_ascii_digit).count();
                if (!trim && n != digits) || n == 0 {
                    return Err(Error::go(bad()));
                }
                nanos = frac_nanos(&val[1..1 + n]);
                val = &val[1 + n..];
            }
            Tok::PM | Tok::Pm => {
                let p = val.get(..2).ok_or_else(bad)?;
                pm = Some(match p.to_ascii_uppercase().as_str() {
                    "PM" => true,
                    "AM" => false,
                    _ => return Err(Error::go(bad())),
                });
                val = &val[2..];
            }
            Tok::TZ => {
                if val.starts_with("UTC") {
                    zone_name = "UTC".into();
                    offset = Some(0);
                    utc = true;
                    val = &val[3..];
                } else {
                    let n = val.bytes().take_while(u8::is_ascii_uppercase).count();
                    if n < 3 {
                        return Err(Error::go(bad()));
                    }
                    zone_name = val[..n].to_string();
                    val = &val[n..];
                }
            }
            Tok::Iso(colon, secs, hours_only) | Tok::Num(colon, secs, hours_only) => {
                if matches!(tok, Tok::Iso(..)) && val.starts_with('Z') {
                    val = &val[1..];
                    offset = Some(0);
                    zone_name = "UTC".into();
                    utc = true;
                    continue;
                }
                let sign = match val.as_bytes().first() {
                    Some(b'+') => 1,
                    Some(b'-') => -1,
                    _ => return Err(Error::go(bad())),
                };
                let mut v = &val[1..];
                let (h, r) = num(v, 2, 2).ok_or_else(bad)?;
                v = r;
                let mut m = 0;
                let mut s = 0;
                if !hours_only {
                    if colon {
                        v = v.strip_prefix(':').ok_or_else(bad)?;
                    }
                    let (mm, r) = num(v, 2, 2).ok_or_else(bad)?;
                    m = mm;
                    v = r;
                }
                if secs {
                    if colon {
                        v = v.strip_prefix(':').ok_or_else(bad)?;
                    }
                    let (ss, r) = num(v, 2, 2).ok_or_else(bad)?;
                    s = ss;
                    v = r;
                }
                offset = Some(sign * (h * 3600 + m * 60 + s) as i32);
                val = v;
            }
        }
    }
    if let Some(p) = pm {
        if p && hour < 12 {
            hour += 12;
        } else if !p && hour == 12 {
            hour = 0;
        }
    }
    let mdays = [31, if is_leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if day < 1 || day > mdays[(month - 1) as usize] {
        return Err(go_err!("parsing time {}: day out of range", time_quote(value)));
    }
    let local = days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + min * 60 + sec);
    let off = offset.unwrap_or(0);
    // Local is UTC: a zero offset is Local ("UTC"); a zone abbreviation
    // without a known offset is kept with offset 0, like Go's fake zone.
    let named_utc = zone_name.is_empty() || zone_name == "UTC";
    let zone = if (off == 0 && offset.is_some()) || (offset.is_none() && zone_name.is_empty()) {
        "UTC".to_string()
    } else {
        zone_name
    };
    let loc = if utc {
        Loc::Utc
    } else if off == 0 && named_utc {
        Loc::Local
    } else {
        Loc::Fixed
    };
    Ok(Time { secs: local - i64::from(off), nanos, zone, offset: off, mono: None, loc })
}

fn frac_nanos(digits: &str) -> i64 {
    let mut d = digits.to_string();
    d.truncate(9);
    while d.len() < 9 {
        d.push('0');
    }
    d.parse().unwrap_or(0)
}

/// Go's `Duration.String()`.
pub fn format_duration(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        if u == 0 {
            return "0s".into();
        }
        let (unit, prec) = if u < 1_000 {
            ("ns", 0)
        } else if u < 1_000_000 {
            ("µs", 3)
        } else {
            ("ms", 6)
        };
        let (frac, int) = frac_part(u, prec);
        out = format!("{int}{frac}{unit}");
    } else {
        let (frac, secs) = frac_part(u, 9);
        u = secs;
        let s = u % 60;
        u /= 60;
        out.push_str(&format!("{s}{frac}s"));
        if u > 0 {
            out = format!("{}m{out}", u % 60);
            u /= 60;
            if u > 0 {
                out = format!("{u}h{out}");
            }
        }
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

/// Go's `fmtFrac`: (".123" without trailing zeros, integer part).
fn frac_part(v: u64, prec: u32) -> (String, u64) {
    if prec == 0 {
        return (String::new(), v);
    }
    let p = 10u64.pow(prec);
    let frac = v % p;
    let mut s = format!("{:0width$}", frac, width = prec as usize);
    while s.ends_with('0') {
        s.pop();
    }
    if s.is_empty() {
        (String::new(), v / p)
    } else {
        (format!(".{s}"), v / p)
    }
}

/// Go's `Duration.Round(m)` (halves away from zero, saturating).
fn round_duration(d: i64, m: i64) -> i64 {
    let r = d % m;
    if d < 0 {
        let r = -r;
        if r + r < m {
            return d + r;
        }
        d.checked_sub(m - r).unwrap_or(i64::MIN)
    } else {
        if r + r < m {
            return d - r;
        }
        d.checked_add(m - r).unwrap_or(i64::MAX)
    }
}

/// Go's `Duration.Round(m)` (m <= 0: unchanged).
pub(crate) fn duration_round_to(d: i64, m: i64) -> i64 {
    if m <= 0 {
        d
    } else {
        round_duration(d, m)
    }
}

/// Go's `Duration.Truncate(m)`.
pub(crate) fn duration_truncate(d: i64, m: i64) -> i64 {
    if m <= 0 {
        d
    } else {
        d - d % m
    }
}

/// Sprig's `durationRound`.
fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    const SEC: u64 = 1_000_000_000;
    let (year, month, day, hour, minute) =
        (SEC * 3600 * 24 * 365, SEC * 3600 * 24 * 30, SEC * 3600 * 24, SEC * 3600, SEC * 60);
    if u > year {
        format!("{}y", u / year)
    } else if u > month {
        format!("{}mo", u / month)
    } else if u > day {
        format!("{}d", u / day)
    } else if u > hour {
        format!("{}h", u / hour)
    } else if u > minute {
        format!("{}m", u / minute)
    } else if u > SEC {
        format!("{}s", u / SEC)
    } else {
        "0s".into()
    }
}

/// Go's `time.ParseDuration`.
pub fn parse_duration(s: &str) -> Result<i64, Error> {
    let orig = s;
    let q = || time_quote(orig);
    let invalid = || format!("time: invalid duration {}", q());
    let mut s = s;
    let mut neg = false;
    if let Some(c) = s.chars().next() {
        if c == '-' || c == '+' {
            neg = c == '-';
            s = &s[1..];
        }
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(Error::go(invalid()));
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        // The next character must be [0-9.]
        let b = s.as_bytes()[0];
        if !(b == b'.' || b.is_ascii_digit()) {
            return Err(Error::go(invalid()));
        }
        let n_int = s.bytes().take_while(u8::is_ascii_digit).count();
        let pre = n_int > 0;
        let v: u64 = if pre { s[..n_int].parse().map_err(|_| invalid())? } else { 0 };
        s = &s[n_int..];
        let (mut f, mut scale) = (0u64, 1f64);
        let mut post = false;
        if let Some(r) = s.strip_prefix('.') {
            s = r;
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            post = n > 0;
            for c in s[..n].bytes() {
                if f > (1u64 << 63) / 10 {
                    continue; // overflow: ignore further digits, like Go
                }
                f = f * 10 + u64::from(c - b'0');
                scale *= 10.0;
            }
            s = &s[n..];
        }
        if !pre && !post {
            return Err(Error::go(invalid()));
        }
        let un = s.bytes().take_while(|c| *c != b'.' && !c.is_ascii_digit()).count();
        if un == 0 {
            return Err(go_err!("time: missing unit in duration {}", q()));
        }
        let u = &s[..un];
        s = &s[un..];
        let unit: u64 = match u {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(go_err!("time: unknown unit {} in duration {}", time_quote(u), q())),
        };
        if v > (1u64 << 63) / unit {
            return Err(Error::go(invalid()));
        }
        let mut v = v * unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1u64 << 63 {
                return Err(Error::go(invalid()));
            }
        }
        d += v;
        if d > 1u64 << 63 {
            return Err(Error::go(invalid()));
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > (1u64 << 63) - 1 {
        return Err(Error::go(invalid()));
    }
    Ok(d as i64)
}

impl Time {
    /// Nanoseconds since Go's zero time (January 1, year 1 UTC), which is
    /// what `Truncate` and `Round` divide.
    fn abs_nanos(&self) -> i128 {
        (i128::from(self.secs) + 62_135_596_800) * 1_000_000_000 + i128::from(self.nanos)
    }

    fn with_abs_nanos(&self, n: i128) -> Time {
        let secs = n.div_euclid(1_000_000_000) - 62_135_596_800;
        let secs = secs.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        Time { secs, nanos: n.rem_euclid(1_000_000_000) as i64, mono: None, ..self.clone() }
    }

    /// `t.Truncate(d)` / `t.Round(d)` (Go strips the monotonic reading).
    fn truncate_round(&self, d: i64, round: bool) -> Time {
        if d <= 0 {
            return Time { mono: None, ..self.clone() };
        }
        let n = self.abs_nanos();
        let r = n.rem_euclid(i128::from(d));
        if round && r + r >= i128::from(d) {
            self.with_abs_nanos(n - r + i128::from(d))
        } else {
            self.with_abs_nanos(n - r)
        }
    }

    /// `t.AddDate(years, months, days)`: Go normalises month and day
    /// overflow through time.Date.
    fn add_date(&self, years: i64, months: i64, days: i64) -> Time {
        let (y, mo, d, h, mi, s, _, _) = self.fields();
        let total = (y + years) * 12 + i64::from(mo) - 1 + months;
        let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        let day0 = days_from_civil(ny, nm as u32, 1) + i64::from(d) - 1 + days;
        let local = day0 * 86_400 + i64::from(h * 3600 + mi * 60 + s);
        Time { secs: local - i64::from(self.offset), mono: None, ..self.clone() }
    }

    fn is_zero(&self) -> bool {
        self.secs == -62_135_596_800 && self.nanos == 0
    }

    fn compare(&self, u: &Time) -> i64 {
        match (self.secs, self.nanos).cmp(&(u.secs, u.nanos)) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }
    }

    fn location(&self) -> Location {
        Location(match self.loc {
            Loc::Local => "Local".into(),
            Loc::Utc => "UTC".into(),
            Loc::Fixed => self.zone.clone(),
        })
    }

    /// Go's `Time.GoString` (`%#v`).
    fn go_string(&self) -> String {
        let (y, mo, d, h, mi, s, _, _) = self.fields();
        let loc = match self.loc {
            Loc::Local => "time.Local".to_string(),
            Loc::Utc => "time.UTC".to_string(),
            Loc::Fixed => format!("time.Location({})", crate::gofmt::strconv::quote(&self.zone)),
        };
        format!("time.Date({y}, time.{}, {d}, {h}, {mi}, {s}, {}, {loc})", MONTHS[(mo - 1) as usize], self.nanos)
    }
}

/// `*time.Location`: prints its name.
#[derive(Clone, Debug)]
pub struct Location(pub String);

impl Object for Location {
    fn type_name(&self) -> String {
        "*time.Location".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "String" => Some(Value::string(self.0.clone())),
            _ => None,
        }
    }
    fn format_v(&self) -> String {
        self.0.clone()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn time_value(t: Time) -> Value {
    Value::Object(Rc::new(t))
}

impl Object for Time {
    fn type_name(&self) -> String {
        "time.Time".into()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        let (y, mo, d, h, mi, s, wd, yday) = self.fields();
        Some(match name {
            "Unix" => Value::int64(self.secs),
            "UnixNano" => Value::int64(self.secs.wrapping_mul(1_000_000_000).wrapping_add(self.nanos)),
            "UnixMilli" => Value::int64(self.secs.wrapping_mul(1_000).wrapping_add(self.nanos / 1_000_000)),
            "UnixMicro" => Value::int64(self.secs.wrapping_mul(1_000_000).wrapping_add(self.nanos / 1_000)),
            "Year" => Value::int(y),
            "Day" => Value::int(i64::from(d)),
            "Hour" => Value::int(i64::from(h)),
            "Minute" => Value::int(i64::from(mi)),
            "Second" => Value::int(i64::from(s)),
            "Nanosecond" => Value::int(self.nanos),
            "YearDay" => Value::int(i64::from(yday)),
            "Month" => Value::Int(i64::from(mo), IntType::Month),
            "Weekday" => Value::Int(i64::from(wd), IntType::Weekday),
            "String" => Value::string(self.format_v()),
            "GoString" => Value::string(self.go_string()),
            "UTC" => time_value(self.in_zone("UTC".into(), 0, Loc::Utc)),
            "Local" => time_value(self.in_zone("UTC".into(), 0, Loc::Local)),
            "Location" => Value::Object(Rc::new(self.location())),
            "IsZero" => Value::Bool(self.is_zero()),
            "IsDST" => Value::Bool(false),
            "MarshalJSON" | "MarshalText" => {
                let mut s = self.format("2006-01-02T15:04:05.999999999Z07:00");
                if name == "MarshalJSON" {
                    s = format!("\"{s}\"");
                }
                Value::Bytes(Rc::from(s.into_bytes()))
            }
            _ => return None,
        })
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Format"
                | "Add"
                | "Sub"
                | "AddDate"
                | "After"
                | "Before"
                | "Equal"
                | "Compare"
                | "Truncate"
                | "Round"
                | "In"
                | "Date"
                | "Clock"
                | "Zone"
                | "ISOWeek"
                | "ZoneBounds"
        )
    }
    /// text/template refuses methods with several results (after checking
    /// the argument count, before evaluating the arguments).
    fn bad_signature(&self, name: &str) -> Option<String> {
        match name {
            "Date" | "Clock" => Some(format!("function {name} has 3 return values; should be 1 or 2")),
            "Zone" | "ISOWeek" => {
                Some(format!("invalid function signature for {name}: second return value should be error; is int"))
            }
            "ZoneBounds" => Some(format!(
                "invalid function signature for {name}: second return value should be error; is time.Time"
            )),
            _ => None,
        }
    }
    fn method_params(&self, name: &str) -> Option<&'static [Ty]> {
        Some(match name {
            "Format" => &[Ty::String],
            "Add" | "Truncate" | "Round" => &[Ty::Duration],
            "Sub" | "After" | "Before" | "Equal" | "Compare" => &[Ty::Time],
            "AddDate" => &[Ty::Int, Ty::Int, Ty::Int],
            "In" => return None,
            _ => &[],
        })
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, Error> {
        let want = |n: usize| -> Result<(), Error> {
            if args.len() == n {
                Ok(())
            } else {
                Err(go_err!("wrong number of args for {name}: want {n} got {}", args.len()))
            }
        };
        let time_at = |i: usize| -> Result<Time, Error> { time_arg(args, i) };
        let dur_at = |i: usize| -> Result<i64, Error> {
            match &args[i] {
                Value::Int(d, IntType::Duration | IntType::Int) => Ok(*d),
                other => Err(go_err!("wrong type for value; expected time.Duration; got {}", other.type_name())),
            }
        };
        let int_at = |i: usize| -> Result<i64, Error> {
            match &args[i] {
                Value::Int(d, IntType::Int) => Ok(*d),
                other => Err(go_err!("wrong type for value; expected int; got {}", other.type_name())),
            }
        };
        match name {
            "Format" => {
                want(1)?;
                match &args[0] {
                    Value::String(l) => Ok(Value::string(self.format(l))),
                    other => Err(go_err!("wrong type for value; expected string; got {}", other.type_name())),
                }
            }
            "Add" => {
                want(1)?;
                Ok(time_value(self.add(dur_at(0)?)))
            }
            "Sub" => {
                want(1)?;
                Ok(Value::Int(self.sub(&time_at(0)?), IntType::Duration))
            }
            "AddDate" => {
                want(3)?;
                Ok(time_value(self.add_date(int_at(0)?, int_at(1)?, int_at(2)?)))
            }
            "After" | "Before" | "Equal" | "Compare" => {
                want(1)?;
                let c = self.compare(&time_at(0)?);
                Ok(match name {
                    "After" => Value::Bool(c > 0),
                    "Before" => Value::Bool(c < 0),
                    "Equal" => Value::Bool(c == 0),
                    _ => Value::int(c),
                })
            }
            "Truncate" | "Round" => {
                want(1)?;
                Ok(time_value(self.truncate_round(dur_at(0)?, name == "Round")))
            }
            "In" => {
                want(1)?;
                match &args[0] {
                    Value::Object(o) => match o.as_any().downcast_ref::<Location>() {
                        Some(l) => Ok(time_value(match l.0.as_str() {
                            "Local" => self.in_zone("UTC".into(), 0, Loc::Local),
                            "UTC" => self.in_zone("UTC".into(), 0, Loc::Utc),
                            _ => self.in_zone(self.zone.clone(), self.offset, self.loc),
                        })),
                        None => Err(go_err!("wrong type for value; expected *time.Location; got {}", o.type_name())),
                    },
                    Value::Nil => Err("time: missing Location in call to Time.In".into()),
                    other => Err(go_err!("wrong type for value; expected *time.Location; got {}", other.type_name())),
                }
            }
            _ => Err(go_err!("can't call method/function {name:?} with arguments")),
        }
    }
    fn format_v(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let u = m.unsigned_abs();
            s.push_str(&format!(" m={sign}{}.{:09}", u / 1_000_000_000, u % 1_000_000_000));
        }
        s
    }
    fn go_string(&self) -> Option<String> {
        Some(Time::go_string(self))
    }
    fn deep_equal(&self, other: &dyn Object) -> bool {
        other.as_any().downcast_ref::<self::Time>() == Some(self)
    }
    fn to_data(&self) -> Option<Value> {
        // encoding/json: RFC 3339 with nanoseconds.
        Some(Value::string(self.format("2006-01-02T15:04:05.999999999Z07:00")))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The `time` package's own `quote` (errors of Parse/ParseDuration): ASCII
/// kept (with `"` and backslash escaped), everything else as `\x` bytes.
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if (c as u32) >= 0x80 || c < ' ' {
            let mut b = [0u8; 4];
            for x in c.encode_utf8(&mut b).bytes() {
                out.push_str(&format!("\\x{x:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_layouts_and_durations() {
        let t = Time::unix(1_700_000_000, 123_000_000);
        assert_eq!(t.format("2006-01-02 15:04:05.999999999 -0700 MST"), "2023-11-14 22:13:20.123 +0000 UTC");
        assert_eq!(t.format("Mon Jan _2 3:04PM 2006"), "Tue Nov 14 10:13PM 2023");
        assert_eq!(format_duration(95_000_000_000), "1m35s");
        assert_eq!(format_duration(1_500), "1.5µs");
        assert_eq!(parse_duration("1h30m").unwrap(), 5_400_000_000_000);
        assert_eq!(parse_duration("-1.5h").unwrap(), -5_400_000_000_000);
        let p = parse_layout("2006-01-02", "2024-02-29").unwrap();
        assert_eq!(p.secs, 1_709_164_800);
    }
}
