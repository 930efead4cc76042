// Browser tests of the workspace: importing a chart (.tgz, folder, drop),
// exporting it as .tgz, any-file rename/delete, the new options (--set-string,
// fixed seed and clock, mock cluster) through share links, the 768 px layout,
// keyboard shortcuts and accessible names.
//
// Expected manifests come from real Helm v4.2.3: the conformance corpus
// (../shared/conformance/expected) and tests/e2e/fixtures made with
// /work/shared/oracle/helm-oracle as noted at each use. The test archives are
// written here by a small USTAR writer + node's zlib, independent of the
// engine's own archive writer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  ARTIFACTS, ROOT, openApp, openFile, outputText, setEditor, sharedDir, shownSeq, startApp, stopApp, waitForRender,
} from './harness.mjs';

const FIX = path.join(ROOT, 'tests', 'e2e', 'fixtures');
const fixture = (name) => fs.readFileSync(path.join(FIX, name), 'utf8');
const CONF = path.join(sharedDir(), 'conformance');

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

// ---- a minimal USTAR writer (POSIX.1-1988 headers, as `tar --format=ustar`) ----

function octal(buf, off, len, value) {
  buf.write(value.toString(8).padStart(len - 1, '0') + '\0', off, len, 'ascii');
}

function tarHeader(name, size) {
  const h = Buffer.alloc(512);
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, 1700000000);
  h.fill(' ', 148, 156);
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** entries: [[path, Buffer]] → gzip'd tar. */
function tgz(entries) {
  const parts = [];
  for (const [name, data] of entries) {
    parts.push(tarHeader(name, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(parts));
}

function walk(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, p));
    else out.push([p, fs.readFileSync(path.join(dir, p))]);
  }
  return out;
}

const chartVersion = (dir) => fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8').match(/^version:\s*(\S+)/m)[1];

/**
 * The conformance prometheus chart as `prometheus.tgz` (top directory
 * "prometheus/"), with its alertmanager subchart packed as a nested .tgz
 * under charts/ (a binary file in the workspace) and the others as folders.
 */
function prometheusArchive() {
  const dir = path.join(CONF, 'charts', 'prometheus');
  const am = path.join(dir, 'charts', 'alertmanager');
  const amName = `alertmanager-${chartVersion(am)}.tgz`;
  const amTgz = tgz(walk(am).map(([p, d]) => [`alertmanager/${p}`, d]));
  const entries = walk(dir)
    .filter(([p]) => !p.startsWith('charts/alertmanager/'))
    .map(([p, d]) => [`prometheus/${p}`, d]);
  entries.push([`prometheus/charts/${amName}`, amTgz]);
  return { bytes: tgz(entries), amName, amSize: amTgz.length };
}

async function waitForOutput(page, expected, timeout = 60_000) {
  await page.waitForFunction((m) => document.querySelector('#output').textContent === m
    && !document.querySelector('#status').classList.contains('busy'), expected, { timeout });
}

