// Browser tests of what other sites can do to a visitor's Chartroom (issue 23):
// the app is served on http://127.0.0.1:<port>, the "other sites" on
// http://localhost:<port2> and http://127.0.0.1:<port2> (two more origins).
// - normal mode: an opener (window.open) and a framing page can neither read
//   the output nor load files, and the autosave stays as it was;
// - embed mode: only the framing window is answered (not a sibling frame, not
//   an opener), answers and broadcasts go to its origin, an `origins=` list is
//   honoured, and the visitor's autosave is neither shown nor written;
// - a link carrying an uploaded plugin asks before its first run; an embed
//   runs none unless its page opts in (`plugins=1`);
// - replacing the workspace keeps the previous work (a named backup, Undo);
// - dist/ served with docs/hosting.md's headers still works (CSP, COOP,
//   frame-ancestors).
// Expected manifests: real Helm v4.2.3 (fixtures/embed-demo.helm-template.yaml,
// see gallery-embed.test.mjs) and the native engine for the post-renderer
// (fixtures/hello-world-add-labels.post-renderer.yaml, see plugins.test.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, ROOT, openApp, outputText, serve, startApp, stopApp, waitForPluginRun, waitForRender, openFile, setEditor } from './harness.mjs';

const FIX = path.join(ROOT, 'tests', 'e2e', 'fixtures');
const fixture = (name) => fs.readFileSync(path.join(FIX, name), 'utf8');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The chart of public/embed-example.html (its real-Helm output is a fixture).
const DEMO_CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
  'values.yaml': 'greeting: hello\nreplicas: 2\n',
  'templates/configmap.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-demo\ndata:\n'
    + '  greeting: {{ .Values.greeting | upper | quote }}\n  replicas: {{ .Values.replicas | quote }}\n',
};
const DEMO_LOAD = { type: 'chartroom:load', files: DEMO_CHART, options: { release_name: 'embedded', namespace: 'docs' }, open: 'values.yaml' };
const EVIL_LOAD = {
  type: 'chartroom:load',
  files: { 'Chart.yaml': 'apiVersion: v2\nname: evil\nversion: 6.6.6\n', 'templates/cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: evil\n' },
};

// The other sites' page: records chartroom:* messages it receives, opens
// windows (from a click, as a visitor would) and frames pages, and posts to
// any of them with '*'.
const ATTACKER_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>other site</title></head><body>
<button id="open" type="button">open</button>
<script>
window.got = [];
addEventListener('message', (e) => {
  if (e.data && typeof e.data.type === 'string' && e.data.type.startsWith('chartroom:')) got.push({ origin: e.origin, ...e.data });
});
window.targets = {};
window.nextUrl = '';
document.getElementById('open').addEventListener('click', () => { targets.opened = window.open(nextUrl, '_blank'); });
window.addFrame = (id, url) => new Promise((resolve) => {
  const f = document.createElement('iframe');
  f.id = id; f.src = url; f.style.width = '1000px'; f.style.height = '600px';
  f.addEventListener('load', () => resolve());
  document.body.appendChild(f);
  targets[id] = f.contentWindow;
});
// 'sibling' posts to the first frame of this page's parent (another frame there).
window.send = (target, msg) => (target === 'sibling' ? parent.frames[0] : targets[target]).postMessage(msg, '*');
</script></body></html>`;

function serveAttacker() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(ATTACKER_PAGE);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        // Two origins on one server: another host name and the app's host on another port.
        a: `http://localhost:${port}`,
        b: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}

let server;
let browser;
let other;
let APP; // the app's origin

before(async () => {
  ({ server, browser } = await startApp());
  other = await serveAttacker();
  APP = new URL(server.url).origin;
});

after(async () => {
  await other?.close();
  await stopApp({ server, browser });
});

/** A visitor's tab with edited, autosaved work (replicaCount 7); returns { ctx, page, autosave, output }. */
async function visitorWithWork() {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const { page, problems } = await openApp(ctx, `${server.url}?editor=textarea`);
  const seq = await waitForRender(page);
  const values = await openFile(page, 'values.yaml');
  await setEditor(page, values.replace(/^replicaCount: 1$/m, 'replicaCount: 7'));
  await waitForRender(page, seq);
  // The first autosave follows the edit (300 ms after it).
  await page.waitForFunction(() => localStorage.getItem('chartroom:autosave'));
  await page.waitForTimeout(600);
  const autosave = await page.evaluate(() => localStorage.getItem('chartroom:autosave'));
  assert.match(decodeLink(autosave).files.find(([p]) => p === 'values.yaml')[1], /^replicaCount: 7$/m, 'the visitor has autosaved work');
  const output = await outputText(page);
  assert.match(output, /replicas: 7/);
  return { ctx, page, problems, autosave, output };
}

