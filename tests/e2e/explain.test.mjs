// The Explain panel (issue 15): coverage per template file and the origin of
// every value, from the worker's traced render. The origins checked are the
// lines of hello-world's own values.yaml (shared conformance chart).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, openApp, openFile, setEditor, sharedDir, shownSeq, startApp, stopApp, waitForRender,
} from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

test('the Explain panel shows coverage per template and where each value came from', async () => {
  const valuesFile = path.join(sharedDir(), 'conformance/charts/hello-world/values.yaml');
  assert.ok(fs.existsSync(valuesFile), `missing ${valuesFile} (set CHARTROOM_SHARED to the shared dir)`);
  const lines = fs.readFileSync(valuesFile, 'utf8').split('\n');
  const lineOf = (re) => lines.findIndex((l) => re.test(l)) + 1;

  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  await openExplain(page);
  const files = await page.$$eval('[data-testid=explain-coverage] td.file', (tds) => tds.map((td) => td.textContent));
  assert.ok(files.includes('hello-world/templates/deployment.yaml'), files.join(', '));
  assert.ok(files.includes('hello-world/templates/_helpers.tpl'), files.join(', '));
  const origins = Object.fromEntries(await page.$$eval('[data-testid=explain-values] tbody tr', (trs) =>
    trs.map((tr) => [tr.querySelector('.path').textContent, tr.querySelector('.origin').textContent])));
  assert.equal(origins.replicaCount, `values.yaml:${lineOf(/^replicaCount:/)}`);
  assert.equal(origins['image.pullPolicy'], `values.yaml:${lineOf(/^  pullPolicy:/)}`);
  assert.deepEqual(problems, []);
  await page.close();
});

// Clicks the manifest pane on the first text that contains `needle`, after
// scrolling that line into view (the output's nearest scrolling ancestor,
// then the window).
async function clickManifestText(page, needle) {
  const at = await page.evaluate((needle) => {
    const pre = document.getElementById('output');
    // The output's text nodes, one per piece (manifest_pane.rs).
    const node = [...pre.querySelectorAll('.out-chunk')].map((d) => d.firstChild).find((n) => n.data.includes(needle));
    const i = node.data.indexOf(needle);
    const r = document.createRange();
    r.setStart(node, i + 1);
    r.setEnd(node, i + 2);
    for (let el = pre; el; el = el.parentElement) {
      if (el.scrollHeight > el.clientHeight && /auto|scroll/.test(getComputedStyle(el).overflowY)) {
        el.scrollTop += r.getBoundingClientRect().top - el.getBoundingClientRect().top - el.clientHeight / 3;
      }
    }
    window.scrollBy(0, r.getBoundingClientRect().top - window.innerHeight / 3);
    const b = r.getBoundingClientRect();
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  }, needle);
  await page.mouse.click(at.x, at.y);
}

