// Browser end-to-end tests of the Chartroom page: the real trunk build in
// headless Chromium, rendering through the Web Worker.
//
// Expected outputs come from real Helm v4.2.3 (the shared conformance corpus
// and the helm-oracle), never from this code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ARTIFACTS, DIST, ROOT, caretLine, openApp, openFile, outputText, setEditor, sharedDir, startApp, stopApp,
  waitForRender,
} from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

test('hello-world renders exactly like helm template (release-name, default)', async (t) => {
  const expectedFile = path.join(sharedDir(), 'conformance/expected/hello-world/default.helm-template.yaml');
  assert.ok(fs.existsSync(expectedFile), `missing ${expectedFile} (set CHARTROOM_SHARED to the shared dir)`);
  const expected = fs.readFileSync(expectedFile, 'utf8');

  const { page, problems, started } = await openApp(browser, server.url);
  await waitForRender(page);
  const wallMs = Date.now() - started;
  const renderedAt = Number(await page.getAttribute('#output', 'data-rendered-at'));
  const status = await page.textContent('#status');
  t.diagnostic(`first render: ${renderedAt.toFixed(0)} ms after navigation start ` +
    `(wall ${wallMs} ms incl. page.goto; status "${status}")`);

  await page.screenshot({ path: path.join(ARTIFACTS, 'hello-world.png') });
  if (process.env.CHARTROOM_UPDATE_SCREENSHOT === '1') {
    await page.screenshot({ path: path.join(ROOT, 'docs', 'screenshot.png') });
  }

  assert.equal(await page.$('#error'), null, 'no error is shown');
  assert.equal(await outputText(page), expected);
  assert.ok(page.workers().some((w) => w.url().endsWith('/worker_loader.js')), 'render worker is running');
  assert.deepEqual(problems, []);
  await page.close();
});

test('editing replicaCount in values.yaml changes the output; the newest edit wins', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  const before = await outputText(page);

  const values = await openFile(page, 'values.yaml');
  assert.match(values, /^replicaCount: 1$/m);
  await setEditor(page, values.replace(/^replicaCount: 1$/m, 'replicaCount: 3'));
  seq = await waitForRender(page, seq);
  const after3 = await outputText(page);
  assert.notEqual(after3, before);
  assert.match(after3, /^  replicas: 3$/m);

  // Several quick edits (inside the debounce window and while renders run):
  // only the last one may end up on screen.
  for (const n of [4, 5, 6, 7]) {
    await setEditor(page, values.replace(/^replicaCount: 1$/m, `replicaCount: ${n}`));
    await page.waitForTimeout(40);
  }
  await waitForRender(page, seq);
  const final = await outputText(page);
  assert.match(final, /^  replicas: 7$/m);
  assert.deepEqual(problems, []);
  await page.close();
});

