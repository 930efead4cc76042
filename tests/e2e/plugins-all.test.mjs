// Every bundled example plugin (public/plugins, listed from the directory so
// a new plugin without an expectation fails here) chosen in the Plugins pane
// of the page in Chromium, and its outcome compared with the NATIVE engine's
// outcome for the same plugin and input: tests/e2e/fixtures/plugins/<p>.json,
// written by scripts/gen_plugin_e2e_fixtures.mjs from the `chartroom` CLI.
// Released Helm ≤ 4.2.4 cannot run Wasm post-renderers (helm/helm#31832) and
// the oracle has no plugin runtime, so the native engine is the reference;
// engine/tests/plugin_reference.rs cross-checks it against the Extism
// reference host. A fixture's `browser` entry documents (with its reason)
// where the page's outcome differs from the native one for a real reason;
// the page's own exact outcome is asserted there.
//
// Also prints (never asserts) the per-plugin times measured in Chromium.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, openApp, startApp, stopApp, waitForRender } from './harness.mjs';

const PLUGINS = path.join(ROOT, 'public', 'plugins');
const FIX = path.join(ROOT, 'tests', 'e2e', 'fixtures', 'plugins');
const names = fs.readdirSync(PLUGINS).filter((p) => fs.existsSync(path.join(PLUGINS, p, 'plugin.yaml'))).sort();

// The only timing figure in an outcome: the capability log's record of the
// deadline (`limit.timeout`, args `elapsed=201.2ms`). Nothing else is
// normalised: error texts, stdio and output are compared byte for byte.
const normaliseLogArgs = (e) => (e.call === 'limit.timeout' ? { ...e, args: e.args.replace(/^elapsed=\d+(\.\d+)?ms$/, 'elapsed=<ms>') } : e);

let server;
let browser;
const timings = [];

before(async () => ({ server, browser } = await startApp()));

after(async () => {
  if (timings.length) {
    // Columns: the summary's wall time of the call; the capability log's first
    // event (the initial memory.grow), i.e. compile (first run of a module) +
    // link + instantiate, from the call's start; fuel; for cli/v1, the time
    // from clicking Run to the report (worker round trip and page update).
    console.log('\nPlugin times in Chromium (wasmi in the render worker), one run each:');
    const row = (c) => [c[0].padEnd(20), c[1].padEnd(16), ...c.slice(2).map((v, i) => String(v ?? '-').padStart([9, 22, 11, 16][i]))].join(' ');
    console.log(row(['plugin', 'type', 'wall ms', 'compile+instantiate ms', 'fuel', 'click→report ms']));
    for (const t of timings) console.log(row([t.name, t.type, t.wall, t.first, t.fuel, t.roundTrip]));
  }
  await stopApp({ server, browser });
});

test('every bundled plugin has a fixture, and every fixture a bundled plugin', () => {
  const fixtures = fs.readdirSync(FIX).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
  assert.deepEqual(fixtures, names);
  assert.ok(names.length >= 16, `${names.length} plugins`);
});

/** What the panel shows after the plugin's run (or non-run). */
async function panelOutcome(page) {
  return page.evaluate(() => {
    const text = (sel) => document.querySelector(sel)?.textContent ?? null;
    const r = document.querySelector('#plugin-report');
    return {
      ran: r.dataset.ran === 'true',
      note: text('#plugin-run-note'),
      pluginError: text('#plugin-error .message'),
      renderError: text('#error .message'),
      stdout: text('#plugin-stdout'),
      artefact: text('#plugin-artefact'),
      stderr: text('#plugin-stderr'),
      output: text('#output'),
      summary: text('#plugin-summary'),
      log: [...document.querySelectorAll('#plugin-log tbody tr')].map((tr) => {
        const td = [...tr.querySelectorAll('td')].map((c) => c.textContent);
        return { t_ms: Number(td[0]), fuel: Number(td[1]), pages: Number(td[2]), call: td[3], args: td[4], decision: td[5], rule: td[6] };
      }),
      peakPages: Number(document.querySelector('#meter-pages')?.dataset.used),
      pagesLimit: document.querySelector('#meter-pages')?.dataset.limit ?? null,
      fuel: Number(document.querySelector('#meter-fuel')?.dataset.used),
      httpBytes: Number(document.querySelector('#meter-http')?.dataset.used),
    };
  });
}