test('a click on a manifest line names and opens the template line that wrote it', async () => {
  const tplFile = path.join(sharedDir(), 'conformance/charts/hello-world/templates/deployment.yaml');
  assert.ok(fs.existsSync(tplFile), `missing ${tplFile} (set CHARTROOM_SHARED to the shared dir)`);
  const tpl = fs.readFileSync(tplFile, 'utf8').split('\n');
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  for (const needle of ['kind: Deployment', 'containerPort:']) {
    await clickManifestText(page, needle);
    await page.waitForFunction(() => document.querySelector('[data-testid=source-hint]').textContent.includes('←'));
    const hint = await page.textContent('[data-testid=source-hint]');
    const m = /← hello-world\/templates\/deployment\.yaml:(\d+)$/.exec(hint);
    assert.ok(m, `hint: ${hint}`);
    assert.ok(tpl[Number(m[1]) - 1].includes(needle.trim()), `template line ${m[1]}: ${tpl[Number(m[1]) - 1]} (want ${needle})`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the file tree shows each template\'s line coverage, the same as the Explain panel', async () => {
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  const sel = '[data-testid="cov-templates/deployment.yaml"]';
  await page.waitForSelector(sel);
  const tree = (await page.textContent(sel)).trim();
  assert.match(tree, /^\d+%$/);
  await openExplain(page);
  const panel = await page.$$eval('[data-testid=explain-coverage] tbody tr', (trs) =>
    trs.map((tr) => [tr.querySelector('td.file').textContent, tr.querySelectorAll('td')[1].textContent]));
  const row = panel.find(([f]) => f === 'hello-world/templates/deployment.yaml');
  assert.ok(row, JSON.stringify(panel));
  assert.equal(tree, row[1]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the editor gutter marks each action line as ran, never ran or a branch never taken', async () => {
  const helpers = fs.readFileSync(path.join(sharedDir(), 'conformance/charts/hello-world/templates/_helpers.tpl'), 'utf8').split('\n');
  const lineOf = (re) => helpers.findIndex((l) => re.test(l)) + 1;
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  await page.waitForFunction(() => window.chartroomEditor);
  // Line number → mark, read from the gutter through CodeMirror's view.
  const marks = () => page.evaluate(() => {
    const view = window.chartroomEditor.view;
    const out = {};
    for (const el of document.querySelectorAll('.cm-cov[data-cov]')) {
      const y = el.getBoundingClientRect().top + 2 - view.documentTop;
      out[view.state.doc.lineAt(view.lineBlockAtHeight(y).from).number] = el.dataset.cov;
    }
    return out;
  });
  await openFile(page, 'templates/deployment.yaml');
  await page.waitForSelector('.cm-cov[data-cov]');
  const dep = await marks();
  assert.equal(dep[4], 'ran', JSON.stringify(dep)); // name: {{ include "hello-world.fullname" . }}
  assert.equal(dep[1], undefined, JSON.stringify(dep)); // apiVersion: apps/v1 (no action)
  await openFile(page, 'templates/_helpers.tpl');
  await page.waitForFunction(() => document.querySelectorAll('.cm-cov[data-cov]').length > 3);
  const h = await marks();
  // fullnameOverride is "": the if never takes its first branch.
  assert.equal(h[lineOf(/if \.Values\.fullnameOverride/)], 'partial', JSON.stringify(h));
  assert.equal(h[lineOf(/\.Values\.fullnameOverride \| trunc 63/)], 'missed', JSON.stringify(h));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the caret on a template line highlights the output lines it produced', async () => {
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  await page.waitForFunction(() => window.chartroomEditor);
  await openFile(page, 'templates/deployment.yaml');
  await page.evaluate(() => window.chartroomEditor.focusAt(2, 1)); // kind: Deployment
  await page.waitForSelector('#output .caret-out');
  const hint = await page.textContent('[data-testid=caret-hint]');
  assert.match(hint, /^template line 2 → 1 output line$/);
  const check = await page.evaluate(() => {
    const pre = document.getElementById('output');
    // The output's text nodes, one per piece (manifest_pane.rs).
    const nodes = [...pre.querySelectorAll('.out-chunk')].map((d) => d.firstChild);
    const text = nodes.map((n) => n.data).join('');
    const lines = text.split('\n');
    return [...pre.querySelectorAll('.caret-out')].map((band) => {
      const i = Number(band.dataset.line);
      // Where the browser draws line i, against where the band is.
      let start = lines.slice(0, i).reduce((a, l) => a + l.length + 1, 0);
      const node = nodes.find((n) => {
        if (start < n.data.length) return true;
        start -= n.data.length;
        return false;
      });
      const r = document.createRange();
      r.setStart(node, start);
      r.setEnd(node, start + Math.max(1, lines[i].length));
      return { text: lines[i], lineTop: r.getBoundingClientRect().top, bandTop: band.getBoundingClientRect().top };
    });
  });
  assert.equal(check.length, 1, JSON.stringify(check));
  assert.equal(check[0].text, 'kind: Deployment');
  assert.ok(Math.abs(check[0].lineTop - check[0].bandTop) < 4, JSON.stringify(check));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a manifest line written through include names the include chain', async () => {
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  const needle = 'app.kubernetes.io/name: hello-world';
  await clickManifestText(page, needle);
  await page.waitForFunction(() => document.querySelector('[data-testid=source-hint]').textContent.includes('←'));
  const hint = await page.textContent('[data-testid=source-hint]');
  // Written in _helpers.tpl (selectorLabels), reached through include calls.
  assert.match(hint, /← hello-world\/templates\/_helpers\.tpl:\d+ \(via hello-world\/templates\/[^ ]+:\d+( ← hello-world\/templates\/[^ ]+:\d+)*\)$/, hint);
  assert.deepEqual(problems, []);
  await page.close();
});

// Values origins in the page (issue 15 items 3-4): hover and click.

const helloValues = () => {
  const file = path.join(sharedDir(), 'conformance/charts/hello-world/values.yaml');
  assert.ok(fs.existsSync(file), `missing ${file} (set CHARTROOM_SHARED to the shared dir)`);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  return (re) => lines.findIndex((l) => re.test(l)) + 1;
};

/**
 * Opens the Explain panel. Renders work out the values' origins only while
 * it is open, so opening it renders again: the values table comes with
 * that render.
 */
async function openExplain(page) {
  await page.click('[data-testid=explain] summary');
  await page.waitForSelector('[data-testid=explain-values] tbody tr', { timeout: 30_000 });
}

/** The Explain panel's row of value path `p`. */
const valueRow = (page, p) => page.locator(`[data-testid=explain-values] tr[data-path="${p}"]`);

/** Clicks the origin of value path `p`; returns the origin's text. */
async function clickOrigin(page, p) {
  const row = valueRow(page, p);
  const origin = await row.locator('td.origin').textContent();
  await row.locator('.origin-link').click();
  return origin;
}

/** Waits until the editor shows `label` with its caret on `line`. */
async function waitForEditorAt(page, label, line) {
  await page.waitForFunction(([label, line]) => document.querySelector('#editor-label')?.textContent === label
    && window.chartroomEditor?.caretLine() === line, [label, line], { timeout: 10_000 }).catch(() => {});
  const at = await page.evaluate(() => ({
    label: document.querySelector('#editor-label')?.textContent,
    line: window.chartroomEditor?.caretLine(),
    text: window.chartroomEditor ? window.chartroomEditor.view.state.doc.line(window.chartroomEditor.caretLine()).text : null,
  }));
  assert.deepEqual({ label: at.label, line: at.line }, { label, line });
  return at.text;
}

test('hovering a value shows its origin: a --set line over values.yaml names both', async () => {
  const lineOf = helloValues();
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  const seq = await shownSeq(page);
  await page.fill('#set', 'image.tag=1.2');
  await waitForRender(page, seq);
  await openExplain(page);
  const row = valueRow(page, 'image.tag');
  const tip = row.locator('[data-testid=origin-tip]');
  assert.equal(await tip.isVisible(), false, 'the origin shows on hover only');
  await row.locator('td.value').hover();
  await tip.waitFor({ state: 'visible', timeout: 5_000 });
  const value = await row.locator('td.value').textContent();
  assert.equal(value, '"1.2"');
  assert.equal(await tip.textContent(),
    `image.tag: "1.2" ← --set image.tag=1.2 (overrode values.yaml:${lineOf(/^  tag:/)})`);
  // A key only values.yaml sets names its line and nothing it overrode.
  const policy = valueRow(page, 'image.pullPolicy');
  await policy.locator('td.value').hover();
  assert.equal(await policy.locator('[data-testid=origin-tip]').textContent(),
    `image.pullPolicy: IfNotPresent ← values.yaml:${lineOf(/^  pullPolicy:/)}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking an origin opens values.yaml or a -f file at its line, or selects its --set line', async () => {
  const lineOf = helloValues();
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  await page.waitForFunction(() => window.chartroomEditor);
  await page.fill('#new-values-name', 'prod.yaml');
  await page.click('#add-values');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === '-f:prod.yaml');
  let seq = await shownSeq(page);
  await setEditor(page, '# production\nservice:\n  port: 8080\n');
  await waitForRender(page, seq);
  seq = await shownSeq(page);
  await page.fill('#set', 'nameOverride=web\nreplicaCount=3');
  await waitForRender(page, seq);
  await openExplain(page);

  const pull = lineOf(/^  pullPolicy:/);
  assert.equal(await clickOrigin(page, 'image.pullPolicy'), `values.yaml:${pull}`);
  assert.match(await waitForEditorAt(page, 'values.yaml', pull), /^\s*pullPolicy: IfNotPresent/);

  assert.equal(await clickOrigin(page, 'service.port'), '-f prod.yaml:3');
  assert.equal(await waitForEditorAt(page, '-f:prod.yaml', 3), '  port: 8080');

  assert.equal(await clickOrigin(page, 'replicaCount'), '--set replicaCount=3');
  await page.waitForFunction(() => document.activeElement?.id === 'set');
  const picked = await page.evaluate(() => {
    const el = document.activeElement;
    return el.value.slice(el.selectionStart, el.selectionEnd);
  });
  assert.equal(picked, 'replicaCount=3');
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking a subchart value\'s origin opens the subchart\'s values.yaml at its line', async () => {
  const file = path.join(ROOT, 'public/examples/umbrella/charts/backend/values.yaml');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const nameLine = lines.findIndex((l) => /^  name:/.test(l)) + 1;
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  await page.waitForFunction(() => window.chartroomEditor);
  const seq = await shownSeq(page);
  await page.selectOption('#examples', 'umbrella');
  await page.click('#pending-open');
  await waitForRender(page, seq);
  await openExplain(page);
  assert.equal(await clickOrigin(page, 'backend.image.name'), `charts/backend/values.yaml:${nameLine}`);
  assert.equal(await waitForEditorAt(page, 'charts/backend/values.yaml', nameLine), lines[nameLine - 1]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('values no template read are faded and listed: a branch never taken, a key nothing reads', async () => {
  // serviceaccount.yaml reads serviceAccount.annotations only inside
  // `if .Values.serviceAccount.create`; no template reads extra.key.
  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  const seq = await shownSeq(page);
  await page.fill('#set', 'serviceAccount.create=false\nextra.key=1');
  await waitForRender(page, seq);
  await openExplain(page);
  const listed = await page.$$eval('[data-testid=explain-unused] li', (lis) => lis.map((li) => li.textContent));
  for (const p of ['serviceAccount.annotations', 'extra.key']) {
    assert.ok(listed.includes(p), `${p} not in ${listed.join(', ')}`);
    assert.match(await valueRow(page, p).getAttribute('class'), /\bunused\b/);
    await valueRow(page, p).locator('td.value').hover();
    assert.match(await valueRow(page, p).locator('[data-testid=origin-tip]').textContent(), / — no template read this value$/);
  }
  for (const p of ['replicaCount', 'serviceAccount.create', 'image.repository']) {
    assert.ok(!listed.includes(p), `${p} is read by the templates`);
    assert.doesNotMatch((await valueRow(page, p).getAttribute('class')) ?? '', /\bunused\b/);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
