//! The names of every function Helm v4.2.3 registers in its template engine.
//!
//! Go's parser rejects unknown function names at parse time
//! (`function "foo" not defined`), so the parser needs the exact set:
//! Sprig v3.3.0's `TxtFuncMap` minus `env`/`expandenv`, plus Helm's own
//! (`pkg/engine/funcs.go`: toYaml, include, tpl, required, lookup, …), plus
//! Go's text/template builtins (and, or, not, len, index, slice, print*, eq…).
//! Checked against real Helm: every name here parses, `env`/`expandenv`
//! do not (engine/tests/cases/parse.json, cases `funcs-*`).

/// Sorted, for binary search.
pub const HELM_FUNC_NAMES: &[&str] = &[
    "abbrev", "abbrevboth", "add", "add1", "add1f", "addf", "adler32sum", "ago", "all", "and",
    "any", "append", "atoi", "b32dec", "b32enc", "b64dec", "b64enc", "base", "bcrypt", "biggest",
    "buildCustomCert", "call", "camelcase", "cat", "ceil", "chunk", "clean", "coalesce", "compact",
    "concat", "contains", "date", "dateInZone", "dateModify", "date_in_zone", "date_modify",
    "decryptAES", "deepCopy", "deepEqual", "default", "derivePassword", "dict", "dig", "dir", "div",
    "divf", "duration", "durationRound", "empty", "encryptAES", "eq", "ext", "fail", "first",
    "float64", "floor", "fromJson", "fromJsonArray", "fromToml", "fromYaml", "fromYamlArray", "ge",
    "genCA", "genCAWithKey", "genPrivateKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
    "genSignedCert", "genSignedCertWithKey", "get", "getHostByName", "gt", "has", "hasKey",
    "hasPrefix", "hasSuffix", "hello", "html", "htmlDate", "htmlDateInZone", "htpasswd", "include",
    "indent", "index", "initial", "initials", "int", "int64", "isAbs", "join", "js", "kebabcase",
    "keys", "kindIs", "kindOf", "last", "le", "len", "list", "lookup", "lower", "lt", "max", "maxf",
    "merge", "mergeOverwrite", "min", "minf", "mod", "mul", "mulf", "mustAppend", "mustChunk",
    "mustCompact", "mustDateModify", "mustDeepCopy", "mustFirst", "mustFromJson", "mustHas",
    "mustInitial", "mustLast", "mustMerge", "mustMergeOverwrite", "mustPrepend", "mustPush",
    "mustRegexFind", "mustRegexFindAll", "mustRegexMatch", "mustRegexReplaceAll",
    "mustRegexReplaceAllLiteral", "mustRegexSplit", "mustRest", "mustReverse", "mustSlice",
    "mustToDate", "mustToJson", "mustToPrettyJson", "mustToRawJson", "mustToToml", "mustToYaml",
    "mustUniq", "mustWithout", "must_date_modify", "ne", "nindent", "nospace", "not", "now", "omit",
    "or", "osBase", "osClean", "osDir", "osExt", "osIsAbs", "pick", "pluck", "plural", "prepend",
    "print", "printf", "println", "push", "quote", "randAlpha", "randAlphaNum", "randAscii",
    "randBytes", "randInt", "randNumeric", "regexFind", "regexFindAll", "regexMatch",
    "regexQuoteMeta", "regexReplaceAll", "regexReplaceAllLiteral", "regexSplit", "repeat",
    "replace", "required", "rest", "reverse", "round", "semver", "semverCompare", "seq", "set",
    "sha1sum", "sha256sum", "sha512sum", "shuffle", "slice", "snakecase", "sortAlpha", "split",
    "splitList", "splitn", "squote", "sub", "subf", "substr", "swapcase", "ternary", "title",
    "toDate", "toDecimal", "toJson", "toPrettyJson", "toRawJson", "toString", "toStrings", "toToml",
    "toYaml", "toYamlPretty", "tpl", "trim", "trimAll", "trimPrefix", "trimSuffix", "trimall",
    "trunc", "tuple", "typeIs", "typeIsLike", "typeOf", "uniq", "unixEpoch", "unset", "until",
    "untilStep", "untitle", "upper", "urlJoin", "urlParse", "urlquery", "uuidv4", "values",
    "without", "wrap", "wrapWith",
];

/// Whether `name` is a function Helm's templates may call.
pub fn is_helm_func(name: &str) -> bool {
    HELM_FUNC_NAMES.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        assert!(HELM_FUNC_NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_helm_func("include") && is_helm_func("and") && !is_helm_func("env"));
    }
}
