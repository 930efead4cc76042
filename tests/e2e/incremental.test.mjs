// The incremental render path (issue 21 item 4): the render worker keeps
// the chart's files between jobs and the page sends only the files that
// changed (render_client.rs, `kept`), and the Manifest pane shows the
// output in keyed pieces that a new render replaces only where it changed
// (manifest_pane.rs). Both must show exactly what a full render shows:
// the same sequence of edits (a chart loaded, a values change typed in the
// editor, a file changed, one added, one deleted, the values restored) is
// applied in a page on the incremental path and in one that sends the
// whole chart with every job (`?full_send=1`), and the outputs compared
// step by step; the first equals real Helm's (the conformance corpus).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setEditor, sharedDir, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const corpus = path.join(sharedDir(), 'conformance');
const CHART = path.join(corpus, 'charts', 'ingress-nginx');
const EXPECTED = path.join(corpus, 'expected', 'ingress-nginx', 'default.helm-template.yaml');

function readChart(dir) {
  const files = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** The editable embed of the example page, with `extra` added to its URL. */
async function openEmbed(extra) {
  const top = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems = [];
  top.on('pageerror', (e) => problems.push(e.message));
  await top.goto(`${server.url}embed-example.html`);
  if (extra) {
    await top.evaluate((x) => {
      const fr = document.getElementById('editable');
      fr.src = `${fr.src}${x}`;
    }, extra);
  }
  await top.waitForFunction((x) => {
    const fr = document.getElementById('editable');
    return fr.src.endsWith(x) && fr.contentDocument?.querySelector('#output[data-seq]')
      && Number(fr.contentDocument.querySelector('#output').dataset.seq) > 0 && fr.contentWindow.chartroomEditor;
  }, extra || '', { timeout: 60_000 });
  const frame = top.frame({ url: extra ? /full_send=1/ : /editable=1/ });
  return { top, frame, problems };
}

/** Loads `files` through the embed API and returns the output shown. */
async function load({ top, frame }, files) {
  const seq = Number(await frame.getAttribute('#output', 'data-seq'));
  await top.evaluate((f) => {
    const fr = document.getElementById('editable');
    fr.contentWindow.postMessage({ type: 'chartroom:load', files: f, open: 'values.yaml',
      options: { release_name: 'release-name', namespace: 'default' } }, new URL(fr.src).origin);
  }, files);
  await waitForRender(frame, seq, 60_000);
  return shown(frame);
}

const shown = (frame) => frame.evaluate(() => ({
  output: document.querySelector('#output').textContent,
  error: document.querySelector('#error .message')?.textContent ?? null,
  timing: (window.__chartroomTimings ?? []).at(-1) ?? null,
}));

/** Types `text` as values.yaml (the editor's selected file) and waits for its render. */
async function typeValues(frame, text) {
  const seq = Number(await frame.getAttribute('#output', 'data-seq'));
  await frame.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'values.yaml');
  await setEditor(frame, text);
  await waitForRender(frame, seq, 60_000);
  return shown(frame);
}

test('a render on the incremental path shows what a full render shows, edit after edit', async () => {
  if (!fs.existsSync(CHART)) assert.fail(`${CHART} missing: the shared conformance corpus (../shared/conformance) is needed`);
  const chart = readChart(CHART);
  const values = chart['values.yaml'];
  assert.match(values, /replicaCount: 1\n/, 'the edit below changes controller.replicaCount');
  const edited = values.replace('replicaCount: 1\n', 'replicaCount: 3\n');
  const extraTemplate = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\n';
  const [firstTemplate] = Object.keys(chart).filter((p) => /^templates\/controller-.*\.yaml$/.test(p)).sort();

  const runs = [];
  for (const extra of ['', '&full_send=1']) {
    const page = await openEmbed(extra);
    const steps = [];
    steps.push(['chart loaded', await load(page, chart)]);
    steps.push(['values typed', await typeValues(page.frame, edited)]);
    steps.push(['a template changed', await load(page, { ...chart, 'values.yaml': edited, [firstTemplate]: `${chart[firstTemplate]}\n# changed\n` })]);
    steps.push(['a template added', await load(page, { ...chart, 'values.yaml': edited, 'templates/extra.yaml': extraTemplate })]);
    const fewer = { ...chart };
    delete fewer[firstTemplate];
    steps.push(['a template deleted', await load(page, { ...fewer, 'values.yaml': edited })]);
    steps.push(['values restored', await typeValues(page.frame, values)]);
    assert.deepEqual(page.problems, []);
    await page.top.close();
    runs.push(steps);
  }
  const [inc, full] = runs;
  assert.equal(inc[0][1].output, fs.readFileSync(EXPECTED, 'utf8'), 'the first render is real Helm\'s output');
  for (let i = 0; i < inc.length; i++) {
    const [name, a] = inc[i];
    const b = full[i][1];
    assert.equal(a.error, null, `${name}: no error`);
    assert.equal(a.output.length, b.output.length, `${name}: output length`);
    assert.ok(a.output === b.output, `${name}: the incremental output equals the full render's`);
  }
  // The steps change what they should.
  assert.notEqual(inc[1][1].output, inc[0][1].output);
  assert.match(inc[3][1].output, /name: release-name-extra/);
  assert.equal(inc[5][1].output.includes(`# Source: ingress-nginx/${firstTemplate}`), false, 'the deleted template is gone');
  // Each path was the one under test: after the first load the incremental
  // page sent only what changed, the other page everything.
  for (let i = 1; i < inc.length; i++) {
    const [name, a] = inc[i];
    assert.ok(a.timing && a.timing.kept_files > 0, `${name}: files kept in the worker (${JSON.stringify(a.timing)})`);
    assert.ok(a.timing.sent_bytes < values.length + 4096, `${name}: sent ${a.timing.sent_bytes} bytes`);
    assert.equal(full[i][1].timing.kept_files, 0, `${name}: the full page sends every file`);
  }
});