function decodeLink(frag) {
  return JSON.parse(zlib.inflateRawSync(Buffer.from(frag.replace(/^.*?v[12]:/, ''), 'base64url')));
}

/** Installs a counter of the messages `frameOrPage` receives (to prove they were delivered). */
async function countDeliveries(frameOrPage) {
  await frameOrPage.evaluate(() => {
    window.__delivered = 0;
    addEventListener('message', () => { window.__delivered += 1; });
  });
}

test('normal mode: an opener on another origin reads nothing and replaces nothing', async () => {
  const v = await visitorWithWork();
  const attacker = await v.ctx.newPage();
  await attacker.goto(`${other.a}/opener.html`);
  await attacker.evaluate((u) => { window.nextUrl = u; }, `${server.url}?editor=textarea`);
  const [popup] = await Promise.all([v.ctx.waitForEvent('page'), attacker.click('#open')]);
  await popup.waitForLoadState();
  await waitForRender(popup);
  // The opened tab shows the visitor's work (normal mode reads the autosave) ...
  assert.equal(await outputText(popup), v.output);
  await countDeliveries(popup);
  // ... and the other site asks for it and tries to replace it, repeatedly.
  for (let i = 0; i < 3; i++) {
    await attacker.evaluate(() => send('opened', { type: 'chartroom:get-output', id: 'steal' }));
    await attacker.evaluate((m) => send('opened', m), EVIL_LOAD);
  }
  await popup.waitForFunction(() => window.__delivered >= 6);
  await sleep(1500);
  assert.deepEqual(await attacker.evaluate(() => got), [], 'no answer reached the opener');
  assert.equal(await outputText(popup), v.output, 'the opened tab still shows the visitor\'s chart');
  assert.equal(await v.page.evaluate(() => localStorage.getItem('chartroom:autosave')), v.autosave, 'autosave unchanged');
  assert.deepEqual(v.problems, []);
  await v.ctx.close();
});

test('normal mode: a framing page on another origin reads nothing and replaces nothing', async () => {
  const v = await visitorWithWork();
  const attacker = await v.ctx.newPage();
  await attacker.goto(`${other.a}/frame.html`);
  await attacker.evaluate((u) => addFrame('app', u), `${server.url}?editor=textarea`);
  const frame = attacker.frames().find((f) => f.url().startsWith(APP));
  assert.ok(frame, 'the app is framed');
  await waitForRender(frame);
  const shown = await outputText(frame);
  await countDeliveries(frame);
  await attacker.evaluate(() => send('app', { type: 'chartroom:get-output', id: 'steal' }));
  await attacker.evaluate((m) => send('app', m), EVIL_LOAD);
  await frame.waitForFunction(() => window.__delivered >= 2);
  await sleep(1500);
  assert.deepEqual(await attacker.evaluate(() => got), [], 'no answer, no broadcast reached the framing page');
  assert.equal(await outputText(frame), shown, 'the framed app was not loaded with the other site\'s chart');
  assert.doesNotMatch(shown, /evil/);
  assert.equal(await v.page.evaluate(() => localStorage.getItem('chartroom:autosave')), v.autosave, 'autosave unchanged');
  await v.ctx.close();
});

