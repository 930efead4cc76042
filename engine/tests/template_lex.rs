//! Go's text/template/parse lex_test.go, ported as data: input → items.

use chartroom_engine::template::lex::{Item, ItemType, LexOptions, Lexer};
use ItemType as T;

type Case<'a> = (&'a str, &'a str, Vec<(ItemType, &'a str)>);
type PosCase<'a> = (&'a str, &'a str, Vec<(ItemType, usize, &'a str, usize)>);

fn collect(input: &str, left: &str, right: &str) -> Vec<(ItemType, String, usize, usize)> {
    let mut l = Lexer::with_delims(input, left, right);
    l.options = LexOptions { emit_comment: true, break_ok: true, continue_ok: true };
    let mut out = Vec::new();
    loop {
        let Item { typ, pos, val, line } = l.next_item();
        out.push((typ, val.to_string(), pos, line));
        if typ == T::Eof || typ == T::Error {
            break;
        }
        assert!(out.len() < 10_000, "lexer does not terminate on {input:?}");
    }
    out
}

fn check(name: &str, input: &str, want: &[(ItemType, &str)], left: &str, right: &str) {
    let got = collect(input, left, right);
    let got2: Vec<(ItemType, &str)> = got.iter().map(|(t, v, _, _)| (*t, v.as_str())).collect();
    assert_eq!(got2, want, "{name}: {input:?}");
}

const RAW: &str = "`abc\\n\\t\\\" `";
const RAW_NL: &str = "`now is{{\n}}the time`";

