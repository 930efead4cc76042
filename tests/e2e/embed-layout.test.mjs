// Embeds (issue 21, item 7): read-only by default, editing opt-in with
// editable=1, and a layout that fits narrow frames (~420 px wide, the
// output visible in a 700 px high frame). Also: long file names are shown
// whole in the editor header and the rename box (item 9).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ARTIFACTS, outputText, setEditor, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

/** A page of `width`×`height` framing the app at `query` (as an embedding site would). */
async function framed(query, width = 420, height = 700) {
  const page = await browser.newPage({ viewport: { width: width + 40, height: height + 40 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await page.setContent(`<iframe id="f" src="${server.url}${query}" style="width:${width}px;height:${height}px;border:0"></iframe>`);
  const frame = await (await page.$('#f')).contentFrame();
  await waitForRender(frame);
  return { page, frame, problems };
}

/** How much of #output shows inside the frame (px) and where it starts. */
const outputInFrame = (frame) => frame.$eval('#output', (el) => {
  const r = el.getBoundingClientRect();
  return { top: Math.round(r.top), visible: Math.round(Math.min(r.bottom, innerHeight) - Math.max(r.top, 0)), scroll: document.scrollingElement.scrollHeight - innerHeight };
});

test('a 420×700 embed is read-only by default: no file list, no rename or delete, the output in the frame', async () => {
  const { page, frame, problems } = await framed('?embed=1&file=templates/service.yaml');
  const o = await outputInFrame(frame);
  // Read-only, the output gets most of the frame: at least 40 % of its height.
  assert.ok(o.top < 700 && o.visible >= 0.4 * 700, `output starts at ${o.top} px, ${o.visible} px of it visible`);
  assert.ok(o.scroll <= 1, `the frame itself does not scroll (${o.scroll} px)`);
  assert.equal(await frame.isVisible('nav.files'), false, 'no file list');
  assert.equal(await frame.$('#rename-to'), null);
  assert.equal(await frame.$('#delete-file'), null);
  assert.equal(await frame.$eval('#editor', (e) => e.readOnly), true);
  await frame.waitForFunction(() => window.chartroomEditor);
  assert.equal(await frame.$eval('#code-editor .cm-content', (e) => e.getAttribute('contenteditable')), 'false');
  // Typing into it changes nothing.
  const before = await frame.evaluate(() => window.chartroomEditor.view.state.doc.toString());
  await frame.click('#code-editor .cm-content');
  await page.keyboard.type('zzz');
  await page.keyboard.press('Enter');
  assert.equal(await frame.evaluate(() => window.chartroomEditor.view.state.doc.toString()), before);
  assert.match(await outputText(frame), /kind: Service/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-420.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('editable=1 opts in to editing: the file list, rename and delete show, edits render, the output still fits', async () => {
  const { page, frame, problems } = await framed('?embed=1&editable=1&file=templates/service.yaml');
  assert.equal(await frame.isVisible('nav.files'), true);
  assert.equal(await frame.isVisible('#rename-to'), true);
  assert.equal(await frame.isVisible('#delete-file'), true);
  await frame.waitForFunction(() => window.chartroomEditor);
  const seq = Number(await frame.getAttribute('#output', 'data-seq'));
  await setEditor(frame, 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: edited\n');
  await waitForRender(frame, seq);
  assert.match(await outputText(frame), /name: edited/);
  // The keyboard edits too.
  await frame.click('#code-editor .cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('data: {typed: "yes"}');
  assert.match(await frame.evaluate(() => window.chartroomEditor.view.state.doc.toString()), /data: \{typed: "yes"\}/);
  await frame.waitForFunction(() => /typed: "?yes/.test(document.querySelector('#output').textContent), null, { timeout: 15_000 });
  const o = await outputInFrame(frame);
  // The file list and rename row take room; the output still gets a third.
  assert.ok(o.top < 700 && o.visible >= 700 / 3, `output starts at ${o.top} px, ${o.visible} px visible`);
  assert.ok(o.scroll <= 1, `the frame itself does not scroll (${o.scroll} px)`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'embed-420-editable.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('embeds of other shapes keep the output in the frame: 320×600, 420×500, options=1 (with and without editable=1) at 420×700 and 900×400', async () => {
  for (const [query, width, height, share] of [
    ['?embed=1', 320, 600, 0.3],
    ['?embed=1', 420, 500, 0.3],
    ['?embed=1&editable=1', 420, 500, 0.2],
    // The options bar scrolls in its own box instead of pushing the output out.
    ['?embed=1&options=1', 420, 700, 0.2],
    // Editing and the options bar together (the file list, the rename
    // row and the options all take room): the output still shows.
    ['?embed=1&editable=1&options=1', 420, 700, 0.2],
    // Side by side: the grid row never grows past the frame.
    ['?embed=1&options=1', 900, 400, 0.15],
  ]) {
    const { page, frame, problems } = await framed(query, width, height);
    const o = await outputInFrame(frame);
    const what = `${query} at ${width}×${height}: output starts at ${o.top} px, ${o.visible} px visible, the frame scrolls ${o.scroll} px`;
    assert.ok(o.top < height && o.visible >= share * height, what);
    assert.ok(o.scroll <= 1, what);
    assert.equal(await frame.$eval('.tabs', (t) => t.getBoundingClientRect().height < 40), true, `${query}: the pane tabs are one row`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('long file names are shown whole in the editor header and the rename box', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
  await page.waitForFunction(() => window.chartroomEditor);
  await waitForRender(page);
  const name = 'a-rather-long-template-name-for-the-deployment-of-the-frontend.yaml';
  await page.fill('#new-file-name', name);
  await page.click('#add-file');
  await page.waitForFunction((n) => document.querySelector('#editor-label')?.textContent === `templates/${n}`, name);
  const label = await page.$eval('#editor-label', (el) => ({ text: el.textContent, cut: el.scrollWidth > el.clientWidth + 1, right: el.getBoundingClientRect().right, paneRight: el.closest('.editor-pane').getBoundingClientRect().right }));
  assert.equal(label.cut, false, 'the header shows the whole path');
  assert.ok(label.right <= label.paneRight + 1);
  const box = await page.$eval('#rename-to', (el) => ({ value: el.value, cut: el.scrollWidth > el.clientWidth + 1 }));
  assert.equal(box.value, name);
  assert.equal(box.cut, false, 'the rename box shows the whole name');
  await page.close();
});
