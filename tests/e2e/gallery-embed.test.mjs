// Browser tests of the examples gallery and embed mode + postMessage API.
// Expected manifests/NOTES: real Helm v4.2.3 (helm-oracle on public/examples/<name>
// and on the demo chart of public/embed-example.html, --name embedded -n docs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, ROOT, openApp, outputText, startApp, stopApp, waitForRender } from './harness.mjs';

const FIX = path.join(ROOT, 'tests', 'e2e', 'fixtures');
const fixture = (name) => fs.readFileSync(path.join(FIX, name), 'utf8');

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

async function openExample(page, id, expectedManifest) {
  await page.selectOption('#examples', id);
  await page.click('#pending-open');
  await page.waitForFunction((m) => document.querySelector('#output').textContent === m
    && !document.querySelector('#status').classList.contains('busy'), expectedManifest, { timeout: 15_000 });
}

test('examples gallery: each bundled chart renders exactly like helm template', async () => {
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  for (const id of ['umbrella', 'schema', 'hooks-notes']) {
    const expected = fixture(`example-${id}.helm-template.yaml`);
    await openExample(page, id, expected);
    assert.equal(await outputText(page), expected, id);
  }
  // hooks-notes: two hooks listed, NOTES like Helm's.
  assert.equal(await page.textContent('#tab-hooks'), 'Hooks (2)');
  await page.click('#tab-notes');
  assert.equal(await page.textContent('#notes'), fixture('example-hooks-notes.notes.txt'));
  // Dark/light toggle.
  const before = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.click('#theme-toggle');
  const afterToggle = await page.evaluate(() => document.documentElement.dataset.theme);
  assert.notEqual(before, afterToggle);
  await page.screenshot({ path: path.join(ARTIFACTS, 'hooks-notes-light.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('embed example page: two playgrounds, postMessage load and read the output', async () => {
  const expected = fixture('embed-demo.helm-template.yaml');
  const { page, problems } = await openApp(browser, `${server.url}embed-example.html?editor=textarea`);
  // Both playgrounds announce their first render.
  await page.waitForFunction(() => ['editable', 'readonly'].every(
    (f) => (window.chartroomMessages || []).some((m) => m.from === f && m.type === 'chartroom:rendered')), null, { timeout: 20_000 });

  const ro = page.frame({ url: /readonly=1/ });
  assert.ok(ro, 'the read-only frame is there');
  assert.equal(await ro.isVisible('.topbar'), false, 'minimal chrome');
  assert.deepEqual(await ro.$$eval('[role="tab"]', (els) => els.map((e) => e.textContent)), ['Manifest', 'NOTES']);
  assert.equal(await ro.$eval('#editor-label', (e) => e.textContent), 'templates/service.yaml');
  assert.equal(await ro.$eval('#editor', (e) => e.readOnly), true);
  await ro.waitForFunction(() => window.chartroomEditor);
  assert.equal(await ro.$eval('#code-editor .cm-content', (e) => e.getAttribute('contenteditable')), 'false');
  assert.equal(await ro.isVisible('#new-file-name'), false);

  await page.click('#load');
  await page.waitForFunction((m) => window.chartroomMessages.some(
    (x) => x.from === 'editable' && x.type === 'chartroom:rendered' && x.manifest === m), expected, { timeout: 20_000 });
  const ed = page.frame({ url: /file=values\.yaml/ });
  assert.equal(await ed.$eval('#output', (e) => e.textContent), expected);
  assert.equal(await ed.$eval('#editor-label', (e) => e.textContent), 'values.yaml');

  await page.click('#read');
  await page.waitForFunction(() => window.chartroomMessages.some((x) => x.type === 'chartroom:output' && x.id === 'read-1'));
  const reply = await page.evaluate(() => window.chartroomMessages.find((x) => x.type === 'chartroom:output'));
  assert.equal(reply.manifest, expected);
  assert.equal(reply.error, null);
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-example.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