#[test]
fn lex_tests() {
    let l = (T::LeftDelim, "{{");
    let r = (T::RightDelim, "}}");
    let eof = (T::Eof, "");
    let sp = (T::Space, " ");
    let pipe = (T::Pipe, "|");
    let quote = (T::String, r#""abc \n\t\" ""#);
    let raw_in = format!("{{{{{RAW}}}}}");
    let raw_nl_in = format!("{{{{{RAW_NL}}}}}");
    let cases: Vec<Case> = vec![
        ("empty", "", vec![eof]),
        ("spaces", " \t\n", vec![(T::Text, " \t\n"), eof]),
        ("text", "now is the time", vec![(T::Text, "now is the time"), eof]),
        (
            "text with comment",
            "hello-{{/* this is a comment */}}-world",
            vec![(T::Text, "hello-"), (T::Comment, "/* this is a comment */"), (T::Text, "-world"), eof],
        ),
        ("punctuation", "{{,@% }}", vec![l, (T::Char, ","), (T::Char, "@"), (T::Char, "%"), sp, r, eof]),
        (
            "parens",
            "{{((3))}}",
            vec![
                l,
                (T::LeftParen, "("),
                (T::LeftParen, "("),
                (T::Number, "3"),
                (T::RightParen, ")"),
                (T::RightParen, ")"),
                r,
                eof,
            ],
        ),
        ("empty action", "{{}}", vec![l, r, eof]),
        ("for", "{{for}}", vec![l, (T::Identifier, "for"), r, eof]),
        (
            "block",
            r#"{{block "foo" .}}"#,
            vec![l, (T::Block, "block"), sp, (T::String, r#""foo""#), sp, (T::Dot, "."), r, eof],
        ),
        ("quote", r#"{{"abc \n\t\" "}}"#, vec![l, quote, r, eof]),
        ("raw quote", &raw_in, vec![l, (T::RawString, RAW), r, eof]),
        ("raw quote with newline", &raw_nl_in, vec![l, (T::RawString, RAW_NL), r, eof]),
        (
            "numbers",
            "{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}",
            vec![
                l,
                (T::Number, "1"),
                sp,
                (T::Number, "02"),
                sp,
                (T::Number, "0x14"),
                sp,
                (T::Number, "0X14"),
                sp,
                (T::Number, "-7.2i"),
                sp,
                (T::Number, "1e3"),
                sp,
                (T::Number, "1E3"),
                sp,
                (T::Number, "+1.2e-4"),
                sp,
                (T::Number, "4.2i"),
                sp,
                (T::Complex, "1+2i"),
                sp,
                (T::Number, "1_2"),
                sp,
                (T::Number, "0x1.e_fp4"),
                sp,
                (T::Number, "0X1.E_FP4"),
                r,
                eof,
            ],
        ),
        (
            "characters",
            r"{{'a' '\n' '\'' '\\' '\u00FF' '\xFF' '本'}}",
            vec![
                l,
                (T::CharConstant, "'a'"),
                sp,
                (T::CharConstant, r"'\n'"),
                sp,
                (T::CharConstant, r"'\''"),
                sp,
                (T::CharConstant, r"'\\'"),
                sp,
                (T::CharConstant, r"'\u00FF'"),
                sp,
                (T::CharConstant, r"'\xFF'"),
                sp,
                (T::CharConstant, "'本'"),
                r,
                eof,
            ],
        ),
        ("bools", "{{true false}}", vec![l, (T::Bool, "true"), sp, (T::Bool, "false"), r, eof]),
        ("dot", "{{.}}", vec![l, (T::Dot, "."), r, eof]),
        ("nil", "{{nil}}", vec![l, (T::Nil, "nil"), r, eof]),
        (
            "dots",
            "{{.x . .2 .x.y.z}}",
            vec![
                l,
                (T::Field, ".x"),
                sp,
                (T::Dot, "."),
                sp,
                (T::Number, ".2"),
                sp,
                (T::Field, ".x"),
                (T::Field, ".y"),
                (T::Field, ".z"),
                r,
                eof,
            ],
        ),
        (
            "keywords",
            "{{range if else end with}}",
            vec![
                l,
                (T::Range, "range"),
                sp,
                (T::If, "if"),
                sp,
                (T::Else, "else"),
                sp,
                (T::End, "end"),
                sp,
                (T::With, "with"),
                r,
                eof,
            ],
        ),
        (
            "variables",
            "{{$c := printf $ $hello $23 $ $var.Field .Method}}",
            vec![
                l,
                (T::Variable, "$c"),
                sp,
                (T::Declare, ":="),
                sp,
                (T::Identifier, "printf"),
                sp,
                (T::Variable, "$"),
                sp,
                (T::Variable, "$hello"),
                sp,
                (T::Variable, "$23"),
                sp,
                (T::Variable, "$"),
                sp,
                (T::Variable, "$var"),
                (T::Field, ".Field"),
                sp,
                (T::Field, ".Method"),
                r,
                eof,
            ],
        ),
        ("variable invocation", "{{$x 23}}", vec![l, (T::Variable, "$x"), sp, (T::Number, "23"), r, eof]),
        (
            "pipeline",
            r#"intro {{echo hi 1.2 |noargs|args 1 "hi"}} outro"#,
            vec![
                (T::Text, "intro "),
                l,
                (T::Identifier, "echo"),
                sp,
                (T::Identifier, "hi"),
                sp,
                (T::Number, "1.2"),
                sp,
                pipe,
                (T::Identifier, "noargs"),
                pipe,
                (T::Identifier, "args"),
                sp,
                (T::Number, "1"),
                sp,
                (T::String, r#""hi""#),
                r,
                (T::Text, " outro"),
                eof,
            ],
        ),
        (
            "declaration",
            "{{$v := 3}}",
            vec![l, (T::Variable, "$v"), sp, (T::Declare, ":="), sp, (T::Number, "3"), r, eof],
        ),
        (
            "2 declarations",
            "{{$v , $w := 3}}",
            vec![
                l,
                (T::Variable, "$v"),
                sp,
                (T::Char, ","),
                sp,
                (T::Variable, "$w"),
                sp,
                (T::Declare, ":="),
                sp,
                (T::Number, "3"),
                r,
                eof,
            ],
        ),
        (
            "field of parenthesized expression",
            "{{(.X).Y}}",
            vec![l, (T::LeftParen, "("), (T::Field, ".X"), (T::RightParen, ")"), (T::Field, ".Y"), r, eof],
        ),
        (
            "trimming spaces before and after",
            "hello- {{- 3 -}} -world",
            vec![(T::Text, "hello-"), l, (T::Number, "3"), r, (T::Text, "-world"), eof],
        ),
        (
            "trimming spaces before and after comment",
            "hello- {{- /* hello */ -}} -world",
            vec![(T::Text, "hello-"), (T::Comment, "/* hello */"), (T::Text, "-world"), eof],
        ),
        // errors
        ("badchar", "#{{\x01}}", vec![(T::Text, "#"), l, (T::Error, "unrecognized character in action: U+0001")]),
        ("unclosed action", "{{", vec![l, (T::Error, "unclosed action")]),
        ("EOF in action", "{{range", vec![l, (T::Range, "range"), (T::Error, "unclosed action")]),
        ("unclosed quote", "{{\"\n\"}}", vec![l, (T::Error, "unterminated quoted string")]),
        ("unclosed raw quote", "{{`xx}}", vec![l, (T::Error, "unterminated raw quoted string")]),
        ("unclosed char constant", "{{'\n}}", vec![l, (T::Error, "unterminated character constant")]),
        ("bad number", "{{3k}}", vec![l, (T::Error, r#"bad number syntax: "3k""#)]),
        ("unclosed paren", "{{(3}}", vec![l, (T::LeftParen, "("), (T::Number, "3"), (T::Error, "unclosed left paren")]),
        ("extra right paren", "{{3)}}", vec![l, (T::Number, "3"), (T::Error, "unexpected right paren")]),
        // Fixed bugs: many elements in an action blew the lookahead.
        ("long pipeline deadlock", "{{|||||}}", vec![l, pipe, pipe, pipe, pipe, pipe, r, eof]),
        ("text with bad comment", "hello-{{/*/}}-world", vec![(T::Text, "hello-"), (T::Error, "unclosed comment")]),
        (
            "text with comment close separated from delim",
            "hello-{{/* */ }}-world",
            vec![(T::Text, "hello-"), (T::Error, "comment ends before closing delimiter")],
        ),
        // An error Go cannot catch because it breaks minimized JavaScript.
        ("unmatched right delimiter", "hello-{.}}-world", vec![(T::Text, "hello-{.}}-world"), eof]),
    ];
    for (name, input, want) in &cases {
        check(name, input, want, "", "");
    }
}

#[test]
fn lex_delims() {
    let l = (T::LeftDelim, "$$");
    let r = (T::RightDelim, "@@");
    let eof = (T::Eof, "");
    let raw_in = format!("$${RAW}@@");
    let cases: Vec<Case> = vec![
        (
            "punctuation",
            "$$,@%{{}}@@",
            vec![
                l,
                (T::Char, ","),
                (T::Char, "@"),
                (T::Char, "%"),
                (T::Char, "{"),
                (T::Char, "{"),
                (T::Char, "}"),
                (T::Char, "}"),
                r,
                eof,
            ],
        ),
        ("empty action", "$$@@", vec![l, r, eof]),
        ("for", "$$for@@", vec![l, (T::Identifier, "for"), r, eof]),
        ("quote", r#"$$"abc \n\t\" "@@"#, vec![l, (T::String, r#""abc \n\t\" ""#), r, eof]),
        ("raw quote", &raw_in, vec![l, (T::RawString, RAW), r, eof]),
    ];
    for (name, input, want) in &cases {
        check(name, input, want, "$$", "@@");
    }
    check(
        "right delimiter with alphanumeric start",
        "{{hub .host hub}}",
        &[
            (T::LeftDelim, "{{hub"),
            (T::Space, " "),
            (T::Field, ".host"),
            (T::Space, " "),
            (T::RightDelim, "hub}}"),
            eof,
        ],
        "{{hub",
        "hub}}",
    );
    check(
        "delims that look like markers",
        "{{- .x -}} {{- - .x - -}}",
        &[
            (T::LeftDelim, "{{- "),
            (T::Field, ".x"),
            (T::RightDelim, " -}}"),
            (T::LeftDelim, "{{- "),
            (T::Field, ".x"),
            (T::RightDelim, " -}}"),
            eof,
        ],
        "{{- ",
        " -}}",
    );
}

#[test]
fn lex_positions() {
    let cases: Vec<PosCase> = vec![
        ("empty", "", vec![(T::Eof, 0, "", 1)]),
        (
            "punctuation",
            "{{,@%#}}",
            vec![
                (T::LeftDelim, 0, "{{", 1),
                (T::Char, 2, ",", 1),
                (T::Char, 3, "@", 1),
                (T::Char, 4, "%", 1),
                (T::Char, 5, "#", 1),
                (T::RightDelim, 6, "}}", 1),
                (T::Eof, 8, "", 1),
            ],
        ),
        (
            "sample",
            "0123{{hello}}xyz",
            vec![
                (T::Text, 0, "0123", 1),
                (T::LeftDelim, 4, "{{", 1),
                (T::Identifier, 6, "hello", 1),
                (T::RightDelim, 11, "}}", 1),
                (T::Text, 13, "xyz", 1),
                (T::Eof, 16, "", 1),
            ],
        ),
        (
            "trimafter",
            "{{x -}}\n{{y}}",
            vec![
                (T::LeftDelim, 0, "{{", 1),
                (T::Identifier, 2, "x", 1),
                (T::RightDelim, 5, "}}", 1),
                (T::LeftDelim, 8, "{{", 2),
                (T::Identifier, 10, "y", 2),
                (T::RightDelim, 11, "}}", 2),
                (T::Eof, 13, "", 2),
            ],
        ),
        (
            "trimbefore",
            "{{x}}\n{{- y}}",
            vec![
                (T::LeftDelim, 0, "{{", 1),
                (T::Identifier, 2, "x", 1),
                (T::RightDelim, 3, "}}", 1),
                (T::LeftDelim, 6, "{{", 2),
                (T::Identifier, 10, "y", 2),
                (T::RightDelim, 11, "}}", 2),
                (T::Eof, 13, "", 2),
            ],
        ),
        (
            "longcomment",
            "{{/*\n*/}}\n{{undefinedFunction \"test\"}}",
            vec![
                (T::Comment, 2, "/*\n*/", 1),
                (T::Text, 9, "\n", 2),
                (T::LeftDelim, 10, "{{", 3),
                (T::Identifier, 12, "undefinedFunction", 3),
                (T::Space, 29, " ", 3),
                (T::String, 30, "\"test\"", 3),
                (T::RightDelim, 36, "}}", 3),
                (T::Eof, 38, "", 3),
            ],
        ),
    ];
    for (name, input, want) in &cases {
        let got = collect(input, "", "");
        let got2: Vec<(ItemType, usize, &str, usize)> =
            got.iter().map(|(t, v, p, l)| (*t, *p, v.as_str(), *l)).collect();
        assert_eq!(got2, *want, "{name}");
    }
}

/// Go's item.String(), used in "unexpected X in Y" messages.
#[test]
fn item_display() {
    let item = |typ, val: &'static str| Item { typ, pos: 0, val: val.into(), line: 1 };
    assert_eq!(item(T::Eof, "").to_string(), "EOF");
    assert_eq!(item(T::If, "if").to_string(), "<if>");
    assert_eq!(item(T::String, "\"ab\"").to_string(), r#""\"ab\"""#);
    assert_eq!(item(T::Identifier, "abcdefghijklm").to_string(), r#""abcdefghij"..."#);
    assert_eq!(item(T::Text, "ééééééééééé").to_string(), r#""éééééééééé"..."#);
}

/// Non-ASCII everywhere, truncated input at every byte that is a char
/// boundary: the lexer must never panic or loop.
#[test]
fn lex_never_panics() {
    let src = "héllo ⚠️ {{- $é := \"wörld\" | printf `✓` 'ü' 1.5e3 (.a.b).c -}} 日本 {{/* ⚠ */}} {{ 0x1p4 }}{{";
    for (i, _) in src.char_indices() {
        collect(&src[..i], "", "");
        collect(&src[i..], "", "");
    }
}
