// The first visit's worker carries what the first render needs (issue 21,
// item 5): the key/certificate and TOML functions, lint, the Kubernetes
// check and repositories are in the full worker (worker-plugins), fetched
// on first use. A template that calls such a function renders the same,
// the page switching workers on its own; nothing is lost or shown twice.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, openFile, outputText, setEditor, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

test('the first visit renders without the full worker; TOML and certificate functions load it on first use', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const fetched = [];
  page.on('response', (r) => fetched.push(new URL(r.url()).pathname));
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(server.url);
  let seq = await waitForRender(page);
  await page.waitForFunction(() => window.chartroomEditor);
  assert.ok(fetched.includes('/worker_bg.wasm'), fetched.join(' '));
  assert.ok(!fetched.some((p) => p.startsWith('/worker-plugins')), `first visit loaded ${fetched.join(' ')}`);

  await page.fill('#new-file-name', 'lazy.yaml');
  await page.click('#add-file');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/lazy.yaml');
  // Helm v4.2.3 (helm-oracle, engine/tests/cases/gostrings.json) prints
  // `b = 1` for this dict (the nil list is left out).
  await setEditor(page, 'toml: |\n  {{ dict "a" (regexFindAll "x" "y" -1) "b" 1 | toToml }}\nca: {{ (genCA "lazy-ca" 30).Cert | b64enc }}\n');
  seq = await waitForRender(page, seq, 60_000);
  assert.equal(await page.$('#error .message'), null, 'no error is shown');
  const out = await outputText(page);
  assert.match(out, /toml: \|\n {2}b = 1\n/);
  const ca = out.match(/^ca: (\S+)$/m);
  assert.ok(ca, out);
  assert.match(Buffer.from(ca[1], 'base64').toString(), /^-----BEGIN CERTIFICATE-----\n/);
  assert.ok(fetched.includes('/worker-plugins_bg.wasm'), fetched.join(' '));

  // The full worker stays: the next edit renders there at once.
  await setEditor(page, 'toml: |\n  {{ dict "c" 2 | toToml }}\n');
  seq = await waitForRender(page, seq, 30_000);
  assert.match(await outputText(page), /toml: \|\n {2}c = 2\n/);
  assert.equal(fetched.filter((p) => p === '/worker-plugins_bg.wasm').length, 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the code editor loads after the first output, not before', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
  await page.waitForFunction(() => window.chartroomEditor, null, { timeout: 30_000 });
  // Both in performance.now() time from navigation: when the first output
  // was shown (#output's data-rendered-at) and when editor.js was requested.
  const { shown, requested } = await page.evaluate(() => ({
    shown: Number(document.querySelector('#output').dataset.renderedAt),
    requested: performance.getEntriesByType('resource').find((e) => e.name.endsWith('/editor.js'))?.startTime,
  }));
  assert.ok(shown > 0 && requested >= shown, `editor.js requested at ${requested} ms, first output shown at ${shown} ms`);
  await page.close();
});

// A render the first-visit worker can do (no crypto, TOML, regex or
// schema), long enough to be stopped — about 10 s in Chromium on an idle
// machine (30,000 scans of a 1 MB string), far under the step limit and
// allocating once, so neither the step limit nor the memory budget ends it
// first. (16 million empty iterations, used before, take only 0.4–0.7 s
// on an idle machine: the render ended before Stop appeared.)
// Helm's lint renders as release "test-release" (lint/rules/template.go):
// there the loop is skipped, so the lint this test waits for takes no more
// time than usual. Running the loop in lint too made the test depend on the
// machine's load (about 10 s idle, over the 60 s wait on a loaded machine).
const SLOW_LEAN =
  '{{ if ne .Release.Name "test-release" }}{{ $s := repeat 1000000 "x" }}{{ range 30000 }}{{ if contains "y" $s }}{{ end }}{{ end }}{{ end }}\n';

