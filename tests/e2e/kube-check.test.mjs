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
import os from 'node:os';
import { serve, sharedDir, startApp, stopApp, waitForRender, shownSeq } from './harness.mjs';

let server;
let browser;
// The framing page, served from its own origin (the embed API ignores
// messages from an opaque origin such as about:blank's).
let host;

before(async () => {
  ({ server, browser } = await startApp());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-host-'));
  fs.writeFileSync(path.join(dir, 'index.html'),
    `<!doctype html><html><body><iframe id="app" src="${server.url}?embed=1&editor=textarea" style="width:1400px;height:880px"></iframe></body></html>`);
  host = await serve(dir);
});

after(async () => {
  await host?.close();
  await stopApp({ server, browser });
});

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

// The playground framed by a page that loads charts into it with the embed
// API (docs/embed.md), as a documentation site would.
async function openFramed() {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await page.goto(host.url);
  const frame = await (await page.waitForSelector('#app')).contentFrame();
  await waitForRender(frame);
  return { page, frame, problems };
}

async function load(page, frame, files, options = {}) {
  const seq = await shownSeq(frame);
  await page.evaluate(([f, o]) => document.getElementById('app').contentWindow.postMessage({ type: 'chartroom:load', files: f, options: o }, '*'), [files, options]);
  return waitForRender(frame, seq, 120_000);
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
  replicas: {{ .Values.replicas | quote }}
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
  const schemaRequests = [];
  const { page, frame, problems } = await openFramed();
  page.on('request', (r) => { if (r.url().includes('kube-schemas/')) schemaRequests.push(r.url()); });
  await load(page, frame, CHART);
  await frame.click('#tab-documents');
  assert.deepEqual(schemaRequests, [], 'no schema bundle before the check is used');
  await frame.check('[data-testid="kube-check"]');
  const s = await waitForSummary(frame, /documents:/);
  assert.match(s, /^Kubernetes v1\.36: 3 documents: 1 valid, 2 invalid, 0 without schema/);
  assert.deepEqual(schemaRequests.map((u) => u.replace(/.*kube-schemas\//, '')), ['v1.36.json']);
  // Helm's install order: the PodDisruptionBudget, the Service, the Deployment.
  const badges = await frame.$$eval('[data-testid="kube-badge"]', (els) => els.map((e) => e.textContent));
  assert.deepEqual(badges, ['invalid', 'valid', 'invalid']);
  const out = (await frame.textContent('#output')).split('\n');
  const pdbLine = out.indexOf('# Source: web/templates/pdb.yaml') + 1;
  const replicasLine = out.indexOf('  replicas: "2"') + 1;
  assert.ok(pdbLine > 0 && replicasLine > pdbLine);
  const findings = await frame.$$eval('[data-testid="kube-findings"] li', (els) => els.map((e) => e.textContent));
  assert.deepEqual(findings, [
    `line ${pdbLine} PodDisruptionBudget/web: policy/v1beta1 PodDisruptionBudget is not served by Kubernetes v1.36: removed in v1.25, use policy/v1 PodDisruptionBudget`,
    `line ${replicasLine} Deployment/web: spec.replicas: expected integer, got string`,
  ]);
  // The finding's button scrolls to its line, marked in the document.
  await frame.click(`button:text-is("line ${replicasLine}")`);
  assert.equal(await frame.textContent(`#doc-line-${replicasLine}`), '  replicas: "2"\n');
  assert.ok(await frame.$eval(`#doc-line-${replicasLine}`, (e) => e.classList.contains('flagged') && e.classList.contains('jumped')));
  // Another kube version: its bundle is fetched on its first check.
  await load(page, frame, CHART, { kube_version: '1.33' });
  await waitForSummary(frame, /^Kubernetes v1\.33: /);
  assert.deepEqual(schemaRequests.map((u) => u.replace(/.*kube-schemas\//, '')), ['v1.36.json', 'v1.33.json']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('benchmark: kube-prometheus-stack checked in Chromium (printed)', async () => {
  const dir = path.join(sharedDir(), 'conformance', 'charts', 'kube-prometheus-stack');
  const { page, frame, problems } = await openFramed();
  const files = readChart(dir);
  await load(page, frame, files);
  await frame.click('#tab-documents');
  let t = Date.now();
  await frame.check('[data-testid="kube-check"]');
  const cold = await waitForSummary(frame, /documents:/, 120_000);
  const coldWall = Date.now() - t;
  assert.match(cold, /125 documents: 125 valid, 0 invalid, 0 without schema/);
  // An edit: the chart renders again and the check runs warm.
  t = Date.now();
  const edited = { ...files, 'values.yaml': `${files['values.yaml']}\n# edited\n` };
  const seqBefore = await shownSeq(frame);
  await load(page, frame, edited);
  await frame.waitForFunction((s) => Number(document.querySelector('#output').dataset.seq) > s, seqBefore);
  const warm = await waitForSummary(frame, /documents:/, 120_000);
  const warmWall = Date.now() - t;
  const ms = (s) => s.match(/\((\d+) ms\)/)?.[1];
  console.log(
    `bench kube check in Chromium, kube-prometheus-stack/default (125 documents, 18 CRD files): cold ${ms(cold)} ms in the worker (${coldWall} ms click to badges, bundle fetch included), warm ${ms(warm)} ms (${warmWall} ms edit to badges, render included)`,
  );
  assert.deepEqual(problems, []);
  await page.close();
});