/** Waits for a report of `name` that ran (or, `ran` false, any report), with no render pending. */
async function waitForReport(page, name, ran) {
  await page.waitForFunction(
    ([n, mustRun]) => {
      const r = document.querySelector('#plugin-report');
      return r && r.dataset.name === n && (!mustRun || r.dataset.ran === 'true')
        && !document.querySelector('#status').classList.contains('busy');
    },
    [name, ran],
    { timeout: 60_000 },
  );
}

for (const name of names) {
  test(`${name}: the page's outcome is the native engine's`, async () => {
    const fixFile = path.join(FIX, `${name}.json`);
    assert.ok(fs.existsSync(fixFile), `no expectation for plugin ${name}: run scripts/gen_plugin_e2e_fixtures.mjs`);
    const fx = JSON.parse(fs.readFileSync(fixFile, 'utf8'));
    const native = fx.native;
    // Where the page differs for a documented reason, its own outcome.
    const want = { ...native.run, ...(fx.browser?.run ?? {}) };
    if (fx.browser) assert.ok(fx.browser.reason, 'a browser difference says why');

    const { page, problems } = await openApp(browser, server.url);
    await waitForRender(page);
    await page.click('#tab-plugins');
    await page.selectOption('#plugin-select', name);
    await page.waitForSelector(`#plugin-report[data-name="${name}"]`, { timeout: 30_000 });
    if (fx.input.mock_http) {
      await page.click('#plugin-mock-details > summary');
      await page.fill('#plugin-mock', fx.input.mock_http);
    }
    if (fx.input.args.length) await page.fill('#post-renderer-args', fx.input.args.join('\n'));

    let roundTrip = null;
    if (fx.type === 'cli/v1' || fx.type === 'getter/v1') {
      await waitForReport(page, name, false);
      const o = await panelOutcome(page);
      assert.equal(o.ran, false, 'a cli/v1 or getter/v1 plugin runs only with Run');
      const t0 = Date.now();
      await page.click('#plugin-run');
      await waitForReport(page, name, true);
      roundTrip = Date.now() - t0;
    } else if (fx.type === 'postrenderer/v1') {
      await waitForReport(page, name, true);
    } else {
      await waitForReport(page, name, false);
    }
    const o = await panelOutcome(page);

    if (fx.type === 'getter/v1') {
      // A getter runs with Run; the panel shows the artefact it returned,
      // which must be what `chartroom plugin get` printed.
      assert.equal(o.renderError, null, 'the chart still renders');
      assert.equal(o.artefact, native.exit === 0 ? native.stdout : null, 'artefact');
    }

    assert.equal(o.ran, true);
    // Error texts, exactly.
    assert.equal(o.pluginError, want.error, 'plugin error');
    if (fx.type === 'postrenderer/v1') {
      // The render's error is the CLI's `Error: ...` text; on success the
      // output pane holds the CLI's stdout (the post-rendered manifests).
      assert.equal(o.renderError, native.error, 'render error');
      if (native.exit === 0) assert.equal(o.output, native.stdout, 'post-rendered manifests');
    } else {
      // cli/v1: `chartroom plugin run` fails with the run's error; the chart
      // itself still renders in the page. (The panel does not show a cli/v1
      // plugin's output message, e.g. compute's {"data":{...}}, so that part
      // of the native outcome cannot be compared here; fuel, pages and the
      // capability log below pin the run down.)
      assert.equal(native.error, native.run.error);
      assert.equal(o.renderError, null, 'the chart still renders');
    }
    assert.equal(o.stdout, want.stdout, 'stdout');
    assert.equal(o.stderr, want.stderr, 'stderr');
    // The capability log: the same decisions with the same arguments and rules.
    const strip = ({ call, args, decision, rule }) => normaliseLogArgs({ call, args, decision, rule });
    assert.deepEqual(o.log.map(strip), want.log.map(strip), 'capability log');
    assert.equal(o.peakPages, want.peak_pages, 'peak pages');
    assert.equal(Number(o.pagesLimit), want.max_pages, 'maxPages in force');
    assert.equal(o.httpBytes, want.http_bytes, 'HTTP bytes');
    // The same instructions ran (the deadline stops tight-loop after a time, not a count).
    if (name !== 'tight-loop') assert.equal(o.fuel, want.fuel_used, 'fuel used');

    const wall = Number(/, ([\d.]+) ms, fuel /.exec(o.summary ?? '')?.[1]);
    timings.push({ name, type: fx.type, wall: wall.toFixed(1), first: o.log[0]?.t_ms.toFixed(1), fuel: o.fuel, roundTrip });
    assert.deepEqual(problems, []);
    await page.close();
  });
}