test('embed mode: only the parent is answered, at its origin; siblings and openers get nothing; no autosave', async () => {
  const v = await visitorWithWork();
  const parent = await v.ctx.newPage();
  const problems = [];
  parent.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await parent.goto(`${other.a}/parent.html`);
  // Frame 0: the embed; frame 1: a page of a third origin beside it.
  await parent.evaluate((u) => addFrame('embed', u), `${server.url}?embed=1&editable=1&editor=textarea`);
  await parent.evaluate((u) => addFrame('sibling', u), `${other.b}/sibling.html`);
  const embed = parent.frames().find((f) => f.url().startsWith(APP));
  const sibling = parent.frames().find((f) => f.url().startsWith(other.b));
  await waitForRender(embed);
  // The embed shows the example, never the visitor's autosaved work.
  assert.doesNotMatch(await outputText(embed), /replicas: 7/);
  // Its first render was announced to the parent, at the parent's origin.
  await parent.waitForFunction(() => got.some((m) => m.type === 'chartroom:rendered'), null, { timeout: 20_000 });
  assert.equal((await parent.evaluate(() => got))[0].origin, APP);

  // The sibling asks and loads: nothing happens.
  await countDeliveries(embed);
  await sibling.evaluate(() => send('sibling', { type: 'chartroom:get-output', id: 'sibling' }));
  await sibling.evaluate((m) => send('sibling', m), EVIL_LOAD);
  await embed.waitForFunction(() => window.__delivered >= 2);
  await sleep(1000);
  assert.deepEqual(await sibling.evaluate(() => got), []);
  assert.doesNotMatch(await outputText(embed), /evil/);

  // The parent loads a chart and reads the output.
  const expected = fixture('embed-demo.helm-template.yaml');
  await parent.evaluate((m) => send('embed', m), DEMO_LOAD);
  await parent.waitForFunction((m) => got.some((x) => x.type === 'chartroom:rendered' && x.manifest === m), expected, { timeout: 20_000 });
  await parent.evaluate(() => send('embed', { type: 'chartroom:get-output', id: 'p1' }));
  await parent.waitForFunction(() => got.some((x) => x.type === 'chartroom:output' && x.id === 'p1'));
  const reply = await parent.evaluate(() => got.find((x) => x.type === 'chartroom:output'));
  assert.equal(reply.manifest, expected);
  assert.equal(reply.origin, APP);
  assert.deepEqual(await sibling.evaluate(() => got), [], 'nothing leaked to the sibling');
  // An embed loaded by its page shows no notice (nothing of the visitor's was replaced).
  assert.equal(await embed.$('#notice-undo'), null);

  // The visitor edits the embedded chart; a second load offers Undo (in memory).
  await embed.fill('#editor', 'greeting: mine\nreplicas: 2\n');
  await embed.waitForFunction(() => /MINE/.test(document.querySelector('#output').textContent)
    && !document.querySelector('#status').classList.contains('busy'));
  await parent.evaluate((m) => send('embed', m), DEMO_LOAD);
  await embed.waitForSelector('#notice-undo');
  await embed.waitForFunction((m) => document.querySelector('#output').textContent === m, expected);
  await embed.click('#notice-undo');
  await embed.waitForFunction(() => /MINE/.test(document.querySelector('#output').textContent));

  // An embed opened by another site (not framed) listens to nobody.
  await parent.evaluate((u) => { window.nextUrl = u; }, `${server.url}?embed=1&editable=1&editor=textarea`);
  const [popup] = await Promise.all([v.ctx.waitForEvent('page'), parent.click('#open')]);
  await popup.waitForLoadState();
  await waitForRender(popup);
  await countDeliveries(popup);
  await parent.evaluate(() => { got.length = 0; send('opened', { type: 'chartroom:get-output', id: 'opener' }); });
  await parent.evaluate((m) => send('opened', m), EVIL_LOAD);
  await popup.waitForFunction(() => window.__delivered >= 2);
  await sleep(1000);
  assert.deepEqual(await parent.evaluate(() => got.filter((m) => m.id === 'opener' || /evil/.test(m.manifest ?? ''))), []);
  assert.doesNotMatch(await outputText(popup), /evil|replicas: 7/);

  // Nothing of this touched the visitor's own storage.
  assert.equal(await v.page.evaluate(() => localStorage.getItem('chartroom:autosave')), v.autosave);
  assert.deepEqual(await v.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('chartroom:saved:'))), []);
  assert.deepEqual(problems, []);
  await v.ctx.close();
});

test('embed mode: an origins= list is honoured', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const parent = await ctx.newPage();
  await parent.goto(`${other.a}/parent.html`);
  // Listed: another origin only. The parent (other.a) gets nothing.
  await parent.evaluate((u) => addFrame('unlisted', u),
    `${server.url}?embed=1&editor=textarea&origins=${encodeURIComponent(`https://docs.example,${other.b}`)}`);
  const unlisted = parent.frames().find((f) => f.url().includes('origins='));
  await waitForRender(unlisted);
  const shown = await outputText(unlisted);
  await countDeliveries(unlisted);
  await parent.evaluate(() => send('unlisted', { type: 'chartroom:get-output', id: 'u1' }));
  await parent.evaluate((m) => send('unlisted', m), DEMO_LOAD);
  await unlisted.waitForFunction(() => window.__delivered >= 2);
  await sleep(1500);
  assert.deepEqual(await parent.evaluate(() => got), [], 'no broadcast, no answer for an unlisted parent');
  assert.equal(await outputText(unlisted), shown, 'its load was ignored');

  // Listed (with a trailing slash and in upper case, as people write them): answered.
  await parent.evaluate((u) => addFrame('listed', u),
    `${server.url}?embed=1&editor=textarea&origins=https://docs.example,${other.a.toUpperCase()}/`);
  const expected = fixture('embed-demo.helm-template.yaml');
  await parent.waitForFunction(() => got.some((m) => m.type === 'chartroom:rendered'), null, { timeout: 20_000 });
  await parent.evaluate((m) => send('listed', m), DEMO_LOAD);
  await parent.waitForFunction((m) => got.some((x) => x.type === 'chartroom:rendered' && x.manifest === m), expected, { timeout: 20_000 });
  await parent.evaluate(() => send('listed', { type: 'chartroom:get-output', id: 'l1' }));
  await parent.waitForFunction((m) => got.some((x) => x.type === 'chartroom:output' && x.id === 'l1' && x.manifest === m), expected, { timeout: 20_000 });
  assert.ok((await parent.evaluate(() => got)).every((m) => m.origin === APP));
  await ctx.close();
});

