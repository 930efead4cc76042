// A runaway render must not leave a worker computing in the background, and
// an edit made while a slow render runs must not wait for it (issue 21,
// items 1 and 2). The slow template is a loop of bcrypt calls: each is real
// work (cost 10), so the step limit never stops it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, openFile, outputText, setEditor, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const SLOW = '{{ range until 5000 }}{{ bcrypt "x" | len }}{{ end }}\n';
const FAST = 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: fixed\n';

/** Render workers alive in the page (a terminated worker leaves the list). */
const renderWorkers = (page) => page.workers().filter((w) => /worker(-plugins)?_loader\.js$/.test(w.url()));

test('the watchdog terminates a runaway worker: after two runaways one worker is left and the page renders again', async () => {
  const { page, problems } = await openApp(browser, `${server.url}?watchdog_ms=1500`);
  let seq = await waitForRender(page);
  await openFile(page, 'templates/service.yaml');
  for (let round = 0; round < 2; round++) {
    await setEditor(page, SLOW + `# round ${round}\n`);
    await page.waitForFunction(() => /did not finish within 1\.5 s/.test(document.querySelector('#error')?.textContent ?? ''),
      null, { timeout: 20_000 });
    // The replacement worker is up and the stuck one is gone.
    await page.waitForFunction(() => true);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(renderWorkers(page).length, 1, `render workers alive after runaway ${round + 1}: ${renderWorkers(page).map((w) => w.url())}`);
  }
  await setEditor(page, FAST);
  seq = await waitForRender(page, seq);
  assert.match(await outputText(page), /name: fixed/);
  assert.equal(renderWorkers(page).length, 1);
  assert.deepEqual(problems.filter((p) => !/bcrypt/.test(p)), []);
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
  assert.equal(renderWorkers(page).length, 1);
  assert.deepEqual(problems, []);
  await page.close();
});
