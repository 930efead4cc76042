// Helm's values-coalescing warnings in the page (issue 21): what Helm
// `log.Printf`s while merging values (`warning: destination for top.a.d is a
// table. Ignoring non-table value (2)`, printed by `helm template` on stderr)
// travel in the worker's reply and show as a folded "Helm warnings (N)" strip
// above the output, without Go's time prefix; a failed render shows the lines
// logged before its error; a render without any shows no strip. The charts and
// the expected lines are the oracle's cases in
// engine/tests/chart_cases/values_log.json (scripts/gen_chart_cases.py).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const CASES = path.join(ROOT, 'engine', 'tests', 'chart_cases', 'values_log.json');
const helmCase = (name) => {
  const c = JSON.parse(fs.readFileSync(CASES, 'utf8')).find((x) => x.name === name);
  assert.ok(c, `case ${name} in ${CASES} (regenerate with scripts/gen_chart_cases.py values_log)`);
  assert.ok(Array.isArray(c.log) && c.log.length > 0, `${name} records Helm's log lines`);
  return c;
};

/** The editable frame of the embed example, ready. */
async function openEmbed() {
  const top = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems = [];
  top.on('pageerror', (e) => problems.push(e.message));
  await top.goto(`${server.url}embed-example.html`);
  await top.waitForFunction(() => {
    const fr = document.getElementById('editable');
    return fr.contentDocument?.querySelector('#output[data-seq]') && Number(fr.contentDocument.querySelector('#output').dataset.seq) > 0;
  }, null, { timeout: 60_000 });
  return { top, frame: top.frame({ url: /editable=1/ }), problems };
}

/** Loads one case's chart and `-f` files through the embed API. */
async function load({ top, frame }, c) {
  const seq = Number(await frame.getAttribute('#output', 'data-seq'));
  const values_files = (c.values_files ?? []).map((text, i) => ({ name: `values-${i + 1}.yaml`, text }));
  await top.evaluate(({ files, values_files }) => {
    const fr = document.getElementById('editable');
    fr.contentWindow.postMessage({ type: 'chartroom:load', files, open: 'values.yaml',
      options: { release_name: 'release-name', namespace: 'default', values_files } }, new URL(fr.src).origin);
  }, { files: c.files, values_files });
  await waitForRender(frame, seq, 60_000);
}

const strip = (frame) => frame.evaluate(() => {
  const d = document.querySelector('[data-testid="helm-warnings"]');
  return d && {
    summary: d.querySelector('summary').textContent,
    open: d.open,
    lines: d.querySelector('[data-testid="helm-warnings-text"]').textContent.split('\n'),
  };
});

test('values-coalescing warnings show as Helm prints them, folded; a failed render keeps its own; none, no strip', async () => {
  const page = await openEmbed();
  const { frame } = page;

  const warned = helmCase('nested-both-ways');
  await load(page, warned);
  assert.equal(await frame.textContent('#output'), warned.output, 'the output is Helm\'s');
  let s = await strip(frame);
  assert.ok(s, 'the strip shows');
  assert.equal(s.summary.trim(), `Helm warnings (${warned.log.length})`);
  assert.equal(s.open, false, 'folded until opened');
  assert.deepEqual(s.lines, warned.log, 'Helm\'s lines, in order, without a time prefix');
  await frame.click('[data-testid="helm-warnings"] > summary');
  assert.equal(await frame.isVisible('[data-testid="helm-warnings-text"]'), true, 'opening shows the lines');

  const failed = helmCase('logged-then-render-error');
  await load(page, failed);
  assert.equal(await frame.textContent('#error .message'), failed.error);
  s = await strip(frame);
  assert.ok(s, 'the strip shows with the error');
  assert.deepEqual(s.lines, failed.log, 'the lines Helm logged before the error');

  // The same chart without the conflicting -f file: nothing logged.
  await load(page, { ...failed, values_files: [], files: { ...failed.files, 'templates/cm.yaml': 'x: 1\n' } });
  assert.equal(await frame.$('#error'), null);
  assert.equal(await strip(frame), null, 'no warnings, no strip');

  assert.deepEqual(page.problems, []);
  await page.top.close();
});