/** A `v2:` workspace carrying the uploaded add-labels plugin (made by the app
 * itself: upload in a scratch context, read its autosave); and the plain output. */
async function workspaceWithUploadedPlugin() {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const { page } = await openApp(ctx, `${server.url}?editor=textarea`);
  const seq = await waitForRender(page);
  const plain = await outputText(page);
  await page.click('#tab-plugins');
  const dir = path.join(ROOT, 'public', 'plugins', 'add-labels');
  await page.setInputFiles('#plugin-upload', [path.join(dir, 'plugin.yaml'), path.join(dir, 'plugin.wasm')]);
  await waitForPluginRun(page, /add-labels/);
  assert.ok(Number(await page.getAttribute('#output', 'data-seq')) > seq);
  await page.waitForFunction(() => (localStorage.getItem('chartroom:autosave') || '').length > 50_000);
  await page.waitForTimeout(600);
  const ws = await page.evaluate(() => localStorage.getItem('chartroom:autosave'));
  await ctx.close();
  const decoded = decodeLink(ws);
  assert.ok(decoded.options.plugin.wasm_b64.length > 1000, 'the plugin travels in the workspace');
  return { ws, plain };
}

test('a link carrying an uploaded plugin asks before its first run, and runs after consent', async () => {
  const { ws, plain } = await workspaceWithUploadedPlugin();
  const withPlugin = fixture('hello-world-add-labels.post-renderer.yaml');
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const { page, problems } = await openApp(ctx, `${server.url}?editor=textarea#${ws}`);
  await page.waitForSelector('#plugin-consent');
  await waitForRender(page);
  // Rendered without the plugin, and the page says why and what it would allow.
  assert.equal(await outputText(page), plain);
  assert.equal(await page.$('#plugin-report[data-ran="true"]'), null);
  await page.waitForSelector('#plugin-consent-terms');
  const terms = await page.textContent('#plugin-consent-terms');
  assert.match(terms, /HTTP requests to \(allowedHosts\)none \(all HTTP denied\)/);
  assert.match(terms, /file system \(createTempDir\)no \/tmp/);
  assert.match(terms, /memory\.maxPages65536 pages \(4 GiB\)/);
  assert.match(await page.textContent('#plugin-consent'), /has not run/);
  await page.click('#tab-plugins');
  assert.match(await page.textContent('#plugin-consent-note'), /waits for your consent/);

  // A reload is not consent (the autosave keeps the workspace waiting; a
  // link opened in a fresh tab is autosaved after the first change, here
  // another file opened in the editor).
  await openFile(page, 'values.yaml');
  await page.waitForFunction(() => localStorage.getItem('chartroom:autosave'));
  await page.waitForTimeout(700);
  await page.reload();
  await page.waitForSelector('#plugin-consent');
  await waitForRender(page);
  assert.equal(await outputText(page), plain);

  const savedBefore = await page.evaluate(() => localStorage.getItem('chartroom:autosave'));
  await page.click('#plugin-consent-allow');
  await waitForPluginRun(page, /add-labels/);
  assert.equal(await outputText(page), withPlugin);
  assert.equal(await page.$('#plugin-consent'), null);
  // Consent is kept with the workspace: the next visit runs it at once.
  // The autosave follows 300 ms after a change, 1.5 s when the last render
  // took over 100 ms (app.rs; under load the plugin's render does): a
  // fixed 700 ms wait reloaded before it some of the time (the flaky case).
  await page.waitForFunction((s) => localStorage.getItem('chartroom:autosave') !== s, savedBefore, { timeout: 15_000 });
  await page.reload();
  await waitForPluginRun(page, /add-labels/);
  assert.equal(await outputText(page), withPlugin);
  assert.equal(await page.$('#plugin-consent'), null);
  assert.deepEqual(problems, []);
  await ctx.close();

  // In an embed: never without plugins=1 (and no way to allow it) ...
  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const { page: e1 } = await openApp(ctx2, `${server.url}?embed=1&editor=textarea#${ws}`);
  await e1.waitForSelector('#plugin-consent[data-embed-blocked="true"]');
  await waitForRender(e1);
  assert.equal(await outputText(e1), plain);
  assert.equal(await e1.$('#plugin-consent-allow'), null);
  // ... with plugins=1, the visitor is asked as for a link.
  const { page: e2 } = await openApp(ctx2, `${server.url}?embed=1&plugins=1&editor=textarea#${ws}`);
  await e2.waitForSelector('#plugin-consent-allow');
  await waitForRender(e2);
  assert.equal(await outputText(e2), plain);
  await e2.waitForFunction(() => !document.querySelector('#plugin-consent-allow').disabled);
  await e2.click('#plugin-consent-allow');
  await waitForPluginRun(e2, /add-labels/);
  assert.equal(await outputText(e2), withPlugin);
  await ctx2.close();
});