test('import a .tgz: renders like helm; a broken archive keeps the work; the downloaded .tgz re-imports to the same output', async () => {
  // Expected: real Helm's `helm template release-name charts/prometheus` (conformance case prometheus/default).
  const expected = fs.readFileSync(path.join(CONF, 'expected', 'prometheus', 'default.helm-template.yaml'), 'utf8');
  const { bytes, amName, amSize } = prometheusArchive();
  const tgzPath = path.join(ARTIFACTS, 'prometheus.tgz');
  fs.writeFileSync(tgzPath, bytes);
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);

  // The untouched example is replaced at once (nothing to lose).
  await page.setInputFiles('#import-file', tgzPath);
  await waitForOutput(page, expected);
  assert.equal(await outputText(page), expected);
  assert.match(await page.textContent('#notice'), /Opened: The imported chart prometheus\.tgz/);
  // The nested subchart archive is a binary file, shown read-only with its size.
  await page.click(`[data-testid="file-charts/${amName}"]`);
  assert.equal(await page.textContent('#binary-info'), `binary, ${amSize} bytes (read-only)`);
  assert.equal(await page.isVisible('#code-editor'), false);
  // Folders are tree rows.
  const folders = await page.$$eval('#file-list li.folder', (els) => els.map((e) => e.dataset.folder));
  assert.ok(folders.includes('charts/kube-state-metrics/templates'), folders.join(' '));
  // Folders fold and unfold.
  const ksm = '[data-testid="file-charts/kube-state-metrics/Chart.yaml"]';
  assert.ok(await page.$(ksm));
  await page.click('[data-testid="folder-charts/kube-state-metrics"]');
  assert.equal(await page.getAttribute('[data-testid="folder-charts/kube-state-metrics"]', 'aria-expanded'), 'false');
  assert.equal(await page.$(ksm), null);
  await page.click('[data-testid="folder-charts/kube-state-metrics"]');
  await page.waitForSelector(ksm);

  // A broken archive: a clear error, the work untouched, nothing pending.
  const seq = await shownSeq(page);
  const broken = path.join(ARTIFACTS, 'broken.tgz');
  fs.writeFileSync(broken, bytes.subarray(0, bytes.length >> 1));
  await page.setInputFiles('#import-file', broken);
  await page.waitForFunction(() => /Could not import/.test(document.querySelector('#notice')?.textContent ?? ''));
  assert.match(await page.textContent('#notice'), /Could not import broken\.tgz: unexpected EOF\. Your current work is unchanged\./);
  assert.equal(await page.$('#pending-link'), null);
  assert.equal(await shownSeq(page), seq);
  assert.equal(await outputText(page), expected);

  // Download chart (.tgz): named as `helm package` names it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-chart')]);
  assert.equal(download.suggestedFilename(), `prometheus-${chartVersion(path.join(CONF, 'charts', 'prometheus'))}.tgz`);
  const exported = path.join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(exported);
  const head = fs.readFileSync(exported);
  assert.equal(head[0], 0x1f);
  assert.equal(head[1], 0x8b);

  // Change the work, then re-import the download: asked first, then the same output.
  await page.fill('#release-name', 'changed');
  await waitForRender(page, seq);
  assert.notEqual(await outputText(page), expected);
  await page.setInputFiles('#import-file', exported);
  await page.waitForSelector('#pending-link');
  assert.match(await page.textContent('#pending-text'), /The imported chart prometheus-[\d.]+\.tgz/);
  await page.click('#pending-open');
  await waitForOutput(page, expected);
  assert.equal(await outputText(page), expected);
  assert.deepEqual(problems, []);
  await page.close();
});

test('import a folder (file input) and a dropped .tgz', async () => {
  // Expected: real Helm's `helm template release-name charts/hello-world` (conformance case hello-world/default).
  const dir = path.join(CONF, 'charts', 'hello-world');
  const expected = fs.readFileSync(path.join(CONF, 'expected', 'hello-world', 'default.helm-template.yaml'), 'utf8');
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await page.fill('#release-name', 'other');
  seq = await waitForRender(page, seq);
  await page.setInputFiles('#import-folder', dir);
  await page.waitForSelector('#pending-link');
  await page.click('#pending-open');
  await waitForOutput(page, expected);

  // Drop a .tgz on the page (a DataTransfer as the browser builds it for a dropped file).
  const bytes = tgz(walk(dir).map(([p, d]) => [`hello-world/${p}`, d]));
  // (The sequence number before the edit: read after it, a fast render
  // could already be shown and the wait would be for one that never comes.)
  const beforeEdit = await shownSeq(page);
  await page.fill('#release-name', 'dropped');
  await waitForRender(page, beforeEdit);
  const dt = await page.evaluateHandle((b64) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const t = new DataTransfer();
    t.items.add(new File([data], 'hello-world-0.1.0.tgz', { type: 'application/gzip' }));
    return t;
  }, bytes.toString('base64'));
  await page.dispatchEvent('main', 'dragover', { dataTransfer: dt });
  assert.equal(await page.isVisible('#drop-overlay'), true);
  await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
  await page.waitForSelector('#pending-link');
  assert.equal(await page.isVisible('#drop-overlay'), false);
  await page.click('#pending-open');
  await waitForOutput(page, expected);
  assert.equal(await page.inputValue('#release-name'), 'release-name');
  assert.deepEqual(problems, []);
  await page.close();
});

