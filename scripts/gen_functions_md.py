#!/usr/bin/env python3
"""Regenerate engine/FUNCTIONS.md: every template function name Helm v4.2.3 knows,
with its status (registered in engine/src/sprig/, covered by sprig_*.in.yaml cases).
Usage: python3 scripts/gen_functions_md.py"""
import re, glob, yaml, os
# Sprig v3.3.0 GenericFuncMap keys (functions.go) minus env/expandenv, which Helm deletes.
sprig = ['abbrev', 'abbrevboth', 'add', 'add1', 'add1f', 'addf', 'adler32sum', 'ago', 'all', 'any', 'append', 'atoi', 'b32dec', 'b32enc', 'b64dec', 'b64enc', 'base', 'bcrypt', 'biggest', 'buildCustomCert', 'camelcase', 'cat', 'ceil', 'chunk', 'clean', 'coalesce', 'compact', 'concat', 'contains', 'date', 'dateInZone', 'dateModify', 'date_in_zone', 'date_modify', 'decryptAES', 'deepCopy', 'deepEqual', 'default', 'derivePassword', 'dict', 'dig', 'dir', 'div', 'divf', 'duration', 'durationRound', 'empty', 'encryptAES', 'ext', 'fail', 'first', 'float64', 'floor', 'fromJson', 'genCA', 'genCAWithKey', 'genPrivateKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'get', 'getHostByName', 'has', 'hasKey', 'hasPrefix', 'hasSuffix', 'hello', 'htmlDate', 'htmlDateInZone', 'htpasswd', 'indent', 'initial', 'initials', 'int', 'int64', 'isAbs', 'join', 'kebabcase', 'keys', 'kindIs', 'kindOf', 'last', 'list', 'lower', 'max', 'maxf', 'merge', 'mergeOverwrite', 'min', 'minf', 'mod', 'mul', 'mulf', 'mustAppend', 'mustChunk', 'mustCompact', 'mustDateModify', 'mustDeepCopy', 'mustFirst', 'mustFromJson', 'mustHas', 'mustInitial', 'mustLast', 'mustMerge', 'mustMergeOverwrite', 'mustPrepend', 'mustPush', 'mustRegexFind', 'mustRegexFindAll', 'mustRegexMatch', 'mustRegexReplaceAll', 'mustRegexReplaceAllLiteral', 'mustRegexSplit', 'mustRest', 'mustReverse', 'mustSlice', 'mustToDate', 'mustToJson', 'mustToPrettyJson', 'mustToRawJson', 'mustUniq', 'mustWithout', 'must_date_modify', 'nindent', 'nospace', 'now', 'omit', 'osBase', 'osClean', 'osDir', 'osExt', 'osIsAbs', 'pick', 'pluck', 'plural', 'prepend', 'push', 'quote', 'randAlpha', 'randAlphaNum', 'randAscii', 'randBytes', 'randInt', 'randNumeric', 'regexFind', 'regexFindAll', 'regexMatch', 'regexQuoteMeta', 'regexReplaceAll', 'regexReplaceAllLiteral', 'regexSplit', 'repeat', 'replace', 'rest', 'reverse', 'round', 'semver', 'semverCompare', 'seq', 'set', 'sha1sum', 'sha256sum', 'sha512sum', 'shuffle', 'slice', 'snakecase', 'sortAlpha', 'split', 'splitList', 'splitn', 'squote', 'sub', 'subf', 'substr', 'swapcase', 'ternary', 'title', 'toDate', 'toDecimal', 'toJson', 'toPrettyJson', 'toRawJson', 'toString', 'toStrings', 'trim', 'trimAll', 'trimPrefix', 'trimSuffix', 'trimall', 'trunc', 'tuple', 'typeIs', 'typeIsLike', 'typeOf', 'uniq', 'unixEpoch', 'unset', 'until', 'untilStep', 'untitle', 'upper', 'urlJoin', 'urlParse', 'uuidv4', 'values', 'without', 'wrap', 'wrapWith']
helm_extra = ['toToml','mustToToml','fromToml','toYaml','mustToYaml','toYamlPretty','fromYaml','fromYamlArray','toJson','mustToJson','fromJson','fromJsonArray','include','tpl','required','lookup']
builtins = ['and','call','html','index','js','len','not','or','print','printf','println','urlquery','eq','ge','gt','le','lt','ne']
root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'engine')
reg = set()
for p in glob.glob(root + '/src/sprig/*.rs'):
    s = open(p).read()
    reg |= set(re.findall(r'm\.add\(\s*"([A-Za-z0-9_]+)"', s))
    for lst in re.findall(r'for (?:name|\(name, \w+\)) in\s*\[(.*?)\]', s, re.S):
        reg |= set(re.findall(r'"([A-Za-z0-9_]+)"', lst))
