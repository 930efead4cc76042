// Browser test of the Documents pane's Kubernetes check (engine/src/kube in
// the render worker): no schema bundle is fetched on the first visit; the
// first check fetches the selected version's bundle only; each document gets
// a badge and a broken one its findings, whose button scrolls to the output
// line. Then kube-prometheus-stack (the largest conformance output, with its
// CRDs) is checked and the check's time in the worker is printed (cold: the
// first check, which compiles the CRDs; warm: after an edit), beside the
// wall time from the click to the summary.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openApp, sharedDir, startApp, stopApp, waitForRender, shownSeq } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

function readChart(dir) {
  const files = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

async function load(page, files, options = {}) {
  const seq = await shownSeq(page);
  await page.evaluate(([f, o]) => window.postMessage({ type: 'chartroom:load', files: f, options: o }, '*'), [files, options]);
  return waitForRender(page, seq, 120_000);
}

const summary = (page) => page.textContent('[data-testid="kube-summary"]');

async function waitForSummary(page, re, timeout = 60_000) {
  await page.waitForFunction(
    (src) => new RegExp(src).test(document.querySelector('[data-testid="kube-summary"]')?.textContent ?? ''),
    re.source,
    { timeout },
  );
  return summary(page);
}

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'values.yaml': 'replicas: "2"\n',
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
`,
  'templates/pdb.yaml': 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n',
  'templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n',
};

test('the Documents pane badges each document and links findings to their line', async () => {
  const { page, problems } = await openApp(browser, `${server.url}?editor=textarea`);
  const schemaRequests = [];
  page.on('request', (r) => { if (r.url().includes('kube-schemas/')) schemaRequests.push(r.url()); });
  await waitForRender(page);
  await load(page, CHART);
  await page.click('#tab-documents');
  assert.deepEqual(schemaRequests, [], 'no schema bundle before the check is used');
  await page.check('[data-testid="kube-check"]');
  const s = await waitForSummary(page, /documents:/);
  assert.match(s, /^Kubernetes v1\.36: 3 documents: 1 valid, 2 invalid, 0 without schema/);
  assert.deepEqual(schemaRequests.map((u) => u.replace(/.*kube-schemas\//, '')), ['v1.36.json']);
  const badges = await page.$$eval('[data-testid="kube-badge"]', (els) => els.map((e) => e.textContent));
  assert.deepEqual(badges, ['valid', 'invalid', 'invalid']);
  const findings = await page.$$eval('[data-testid="kube-findings"] li', (els) => els.map((e) => e.textContent));
  assert.deepEqual(findings, [
    'line 4 PodDisruptionBudget/web: policy/v1beta1 PodDisruptionBudget is not served by Kubernetes v1.36: removed in v1.25, use policy/v1 PodDisruptionBudget',
    'line 17 Deployment/web: spec.replicas: expected integer, got string',
  ]);
  // The finding's button scrolls to its line, marked in the document.
  await page.click('button:text-is("line 17")');
  assert.equal(await page.textContent('#doc-line-17'), '  replicas: "2"\n');
  assert.ok(await page.$eval('#doc-line-17', (e) => e.classList.contains('flagged') && e.classList.contains('jumped')));
  // Another kube version: its bundle is fetched on its first check.
  await load(page, CHART, { kube_version: '1.33' });
  await waitForSummary(page, /^Kubernetes v1\.33: /);
  assert.deepEqual(schemaRequests.map((u) => u.replace(/.*kube-schemas\//, '')), ['v1.36.json', 'v1.33.json']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('benchmark: kube-prometheus-stack checked in Chromium (printed)', async () => {
  const dir = path.join(sharedDir(), 'conformance', 'charts', 'kube-prometheus-stack');
  const { page, problems } = await openApp(browser, `${server.url}?editor=textarea`);
  await waitForRender(page);
  const files = readChart(dir);
  await load(page, files);
  await page.click('#tab-documents');
  let t = Date.now();
  await page.check('[data-testid="kube-check"]');
  const cold = await waitForSummary(page, /documents:/, 120_000);
  const coldWall = Date.now() - t;
  assert.match(cold, /125 documents: 125 valid, 0 invalid, 0 without schema/);
  // An edit: the chart renders again and the check runs warm.
  t = Date.now();
  const edited = { ...files, 'values.yaml': `${files['values.yaml']}\n# edited\n` };
  await load(page, edited);
  const warm = await waitForSummary(page, /documents:/, 120_000);
  const warmWall = Date.now() - t;
  const ms = (s) => s.match(/\((\d+) ms\)/)?.[1];
  console.log(
    `bench kube check in Chromium, kube-prometheus-stack/default (125 documents, 18 CRD files): cold ${ms(cold)} ms in the worker (${coldWall} ms click to badges, bundle fetch included), warm ${ms(warm)} ms (${warmWall} ms edit to badges, render included)`,
  );
  assert.deepEqual(problems, []);
  await page.close();
});
