// The hostile-input suite's Chromium twin (issue 19): every case of
// engine/tests/hostile.rs whose input is chart text (template and values
// bombs, doubling, recursion, catastrophic regexes, crypto loops, YAML alias
// bombs, deep nesting, huge indexes, invalid UTF-8) opened in the page as a
// share link. Each must end in the page with an output or the engine's clean
// error — never a dead or restarted worker, never a hang — and its render
// time (the page's own "Rendered in …" when it shows one, else from the
// page's start) and the worker's peak memory (its WebAssembly memory, which
// never shrinks: a fresh page per case) are printed.
// The cases come from tests/e2e/fixtures/hostile.json.deflate, written by
// `HOSTILE_FIXTURE=write cargo test -p chartroom-engine --test hostile chromium_twin_fixture`
// (that test fails when the file is out of date).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, openApp, startApp, stopApp } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const FIXTURE = path.join(ROOT, 'tests/e2e/fixtures/hostile.json.deflate');
const ALL = JSON.parse(zlib.inflateRawSync(fs.readFileSync(FIXTURE)).toString('utf8'));
// HOSTILE_ONLY=name,name runs those cases (while investigating).
const ONLY = process.env.HOSTILE_ONLY?.split(',');
const CASES = ONLY ? ALL.filter((c) => ONLY.includes(c.name)) : ALL;
// The page's deadline for these cases (its default is longer): crypto and
// busy loops end at it with the engine's timeout message.
const DEADLINE_MS = 3000;

const link = (files) => 'v2:' + zlib.deflateRawSync(Buffer.from(JSON.stringify({
  files: [['Chart.yaml', 'apiVersion: v2\nname: c\nversion: 0.1.0\n'], ...Object.entries(files)],
  options: {},
  selected: 'templates/t.txt',
}))).toString('base64url');

/**
 * The page's workers' WebAssembly memory (largest), in bytes: it only
 * grows, so on a fresh page it is the case's peak. Found through the
 * DevTools protocol in each worker: the live WebAssembly.Memory objects.
 */
async function workerWasmMemory(cdp) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  let most = 0;
  for (const t of targetInfos.filter((t) => t.type === 'worker')) {
    let sessionId;
    try {
      ({ sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false }));
    } catch {
      continue; // a worker that ended meanwhile
    }
    let id = 0;
    const send = (method, params = {}) => new Promise((resolve) => {
      const mine = ++id;
      const on = (e) => {
        if (e.sessionId !== sessionId) return;
        const m = JSON.parse(e.message);
        if (m.id === mine) {
          cdp.off('Target.receivedMessageFromTarget', on);
          resolve(m.result ?? null);
        }
      };
      cdp.on('Target.receivedMessageFromTarget', on);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: mine, method, params }) }).catch(() => resolve(null));
      setTimeout(() => resolve(null), 5000);
    });
    const proto = await send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
    const list = proto?.result?.objectId && await send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
    const size = list?.objects?.objectId && await send('Runtime.callFunctionOn', {
      objectId: list.objects.objectId,
      functionDeclaration: 'function () { return this.reduce((a, m) => Math.max(a, m.buffer.byteLength), 0); }',
      returnByValue: true,
    });
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    most = Math.max(most, size?.result?.value ?? 0);
  }
  return most;
}

test(`the hostile-input cases (${CASES.length}) end cleanly in the page, with time and peak memory`, async () => {
  assert.ok(ONLY || CASES.length >= 50, `${CASES.length} cases`);
  const cdp = await browser.newBrowserCDPSession();
  const failures = [];
  const lines = [];
  const t0 = Date.now();
  for (const c of CASES) {
    const { page, problems } = await openApp(browser, `${server.url}?editor=textarea&deadline_ms=${DEADLINE_MS}#${link(c.files)}`);
    const started = Date.now();
    let outcome;
    try {
      await page.waitForFunction(() => {
        const s = document.querySelector('#status');
        const done = s && !s.classList.contains('busy')
          && (Number(document.querySelector('#output')?.dataset.seq ?? 0) > 0 || document.querySelector('#error'));
        return document.querySelector('#worker-crash') || done;
      }, null, { timeout: DEADLINE_MS + 20_000, polling: 100 });
      const crash = await page.$('#worker-crash');
      const error = await page.$('#error .message');
      if (crash) outcome = `WORKER DIED: ${(await crash.textContent()).slice(0, 200)}`;
      else if (error) outcome = `error: ${(await error.textContent()).split('\n')[0].slice(0, 120)}`;
      else outcome = `ok (${(await page.textContent('#output')).length} chars)`;
    } catch (e) {
      outcome = `NO ANSWER after ${Date.now() - started} ms`;
    }
    const status = (await page.textContent('#status').catch(() => '')) ?? '';
    const took = status.match(/Rendered in ([\d.]+) ms/)?.[1] ?? `~${Date.now() - started}`;
    const mem = await workerWasmMemory(cdp);
    const line = `${c.name.padEnd(32)} ${String(took).padStart(9)} ms ${(mem / 2 ** 20).toFixed(1).padStart(8)} MiB  ${outcome}`;
    lines.push(line);
    console.log(line);
    if (/^(WORKER DIED|NO ANSWER)/.test(outcome)) failures.push(`${c.name}: ${outcome}`);
    const bad = problems.filter((p) => !/Failed to load resource/.test(p));
    if (bad.length) failures.push(`${c.name}: ${bad.join('; ').slice(0, 300)}`);
    await page.close();
  }
  lines.push(`total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(lines.at(-1));
  await cdp.detach();
  assert.deepEqual(failures, []);
});