tested = {}
for p in glob.glob(root + '/tests/cases/sprig_*.in.yaml'):
    for c in yaml.safe_load(open(p)):
        if 'fn' in c:
            tested[c['fn']] = tested.get(c['fn'], 0) + 1
        else:
            for n in re.findall(r'[A-Za-z_][A-Za-z0-9_]*', c['template']):
                if n in sprig:
                    tested.setdefault(n + '*', 0)
# Names implemented by the executor (engine/src/template) and the Helm layer
# (engine/src/helmfuncs.rs, json.rs, yaml/, toml/): registered there, and
# covered when some oracle case template (any topic) calls them.
layer_src = ''
for p in [root + '/src/helmfuncs.rs', root + '/src/template/exec.rs', root + '/src/template/builtins.rs']:
    layer_src += open(p).read()
layer_reg = set(re.findall(r'"([A-Za-z0-9_]+)"', layer_src))
layer_tested = {}
for p in glob.glob(root + '/tests/cases/*.in.yaml'):
    for c in yaml.safe_load(open(p)) or []:
        for n in set(re.findall(r'[A-Za-z_][A-Za-z0-9_]*', c.get('template', ''))):
            layer_tested[n] = layer_tested.get(n, 0) + 1
owner = {}
for n in helm_extra: owner[n] = 'Helm (pkg/engine)'
for n in builtins: owner[n] = 'Go text/template builtin'
notes = {
 'toJson': 'Helm/JSON layer', 'toPrettyJson': 'JSON layer (Sprig)', 'toRawJson': 'JSON layer (Sprig)', 'fromJson': 'Helm/JSON layer',
 'mustToJson': 'Helm/JSON layer', 'mustToPrettyJson': 'JSON layer (Sprig)', 'mustToRawJson': 'JSON layer (Sprig)', 'mustFromJson': 'JSON layer (Sprig)',
 'fail': 'Helm overrides (executor layer)', 'getHostByName': 'Helm: "" unless --enable-dns; logs a CapabilityEvent',
 'dateInZone': 'named zones other than UTC/Local fall back to UTC (no tz database)', 'date_in_zone': 'same as dateInZone', 'htmlDateInZone': 'same as dateInZone',
 'until': 'result type []int shown as []interface {}', 'untilStep': 'result type []int shown as []interface {}',
 'split': 'result type map[string]string shown as map[string]interface {}', 'splitn': 'result type map[string]string shown as map[string]interface {}',
 'chunk': 'result type [][]interface {} shown as []interface {}', 'mustChunk': 'result type [][]interface {} shown as []interface {}',
 'keys': 'Go map order is random; ours is sorted', 'values': 'Go map order is random; ours is sorted',
 'now': 'no monotonic m=+… suffix when printed', 'shuffle': 'seeded Env generator (Go: math/rand)',
 'randAlphaNum': 'seeded Env generator', 'randAlpha': 'seeded Env generator', 'randNumeric': 'seeded Env generator', 'randAscii': 'seeded Env generator', 'randBytes': 'seeded Env generator', 'randInt': 'seeded Env generator', 'uuidv4': 'seeded Env generator',
}
rows = []
counts = {'implemented+tested': 0, 'implemented, untested': 0, 'not yet': 0, 'other layer': 0}
for n in sorted(set(sprig) | set(helm_extra) | set(builtins), key=str.lower):
    if n in reg:
        if n in tested or n + '*' in tested:
            st = 'implemented+tested'
            k = tested.get(n, 0)
            t = f'{k} cases' if k else 'template case'
        else:
            st = 'implemented, untested'; t = ''
    elif n in layer_reg and n in layer_tested:
        st = 'implemented+tested'
        t = f'{layer_tested[n]} template cases (executor/Helm layer)'
    else:
        st = 'not yet'; t = ''
    counts[st] += 1
    src_ = owner.get(n, 'Sprig v3.3.0')
    if n == 'slice': src_ = 'Sprig (replaces Go builtin)'
    if n == 'fail': src_ = 'Sprig, overridden by Helm'
    rows.append(f'| `{n}` | {src_} | {st} | {t} | {notes.get(n, "")} |')