test('opening a link over edited work keeps it: a named backup and Undo', async () => {
  const v = await visitorWithWork();
  const link = `${server.url}?editor=textarea#v2:${zlib.deflateRawSync(Buffer.from(JSON.stringify({
    files: [['Chart.yaml', 'apiVersion: v2\nname: linked\nversion: 0.1.0\n'], ['templates/cm.yaml', 'kind: ConfigMap\nmetadata:\n  name: linked\n']],
    options: {},
    selected: 'templates/cm.yaml',
  }))).toString('base64url')}`;
  const p2 = await v.ctx.newPage();
  await p2.goto(link);
  await p2.waitForSelector('#pending-link');
  await p2.click('#pending-open');
  await p2.waitForFunction(() => /name: linked/.test(document.querySelector('#output').textContent));
  const notice = await p2.textContent('#notice > span');
  const m = notice.match(/saved as "(Before opening a link \d{4}-\d\d-\d\d \d\d:\d\d)"/);
  assert.ok(m, notice);
  const backup = await p2.evaluate((k) => localStorage.getItem(`chartroom:saved:${k}`), m[1]);
  assert.ok(backup, 'the backup is a named workspace');
  assert.match(decodeLink(backup).files.find(([p]) => p === 'values.yaml')[1], /^replicaCount: 7$/m);
  await p2.click('#notice-undo');
  await p2.waitForFunction(() => /replicas: 7/.test(document.querySelector('#output').textContent)
    && !document.querySelector('#status').classList.contains('busy'));
  assert.equal(await outputText(p2), v.output);
  await v.ctx.close();
});

test('dist/ served with the headers of docs/hosting.md: the page and a plugin work; framing and openers are cut off', async () => {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const meta = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/);
  assert.ok(meta, 'index.html has a CSP meta tag');
  assert.match(meta[1], /'sha256-[A-Za-z0-9+/=]+'/, 'trunk\'s inline script is allowed by its hash');
  assert.doesNotMatch(meta[1], /inline-script-hashes/);
  const headers = {
    'content-security-policy': `${meta[1]}; frame-ancestors 'self'`,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
  };
  const hardened = await serve(DIST, headers);
  try {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const { page, problems } = await openApp(ctx, hardened.url);
    await waitForRender(page);
    assert.match(await outputText(page), /# Source: hello-world\/templates\//);
    await page.click('#tab-plugins');
    await page.selectOption('#plugin-select', 'add-labels');
    await waitForPluginRun(page, /add-labels/);
    assert.equal(await outputText(page), fixture('hello-world-add-labels.post-renderer.yaml'));
    assert.deepEqual(problems, [], 'no CSP violation (they are console errors)');

    // frame-ancestors 'self': another origin cannot frame it (not even as an embed).
    const attacker = await ctx.newPage();
    await attacker.goto(`${other.a}/frame.html`);
    await attacker.evaluate((u) => addFrame('app', u), `${hardened.url}?embed=1`);
    await sleep(1000);
    const framed = attacker.frames().find((f) => f.url().startsWith(new URL(hardened.url).origin));
    const framedOutput = framed ? await framed.$('#output').catch(() => null) : null;
    assert.equal(framedOutput, null, 'the framed page did not load');
    // COOP same-origin: the opener gets no handle to the opened window.
    await attacker.evaluate((u) => { window.nextUrl = u; }, hardened.url);
    const [popup] = await Promise.all([ctx.waitForEvent('page'), attacker.click('#open')]);
    await popup.waitForLoadState();
    await waitForRender(popup);
    assert.equal(await attacker.evaluate(() => targets.opened.closed), true);
    await ctx.close();
  } finally {
    await hardened.close();
  }
});
