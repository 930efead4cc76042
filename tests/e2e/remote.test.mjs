// Charts, values and plugins by URL (issue 22), against static servers on
// 127.0.0.1 that this test starts: one with CORS headers (any page may read
// it), one without (the browser refuses to let the page read it).
// - "Open chart…" with a Helm repository (index.yaml from real `helm repo
//   index`, archives from real `helm package`): the newest release without a
//   version (the prerelease left out), a constraint as --version takes it;
// - the by-reference link ("Copy link") reproduces that exact version, with
//   edits as a patch;
// - embeds: ?chart=URL&sha256=…&values=URL&values_sha256=…;
// - a wrong hash, a 404 and a server without CORS are clear errors, and
//   nothing else is rendered;
// - a plugin by URL (plugin.yaml + plugin.wasm with their hashes) waits for
//   the visitor's consent.
// Expected manifests: real Helm v4.2.3 (scripts/gen_remote_fixtures.py).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, openApp, outputText, startApp, stopApp, waitForRender, openFile, setEditor } from './harness.mjs';

const FIX = path.join(ROOT, 'tests', 'e2e', 'fixtures', 'remote');
const PLUGIN = path.join(ROOT, 'public', 'plugins', 'add-labels');
const fixture = (name) => fs.readFileSync(path.join(FIX, name), 'utf8');
const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

// The page's Content-Security-Policy lets it fetch from its own origin and
// https: (index.html), so the test servers speak HTTPS with a self-signed
// certificate made for this test only (fixtures/remote/tls: CN and SAN
// 127.0.0.1), which the browser contexts accept (ignoreHTTPSErrors).
const TLS = {
  cert: fs.readFileSync(path.join(FIX, 'tls', 'cert.pem')),
  key: fs.readFileSync(path.join(FIX, 'tls', 'key.pem')),
};

