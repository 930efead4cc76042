// A long render in the page (issue 19): its elapsed time is shown, a Stop
// button ends it (the worker is terminated, the files stay), the page's
// default deadline ends it with a clear message, and a worker that dies
// (out of memory, stack overflow, a trap, a panic) is restarted with a
// message saying what happened.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, openFile, outputText, setEditor, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

// Each bcrypt call is real work (cost 10): minutes in all, no step limit hit.
const SLOW = '{{ range until 5000 }}{{ bcrypt "x" | len }}{{ end }}\n';
const FAST = 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: fixed\n';

/** CPU seconds the renderer processes use in 2 s (after `settle` ms). */
async function idleRendererCpu(settle = 2000) {
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

test('a long render shows its elapsed time; Stop ends it, terminates the worker and keeps the files', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await openFile(page, 'templates/service.yaml');
  await setEditor(page, SLOW);
  // The elapsed time counts up in the status, with a Stop button beside it.
  await page.waitForFunction(() => /Rendering… [1-9]\.\d s/.test(document.querySelector('#status')?.textContent ?? ''), null, { timeout: 10_000 });
  const first = await page.textContent('#status');
  await page.waitForFunction((t) => document.querySelector('#status').textContent !== t, first, { timeout: 5_000 });
  assert.ok(await page.isVisible('#stop-render'), 'Stop button shown during a long render');
  await page.click('#stop-render');
  await page.waitForSelector('#error');
  assert.match(await page.textContent('#error'), /render stopped after \d+\.\d s \(Stop\).*restarted.*files are unchanged/);
  assert.equal(await page.isVisible('#stop-render'), false, 'Stop is gone once nothing runs');
  assert.ok(!(await page.getAttribute('#status', 'class')).includes('busy'));
  const used = await idleRendererCpu();
  assert.ok(used < 0.6, `renderers used ${used.toFixed(2)} CPU s in 2 s after Stop`);
  // The workspace is intact: the slow template is still there.
  assert.equal(await page.evaluate(() => window.chartroomEditor.view.state.doc.toString()), SLOW);
  await setEditor(page, FAST);
  seq = await waitForRender(page, seq);
  assert.match(await outputText(page), /name: fixed/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the default deadline ends a slow render with the engine message, its position and whose limit it is', async () => {
  const { page, problems } = await openApp(browser, `${server.url}?deadline_ms=1500`);
  await waitForRender(page);
  await openFile(page, 'templates/service.yaml');
  const started = Date.now();
  await setEditor(page, SLOW);
  await page.waitForFunction(() => /timeout of 1\.5s exceeded/.test(document.querySelector('#error')?.textContent ?? ''), null, { timeout: 15_000 });
  const took = Date.now() - started;
  const text = await page.textContent('#error .message');
  assert.match(text, /templates\/service\.yaml:1:\d+: .*render stopped: timeout of 1\.5s exceeded \(the page stops a render after 1\.5s; the Stop button ends one sooner\)/);
  assert.ok(took < 8_000, `deadline answer after ${took} ms`);
  assert.equal(await page.getAttribute('#error', 'data-line'), '1');
  assert.deepEqual(problems, []);
  await page.close();
});

// What the page says for each way a worker can die (Task::Crash makes the
// worker die that way; the engine itself must never do it).
const DEATHS = [
  ['oom', /The render worker died \(it ran out of memory: .*out of memory: allocating \d+ bytes failed\)/],
  ['overflow', /The render worker died \(stack overflow: .*\)/],
  ['trap', /The render worker died \(the engine aborted \(a WebAssembly trap\): .*unreachable.*\)/],
  ['panic', /The render worker crashed \(internal error: the engine crashed \(panicked at [\s\S]*test crash/],
];

for (const [how, expected] of DEATHS) {
  test(`a worker that dies (${how}) is restarted, the page says what happened, and the workspace is intact`, async () => {
    const { page, problems } = await openApp(browser, `${server.url}?test_crash=1`);
    let seq = await waitForRender(page);
    const before = await openFile(page, 'templates/service.yaml');
    await page.evaluate((h) => window.chartroomCrashWorker(h), how);
    await page.waitForSelector('#worker-crash', { timeout: 30_000 });
    const said = await page.textContent('#worker-crash');
    assert.match(said, expected);
    assert.match(said, /restarted; your files are unchanged/);
    assert.equal(await page.evaluate(() => window.chartroomEditor.view.state.doc.toString()), before);
    // The fresh worker renders the next edit.
    await setEditor(page, FAST);
    seq = await waitForRender(page, seq);
    assert.match(await outputText(page), /name: fixed/);
    assert.equal(await page.$('#worker-crash'), null, 'the note goes with the next render');
    // The dying worker's own console report is expected; nothing else.
    assert.deepEqual(problems.filter((p) => !/^(worker \S+|page) console error: (.*(RuntimeError|RangeError|out of memory)|panicked at app\/src\/worker_tasks\.rs)/.test(p)), []);
    await page.close();
  });
}
