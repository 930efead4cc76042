// A plugin's HTTP request in the browser goes through fetch() while the
// guest is suspended (a wasmi resumable call): the worker stays free, the
// live meters keep moving, the plugin's timeout ends a request that does not
// answer (and aborts it), and a newer edit cancels a render that waits.
// A second local server (CORS-enabled) answers slowly or never and records
// which requests the browser aborted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { httpPluginYaml, openApp, setPluginYaml, startApp, stopApp, waitForPluginRun, waitForRender } from './harness.mjs';

let server;
let browser;
let slow;
/** path → { started, aborted, answered } */
const seen = new Map();

function startSlowServer() {
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    const rec = seen.get(url.pathname) ?? { started: 0, aborted: 0, answered: 0 };
    seen.set(url.pathname, rec);
    rec.started += 1;
    let done = false;
    let timer;
    // The browser aborting the fetch closes the connection before we answer.
    res.on('close', () => {
      if (!done) {
        rec.aborted += 1;
        clearTimeout(timer);
      }
    });
    const ms = Number(url.searchParams.get('ms') ?? '-1');
    if (ms < 0) return; // never answers
    timer = setTimeout(() => {
      done = true;
      rec.answered += 1;
      res.writeHead(200, { ...cors, 'content-type': 'text/plain' }).end('hello');
    }, ms);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ srv, base: `http://127.0.0.1:${srv.address().port}` })));
}

before(async () => {
  ({ server, browser } = await startApp());
  slow = await startSlowServer();
});

after(async () => {
  slow?.srv.closeAllConnections?.();
  await new Promise((r) => slow?.srv.close(r) ?? r());
  await stopApp({ server, browser });
});

async function setUp(page, url, timeout) {
  await waitForRender(page);
  await page.click('#tab-plugins');
  await page.selectOption('#plugin-select', 'denied-host');
  await page.waitForSelector('#plugin-report[data-name="denied-host"]', { timeout: 30_000 });
  await page.click('#plugin-mock-details > summary');
  await setPluginYaml(page, httpPluginYaml(url, ['127.0.0.1'], timeout));
  await page.waitForFunction(() => !document.querySelector('#status').classList.contains('busy'), null, { timeout: 30_000 });
}

test('a slow response: the meters move while the guest waits, the page answers input, the result arrives', async () => {
  const { page, problems } = await openApp(browser, server.url);
  await setUp(page, `${slow.base}/slow1?ms=1500`);
  await page.click('#plugin-run');
  await page.waitForSelector('#plugin-meters[data-state="running"]', { timeout: 30_000 });
  // While the request is pending, progress keeps arriving (the worker is
  // blocked: the guest is suspended and the worker awaits fetch()).
  const t0 = Number(await page.getAttribute('#meter-time', 'data-used'));
  await page.waitForFunction((f) => Number(document.querySelector('#meter-time')?.dataset.used) > f + 300, t0, { timeout: 10_000 });
  assert.equal(seen.get('/slow1')?.answered ?? 0, 0, 'the meters moved before the response came');
  // The page handles input meanwhile.
  const lag = await page.evaluate(() => new Promise((resolve) => {
    const t = performance.now();
    requestAnimationFrame(() => resolve(performance.now() - t));
  }));
  assert.ok(lag < 100, `a frame took ${lag} ms while the plugin waited`);
  await waitForPluginRun(page, /1 HTTP request\(s\), 5 HTTP bytes/);
  assert.equal(await page.$('#plugin-error'), null);
  const wall = Number(await page.getAttribute('#meter-time', 'data-used'));
  assert.ok(wall >= 1500, `wall time ${wall} ms includes the wait`);
  assert.deepEqual(seen.get('/slow1'), { started: 1, aborted: 0, answered: 1 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a response that never comes: the plugin timeout ends the call and the fetch is aborted', async () => {
  const { page, problems } = await openApp(browser, server.url);
  await setUp(page, `${slow.base}/never1`, 400);
  const t = Date.now();
  await page.click('#plugin-run');
  await waitForPluginRun(page, /context deadline exceeded/);
  const took = Date.now() - t;
  assert.ok(took < 5000, `stopped after ${took} ms`);
  assert.match(await page.textContent('#plugin-error'), /(^|: )plugin error: module closed with context deadline exceeded$/);
  const log = await page.$$eval('#plugin-log tr', (rows) => rows.map((r) => r.textContent));
  assert.ok(log.some((l) => l.includes('limit.timeout') && l.includes('timeout=400ms')), log.join('\n'));
  // The abort reaches the server as a closed connection.
  for (let i = 0; i < 50 && (seen.get('/never1')?.aborted ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(seen.get('/never1'), { started: 1, aborted: 1, answered: 0 });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a newer edit cancels a render whose plugin waits on the network', async () => {
  const { page, problems } = await openApp(browser, server.url);
  // No timeout (helm-4.2: unset means none) and a 4 s answer.
  await setUp(page, `${slow.base}/slow2?ms=4000`);
  await page.click('#plugin-run');
  await page.waitForFunction(() => (document.querySelector('#plugin-meters')?.dataset.state) === 'running', null, { timeout: 30_000 });
  for (let i = 0; i < 50 && !seen.get('/slow2'); i++) await new Promise((r) => setTimeout(r, 50));
  // An edit: the waiting render is cancelled (its fetch aborted) and the
  // newest one runs the plugin again and is shown.
  await page.fill('#release-name', 'edited');
  await waitForPluginRun(page, /1 HTTP request\(s\), 5 HTTP bytes/);
  const rec = seen.get('/slow2');
  assert.equal(rec.aborted, 1, JSON.stringify(rec));
  assert.equal(rec.answered, 1, JSON.stringify(rec));
  assert.equal(rec.started, 2, JSON.stringify(rec));
  assert.deepEqual(problems, []);
  await page.close();
});
