#!/usr/bin/env node
// Writes tests/e2e/fixtures/plugins/<plugin>.json: the NATIVE engine's outcome
// (the `chartroom` CLI, same engine as the page's worker) for every bundled
// example plugin in public/plugins, which tests/e2e/plugins-all.test.mjs then
// compares with what the Plugins pane shows in Chromium.
//
//   node scripts/gen_plugin_e2e_fixtures.mjs   (builds the CLI with --profile native first)
//
// Post-renderers: `chartroom template release-name public/examples/hello-world
// --post-renderer public/plugins/<p> --log json` (the page's default chart).
// cli/v1: `chartroom plugin run public/plugins/<p> --log json [--mock-http F] -- ARGS`.
// getter/v1: `chartroom plugin get public/plugins/getter URL` (the page runs
// it with Run, the URL being the first argument; the artefact is compared).
// A `browser` entry, where present, records why the page's outcome differs
// from `plugin run`'s and the page's expected outcome, also produced natively:
// `chartroom plugin invoke` with the same input message and the environment
// the page gives (INPUTS[p].browser).

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'tests', 'e2e', 'fixtures', 'plugins');
const BIN = path.join(ROOT, 'target', 'native', 'chartroom');

// Per plugin: the arguments (the page's --post-renderer-args box, one per
// line; `--` ARGS for `plugin run`) and mock HTTP answers. `mock` is
// [url, status, body] rows, written both as the panel's `URL STATUS BODY`
// lines and as the CLI's --mock-http YAML table.
const INPUTS = {
  'add-labels': {},
  'as-add-annotation': {},
  'no-privileged': {},
  'tight-loop': {},
  'memory-bomb': {},
  compute: { args: ['200000'] },
  'deep-recursion': {},
  // The mock answers the URL, but allowedHosts denies it before any fetch.
  'denied-host': { mock: [['https://evil.example.com/exfiltrate', 200, 'secret']] },
  // The page runs a getter with Run, the first argument being the URL.
  getter: { args: ['example://repo/index.yaml'] },
  'list-tmp': { args: ['tmp://x/y'] },
  'hello-cli': { args: ['a', 'b'] },
  // 2048 bytes > maxHttpResponseBytes 1024.
  'large-response': { mock: [['https://charts.example.com/big.tgz', 200, 'x'.repeat(2048)]] },
  'output-flood': {},
  'tmp-write': {},
  trap: {},
  'undeclared-host-fn': {},
  'var-overflow': {},
};

// The page runs cli/v1 plugins with Helm's environment for HOME=/home/user
// and HELM_BIN=helm (app/src/protocol.rs BROWSER_HOME): the native run below
// uses the same HOME and argv0, so both must agree exactly.
const BROWSER_REASONS = {};

const typeOf = (dir) => /^type:\s*(\S+)/m.exec(fs.readFileSync(path.join(dir, 'plugin.yaml'), 'utf8'))?.[1];

/** The run JSON line `--log json` prints on stderr (last one). */
function runJson(stderr) {
  const line = stderr.split('\n').filter((l) => l.startsWith('{"rc":')).pop();
  return line ? JSON.parse(line) : null;
}

/** `Error: MESSAGE` (the CLI's last words on failure), without the prefix. */
function errorText(stderr) {
  const i = stderr.lastIndexOf('Error: ');
  if (i < 0 || (i > 0 && stderr[i - 1] !== '\n')) return null;
  return stderr.slice(i + 'Error: '.length).replace(/\n$/, '');
}

/** The parts of the run JSON the test compares (not the times). */
function pickRun(run) {
  return run && {
    rc: run.rc,
    error: run.error,
    output: run.output,
    stdout: run.stdout,
    stderr: run.stderr,
    peak_pages: run.summary.peak_pages,
    max_pages: run.summary.max_pages,
    fuel_used: run.summary.fuel_used,
    http_requests: run.summary.http_requests,
    http_bytes: run.summary.http_bytes,
    log: run.log.map((e) => ({ call: e.call, args: e.args, decision: e.decision, rule: e.rule })),
  };
}

execFileSync('cargo', ['build', '--profile', 'native', '-p', 'chartroom-engine', '--bin', 'chartroom'], { cwd: ROOT, stdio: 'inherit' });
fs.mkdirSync(OUT, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-fixtures-'));
const plugins = fs.readdirSync(path.join(ROOT, 'public', 'plugins')).filter((p) => fs.existsSync(path.join(ROOT, 'public', 'plugins', p, 'plugin.yaml'))).sort();
for (const p of plugins) {
  const input = INPUTS[p];
  if (!input) throw new Error(`no INPUTS entry for plugin ${p}: add one`);
  const dir = `public/plugins/${p}`;
  const type = typeOf(path.join(ROOT, dir));
  const args = input.args ?? [];
  let argv;
  const mockLines = (input.mock ?? []).map(([u, s, b]) => `${u} ${s} ${b}`).join('\n');
  if (type === 'postrenderer/v1') {
    argv = ['template', 'release-name', 'public/examples/hello-world', '--post-renderer', dir, '--log', 'json', ...args.flatMap((a) => ['--post-renderer-args', a])];
  } else if (type === 'cli/v1') {
    argv = ['plugin', 'run', dir, '--log', 'json'];
    if (input.mock) {
      const f = path.join(tmp, `${p}.mock.json`);
      fs.writeFileSync(f, JSON.stringify(Object.fromEntries(input.mock.map(([u, s, b]) => [u, { status: s, body: b }]))));
      argv.push('--mock-http', f);
    }
    argv.push('--', ...args);
  } else {
    argv = ['plugin', 'get', dir, input.args[0], '--log', 'json'];
  }
  // A fixed, minimal environment (HELM_BIN is argv[0], the XDG paths come
  // from HOME) so hello-cli's output does not depend on who ran this script.
  const r = spawnSync(BIN, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, argv0: 'helm', env: { HOME: '/home/user' } });
  const run = runJson(r.stderr);
  const fixture = {
    plugin: p,
    type,
    input: { args, mock_http: mockLines || null },
    native: {
      command: ['chartroom', ...argv.map((a) => (a.startsWith(tmp) ? `<${path.basename(a)}>` : a))].join(' '),
      exit: r.status,
      error: r.status === 0 ? null : errorText(r.stderr),
      stdout: r.stdout.length > 1 << 20 ? `<${r.stdout.length} bytes>` : r.stdout,
      run: pickRun(run),
    },
  };
  if (input.browser) {
    const msg = path.join(tmp, `${p}.input.json`);
    fs.writeFileSync(msg, JSON.stringify({ extraArgs: args }));
    const bargv = ['plugin', 'invoke', dir, '--input', msg, '--log', 'json'];
    const b = spawnSync(BIN, bargv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, argv0: 'helm', env: { HOME: '/home/user' } });
    fixture.browser = {
      reason: BROWSER_REASONS[input.browser],
      command: ['chartroom', ...bargv.map((a) => (a.startsWith(tmp) ? `<${path.basename(a)}: ${fs.readFileSync(a, 'utf8')}>` : a))].join(' '),
      run: pickRun(runJson(b.stderr)),
    };
  }
  fs.writeFileSync(path.join(OUT, `${p}.json`), JSON.stringify(fixture, null, 2) + '\n');
  console.log(`${p.padEnd(20)} ${type.padEnd(16)} exit ${r.status}  ${fixture.native.error ?? run?.error ?? 'ok'}`.slice(0, 200));
}
fs.rmSync(tmp, { recursive: true });
