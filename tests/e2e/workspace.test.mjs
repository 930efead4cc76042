// Browser tests of the options bar, output panes, autosave, saved workspaces
// and share links. Expected manifests come from real Helm v4.2.3
// (tests/e2e/fixtures/*.helm-template.yaml, made with /work/shared/oracle/helm-oracle
// as noted next to each use), never from this code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ARTIFACTS, ROOT, openApp, openFile, outputText, setEditor, shownSeq, startApp, stopApp, waitForRender,
} from './harness.mjs';

const FIX = path.join(ROOT, 'tests', 'e2e', 'fixtures');
const fixture = (name) => fs.readFileSync(path.join(FIX, name), 'utf8');

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

async function addValuesFile(page, name, text) {
  await page.fill('#new-values-name', name);
  await page.click('#add-values');
  await page.waitForFunction((n) => document.querySelector('#editor-label')?.textContent === `-f:${n}`, name);
  await setEditor(page, text);
}

/** Waits until the autosave holds a state written after `since` changes. */
async function waitForAutosave(page, previous) {
  await page.waitForFunction((prev) => {
    const v = localStorage.getItem('chartroom:autosave');
    return v && v !== prev;
  }, previous ?? null);
  return page.evaluate(() => localStorage.getItem('chartroom:autosave'));
}

