// The plugin panel for a plugin author (issue 21, item 6): a failed run's
// real status (the trap, the limit, the refused host call or the exit code
// that ended it, never `rc 0`), a capability log whose fuel column is the
// cumulative fuel used (never above the run's total; a range where the
// meter could not be read), tables that stay inside the pane, and
// plugin.yaml in the code editor beside the run, its log and its result.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ARTIFACTS, openApp, openPluginYaml, setPluginYaml, startApp, stopApp, waitForPluginRun, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

async function choosePlugin(page, name) {
  await page.click('#tab-plugins');
  await page.selectOption('#plugin-select', name);
  await page.waitForSelector(`#plugin-report[data-name="${name}"]`, { timeout: 30_000 });
}

/** The log's fuel column (each row's shown text and its low/high bounds)
 * and the run's total (the fuel meter after the run). */
const fuelColumn = (page) => page.evaluate(() => ({
  rows: [...document.querySelectorAll('#plugin-log tbody tr')].map((tr) => {
    const td = tr.querySelectorAll('td')[1];
    return { text: td.textContent, lo: Number(td.dataset.fuelMin), hi: Number(td.dataset.fuelMax), call: tr.querySelectorAll('td')[3].textContent };
  }),
  total: Number(document.querySelector('#meter-fuel').dataset.used),
  header: document.querySelectorAll('#plugin-log thead th')[1].textContent,
}));

/** Checks the fuel column: one meaning (cumulative fuel used), every row
 * within the total, a single number where the meter was read. */
