// A plain load logs nothing (issue 21, item 9): no preload `integrity`
// warning (index.html: data-integrity="none" on the page's wasm) and no
// "deprecated parameters for the initialization function" from the worker
// loader shims (scripts/loader-shims.mjs, a trunk post_build hook).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

test('loading the page and its render worker logs no warnings or errors', async () => {
  const page = await browser.newPage();
  const logged = [];
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') logged.push(`page ${m.type()}: ${m.text()}`); });
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') logged.push(`worker ${m.type()}: ${m.text()}`); }));
  page.on('pageerror', (e) => logged.push(`page error: ${e.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => window.chartroomEditor);
  await waitForRender(page);
  // Chromium reports an unused or mismatched preload a moment after load.
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual(logged, []);
  await page.close();
});

test('the plugin worker (loaded when a plugin is chosen) logs no warnings either', async () => {
  const page = await browser.newPage();
  const logged = [];
  const workers = [];
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') logged.push(`page ${m.type()}: ${m.text()}`); });
  page.on('worker', (w) => {
    workers.push(w.url());
    w.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') logged.push(`worker ${m.type()}: ${m.text()}`); });
  });
  page.on('pageerror', (e) => logged.push(`page error: ${e.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => window.chartroomEditor);
  await waitForRender(page);
  await page.click('#tab-plugins');
  await page.selectOption('#plugin-select', 'add-labels');
  await page.waitForSelector('#plugin-report[data-name="add-labels"][data-ran="true"]', { timeout: 30_000 });
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(workers.some((u) => /worker-plugins/.test(u)), `the plugin worker started: ${workers.join(', ')}`);
  assert.deepEqual(logged, []);
  await page.close();
});