total = len(rows)
out = f"""# Template functions Helm v4.2.3 knows

Every name in Helm 4.2.3's template function map: Sprig v3.3.0's `GenericFuncMap` minus
`env`/`expandenv`, plus Helm's `pkg/engine` additions and Go's `text/template` builtins
(Helm replaces Go's `slice` with Sprig's). Sprig functions live in `engine/src/sprig/`
(modules named after Sprig's source files); their expectations come from real Helm
(`engine/tests/cases/sprig_*.json`, run by `engine/tests/sprig_cases.rs`).

Status: **implemented+tested** = registered with its Go signature (or implemented by the
executor: builtins, `include`, `tpl`) and checked against Helm output by oracle cases;
**other layer** = owned by the executor / Helm layer but not yet covered by a case;
**not yet** = not implemented.

Totals: {total} names — {counts['implemented+tested']} implemented+tested, {counts['implemented, untested']} implemented but untested,
{counts['not yet']} not yet, {counts['other layer']} owned by another layer.

## Known deviations from Helm (Sprig functions)

- `keys`/`values`: Go's map order is random; ours is sorted (charts wrap them in `sortAlpha`).
- `dateInZone`/`htmlDateInZone` with a named zone other than `UTC`/`Local`: no tz database, so UTC
  (Sprig's own fallback for unknown zones). `Local` is UTC, as in the oracle.
- `now` prints a monotonic reading `m=+0.000000000` (Go: time since process start).
- Random functions (`rand*`, `uuidv4`, `shuffle`, `randInt`, `encryptAES` IVs, `bcrypt` salts, keys,
  serials) draw from `Env::next_u64` (seeded), not crypto/rand; tests check shapes / structure.
- `genPrivateKey "dsa"` is not supported (returns an error text); `…WithKey` accept RSA keys only
  (PKCS#1 or PKCS#8), not EC/Ed25519/DSA keys. Certificates match Go's ASN.1 structure, not bytes.
- `getHostByName` never resolves (no DNS in the browser): `""` like Helm without `--enable-dns`,
  plus a `CapabilityEvent` (allowed or not) per call.
- Regex errors: Go's texts are reproduced for the common syntax errors (tested); rarer ones fall
  back to a best-effort mapping of the Rust regex error. Go strings may hold invalid UTF-8 where
  byte-offset functions (`trunc`, `substr`, `abbrev`, `wrap`, `initials`…) cut a character; ours
  render such bytes as U+FFFD.
- `Ty` has no `time.Time` / `sprig.certificate` parameter types: those parameters are declared
  `Any` and the bodies report `wrong type for value; expected time.Time; got …` themselves.

| name | from | status | tests | notes |
|---|---|---|---|---|
""" + "\n".join(rows) + "\n"
open(root + '/FUNCTIONS.md', 'w').write(out)
print(counts, total)