test('any file can be added, renamed and deleted; a missing Chart.yaml shows Helm\'s error', async () => {
  // helm-oracle on hello-world + files/greeting.txt + templates/greeting.yaml (below),
  // then with files/greeting.txt renamed to files/renamed.txt.
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await page.fill('#new-path', 'files/greeting.txt');
  await page.click('#add-path');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'files/greeting.txt');
  await setEditor(page, 'hello from a file\n');
  await page.fill('#new-file-name', 'greeting.yaml');
  await page.click('#add-file');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/greeting.yaml');
  await setEditor(page, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n'
    + '  greeting: {{ .Files.Get "files/greeting.txt" | quote }}\n  renamed: {{ .Files.Get "files/renamed.txt" | quote }}\n');
  seq = await waitForRender(page, seq);
  assert.equal(await outputText(page), fixture('hello-world-files.helm-template.yaml'));
  assert.ok(await page.$('#file-list li.folder[data-folder="files"]'));

  // Rename a non-template file (a bare name keeps its folder).
  await page.click('[data-testid="file-files/greeting.txt"]');
  assert.equal(await page.inputValue('#rename-to'), 'greeting.txt');
  await page.fill('#rename-to', 'renamed.txt');
  await page.click('#rename-file');
  await page.waitForSelector('[data-testid="file-files/renamed.txt"]');
  seq = await waitForRender(page, seq);
  assert.equal(await outputText(page), fixture('hello-world-files-renamed.helm-template.yaml'));

  // Refused: a file where a folder is.
  await page.fill('#new-path', 'files');
  await page.click('#add-path');
  assert.match(await page.textContent('#file-error'), /clashes with a folder/);

  // Delete Chart.yaml: Helm's own error (`helm template` on a folder without it).
  await page.click('[data-testid="file-Chart.yaml"]');
  await page.click('#delete-file');
  await page.waitForFunction(() => !document.querySelector('[data-testid="file-Chart.yaml"]'));
  seq = await waitForRender(page, seq);
  assert.equal(await page.textContent('#error .message'), 'Chart.yaml file is missing');
  assert.equal(await page.textContent('#editor-label'), 'values.yaml');
  assert.deepEqual(problems, []);
  await page.close();
});

