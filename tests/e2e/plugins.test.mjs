// Browser tests of Helm 4 Wasm plugins in the page: the bundled examples
// (public/plugins, sources in plugins/) run in the render worker.
// Expected post-renderer output comes from the native engine CLI, made with
//   cargo run -p chartroom-engine --bin chartroom -- template release-name \
//     public/examples/hello-world --post-renderer public/plugins/add-labels [--post-renderer-args team=web]
// (tests/e2e/fixtures/hello-world-add-labels*.post-renderer.yaml). Released
// Helm ≤ 4.2.4 cannot run Wasm post-renderers (helm/helm#31832), so the
// oracle cannot produce these; the native engine is the reference.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  ARTIFACTS, DIST, ROOT, httpPluginYaml, openApp, openPluginYaml, setPluginYaml, outputText, serve, shownSeq, startApp, stopApp, waitForPluginRun, waitForRender,
} from './harness.mjs';

const FIX = path.join(ROOT, 'tests', 'e2e', 'fixtures');
const fixture = (name) => fs.readFileSync(path.join(FIX, name), 'utf8');

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

/** Opens the Plugins pane and chooses a bundled example; waits for its first report. */
async function choosePlugin(page, name) {
  await page.click('#tab-plugins');
  await page.selectOption('#plugin-select', name);
  await page.waitForSelector(`#plugin-report[data-name="${name}"]`, { timeout: 30_000 });
}

/** Waits for a shown render newer than `seq` whose plugin report is `name` and ran. */
async function waitForRun(page, name, seq) {
  await page.waitForFunction(
    ([n, prev]) => {
      const r = document.querySelector('#plugin-report');
      const out = document.querySelector('#output');
      return r && r.dataset.name === n && r.dataset.ran === 'true' && Number(out.dataset.seq) > prev
        && !document.querySelector('#status').classList.contains('busy');
    },
    [name, seq],
    { timeout: 30_000 },
  );
}

