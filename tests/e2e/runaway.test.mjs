// A runaway render must not leave a worker computing in the background, and
// an edit made while a slow render runs must not wait for it (issue 21,
// items 1 and 2). The slow template is a loop of bcrypt calls: each is real
// work (cost 10), so the step limit never stops it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, openFile, outputText, setEditor, shownSeq, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const SLOW = '{{ range until 5000 }}{{ bcrypt "x" | len }}{{ end }}\n';
const FAST = 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: fixed\n';

/**
 * CPU seconds the browser's renderer processes (page and workers) use in a
 * 2 s window, after `settle` ms for a replacement worker to start. A worker
 * left computing a runaway render would use about 2 s of it. (Chromium keeps
 * a terminated worker's DevTools target listed, so page.workers() cannot
 * tell; the CPU it burns can.)
 */
async function idleRendererCpu(browser, settle = 2500) {
  const cdp = await browser.newBrowserCDPSession();
  const cpu = async () => (await cdp.send('SystemInfo.getProcessInfo')).processInfo
    .filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime, 0);
  await new Promise((r) => setTimeout(r, settle));
  const before = await cpu();
  await new Promise((r) => setTimeout(r, 2000));
  const used = (await cpu()) - before;
  await cdp.detach();
  return used;
}

test('the watchdog terminates a runaway worker: after each of two runaways nothing keeps computing, and the page renders again', async () => {
  const { page, problems } = await openApp(browser, `${server.url}?watchdog_ms=1500`);
  let seq = await waitForRender(page);
  await openFile(page, 'templates/service.yaml');
  for (let round = 0; round < 2; round++) {
    const prev = await shownSeq(page);
    await setEditor(page, SLOW + `# round ${round}\n`);
    // This round's watchdog answer (a newer sequence number than the last shown).
    await page.waitForFunction((p) => Number(document.querySelector('#output')?.dataset.seq) > p
      && /did not finish within 1\.5 s/.test(document.querySelector('#error')?.textContent ?? ''), prev, { timeout: 20_000 });
    // The stuck worker was terminated: nothing computes any more.
    const used = await idleRendererCpu(browser);
    assert.ok(used < 0.6, `renderers used ${used.toFixed(2)} CPU s in 2 s after runaway ${round + 1}`);
  }
  await setEditor(page, FAST);
  seq = await waitForRender(page, seq);
  assert.match(await outputText(page), /name: fixed/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an edit during a slow render supersedes it: the fixed output shows within seconds, not after the slow render', async (t) => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await openFile(page, 'templates/service.yaml');
  await setEditor(page, SLOW);
  // Let the slow render start in the worker.
  await new Promise((r) => setTimeout(r, 600));
  const fixedAt = Date.now();
  await setEditor(page, FAST);
  seq = await waitForRender(page, seq, 15_000);
  const waited = Date.now() - fixedAt;
  t.diagnostic(`fixed output shown ${waited} ms after the fix (the slow render alone runs for minutes; the watchdog is 20 s)`);
  assert.match(await outputText(page), /name: fixed/);
  assert.equal(await page.$('#error'), null, 'the superseded render shows no error');
  // Well before the 20 s watchdog: the slow render was given up, not waited for.
  assert.ok(waited < 10_000, `fixed output took ${waited} ms`);
  const used = await idleRendererCpu(browser);
  assert.ok(used < 0.6, `renderers used ${used.toFixed(2)} CPU s in 2 s after the superseded render`);
  assert.deepEqual(problems, []);
  await page.close();
});