test('--set-string renders like helm; fixed seed + clock and the mock cluster reproduce through a share link', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  // helm-oracle hello-world --set-string image.tag=010 (--set-string, seed and clock are behind "More options")
  await page.click('#more-options-toggle');
  await page.fill('#set-string', 'image.tag=010');
  seq = await waitForRender(page, seq);
  assert.equal(await outputText(page), fixture('hello-world-set-string.helm-template.yaml'));
  assert.equal(await page.textContent('#cli'), 'helm template release-name ./hello-world --set-string image.tag=010');
  await page.fill('#set-string', '');

  await page.fill('#new-file-name', 'repro.yaml');
  await page.click('#add-file');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/repro.yaml');
  await setEditor(page, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: repro\ndata:\n'
    + '  rand: {{ randAlpha 8 | quote }}\n  now: {{ now | date "2006-01-02T15:04:05Z07:00" | quote }}\n'
    + '  secret: {{ with lookup "v1" "Secret" "prod" "db" }}{{ .data.password | quote }}{{ else }}"none"{{ end }}\n');
  seq = await waitForRender(page, seq);
  const rand = async () => (await outputText(page)).match(/rand: "([A-Za-z]{8})"/)?.[1];
  assert.equal(await page.isDisabled('#seed'), true);
  await page.check('#fixed-seed');
  await page.fill('#seed', '42');
  await page.check('#fixed-now');
  await page.fill('#now', '2024-02-29T12:34:56Z');
  seq = await waitForRender(page, seq);
  const first = await rand();
  assert.ok(first);
  assert.match(await outputText(page), /now: "2024-02-29T12:34:56Z"/);
  assert.match(await outputText(page), /secret: "none"/);
  // Another render (Ctrl+Enter) with the same seed: the same letters.
  await page.keyboard.press('Control+Enter');
  seq = await waitForRender(page, seq);
  assert.equal(await rand(), first);

  // The mock cluster, edited from its own entry.
  await page.click('[data-testid="file--mock-cluster"]');
  assert.equal(await page.textContent('#editor-label'), 'mock cluster (lookup)');
  await setEditor(page, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: prod\ndata:\n  password: c2VjcmV0\n');
  seq = await waitForRender(page, seq);
  assert.match(await outputText(page), /secret: "c2VjcmV0"/);
  assert.equal(await page.textContent('#cli-note'),
    '# Chartroom only: fixed seed 42, fixed clock 2024-02-29T12:34:56Z, mock cluster for lookup');
  const original = await outputText(page);

  // A bad clock is an error, not silently the current time.
  await page.fill('#now', 'yesterday');
  seq = await waitForRender(page, seq);
  assert.match(await page.textContent('#error .message'), /fixed clock: "yesterday" is not an RFC 3339 time/);
  await page.fill('#now', '2024-02-29T12:34:56Z');
  seq = await waitForRender(page, seq);
  assert.equal(await outputText(page), original);

  await page.click('#copy-link');
  const link = await page.inputValue('#share-url');
  assert.match(link, /#v2:[A-Za-z0-9_-]+$/);
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = await openApp(ctx, link);
  await waitForOutput(other.page, original);
  assert.equal(await other.page.isChecked('#fixed-seed'), true);
  assert.equal(await other.page.inputValue('#now'), '2024-02-29T12:34:56Z');
  assert.deepEqual(other.problems, []);
  assert.deepEqual(problems, []);
  await ctx.close();
  await page.close();
});

test('768 px wide: no horizontal page scroll; keyboard shortcuts and their help; every control has a name', async () => {
  const ctx = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const { page, problems } = await openApp(ctx, server.url);
  let seq = await waitForRender(page);
  const overflow = () => page.evaluate(() => ({
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    inner: window.innerWidth,
  }));
  let o = await overflow();
  assert.ok(o.doc <= o.inner && o.body <= o.inner, JSON.stringify(o));
  // Also with the longest views open: the help, an error, the documents pane.
  await page.keyboard.press('?');
  await page.waitForSelector('#shortcuts-help');
  const keys = await page.$$eval('#shortcuts-help dt', (els) => els.map((e) => e.textContent));
  assert.ok(keys.includes('Alt+Shift+L') && keys.includes('?'), keys.join(' | '));
  o = await overflow();
  assert.ok(o.doc <= o.inner && o.body <= o.inner, JSON.stringify(o));
  await page.keyboard.press('Escape');
  assert.equal(await page.$('#shortcuts-help'), null);
  await page.click('#help-button');
  assert.equal(await page.getAttribute('#help-button', 'aria-expanded'), 'true');
  await page.click('#help-close');

  // "?" typed in the editor is text, not the shortcut.
  await openFile(page, 'values.yaml');
  await page.click('#code-editor .cm-content');
  await page.keyboard.press('?');
  assert.equal(await page.$('#shortcuts-help'), null);

  await page.keyboard.press('Alt+Shift+Digit2');
  assert.equal(await page.getAttribute('#tab-documents', 'aria-selected'), 'true');
  o = await overflow();
  assert.ok(o.doc <= o.inner && o.body <= o.inner, JSON.stringify(o));
  seq = await shownSeq(page);
  await page.keyboard.press('Control+Enter');
  seq = await waitForRender(page, seq);

  // Accessible names: aria-label, aria-labelledby, <label for>, a wrapping label, or text.
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button, summary')]
    .filter((el) => {
      const byId = (id) => document.getElementById(id)?.textContent?.trim();
      const name = el.getAttribute('aria-label')
        || (el.getAttribute('aria-labelledby') || '').split(/\s+/).map(byId).join('').trim()
        || (el.id && [...document.querySelectorAll(`label[for="${el.id}"]`)].map((l) => l.textContent.trim()).join(''))
        || el.closest('label')?.textContent?.trim()
        || (el.matches('button, summary') && el.textContent.trim())
        || el.getAttribute('title');
      return !name;
    })
    .map((el) => el.outerHTML.slice(0, 120)));
  assert.deepEqual(unnamed, []);
  assert.deepEqual(problems, []);
  await ctx.close();
});