test('add-labels post-renderer: output exactly as the native engine, args, command line, diff', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await choosePlugin(page, 'add-labels');
  await waitForRun(page, 'add-labels', seq);
  assert.equal(await outputText(page), fixture('hello-world-add-labels.post-renderer.yaml'));
  assert.equal(await page.$('#plugin-error'), null);
  assert.match(await page.textContent('#cli'), / --post-renderer add-labels$/);

  seq = await shownSeq(page);
  await page.fill('#post-renderer-args', 'team=web');
  await waitForRun(page, 'add-labels', seq);
  assert.equal(await outputText(page), fixture('hello-world-add-labels-team.post-renderer.yaml'));
  assert.match(await page.textContent('#cli'), / --post-renderer add-labels --post-renderer-args team=web$/);
  // The second run reused the compiled module (cached by content hash).
  assert.equal(await page.getAttribute('#plugin-report', 'data-cached'), 'true');
  // The diff: only added label lines (one per document), nothing removed.
  const added = Number(await page.getAttribute('#plugin-diff', 'data-added'));
  const removed = Number(await page.getAttribute('#plugin-diff', 'data-removed'));
  const addedLines = await page.$$eval('#plugin-diff .add', (els) => els.map((e) => e.textContent.trim()));
  assert.equal(removed, 0);
  assert.ok(added >= 3, `added ${added}`);
  assert.ok(addedLines.every((l) => /^\+ +team: "?web"?$/.test(l)), addedLines.join('\n'));
  // Limits table with both profiles and the lint where they differ.
  const limits = await page.textContent('#plugin-limits');
  assert.match(limits, /memory\.maxPages/);
  assert.match(limits, /65536 pages \(4 GiB\)/);
  assert.match(limits, /4 pages \(256 KiB\)/);
  assert.match(await page.textContent('#plugin-lint'), /maxPages is not set/);
  assert.match(await page.textContent('#plugin-helm-note'), /helm\/helm#31832/);

  // Off: the plain chart again.
  seq = await shownSeq(page);
  await page.uncheck('#post-renderer-on');
  await waitForRender(page, seq);
  assert.doesNotMatch(await outputText(page), /team: /);
  assert.doesNotMatch(await page.textContent('#cli'), /post-renderer/);
  seq = await shownSeq(page);
  await page.check('#post-renderer-on');
  await waitForRun(page, 'add-labels', seq);
  assert.equal(await outputText(page), fixture('hello-world-add-labels-team.post-renderer.yaml'));

  // The panel from the limits down: meters, capability log, stdio, diff.
  await page.setViewportSize({ width: 1600, height: 1200 });
  await page.$eval('#plugin-panel details', (el) => { el.open = false; });
  await page.$eval('#plugin-limits', (el) => el.scrollIntoView({ block: 'start' }));
  // The README's copy only with UPDATE_SCREENSHOTS=1 (a test run leaves the tree clean).
  const shotDir = process.env.UPDATE_SCREENSHOTS ? path.join(ROOT, 'docs') : ARTIFACTS;
  await page.screenshot({ path: path.join(shotDir, 'screenshot-plugins.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('tight-loop stops at its 200 ms timeout; live meters; the page stays responsive meanwhile', async (t) => {
  const { page, problems } = await openApp(browser, server.url);
  const seq = await waitForRender(page);
  await choosePlugin(page, 'tight-loop');
  await waitForRun(page, 'tight-loop', seq);
  const err = await page.textContent('#plugin-error');
  assert.match(err, /plugin error: module closed with context deadline exceeded/);
  assert.match(await page.textContent('#error'), /context deadline exceeded/, 'the render fails with Helm\'s text');
  const used = Number(await page.getAttribute('#meter-time', 'data-used'));
  const limit = Number(await page.getAttribute('#meter-time', 'data-limit'));
  // The deadline counts from the end of instantiation (as wazero's context
  // does); the call's wall time also includes compiling the module.
  const timeoutRow = await page.$$eval('#plugin-log tr.denied', (rows) => rows.map((r) => r.textContent).find((t) => t.includes('limit.timeout')));
  const elapsed = Number(/elapsed=([\d.]+)ms/.exec(timeoutRow)?.[1]);
  t.diagnostic(`tight-loop stopped ${elapsed} ms after its start (timeout ${limit} ms); call wall time incl. compile ${used.toFixed(1)} ms`);
  assert.equal(limit, 200);
  assert.match(timeoutRow, /timeout=200ms/);
  assert.ok(elapsed >= 200 && elapsed < 400, `stopped after ${elapsed} ms`);

  // A longer timeout (edited in plugin.yaml) to watch it run: the meters
  // move while it runs, and a key typed meanwhile is handled at once.
  await page.evaluate(() => {
    window.inputDelays = [];
    document.querySelector('#save-name').addEventListener('input', (e) => {
      window.inputDelays.push(performance.now() - e.timeStamp);
    });
  });
  const before = await shownSeq(page);
  const yaml = await openPluginYaml(page);
  await setPluginYaml(page, yaml.replace('timeout: 200', 'timeout: 3000'));
  await page.waitForSelector('#plugin-meters[data-state="running"]', { timeout: 30_000 });
  const first = Number(await page.getAttribute('#meter-time', 'data-used'));
  await page.waitForFunction((f) => Number(document.querySelector('#meter-time')?.dataset.used) > f + 100, first);
  await page.click('#workspaces summary');
  await page.type('#save-name', 'abc');
  const stillRunning = await page.$('#plugin-meters[data-state="running"]');
  const delays = await page.evaluate(() => window.inputDelays);
  t.diagnostic(`input delays while the plugin ran: ${delays.map((d) => d.toFixed(1)).join(', ')} ms`);
  assert.ok(stillRunning, 'the keys were typed while the plugin ran');
  assert.equal(delays.length, 3);
  assert.ok(delays.every((d) => d < 100), `input handled after ${Math.max(...delays)} ms`);
  await waitForRun(page, 'tight-loop', before);
  const used2 = Number(await page.getAttribute('#meter-time', 'data-used'));
  assert.equal(Number(await page.getAttribute('#meter-time', 'data-limit')), 3000);
  assert.ok(used2 >= 3000, `${used2}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('memory-bomb hits maxPages: the denial is in the capability log', async () => {
  const { page, problems } = await openApp(browser, server.url);
  const seq = await waitForRender(page);
  await choosePlugin(page, 'memory-bomb');
  await waitForRun(page, 'memory-bomb', seq);
  assert.match(await page.textContent('#plugin-error'), /memory limit exceeded: memory\.grow from \d+ to \d+ pages was refused \(memory\.maxPages: 64/);
  assert.equal(await page.getAttribute('#meter-pages', 'data-limit'), '64');
  const denied = await page.$$eval('#plugin-log tr.denied', (rows) => rows.map((r) => r.textContent));
  assert.ok(denied.some((r) => /memory\.maxPages/.test(r)), denied.join('\n'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('denied-host (cli/v1, run with the Run button): the HTTP denial and its rule are logged', async () => {
  const { page, problems } = await openApp(browser, server.url);
  const seq = await waitForRender(page);
  await choosePlugin(page, 'denied-host');
  // A cli/v1 plugin does not run with every render.
  assert.equal(await page.getAttribute('#plugin-report', 'data-ran'), 'false');
  assert.match(await page.textContent('#plugin-run-note'), /Run/);
  await page.click('#plugin-run');
  await waitForRun(page, 'denied-host', seq);
  assert.equal(await page.textContent('#plugin-error .message'), "plugin error: HTTP request to 'https://evil.example.com/exfiltrate' is not allowed");
  const denied = await page.$$eval('#plugin-log tr.denied td', (tds) => tds.map((td) => td.textContent));
  assert.ok(denied.includes('extism:host/env.http_request'), denied.join(' | '));
  assert.ok(denied.some((d) => d.includes('allowedHosts') && d.includes('charts.example.com')), denied.join(' | '));
  assert.equal(await page.$('#error'), null, 'the chart itself still renders');
  assert.deepEqual(problems, []);
  await page.close();
});

test('fuel budget stops a plugin; the profile switches the limits in force', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await choosePlugin(page, 'add-labels');
  await waitForRun(page, 'add-labels', seq);
  const fuel = Number(await page.getAttribute('#meter-fuel', 'data-used'));
  assert.ok(fuel > 100_000, `${fuel}`);
  seq = await shownSeq(page);
  await page.fill('#plugin-fuel', '100000');
  await waitForRun(page, 'add-labels', seq);
  assert.match(await page.textContent('#plugin-error'), /plugin error: fuel budget exhausted: \d+ fuel used, budget 100000/);
  assert.equal(await page.getAttribute('#meter-fuel', 'data-limit'), '100000');
  assert.match(await page.textContent('#cli'), /--post-renderer add-labels/);

  // documented: maxPages unset means 4 pages, which no extism-pdk plugin fits in.
  seq = await shownSeq(page);
  await page.fill('#plugin-fuel', '');
  await page.selectOption('#plugin-profile', 'documented');
  await waitForRun(page, 'add-labels', seq);
  assert.match(await page.textContent('#plugin-limits th.active'), /documented/);
  assert.equal(await page.getAttribute('#meter-pages', 'data-limit'), '4');
  assert.match(await page.textContent('#plugin-error'), /memory limit exceeded: the module needs \d+ pages at instantiation, memory\.maxPages is 4/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the plugin host is loaded only when a plugin is chosen (first visit without wasmi)', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const fetched = [];
  page.on('response', (r) => fetched.push(new URL(r.url()).pathname));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  let seq = await waitForRender(page);
  await page.waitForFunction(() => window.chartroomEditor);
  assert.ok(fetched.includes('/worker_bg.wasm'), fetched.join(' '));
  assert.ok(!fetched.some((p) => p.startsWith('/worker-plugins')), `first visit loaded ${fetched.join(' ')}`);
  // A render with a plugin moves to the worker with the plugin host.
  await choosePlugin(page, 'add-labels');
  await waitForRun(page, 'add-labels', seq);
  assert.ok(fetched.includes('/worker-plugins_bg.wasm'), fetched.join(' '));
  assert.equal(await outputText(page), fixture('hello-world-add-labels.post-renderer.yaml'));
  // Later renders stay there (no second switch, no reload of the first).
  const n = fetched.filter((p) => p.endsWith('.wasm')).length;
  seq = await shownSeq(page);
  await page.fill('#release-name', 'again');
  await waitForRun(page, 'add-labels', seq);
  assert.equal(fetched.filter((p) => p.endsWith('.wasm')).length, n);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Clicks Run and waits for a shown run whose summary or error matches `re`. */
async function runAndWait(page, re) {
  await page.click('#plugin-run');
  await waitForPluginRun(page, re);
}

test('allowed HTTP: the mock table first, then the network (fetch); a CORS block is reported as such', async () => {
  // A second origin (another port) without CORS headers.
  const other = await serve(DIST);
  try {
    const { page } = await openApp(browser, server.url);
    await waitForRender(page);
    await choosePlugin(page, 'denied-host');
    await page.click('#plugin-mock-details > summary');

    // 1. Answered by the mock table (the host is allowed, no network used).
    await setPluginYaml(page, httpPluginYaml('https://charts.example.com/index.yaml', ['charts.example.com']));
    await page.fill('#plugin-mock', 'https://charts.example.com/index.yaml 200 apiVersion: v1');
    await runAndWait(page, /1 HTTP request\(s\), 14 HTTP bytes/);
    assert.equal(await page.$('#plugin-error'), null);
    const allowed = await page.$$eval('#plugin-log tr:not(.denied)', (rows) => rows.map((r) => r.textContent).filter((t) => t.includes('http_request')));
    assert.ok(allowed.some((t) => t.includes('allowedHosts: charts.example.com')), allowed.join('\n'));
    assert.equal(await page.getAttribute('#meter-http', 'data-used'), '14');

    // 2. Same origin, through the network: the file's bytes.
    const same = `${server.url}plugins/trap/plugin.yaml`;
    const size = fs.statSync(path.join(ROOT, 'public', 'plugins', 'trap', 'plugin.yaml')).size;
    await page.fill('#plugin-mock', '');
    await setPluginYaml(page, httpPluginYaml(same, ['127.0.0.1']));
    await runAndWait(page, new RegExp(`1 HTTP request\\(s\\), ${size} HTTP bytes`));
    assert.equal(await page.$('#plugin-error'), null);

    // 3. Another origin without CORS headers: allowed by allowedHosts,
    //    blocked by the browser — a different message from a denial.
    await setPluginYaml(page, httpPluginYaml(`${other.url}plugins/trap/plugin.yaml`, ['127.0.0.1']));
    await runAndWait(page, /blocked by the browser/);
    assert.match(await page.textContent('#plugin-error'), /blocked by the browser: CORS or network error/);
    assert.doesNotMatch(await page.textContent('#plugin-error'), /is not allowed/);
    assert.equal(await page.$$eval('#plugin-log tr.denied', (r) => r.length), 0, 'allowedHosts allowed it');
    await page.close();
  } finally {
    await other.close();
  }
});

/** `v2:` link ⇄ workspace JSON (raw deflate + base64url, app/src/share.rs; `v1:` is read too). */
const decodeLink = (frag) => JSON.parse(zlib.inflateRawSync(Buffer.from(frag.replace(/^.*#v[12]:/, ''), 'base64url')));
const encodeLink = (ws) => 'v2:' + zlib.deflateRawSync(Buffer.from(JSON.stringify(ws))).toString('base64url');

test('share link with a bundled plugin round-trips the output; a changed wasm hash is reported', async () => {
  const { page } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await choosePlugin(page, 'add-labels');
  await page.fill('#post-renderer-args', 'team=web');
  await waitForRun(page, 'add-labels', seq);
  await page.click('#copy-link');
  const link = await page.inputValue('#share-url');
  const ws = decodeLink(link);
  assert.equal(ws.options.plugin.bundled, 'add-labels');
  assert.match(ws.options.plugin.sha256, /^[0-9a-f]{64}$/);
  assert.equal(ws.options.plugin.wasm_b64, '', 'a bundled plugin is referenced, not embedded');

  const { page: p2, problems } = await openApp(browser, link);
  // A post-renderer that comes with a link waits for the visitor's consent
  // (the prompt itself: cross-origin.test.mjs).
  await p2.click('#plugin-consent-allow');
  await waitForRun(p2, 'add-labels', 0);
  assert.equal(await outputText(p2), fixture('hello-world-add-labels-team.post-renderer.yaml'));
  assert.equal(await p2.inputValue('#post-renderer-args'), 'team=web');
  assert.equal(await p2.$('#plugin-hash-warning'), null);
  assert.deepEqual(problems, []);
  await p2.close();

  ws.options.plugin.sha256 = '0'.repeat(64);
  const { page: p3 } = await openApp(browser, server.url + '#' + encodeLink(ws));
  await p3.click('#tab-plugins');
  await p3.waitForSelector('#plugin-hash-warning');
  assert.match(await p3.textContent('#plugin-hash-warning'), /"add-labels" with sha256 000000000000…, but the plugin\.wasm served now has sha256/);
  await p3.close();
  await page.close();
});

test('an uploaded plugin is embedded in the workspace and survives a reload (autosave)', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const { page } = await openApp(context, server.url);
  const seq = await waitForRender(page);
  await page.click('#tab-plugins');
  const dir = path.join(ROOT, 'public', 'plugins', 'add-labels');
  await page.setInputFiles('#plugin-upload', [path.join(dir, 'plugin.yaml'), path.join(dir, 'plugin.wasm')]);
  await waitForRun(page, 'add-labels', seq);
  assert.equal(await outputText(page), fixture('hello-world-add-labels.post-renderer.yaml'));
  await page.waitForFunction(() => (localStorage.getItem('chartroom:autosave') || '').length > 50_000);
  const ws = decodeLink('#' + (await page.evaluate(() => localStorage.getItem('chartroom:autosave'))));
  assert.equal(Buffer.from(ws.options.plugin.wasm_b64, 'base64url').length, fs.statSync(path.join(dir, 'plugin.wasm')).size);
  await page.close();
  const { page: p2, problems } = await openApp(context, server.url);
  await waitForRun(p2, 'add-labels', 0);
  assert.equal(await outputText(p2), fixture('hello-world-add-labels.post-renderer.yaml'));
  assert.deepEqual(problems, []);
  await context.close();
});
