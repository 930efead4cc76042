// The Lint pane: `helm lint` of the workspace in the render worker. The
// expected text is real Helm v4.2.3's `helm lint` of the same chart
// (engine/tests/data/lint/cases.json, from the oracle by
// scripts/gen_lint_cases.py), with the page's folder name in the header.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, openApp, openFile, setEditor, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

function helmLint(name) {
  const cases = JSON.parse(fs.readFileSync(path.join(ROOT, 'engine/tests/data/lint/cases.json'), 'utf8'));
  const c = cases.find((x) => x.name === name);
  assert.ok(c, `lint case ${name} (regenerate with scripts/gen_lint_cases.py)`);
  return c;
}

async function lintOutput(page, previous) {
  await page.waitForFunction(
    (prev) => {
      const el = document.querySelector('#lint-output');
      return el && el.textContent !== prev;
    },
    previous,
    { timeout: 30_000 },
  );
  return page.$eval('#lint-output', (el) => el.textContent);
}

test('Lint pane: helm lint of hello-world, findings linked to their files', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  await page.click('#tab-lint');
  // Helm lints charts/hello-world in the conformance folder; the page's
  // chart folder is the chart's name.
  const want = helmLint('conformance/hello-world/default').stdout.replace('==> Linting charts/hello-world', '==> Linting hello-world');
  let out = await lintOutput(page, null);
  assert.equal(out, want);
  assert.match(await page.textContent('#lint-summary'), /^Lint passed: 0 errors, 0 warnings, 1 info$/);
  const info = page.locator('.lint-finding[data-severity="INFO"]');
  assert.equal(await info.count(), 1);
  assert.equal(await info.getAttribute('data-file'), 'Chart.yaml');

  // A template whose output is not YAML: Helm's error, the chart fails, and
  // the finding opens the template.
  await openFile(page, 'templates/service.yaml');
  await setEditor(page, 'a: b: c\n');
  seq = await waitForRender(page, seq);
  out = await lintOutput(page, out);
  assert.match(out, /^\[ERROR\] templates\/service\.yaml: unable to parse YAML: error converting YAML to JSON: yaml: mapping values are not allowed in this context$/m);
  assert.match(out, /Error: 1 chart\(s\) linted, 1 chart\(s\) failed\n$/);
  assert.match(await page.textContent('#lint-summary'), /^Lint failed: 1 errors/);
  await openFile(page, 'Chart.yaml');
  await page.click('.lint-finding[data-severity="ERROR"] .location');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/service.yaml');
  assert.deepEqual(problems, []);
  await page.close();
});