function assertCumulativeFuel({ rows, total, header }) {
  assert.equal(header, 'fuel used');
  assert.ok(rows.length >= 2, `log rows: ${JSON.stringify(rows)}`);
  rows.forEach((r, i) => {
    assert.ok(Number.isFinite(r.lo) && Number.isFinite(r.hi) && r.lo <= r.hi, `row ${i}: ${JSON.stringify(r)}`);
    assert.ok(r.hi <= total, `row ${i} within the total ${total}: ${JSON.stringify(r)}`);
    assert.equal(r.text, r.lo === r.hi ? String(r.lo) : `${r.lo}–${r.hi}`);
    if (i > 0) assert.ok(r.lo >= rows[i - 1].lo && r.hi >= rows[i - 1].hi, `cumulative: ${JSON.stringify(rows)}`);
  });
}

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
  // The engine: memory.grow refused at memory.maxPages 64, then the guest trapped (unreachable).
  assert.match(summary, /memory-bomb \(postrenderer\/v1, profile helm-4\.2\): failed \(memory limit: memory\.maxPages=64, then trap: unreachable\)/);
  assert.doesNotMatch(summary, /\brc 0\b/);
  const fuel = await fuelColumn(page);
  assertCumulativeFuel(fuel);
  assert.match(summary, new RegExp(`fuel ${fuel.total} used`));
  // memory.grow is decided by wasmi's memory limiter, which cannot read the
  // meter: its rows give the bounds; the run used more than nothing.
  assert.ok(fuel.total > 0);
  assert.ok(fuel.rows.some((r) => r.call === 'memory.grow' && r.lo < r.hi), JSON.stringify(fuel.rows));
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
  // Nothing in the pane scrolls sideways.
  const pane = await page.$eval('#pane-plugins', (p) => ({ scroll: p.scrollWidth, client: p.clientWidth }));
  assert.ok(pane.scroll <= pane.client, `pane scrollWidth ${pane.scroll} > clientWidth ${pane.client}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a timeout, a trap and a refused host call are named in the summary', async () => {
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  // tight-loop: a post-renderer that never returns (timeout 200 ms).
  await choosePlugin(page, 'tight-loop');
  await waitForPluginRun(page, /tight-loop/);
  assert.match(await page.textContent('#plugin-summary'), /: failed \(timeout: timeout=200ms\), /);
  assertCumulativeFuel(await fuelColumn(page));
  // trap and denied-host: cli/v1, run with Run.
  for (const [name, status] of [['trap', /: failed \(trap: unreachable\), /], ['denied-host', /: failed \(http_request refused\), /]]) {
    await choosePlugin(page, name);
    await page.click('#plugin-run');
    await waitForPluginRun(page, new RegExp(`^${name} `));
    assert.match(await page.textContent('#plugin-summary'), status);
    assertCumulativeFuel(await fuelColumn(page));
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
  assert.match(await page.textContent('#plugin-summary'), /: failed \(http_request refused\)/);
  for (const sel of ['#code-editor', '#plugin-run', '#plugin-summary', '#plugin-log', '#plugin-error']) {
    assert.ok(await inViewport(page, sel), `${sel} is visible with the others`);
  }
  // The editor is CodeMirror's, not the plain textarea.
  assert.equal(await page.$eval('#code-editor', (el) => el.classList.contains('cm-editor') || !!el.querySelector('.cm-content')), true);
  assert.equal(await page.isVisible('textarea#editor'), false);
  // Edits in the editor are the plugin's plugin.yaml (the next run uses them).
  await setPluginYaml(page, yaml.replace(/name: denied-host/, 'name: denied-host-edited'));
  await page.click('#plugin-run');
  await waitForPluginRun(page, /denied-host-edited/);
  assert.deepEqual(problems, []);
  await page.close();
});

/** The whole element shows: inside the viewport and its scrolling pane. */
const fullyVisible = (page, sel) => page.$eval(sel, (el) => {
  const r = el.getBoundingClientRect();
  const pane = el.closest('.panes, .editor-pane')?.getBoundingClientRect() ?? { top: 0, bottom: innerHeight, left: 0, right: innerWidth };
  return r.width > 0 && r.height > 0 && r.left >= Math.max(0, pane.left) - 1 && r.right <= Math.min(innerWidth, pane.right) + 1
    && r.top >= Math.max(0, pane.top) - 1 && r.bottom <= Math.min(innerHeight, pane.bottom) + 1;
});

for (const [width, height] of [[1440, 900], [1024, 768], [800, 900]]) {
  test(`a failing post-renderer at ${width}×${height}: plugin.yaml beside the summary, the error and the log`, async () => {
    const page = await browser.newPage({ viewport: { width, height } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => window.chartroomEditor);
    await waitForRender(page);
    await choosePlugin(page, 'memory-bomb');
    await waitForPluginRun(page, /memory-bomb/);
    await page.click('#plugin-yaml-edit');
    await openPluginYaml(page);
    // The render's error box would repeat the plugin's error on this tab.
    assert.equal(await page.isVisible('#error'), false);
    assert.match(await page.textContent('#error'), /failed to invoke post-renderer plugin "memory-bomb"/);
    const shown = ['#code-editor', '#plugin-summary'];
    // A laptop shows the log's first row too; a tablet puts the output
    // beside the editor (not under it) on this tab; narrower than 961 px
    // (where the other tabs stack the panes) the error and the log's head
    // still show beside plugin.yaml.
    if (width >= 1440) shown.push('#plugin-error', '#plugin-log thead', '#plugin-log tbody tr:first-child');
    else if (width < 961) shown.push('#plugin-error', '#plugin-log thead');
    for (const sel of shown) assert.ok(await fullyVisible(page, sel), `${sel} is visible with the others at ${width}×${height}`);
    const [editor, summary] = await Promise.all(['#code-editor', '#plugin-summary'].map((s) => page.$eval(s, (el) => el.getBoundingClientRect().toJSON())));
    assert.ok(summary.left >= editor.right - 1, `side by side: ${JSON.stringify({ editor, summary })}`);
    await page.screenshot({ path: path.join(ARTIFACTS, `plugin-panel-${width}.png`) });
    assert.deepEqual(problems, []);
    await page.close();
  });
}