test('a worker replaced while the switch to the full worker waits is the full one, and is not restarted again', async () => {
  const { page, problems } = await openApp(browser, server.url);
  const workers = [];
  page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
  let seq = await waitForRender(page);
  await openFile(page, 'templates/service.yaml');
  await setEditor(page, SLOW_LEAN);
  await page.waitForSelector('#stop-render', { state: 'visible', timeout: 10_000 });
  // Lint needs the full worker; the render in flight makes the switch wait.
  await page.click('#tab-lint');
  await page.click('#stop-render');
  await page.waitForSelector('#error');
  await page.waitForFunction(() => (document.querySelector('#lint-output')?.textContent ?? '').includes('linted'), null, { timeout: 60_000 });
  const afterStop = workers.length;
  await setEditor(page, 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: fixed\n');
  seq = await waitForRender(page, seq);
  assert.match(await outputText(page), /name: fixed/);
  // A second edit: with a stale switch flag the reply above would have
  // replaced the worker once more.
  await setEditor(page, 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: fixed2\n');
  seq = await waitForRender(page, seq);
  assert.match(await outputText(page), /name: fixed2/);
  assert.equal(workers.length, afterStop, `workers started after Stop: ${workers.slice(afterStop).join(' ')}`);
  assert.ok(workers.some((w) => w.startsWith('/worker-plugins')), `workers: ${workers.join(' ')}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('regular expressions and values.schema.json checks load the full worker on first use', async () => {
  const { page, problems } = await openApp(browser, server.url);
  const fetched = [];
  page.on('response', (r) => fetched.push(new URL(r.url()).pathname));
  let seq = await waitForRender(page);
  assert.ok(!fetched.some((p) => p.startsWith('/worker-plugins')), `first visit loaded ${fetched.join(' ')}`);
  await page.fill('#new-file-name', 'regex.yaml');
  await page.click('#add-file');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/regex.yaml');
  // Go's regexp documentation: ReplaceAllString("-ab-axxb-", "${1}W") with
  // a(x*)b gives -W-xxW-; Masterminds semver: ^1.2.0 allows 1.2.3.
  await setEditor(page, 're: {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}\nsemver: {{ semverCompare "^1.2.0" "1.2.3" }}\n');
  seq = await waitForRender(page, seq, 60_000);
  assert.equal(await page.$('#error .message'), null, 'no error is shown');
  const out = await outputText(page);
  assert.match(out, /^re: -W-xxW-\nsemver: true\n/m);
  assert.ok(fetched.includes('/worker-plugins_bg.wasm'), fetched.join(' '));
  assert.deepEqual(problems, []);
  await page.close();

  // A chart with a schema: the check runs in the full worker, with Helm's text.
  const second = await openApp(browser, server.url);
  const p2 = second.page;
  seq = await waitForRender(p2);
  await p2.selectOption('#examples', 'schema');
  await p2.click('#pending-open');
  seq = await waitForRender(p2, seq, 60_000);
  await openFile(p2, 'values.yaml');
  await setEditor(p2, 'replicas: 0\nimage:\n  repository: nginx\n  tag: "1.27"\nservice:\n  type: ClusterIP\n  port: 80\n');
  await p2.waitForFunction(() => /values don't meet the specifications of the schema/.test(document.querySelector('#error .message')?.textContent ?? ''), null, { timeout: 60_000 });
  assert.doesNotMatch(await p2.textContent('#error .message'), /not in this build/);
  assert.deepEqual(second.problems, []);
  await p2.close();
});

test('a chart that calls a full-worker function goes there at once; a call the page cannot see still renders; a share link with genCA works', async () => {
  // A call the page cannot see (its name built at render time, run through
  // `tpl`): the first-visit worker renders first, stops at the call and
  // the full worker renders it again.
  const { page, problems } = await openApp(browser, server.url);
  const fetched = [];
  page.on('response', (r) => fetched.push(new URL(r.url()).pathname));
  let seq = await waitForRender(page);
  await page.fill('#new-file-name', 'tpl.yaml');
  await page.click('#add-file');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/tpl.yaml');
  await setEditor(page, 'v: {{ tpl (printf "{{ %s %q %q }}" (print "sem" "verCompare") "^1.2.0" "1.2.3") . }}\n');
  seq = await waitForRender(page, seq, 60_000);
  assert.equal(await page.$('#error .message'), null, 'no error is shown');
  assert.match(await outputText(page), /^v: true$/m);
  assert.ok(fetched.includes('/worker-plugins_bg.wasm'), fetched.join(' '));
  assert.deepEqual(problems, []);
  await page.close();

  // A template calling semverCompare: one render, in the full worker (a
  // render the first-visit worker had started would have been done again
  // under a new number).
  const second = await openApp(browser, server.url);
  const p2 = second.page;
  const fetched2 = [];
  p2.on('response', (r) => fetched2.push(new URL(r.url()).pathname));
  seq = await waitForRender(p2);
  await p2.fill('#new-file-name', 'ca.yaml');
  await p2.click('#add-file');
  await p2.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/ca.yaml');
  seq = await waitForRender(p2, seq);
  assert.ok(!fetched2.some((p) => p.startsWith('/worker-plugins')), `loaded ${fetched2.join(' ')}`);
  await setEditor(p2, 'v: {{ semverCompare "^1.2.0" "1.2.3" }}\nca: {{ (genCA "lazy-ca" 30).Cert | b64enc }}\n');
  const shown = await waitForRender(p2, seq, 60_000);
  assert.equal(shown, seq + 1, 'rendered once');
  const out = await outputText(p2);
  assert.match(out, /^v: true$/m);
  assert.match(Buffer.from(out.match(/^ca: (\S+)$/m)[1], 'base64').toString(), /^-----BEGIN CERTIFICATE-----\n/);
  assert.ok(fetched2.includes('/worker-plugins_bg.wasm'), fetched2.join(' '));

  // Its share link, opened in a fresh profile: rendered by the full worker.
  await p2.click('#copy-link');
  const link = await p2.inputValue('#share-url');
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const third = await openApp(ctx, link);
  await third.page.waitForFunction(() => /^ca: \S+$/m.test(document.querySelector('#output')?.textContent ?? ''), null, { timeout: 60_000 });
  const out3 = await outputText(third.page);
  assert.match(out3, /^v: true$/m);
  assert.match(Buffer.from(out3.match(/^ca: (\S+)$/m)[1], 'base64').toString(), /^-----BEGIN CERTIFICATE-----\n/);
  assert.equal(await third.page.$('#error .message'), null, 'no error is shown');
  assert.deepEqual(third.problems, []);
  assert.deepEqual(second.problems, []);
  await ctx.close();
  await p2.close();
});
