#!/usr/bin/env node
// Prints (never asserts) the browser numbers of issue 8:
//   - bytes of everything the first visit loads (raw and brotli -q 11),
//   - time from navigation to the first rendered output (cold load),
//   - keystroke-to-updated-output latency for hello-world and for
//     kube-prometheus-stack from the shared conformance charts.
// Usage: trunk build --release && node scripts/bench-ui.mjs [rounds]

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, launch, serve, sharedDir, waitForRender } from '../tests/e2e/harness.mjs';

const rounds = Number(process.argv[2] || 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const brotli = (buf) => zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

const server = await serve(DIST);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
const loaded = [];
page.on('response', (r) => { if (r.url().startsWith(server.url)) loaded.push(new URL(r.url()).pathname); });

const t0 = Date.now();
await page.goto(server.url);
await waitForRender(page);
const firstOutput = Number(await page.getAttribute('#output', 'data-rendered-at'));
const wall = Date.now() - t0;
await page.waitForFunction(() => window.chartroomEditor);
await page.waitForTimeout(300);

let rawTotal = 0;
let brTotal = 0;
console.log('first visit: file                      raw     brotli');
for (const p of [...new Set(loaded)].sort()) {
  const f = path.join(DIST, p === '/' ? 'index.html' : p);
  if (!fs.existsSync(f)) continue;
  const buf = fs.readFileSync(f);
  rawTotal += buf.length;
  brTotal += brotli(buf);
  console.log(`  ${p.padEnd(28)} ${String(buf.length).padStart(8)} ${String(brotli(buf)).padStart(8)}`);
}
console.log(`  ${'total'.padEnd(28)} ${String(rawTotal).padStart(8)} ${String(brTotal).padStart(8)}`);
console.log(`time to first output (cold load): ${firstOutput.toFixed(0)} ms after navigation start (wall ${wall} ms)`);

/** Types one character at the end of values.yaml and measures until the new output is shown. */
async function keystrokeLatency(label) {
  await page.click('[data-testid="file-values.yaml"]');
  const xs = [];
  const engine = [];
  for (let i = 0; i < rounds; i++) {
    const seq = Number(await page.getAttribute('#output', 'data-seq'));
    const start = await page.evaluate((n) => {
      const v = window.chartroomEditor.view;
      const t = performance.now();
      v.dispatch({ changes: { from: v.state.doc.length, insert: `\n# k${n}` }, userEvent: 'input.type' });
      return t;
    }, i);
    await waitForRender(page, seq, 120_000);
    xs.push(Number(await page.getAttribute('#output', 'data-rendered-at')) - start);
    engine.push(Number((await page.textContent('#status')).match(/([\d.]+) ms/)?.[1] ?? NaN));
  }
  console.log(`keystroke -> output, ${label}: median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}; engine median ${median(engine)} ms; ${rounds} keystrokes)`);
}

await keystrokeLatency('hello-world');

const kps = path.join(sharedDir(), 'conformance', 'charts', 'kube-prometheus-stack');
if (fs.existsSync(kps)) {
  const files = {};
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else files[path.relative(kps, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(kps);
  const seq = Number(await page.getAttribute('#output', 'data-seq'));
  const t = Date.now();
  await page.evaluate((f) => window.postMessage({ type: 'chartroom:load', files: f, open: 'values.yaml' }, '*'), files);
  await waitForRender(page, seq, 120_000);
  console.log(`kube-prometheus-stack loaded (${Object.keys(files).length} files): first output after ${Date.now() - t} ms; ${await page.textContent('#status')}`);
  const expected = path.join(sharedDir(), 'conformance', 'expected', 'kube-prometheus-stack', 'default.helm-template.yaml');
  if (fs.existsSync(expected)) {
    const docs = (t) => t.split(/^---\n(?=# Source: )/m).filter(Boolean);
    const got = docs(await page.$eval('#output', (e) => e.textContent));
    const want = docs(fs.readFileSync(expected, 'utf8'));
    const differing = want.filter((d, i) => got[i] !== d).map((d) => d.split('\n')[0]);
    console.log(`  documents: ${got.length} (helm: ${want.length}); differing from helm's: ${differing.length ? differing.join(', ') : 'none'}`
      + ' (cases.yaml lists the files with random values as nondeterministic)');
  }
  await keystrokeLatency('kube-prometheus-stack');
}
await browser.close();
await server.close();