test('release name and namespace fields feed the render', async () => {
  const { page, problems } = await openApp(browser, server.url);
  const seq = await waitForRender(page);
  await page.fill('#release-name', 'demo');
  await waitForRender(page, seq);
  const out = await outputText(page);
  assert.match(out, /^  name: demo-hello-world$/m);
  assert.doesNotMatch(out, /release-name/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a broken template shows an error naming the file and line; fixing it clears the error', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  const good = await outputText(page);

  const text = await openFile(page, 'templates/deployment.yaml');
  assert.match(text.split('\n')[7], /replicas: \{\{ \.Values\.replicaCount \}\}/);
  await setEditor(page, text.replace('replicas: {{ .Values.replicaCount }}', 'replicas: {{ .Values.replicaCount }'));
  seq = await waitForRender(page, seq);

  const error = await page.textContent('#error');
  assert.match(error, /templates\/deployment\.yaml:8\b/, `error names file and line: ${error}`);
  assert.equal(await outputText(page), good, 'the last good output stays visible');
  assert.ok(await page.$eval('#output', (el) => el.classList.contains('stale')));
  await page.screenshot({ path: path.join(ARTIFACTS, 'error.png') });

  // The location button jumps to the broken line.
  await page.click('[data-testid="file-values.yaml"]');
  await page.click('#error-location');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/deployment.yaml');
  assert.equal(await caretLine(page), 8);
  // CodeMirror marks the line (and the gutter) of the error in the open file.
  await page.waitForSelector('#code-editor .cm-error-line[data-error-line="8"]');
  assert.equal(await page.$$eval('#code-editor .cm-error-marker', (els) => els.length), 1);
  await page.click('#toggle-whitespace');
  await page.waitForSelector('#code-editor .cm-highlightSpace');

  await setEditor(page, text);
  await waitForRender(page, seq);
  assert.equal(await page.$('#error'), null);
  assert.equal(await outputText(page), good);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the error text is Helm\'s own', async () => {
  // `helm-oracle --format helm-template` (Helm v4.2.3) on hello-world with this
  // exact edit prints this after "Error: " (helm template adds the --debug hint
  // to errors raised while rendering).
  const helmError = 'parse error at (hello-world/templates/deployment.yaml:8): unexpected "}" in operand'
    + '\n\nUse --debug flag to render out invalid YAML';
  const { page, problems } = await openApp(browser, server.url);
  const seq = await waitForRender(page);
  const text = await openFile(page, 'templates/deployment.yaml');
  await setEditor(page, text.replace('replicas: {{ .Values.replicaCount }}', 'replicas: {{ .Values.replicaCount }'));
  await waitForRender(page, seq);
  assert.equal(await page.textContent('#error .message'), helmError);
  assert.deepEqual(problems, []);
  await page.close();
});

test('templates can be added, renamed and deleted', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);

  await page.fill('#new-file-name', 'configmap.yaml');
  await page.click('#add-file');
  await page.waitForSelector('[data-testid="file-templates/configmap.yaml"]');
  assert.equal(await page.textContent('#editor-label'), 'templates/configmap.yaml');
  seq = await waitForRender(page, seq);
  assert.match(await outputText(page), /templates\/configmap\.yaml\n(.*\n)*kind: ConfigMap/);

  // Refused names say why and change nothing.
  await page.fill('#new-file-name', '../Chart.yaml');
  await page.click('#add-file');
  assert.match(await page.textContent('#file-error'), /invalid file name/);

  await page.fill('#rename-to', 'cm.yaml');
  await page.click('#rename-file');
  await page.waitForSelector('[data-testid="file-templates/cm.yaml"]');
  assert.equal(await page.$('[data-testid="file-templates/configmap.yaml"]'), null);
  seq = await waitForRender(page, seq);
  const renamed = await outputText(page);
  assert.match(renamed, /templates\/cm\.yaml/);
  assert.doesNotMatch(renamed, /templates\/configmap\.yaml/);

  await page.click('#delete-file');
  await page.waitForFunction(() => !document.querySelector('[data-testid="file-templates/cm.yaml"]'));
  await waitForRender(page, seq);
  assert.doesNotMatch(await outputText(page), /ConfigMap/);
  // Any file, Chart.yaml included, has rename and delete controls (see import-export.test.mjs).
  await page.click('[data-testid="file-Chart.yaml"]');
  assert.ok(await page.$('#delete-file'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('without the code editor (?editor=textarea) the plain textarea still edits and renders', async () => {
  const { page, problems } = await openApp(browser, `${server.url}?editor=textarea`);
  const seq = await waitForRender(page);
  const values = await openFile(page, 'values.yaml');
  await page.fill('#editor', values.replace(/^replicaCount: 1$/m, 'replicaCount: 2'));
  await waitForRender(page, seq);
  assert.match(await outputText(page), /^  replicas: 2$/m);
  assert.equal(await page.evaluate(() => window.chartroomEditor), undefined);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the code editor loads after the first paint and stays small', async (t) => {
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  const size = fs.statSync(path.join(DIST, 'editor.js')).size;
  t.diagnostic(`editor.js: ${size} bytes raw`);
  assert.ok(await page.isVisible('#code-editor .cm-lineNumbers'), 'line numbers are shown');
  assert.ok(await page.$('#code-editor .cm-gotpl'), 'template actions are highlighted');
  assert.equal(await page.isVisible('#editor'), false, 'the textarea is replaced');
  assert.deepEqual(problems, []);
  await page.close();
});