/** Serves FIX (and the add-labels plugin under /plugin/), with or without CORS. */
function serveFiles(cors) {
  const server = https.createServer(TLS, (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const rel = decodeURIComponent(url.pathname);
    const file = rel.startsWith('/plugin/') ? path.join(PLUGIN, rel.slice(8)) : path.join(FIX, rel);
    const headers = cors ? { 'access-control-allow-origin': '*' } : {};
    fs.readFile(file, (err, body) => {
      if (err || !file.startsWith(ROOT)) {
        res.writeHead(404, headers).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store', ...headers }).end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `https://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

let app;
let open;
let closed;
before(async () => {
  app = await startApp();
  open = await serveFiles(true);
  closed = await serveFiles(false);
});
after(async () => {
  await open?.close();
  await closed?.close();
  await stopApp(app);
});

async function newPage(url) {
  const ctx = await app.browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
  const opened = await openApp(ctx, url);
  return { ctx, ...opened };
}

async function lookUp(page, url) {
  await page.click('[data-testid="open-chart"]');
  await page.fill('#open-chart-url', url);
  await page.click('[data-testid="open-chart-go"]');
}

test('Open chart… from a Helm repository: newest release, a constraint, and a link to that version', async () => {
  const { ctx, page, problems } = await newPage(`${app.server.url}?editor=textarea`);
  let seq = await waitForRender(page);
  await lookUp(page, `${open.url}/repo`);
  await page.waitForSelector('#open-chart-name');
  assert.match(await page.textContent('[data-testid="open-chart-status"]'), /1 charts in/);
  // No version: the newest release (2.0.0-rc.1 is a prerelease).
  await page.click('[data-testid="open-chart-open"]');
  seq = await waitForRender(page, seq);
  await page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('"1.3.0"'));
  assert.equal(await outputText(page), fixture('demo-1.3.0.helm-template.yaml'));

  // A constraint, as `--version ~1.2` takes it.
  await lookUp(page, `${open.url}/repo`);
  await page.waitForSelector('#open-chart-version');
  await page.fill('#open-chart-version', '~1.2');
  await page.click('[data-testid="open-chart-open"]');
  await page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('"1.2.3"'));
  await waitForRender(page, 0);
  assert.equal(await outputText(page), fixture('demo-1.2.3.helm-template.yaml'));

  // Copy link: a by-reference link (the chart by repository, name, exact
  // version and sha256), small whatever the chart's size.
  await page.click('#copy-link');
  const link = await page.inputValue('#share-url');
  assert.match(link, /#r1:/);
  assert.match(await page.textContent('#share-msg'), /references demo 1\.2\.3 from/);

  // An edit travels as a patch on the referenced chart.
  await openFile(page, 'values.yaml');
  await setEditor(page, 'greeting: from a values file by URL\n');
  await page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('from a values file'));
  await page.click('#copy-link');
  const edited = await page.inputValue('#share-url');
  assert.match(edited, /#r1:/);
  assert.deepEqual(problems, []);
  await ctx.close();

  // Each link opened in a fresh browser gives exactly that version.
  const a = await newPage(link.replace(/^[^#]*/, `${app.server.url}?editor=textarea`));
  await a.page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('"1.2.3"'));
  await waitForRender(a.page, 0);
  assert.equal(await outputText(a.page), fixture('demo-1.2.3.helm-template.yaml'));
  assert.deepEqual(a.problems, []);
  await a.ctx.close();
  const b = await newPage(edited.replace(/^[^#]*/, `${app.server.url}?editor=textarea`));
  await b.page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('from a values file'));
  await waitForRender(b.page, 0);
  assert.equal(await outputText(b.page), fixture('demo-1.2.3-values.helm-template.yaml'));
  assert.deepEqual(b.problems, []);
  await b.ctx.close();
});

test('embed: ?chart=URL&sha256=…&values=URL&values_sha256=…', async () => {
  const chart = `${open.url}/repo/charts/demo-1.3.0.tgz`;
  const q = new URLSearchParams({
    embed: '1',
    editor: 'textarea',
    chart,
    sha256: sha256(path.join(FIX, 'repo', 'charts', 'demo-1.3.0.tgz')),
    values: `${open.url}/values-prod.yaml`,
    values_sha256: sha256(path.join(FIX, 'values-prod.yaml')),
  });
  const { ctx, page, problems } = await newPage(`${app.server.url}?${q}`);
  await page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('"1.3.0"'));
  await waitForRender(page, 0);
  assert.equal(await outputText(page), fixture('demo-1.3.0-values.helm-template.yaml'));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a wrong hash, a 404 and a server without CORS are errors, and nothing else is rendered', async () => {
  const cases = [
    [`chart=${open.url}/repo/charts/demo-1.3.0.tgz&sha256=${'0'.repeat(64)}`, /does not match its sha256/],
    [`chart=${open.url}/repo/charts/demo-9.9.9.tgz`, /failed to fetch https:\/\/127\.0\.0\.1:\d+\/repo\/charts\/demo-9\.9\.9\.tgz : 404 Not Found/],
    [`chart=${closed.url}/repo/charts/demo-1.3.0.tgz`, /does not let web pages read it/],
    [`chart=demo&repo=${open.url}/repo&version=9.9.9`, /chart "demo" version "9\.9\.9" not found in https:\/\/127\.0\.0\.1:\d+\/repo repository/],
  ];
  for (const [query, re] of cases) {
    const { ctx, page } = await newPage(`${app.server.url}?editor=textarea&${query}`);
    await page.waitForFunction(() => /Could not open the linked chart/.test(document.querySelector('#notice')?.textContent ?? ''));
    const notice = await page.textContent('#notice');
    assert.match(notice, re, query);
    assert.match(notice, /Your current work is unchanged/);
    await waitForRender(page, 0);
    assert.ok(!(await outputText(page)).includes('release-name-demo'), `${query}: nothing of the chart rendered`);
    await ctx.close();
  }
  // "Open chart…" with a repository that does not allow browser requests.
  const { ctx, page } = await newPage(`${app.server.url}?editor=textarea`);
  await waitForRender(page);
  await lookUp(page, `${closed.url}/repo`);
  await page.waitForFunction(() => /not a valid chart repository or cannot be reached/.test(document.querySelector('[data-testid="open-chart-status"]')?.textContent ?? ''));
  assert.match(await page.textContent('[data-testid="open-chart-status"]'), /does not let web pages read it/);
  await ctx.close();
});

test('a plugin by URL is checked by its hashes and waits for consent', async () => {
  const link = {
    chart: { kind: 'archive', url: `${open.url}/repo/charts/demo-1.3.0.tgz`, sha256: sha256(path.join(FIX, 'repo', 'charts', 'demo-1.3.0.tgz')) },
    plugin: {
      yaml: { url: `${open.url}/plugin/plugin.yaml`, sha256: sha256(path.join(PLUGIN, 'plugin.yaml')) },
      wasm: { url: `${open.url}/plugin/plugin.wasm`, sha256: sha256(path.join(PLUGIN, 'plugin.wasm')) },
    },
    selected: 'values.yaml',
  };
  const enc = (l) => 'r1:' + zlib.deflateRawSync(Buffer.from(JSON.stringify(l))).toString('base64url');
  const { ctx, page, problems } = await newPage(`${app.server.url}?editor=textarea#${enc(link)}`);
  await page.waitForSelector('#plugin-consent');
  await page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('"1.3.0"'));
  await waitForRender(page, 0);
  // Rendered without the plugin until the visitor agrees.
  assert.equal(await outputText(page), fixture('demo-1.3.0.helm-template.yaml'));
  assert.match(await page.textContent('#plugin-consent'), /has not run/);
  assert.deepEqual(problems, []);
  await ctx.close();

  // The same link with a wrong plugin.wasm hash opens nothing.
  link.plugin.wasm.sha256 = 'f'.repeat(64);
  const bad = await newPage(`${app.server.url}?editor=textarea#${enc(link)}`);
  await bad.page.waitForFunction(() => /Could not open the linked chart/.test(document.querySelector('#notice')?.textContent ?? ''));
  assert.match(await bad.page.textContent('#notice'), /the plugin\.wasm https:\/\/127\.0\.0\.1:\d+\/plugin\/plugin\.wasm does not match its sha256/);
  await bad.ctx.close();
});

test('postMessage chartroom:load-url loads a chart by URL into an embed', async () => {
  // The embedding page (plain http like the app: an https page may not frame it).
  const parentHtml = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<iframe id="pg" src="${app.server.url}?embed=1&editor=textarea" style="width:1000px;height:600px"></iframe>
<script>
window.got = [];
addEventListener('message', (e) => { if (e.data && String(e.data.type).startsWith('chartroom:')) got.push(e.data); });
window.send = (m) => document.getElementById('pg').contentWindow.postMessage(m, '*');
</script></body></html>`;
  const parent = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(parentHtml));
  await new Promise((r) => parent.listen(0, '127.0.0.1', r));
  const ctx = await app.browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`http://127.0.0.1:${parent.address().port}/`);
  // The embed announces its first render; then it listens.
  await page.waitForFunction(() => got.some((m) => m.type === 'chartroom:rendered'), null, { timeout: 30_000 });
  const chart = `${open.url}/repo/charts/demo-1.3.0.tgz`;
  await page.evaluate(([c, h]) => send({ type: 'chartroom:load-url', chart: c, sha256: h }), [chart, sha256(path.join(FIX, 'repo', 'charts', 'demo-1.3.0.tgz'))]);
  await page.waitForFunction(() => got.some((m) => m.type === 'chartroom:rendered' && m.manifest.includes('"1.3.0"')), null, { timeout: 30_000 });
  const shown = await page.evaluate(() => got.filter((m) => m.type === 'chartroom:rendered').at(-1));
  assert.equal(shown.manifest, fixture('demo-1.3.0.helm-template.yaml'));
  assert.equal(shown.error, null);
  // A wrong hash: the embed says so and keeps its chart.
  await page.evaluate((c) => send({ type: 'chartroom:load-url', chart: c, sha256: '0'.repeat(64) }), chart.replace('1.3.0', '1.2.3'));
  const frame = page.frame({ url: /embed=1/ });
  await frame.waitForFunction(() => /does not match its sha256/.test(document.querySelector('#notice')?.textContent ?? ''));
  assert.ok((await frame.textContent('#output')).includes('"1.3.0"'));
  assert.deepEqual(problems, []);
  await ctx.close();
  await new Promise((r) => parent.close(r));
});

/** A gzipped ustar archive of `files` (path -> text) under `dir/`, as `helm package` lays a chart out. */
function tgz(dir, files) {
  const blocks = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text);
    const h = Buffer.alloc(512);
    h.write(`${dir}/${name}`, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks));
}

test('dependencies not under charts/ are fetched as helm dependency build resolves them (Chart.lock wins)', async () => {
  const repoUrl = `${open.url}/repo`;
  const chartYaml = (constraint) =>
    `apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: demo\n  version: "${constraint}"\n  repository: ${repoUrl}\n`;
  const template = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-app\n';
  // resolver.HashReq: sha256 of the JSON [Chart.yaml dependencies, Chart.lock dependencies].
  const dep = (version) => ({ name: 'demo', version, repository: repoUrl });
  const lockDigest = (constraint, locked) =>
    'sha256:' + crypto.createHash('sha256').update(JSON.stringify([[dep(constraint)], [dep(locked)]])).digest('hex');
  const archives = {
    // ~1.2 resolves to 1.2.3 against the index.
    'constraint.tgz': tgz('app', { 'Chart.yaml': chartYaml('~1.2'), 'templates/app.yaml': template }),
    // ^1 alone would take 1.3.0; the lock pins 1.2.3.
    'locked.tgz': tgz('app', {
      'Chart.yaml': chartYaml('^1'),
      'Chart.lock': `dependencies:\n- name: demo\n  repository: ${repoUrl}\n  version: 1.2.3\ndigest: ${lockDigest('^1', '1.2.3')}\ngenerated: "2026-01-01T00:00:00Z"\n`,
      'templates/app.yaml': template,
    }),
    'missing.tgz': tgz('app', { 'Chart.yaml': chartYaml('^3'), 'templates/app.yaml': template }),
  };
  const server = https.createServer(TLS, (req, res) => {
    const body = archives[req.url.slice(1)];
    res.writeHead(body ? 200 : 404, { 'access-control-allow-origin': '*' }).end(body ?? 'not found');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `https://127.0.0.1:${server.address().port}`;
  for (const name of ['constraint.tgz', 'locked.tgz']) {
    const { ctx, page, problems } = await newPage(`${app.server.url}?editor=textarea&chart=${base}/${name}`);
    await page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('release-name-app'));
    await waitForRender(page, 0);
    assert.equal(await outputText(page), fixture('app-with-demo-1.2.3.helm-template.yaml'), name);
    assert.ok(await page.$('[data-testid="file-charts/demo-1.2.3.tgz"]'), `${name}: the archive is under charts/`);
    assert.deepEqual(problems, []);
    await ctx.close();
  }
  const { ctx, page } = await newPage(`${app.server.url}?editor=textarea&chart=${base}/missing.tgz`);
  await page.waitForFunction(() => /Could not open the linked chart/.test(document.querySelector('#notice')?.textContent ?? ''));
  assert.match(
    await page.textContent('#notice'),
    /can't get a valid version for 1 subchart\(s\): "demo" \(repository "https:\/\/127\.0\.0\.1:\d+\/repo", version "\^3"\)\. Make sure a matching chart version exists in the repo/,
  );
  await ctx.close();
  await new Promise((r) => server.close(r));
});

test('too large for a link: a hosted bundle is linked by URL and sha256, and opens to the same output', async () => {
  const { ctx, page, problems } = await newPage(`${app.server.url}?editor=textarea`);
  const seq = await waitForRender(page);
  // 60 KB of incompressible text in a chart file.
  const noise = crypto.randomBytes(30000).toString('hex');
  const big = tgz('big', {
    'Chart.yaml': 'apiVersion: v2\nname: big\nversion: 0.1.0\n',
    'files/noise.txt': noise,
    'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  size: {{ .Files.Get "files/noise.txt" | len | quote }}\n',
  });
  await page.setInputFiles('#import-file', { name: 'big-0.1.0.tgz', mimeType: 'application/gzip', buffer: big });
  await page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('size: "60000"'));
  await waitForRender(page, seq);
  const original = await outputText(page);
  await page.click('#copy-link');
  assert.match(await page.textContent('#share-msg'), /too large for a link/);
  assert.match(await page.textContent('[data-testid="hosted-bundle"]'), /host the bundle file/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-bundle')]);
  const bundle = fs.readFileSync(await download.path());
  const server = https.createServer(TLS, (req, res) => {
    const body = req.url === '/ws.chartroom' ? bundle : req.url === '/other.chartroom' ? Buffer.from('v2:AAAA') : null;
    res.writeHead(body ? 200 : 404, { 'access-control-allow-origin': '*' }).end(body ?? 'not found');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `https://127.0.0.1:${server.address().port}`;
  // A URL that serves something else is refused.
  await page.fill('[data-testid="hosted-bundle-url"]', `${base}/other.chartroom`);
  await page.click('[data-testid="hosted-bundle-make"]');
  await page.waitForSelector('[data-testid="hosted-bundle-error"]');
  await page.fill('[data-testid="hosted-bundle-url"]', `${base}/ws.chartroom`);
  await page.click('[data-testid="hosted-bundle-make"]');
  await page.waitForSelector('[data-testid="hosted-bundle-link"]');
  const link = await page.inputValue('[data-testid="hosted-bundle-link"]');
  assert.match(link, /#r1:/);
  assert.ok(link.length < 1000, `${link.length} characters`);
  assert.deepEqual(problems, []);
  await ctx.close();

  const other = await newPage(link);
  await other.page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('size: "60000"'));
  await waitForRender(other.page, 0);
  assert.equal(await outputText(other.page), original);
  assert.deepEqual(other.problems, []);
  await other.ctx.close();
  await new Promise((r) => server.close(r));
});

test('oci:// in the page: a registry that allows browser requests (anonymous token flow), and one that does not', async () => {
  // An OCI distribution API: tags, manifests and blobs under /v2/org/demo,
  // behind the anonymous bearer-token flow (its 401 challenge exposed to
  // the page by Access-Control-Expose-Headers).
  const blobs = {};
  const manifests = {};
  for (const v of ['1.2.3', '1.3.0']) {
    const blob = fs.readFileSync(path.join(FIX, 'repo', 'charts', `demo-${v}.tgz`));
    const digest = 'sha256:' + crypto.createHash('sha256').update(blob).digest('hex');
    blobs[digest] = blob;
    manifests[v] = JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: 'sha256:00', size: 2 },
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest, size: blob.length }],
    });
  }
  const registry = (cors) => https.createServer(TLS, (req, res) => {
    const h = cors
      ? { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, accept', 'access-control-expose-headers': 'www-authenticate' }
      : {};
    if (req.method === 'OPTIONS') return res.writeHead(204, h).end();
    const port = req.socket.localPort;
    if (req.url.startsWith('/token')) return res.writeHead(200, h).end(JSON.stringify({ token: 't0k' }));
    if (req.headers.authorization !== 'Bearer t0k') {
      return res.writeHead(401, { ...h, 'www-authenticate': `Bearer realm="https://127.0.0.1:${port}/token",service="test",scope="repository:org/demo:pull"` }).end('{}');
    }
    const m = req.url.match(/^\/v2\/org\/demo\/(tags\/list|manifests\/(.+)|blobs\/(.+))$/);
    let body = null;
    if (m?.[1] === 'tags/list') body = JSON.stringify({ name: 'org/demo', tags: ['1.2.3', '1.3.0', 'latest', '2.0.0-rc.1'] });
    else if (m?.[2]) body = manifests[m[2]];
    else if (m?.[3]) body = blobs[m[3]];
    res.writeHead(body ? 200 : 404, h).end(body ?? '{"errors":[]}');
  });
  const withCors = registry(true);
  const without = registry(false);
  await new Promise((r) => withCors.listen(0, '127.0.0.1', r));
  await new Promise((r) => without.listen(0, '127.0.0.1', r));

  const { ctx, page, problems } = await newPage(`${app.server.url}?editor=textarea`);
  await waitForRender(page);
  // No tag: the newest release among the semver tags, as helm pull.
  await lookUp(page, `oci://127.0.0.1:${withCors.address().port}/org/demo`);
  await page.waitForFunction(() => document.querySelector('#output')?.textContent.includes('"1.3.0"'));
  await waitForRender(page, 0);
  assert.equal(await outputText(page), fixture('demo-1.3.0.helm-template.yaml'));
  await page.click('#copy-link');
  assert.match(await page.inputValue('#share-url'), /#r1:/);
  assert.match(await page.textContent('#share-msg'), /references oci:\/\/127\.0\.0\.1:\d+\/org\/demo:1\.3\.0/);
  // A registry without CORS: what to do instead.
  await lookUp(page, `oci://127.0.0.1:${without.address().port}/org/demo:1.2.3`);
  await page.waitForFunction(() => /helm pull/.test(document.querySelector('[data-testid="open-chart-status"]')?.textContent ?? ''));
  assert.match(await page.textContent('[data-testid="open-chart-status"]'), /do not allow requests from web pages: run `helm pull oci:\/\/127\.0\.0\.1:\d+\/org\/demo:1\.2\.3`/);
  // The browser itself logs the 401 challenge and the CORS refusal.
  assert.deepEqual(problems.filter((p) => !/Failed to load resource|blocked by CORS policy/.test(p)), []);
  await ctx.close();
  await new Promise((r) => withCors.close(r));
  await new Promise((r) => without.close(r));
});
