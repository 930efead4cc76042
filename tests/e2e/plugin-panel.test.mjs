// The plugin panel for a plugin author (issue 21, item 6): a failed run's
// real status (not `rc 0`), a capability log whose fuel column is the
// cumulative fuel used (never above the run's total), tables that stay
// inside the pane, and plugin.yaml in the code editor beside the run, its
// log and its result.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, openPluginYaml, setPluginYaml, startApp, stopApp, waitForPluginRun, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

async function choosePlugin(page, name) {
  await page.click('#tab-plugins');
  await page.selectOption('#plugin-select', name);
  await page.waitForSelector(`#plugin-report[data-name="${name}"]`, { timeout: 30_000 });
}

/** The log's fuel column and the run's total (the fuel meter after the run). */
const fuelColumn = (page) => page.evaluate(() => ({
  rows: [...document.querySelectorAll('#plugin-log tbody tr')].map((tr) => Number(tr.querySelectorAll('td')[1].textContent)),
  total: Number(document.querySelector('#meter-fuel').dataset.used),
  header: document.querySelectorAll('#plugin-log thead th')[1].textContent,
}));

/** The element shows: inside the viewport horizontally, and its first 60 px
 * (all of it when smaller) inside its scrolling pane and the viewport. */
const inViewport = (page, sel) => page.$eval(sel, (el) => {
  const r = el.getBoundingClientRect();
  const pane = el.closest('.panes, .editor-pane, .output-pane')?.getBoundingClientRect() ?? { top: 0, bottom: innerHeight };
  const bottom = Math.min(innerHeight, pane.bottom);
  return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth + 1
    && r.top >= Math.max(0, pane.top) - 1 && r.top + Math.min(r.height, 60) <= bottom + 1;
});

test('a failed run shows its real status; the fuel column is cumulative and within the total; tables stay in the pane', async () => {
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  await choosePlugin(page, 'memory-bomb');
  await waitForPluginRun(page, /memory-bomb/);
  const summary = await page.textContent('#plugin-summary');
  assert.match(summary, /memory-bomb \(postrenderer\/v1, profile helm-4\.2\): failed \(no exit code: stopped by a trap or a limit\)/);
  assert.doesNotMatch(summary, /\brc 0\b/);
  const { rows, total, header } = await fuelColumn(page);
  assert.equal(header, 'fuel used');
  assert.ok(rows.length >= 2, `log rows: ${rows}`);
  assert.ok(rows.every((f, i) => i === 0 || f >= rows[i - 1]), `cumulative: ${rows}`);
  assert.ok(rows.every((f) => f <= total), `every row ≤ the total ${total}: ${rows}`);
  assert.match(summary, new RegExp(`fuel ${total} used`));
  // The tables scroll inside their own box: nothing runs past the pane's right edge.
  for (const sel of ['#plugin-log', '#plugin-limits']) {
    const fit = await page.$eval(sel, (t) => {
      const pane = document.querySelector('#pane-plugins').getBoundingClientRect();
      const box = t.closest('.table-scroll');
      return { table: t.getBoundingClientRect().right, box: box.getBoundingClientRect().right, pane: pane.right, overflow: getComputedStyle(box).overflowX };
    });
    // Cells wrap, so the table fits; were it wider, its box would scroll.
    assert.ok(fit.table <= fit.pane + 1 && fit.box <= fit.pane + 1, `${sel}: ${JSON.stringify(fit)}`);
    assert.equal(fit.overflow, 'auto');
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('plugin.yaml opens in the code editor; the file, Run, the log and the result are visible together', async () => {
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  await choosePlugin(page, 'denied-host');
  await page.click('#plugin-yaml-edit');
  const yaml = await openPluginYaml(page);
  assert.match(yaml, /^apiVersion: v1\n/m);
  assert.match(yaml, /type: cli\/v1/);
  // CodeMirror holds it (not a plain textarea).
  assert.equal(await page.evaluate(() => window.chartroomEditor.view.state.doc.toString()), yaml);
  await page.click('#plugin-run');
  await waitForPluginRun(page, /denied-host/);
  assert.match(await page.textContent('#plugin-summary'), /: failed(, rc -?\d+| \(no exit code)/);
  for (const sel of ['#code-editor', '#plugin-run', '#plugin-summary', '#plugin-log', '#plugin-error']) {
    assert.ok(await inViewport(page, sel), `${sel} is visible with the others`);
  }
  // Edits in the editor are the plugin's plugin.yaml (the next run uses them).
  await setPluginYaml(page, yaml.replace(/name: denied-host/, 'name: denied-host-edited'));
  await page.click('#plugin-run');
  await waitForPluginRun(page, /denied-host-edited/);
  assert.deepEqual(problems, []);
  await page.close();
});
