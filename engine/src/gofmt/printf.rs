//! Go's fmt.Sprintf / Sprint / Sprintln over Values.
//! PLACEHOLDER until the full port lands: %s %d %v %q %% only.

use crate::value::Value;

fn is_string(v: &Value) -> bool {
    matches!(v, Value::String(_))
}

pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !is_string(a) && !is_string(&args[i - 1]) {
            out.push(' ');
        }
        out.push_str(&a.to_go_string());
    }
    out
}

pub fn sprintln(args: &[Value]) -> String {
    let mut out: Vec<String> = args.iter().map(|a| a.to_go_string()).collect::<Vec<_>>();
    let mut s = out.drain(..).collect::<Vec<_>>().join(" ");
    s.push('\n');
    s
}

pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut it = format.chars().peekable();
    let mut n = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('%') => out.push('%'),
            Some(v) => {
                match args.get(n) {
                    Some(a) => match v {
                        'q' => out.push_str(&crate::gofmt::strconv::quote(&a.to_go_string())),
                        _ => out.push_str(&a.to_go_string()),
                    },
                    None => out.push_str(&format!("%!{v}(MISSING)")),
                }
                n += 1;
            }
            None => out.push_str("%!(NOVERB)"),
        }
    }
    out
}
