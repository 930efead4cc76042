// Helm's nested-include limit in the page (issue 19): a recursive
// `include` of 1000 levels renders and 1001 ends with Helm's own
// `rendering template has a nested reference name` error — as real Helm
// v4.2.3 does (tests/e2e/fixtures/include-depth.json, written by
// scripts/gen_include_depth_fixture.py from ../shared/oracle). The worker's
// ~1 MB stack holds about 320 such levels; the engine continues on fresh
// stacks (WebAssembly.promising, app/src/protocol.rs page_fresh_stack).

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

const CASES = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/e2e/fixtures/include-depth.json'), 'utf8'));

const link = (template) => 'v2:' + zlib.deflateRawSync(Buffer.from(JSON.stringify({
  files: [['Chart.yaml', 'apiVersion: v2\nname: c\nversion: 0.1.0\n'], ['templates/t.txt', template]],
  options: {},
  selected: 'templates/t.txt',
}))).toString('base64url');

for (const c of CASES) {
  test(`a recursive include of ${c.depth} levels: ${c.output !== undefined ? 'renders' : "Helm's nested reference error"}`, async () => {
    const { page, problems } = await openApp(browser, `${server.url}?editor=textarea#${link(c.template)}`);
    const started = Date.now();
    await page.waitForFunction(() => {
      const s = document.querySelector('#status');
      const done = s && !s.classList.contains('busy')
        && (Number(document.querySelector('#output')?.dataset.seq ?? 0) > 0 || document.querySelector('#error'));
      return document.querySelector('#worker-crash') || done;
    }, null, { timeout: 60_000, polling: 100 });
    assert.equal(await page.$('#worker-crash'), null, 'the render worker died');
    const error = await page.$('#error .message');
    const status = (await page.textContent('#status')) ?? '';
    console.log(`include depth ${c.depth}: ${status.match(/Rendered in [\d.]+ ms/)?.[0] ?? `~${Date.now() - started} ms`}`);
    if (c.output !== undefined) {
      assert.equal(error, null, error && (await error.textContent()).slice(0, 300));
      assert.match(await page.textContent('#output'), new RegExp(c.output));
    } else {
      assert.ok(error, 'an error is shown');
      const text = (await error.textContent()).replace(/\s+/g, ' ');
      assert.ok(text.startsWith(c.error_start), text.slice(0, 300));
      assert.ok(text.includes(c.error_end.slice(c.error_end.indexOf('error calling include: rendering'))), text.slice(-300));
    }
    assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
    await page.close();
  });
}