test('options bar: -f files in order, --set lines, name, namespace, kube and API versions render like helm', async () => {
  // helm-oracle hello-world -f extra.yaml -f extra2.yaml --set image.tag=1.2.3 --set service.type=NodePort
  //   --name demo -n prod --kube-version 1.29.0 -a monitoring.coreos.com/v1 --format helm-template
  const expected = fixture('hello-world-options.helm-template.yaml');
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await page.fill('#release-name', 'demo');
  await page.fill('#namespace', 'prod');
  // Kube and API versions are behind "More options".
  await page.click('#more-options-toggle');
  await page.fill('#kube-version', '1.29.0');
  await page.fill('#api-versions', 'monitoring.coreos.com/v1');
  await page.fill('#set', 'image.tag=1.2.3\nservice.type=NodePort');
  await addValuesFile(page, 'extra.yaml', 'replicaCount: 2\nservice:\n  port: 8080\n');
  await addValuesFile(page, 'extra2.yaml', 'image:\n  tag: "9.9"\n');
  seq = await waitForRender(page, seq);
  assert.equal(await outputText(page), expected);
  assert.equal(
    await page.textContent('#cli'),
    'helm template demo ./hello-world --namespace prod --kube-version 1.29.0 --api-versions monitoring.coreos.com/v1 '
      + '-f extra.yaml -f extra2.yaml --set image.tag=1.2.3 --set service.type=NodePort',
  );
  // Reordering by removing the first -f: extra2 alone keeps image.tag from --set.
  await page.click('[data-testid="file--f:extra.yaml"]');
  await page.click('#delete-values');
  await waitForRender(page, seq);
  assert.match(await outputText(page), /^  replicas: 1$/m);
  assert.doesNotMatch(await page.textContent('#cli'), /extra\.yaml/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('hooks pane lists a test hook; skip tests drops it like helm --skip-tests; per-document view', async () => {
  // helm-oracle on hello-world + templates/tests/test-connection.yaml, without / with --skip-tests.
  const withHook = fixture('hello-world-test-hook.helm-template.yaml');
  const skipped = fixture('hello-world-test-hook-skip-tests.helm-template.yaml');
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await page.fill('#new-file-name', 'tests/test-connection.yaml');
  await page.click('#add-file');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/tests/test-connection.yaml');
  await setEditor(page, fixture('test-connection.yaml'));
  seq = await waitForRender(page, seq);
  assert.equal(await outputText(page), withHook);

  await page.click('#tab-hooks');
  assert.equal(await page.getAttribute('#tab-hooks', 'aria-selected'), 'true');
  assert.equal(await page.isVisible('#output'), false);
  const hooks = await page.$$eval('#pane-hooks .hook h3', (els) => els.map((e) => e.textContent));
  assert.deepEqual(hooks, ['Pod release-name-hello-world-test-connection']);
  assert.equal(await page.textContent('#pane-hooks .hook-events'), 'test');

  await page.check('#skip-tests');
  seq = await waitForRender(page, seq);
  assert.equal(await outputText(page), skipped);
  assert.match(await page.textContent('#cli'), / --skip-tests$/);

  // Documents: one per # Source, in output order; together they are the output.
  await page.click('#tab-documents');
  const sources = await page.$$eval('#pane-documents .document h3', (els) => els.map((e) => e.textContent));
  assert.deepEqual(sources, [
    'hello-world/templates/serviceaccount.yaml',
    'hello-world/templates/service.yaml',
    'hello-world/templates/deployment.yaml',
  ]);
  const docs = await page.$$eval('#pane-documents .document pre', (els) => els.map((e) => e.textContent));
  assert.equal(docs.map((d) => `---\n${d}`).join(''), skipped);

  // Keyboard: Alt+Shift+3 switches to NOTES.
  await page.keyboard.press('Alt+Shift+Digit3');
  assert.equal(await page.getAttribute('#tab-notes', 'aria-selected'), 'true');
  assert.match(await page.textContent('#notes'), /Get the application URL/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a runaway template stops at the step budget with a clear error', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await page.fill('#new-file-name', 'loop.yaml');
  await page.click('#add-file');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/loop.yaml');
  const started = Date.now();
  await setEditor(page, '{{ range until 100000 }}{{ range until 100000 }}{{ $x := 1 }}{{ end }}{{ end }}\n');
  seq = await waitForRender(page, seq, 19_000);
  const ms = Date.now() - started;
  const err = await page.textContent('#error .message');
  assert.match(err, /render stopped: more than 20000000 evaluation steps/);
  assert.equal(await page.getAttribute('#error', 'data-file'), 'hello-world/templates/loop.yaml');
  console.log(`# runaway template stopped after ${ms} ms`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an empty-bodied runaway loop and a self-including template stop with clear errors', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await page.fill('#new-file-name', 'loop.yaml');
  await page.click('#add-file');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/loop.yaml');
  // Every iteration costs a step, even with nothing inside the loop (range
  // over an integer builds no list, so the step limit, not the memory
  // budget, ends it).
  await setEditor(page, '{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}\n');
  seq = await waitForRender(page, seq, 19_000);
  assert.match(await page.textContent('#error .message'), /render stopped: more than 20000000 evaluation steps/);
  // Runaway recursion ends with Helm's own error at Helm's limit (1000 nested
  // includes of one name; the page continues on fresh stacks to get there),
  // not a crashed worker.
  await setEditor(page, '{{ define "x" }}{{ include "x" . }}{{ end }}{{ include "x" . }}\n');
  seq = await waitForRender(page, seq, 19_000);
  assert.match(await page.textContent('#error .message'), /rendering template has a nested reference name: x: unable to execute template/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('random functions are random and now is the current time, as in Helm', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await page.fill('#new-file-name', 'rand.yaml');
  await page.click('#add-file');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/rand.yaml');
  await setEditor(page, 'a: {{ randAlphaNum 16 | quote }}\ny: {{ now | date "2006" | quote }}\n');
  seq = await waitForRender(page, seq);
  const first = await page.$eval('#output', (el) => el.textContent);
  await setEditor(page, 'a: {{ randAlphaNum 16 | quote }}\ny: {{ now | date "2006" | quote }}\n# again\n');
  seq = await waitForRender(page, seq);
  const second = await page.$eval('#output', (el) => el.textContent);
  const pick = (t) => t.match(/a: "([A-Za-z0-9]{16})"/)?.[1];
  assert.ok(pick(first) && pick(second), first);
  assert.notEqual(pick(first), pick(second));
  assert.match(first, new RegExp(`y: "${new Date().getUTCFullYear()}"`));
  assert.deepEqual(problems, []);
  await page.close();
});

test('autosave survives a reload; named workspaces save and reopen', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  const values = await openFile(page, 'values.yaml');
  await setEditor(page, values.replace(/^replicaCount: 1$/m, 'replicaCount: 4'));
  await page.fill('#release-name', 'saved');
  seq = await waitForRender(page, seq);
  const edited = await outputText(page);
  assert.match(edited, /^  replicas: 4$/m);
  let snapshot = await waitForAutosave(page);
  // Wait for the last field's autosave too (the release name came last).
  await page.waitForFunction(() => {
    const v = localStorage.getItem('chartroom:autosave');
    return v && document.querySelector('#release-name').value === 'saved';
  });
  await page.waitForTimeout(400);

  await page.click('#workspaces summary');
  await page.fill('#save-name', 'four');
  await page.click('#save-workspace');
  await page.waitForSelector('[data-testid="open-saved-four"]');

  await page.reload();
  await waitForRender(page);
  assert.equal(await outputText(page), edited, 'the reloaded page shows the autosaved work');
  assert.equal(await page.inputValue('#release-name'), 'saved');
  assert.equal(await page.textContent('#editor-label'), 'values.yaml');

  // Change everything back to the example, then reopen the saved workspace.
  await page.click('#reset-example');
  seq = await waitForRender(page, await Number(await page.getAttribute('#output', 'data-seq')) - 1);
  await page.waitForFunction(() => /release-name-hello-world/.test(document.querySelector('#output').textContent));
  seq = await waitForRender(page, seq - 1);
  await page.click('#workspaces summary').catch(() => {});
  await page.click('[data-testid="open-saved-four"]');
  await page.waitForFunction(() => / {2}replicas: 4\n/.test(document.querySelector('#output').textContent)
    && !document.querySelector('#status').classList.contains('busy'));
  assert.equal(await outputText(page), edited);
  assert.deepEqual(problems, []);
  await page.close();
});

test('share link round trip reproduces the output byte for byte; bad links and saved work are respected', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  const values = await openFile(page, 'values.yaml');
  await setEditor(page, values.replace(/^replicaCount: 1$/m, 'replicaCount: 5'));
  await page.fill('#set', 'service.port=9090');
  await page.check('#is-upgrade');
  seq = await waitForRender(page, seq);
  const original = await outputText(page);
  await page.click('#copy-link');
  const link = await page.inputValue('#share-url');
  assert.match(link, /#v2:[A-Za-z0-9_-]+$/);

  // A new visitor (empty storage) gets exactly the same output.
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const other = await openApp(ctx, link);
  await waitForRender(other.page);
  await other.page.waitForFunction(() => /replicas: 5/.test(document.querySelector('#output').textContent));
  await waitForRender(other.page, Number(await other.page.getAttribute('#output', 'data-seq')) - 1);
  assert.equal(await outputText(other.page), original);
  assert.equal(await other.page.inputValue('#set'), 'service.port=9090');
  assert.equal(await other.page.isChecked('#is-upgrade'), true);
  assert.equal(new URL(other.page.url()).hash, '', 'the fragment is cleared once opened');
  assert.deepEqual(other.problems, []);

  // The same visitor, who has now other saved work, opens the link again: asked first.
  const v2 = await openFile(other.page, 'values.yaml');
  await setEditor(other.page, v2.replace(/^replicaCount: 5$/m, 'replicaCount: 6'));
  await waitForAutosave(other.page, null);
  await other.page.waitForTimeout(400);
  const p2 = await other.page.context().newPage();
  await p2.goto(link);
  await p2.waitForSelector('#pending-link');
  await waitForRender(p2);
  assert.match(await outputText(p2), /replicas: 6/, 'saved work stays until the user decides');
  await p2.click('#pending-keep');
  assert.equal(await p2.$('#pending-link'), null);
  assert.match(await p2.evaluate(() => localStorage.getItem('chartroom:autosave')), /^v2:/);
  await p2.goto(`${link}`);
  await p2.waitForSelector('#pending-link');
  await p2.click('#pending-open');
  await p2.waitForFunction(() => / {2}replicas: 5\n/.test(document.querySelector('#output').textContent)
    && !document.querySelector('#status').classList.contains('busy'));
  assert.equal(await outputText(p2), original);

  // A truncated link: clear error, current work untouched.
  const before = await outputText(p2);
  await p2.goto(link.slice(0, link.length - 7));
  await waitForRender(p2);
  assert.match(await p2.textContent('#notice'), /Could not open the shared link: the link is (truncated or )?corrupt.*Your current work is unchanged/);
  assert.equal(await outputText(p2), before);
  await p2.goto(server.url + '#v7:abc');
  await waitForRender(p2);
  assert.match(await p2.textContent('#notice'), /unknown share format/);
  assert.equal(await outputText(p2), before);
  assert.deepEqual(problems, []);
  await page.close();
  await ctx.close();
});

test('too large for a link: says so, the bundle file opens to the same output', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  // 60 KB of incompressible (random) text in a values file.
  const noise = crypto.randomBytes(45000).toString('hex').slice(0, 60000);
  await addValuesFile(page, 'big.yaml', `replicaCount: 3\nnoise: ${noise}\n`);
  seq = await waitForRender(page, seq);
  const original = await outputText(page);
  assert.match(original, /replicas: 3/);
  await page.click('#copy-link');
  assert.match(await page.textContent('#share-msg'), /too large for a link/);
  assert.equal(await page.$('#share-url'), null);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-bundle')]);
  const bundlePath = path.join(ARTIFACTS, 'bundle.chartroom');
  await download.saveAs(bundlePath);

  const other = await openApp(browser, server.url);
  await waitForRender(other.page);
  // A fresh profile has nothing to lose: the bundle opens at once, as a
  // .tgz import does (issue 21, item 9).
  await other.page.setInputFiles('#open-bundle', bundlePath);
  await other.page.waitForFunction(() => / {2}replicas: 3\n/.test(document.querySelector('#output').textContent)
    && !document.querySelector('#status').classList.contains('busy'));
  assert.equal(await outputText(other.page), original);
  assert.equal(await other.page.$('#pending-link'), null, 'no confirmation in a fresh profile');
  assert.match(await other.page.textContent('#notice'), /Opened: the bundle/i);
  // With work to lose (an edit) it asks first, as an import does.
  const opened = await shownSeq(other.page);
  await other.page.fill('#release-name', 'edited');
  await waitForRender(other.page, opened);
  await other.page.setInputFiles('#open-bundle', bundlePath);
  await other.page.waitForSelector('#pending-link');
  assert.match(await other.page.textContent('#pending-text'), /The bundle \(\d+ files\) is ready to open/);
  await other.page.click('#pending-keep');
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  await page.close();
  await other.page.close();
});
