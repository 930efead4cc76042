// Opening a bundle and importing a .tgz follow one rule (issue 21, item 9):
// at once when no work of the user's would be lost (the untouched example,
// or what was last opened and is still unedited), after a confirmation
// when the current work has edits. Before, a bundle asked in a fresh
// profile while a .tgz import did not.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, openApp, outputText, shownSeq, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

/** Waits until the shown output matches `re` and nothing is rendering. */
const waitForOutput = (page, re) => page.waitForFunction(
  (src) => new RegExp(src).test(document.querySelector('#output')?.textContent ?? '')
    && !document.querySelector('#status').classList.contains('busy'),
  re.source,
  { timeout: 30_000 },
);

/** Waits for the pending prompt and says whether it appeared; a shown output matching `opened` means it opened at once. */
async function openedAtOnce(page, opened) {
  await Promise.race([page.waitForSelector('#pending-link'), waitForOutput(page, opened)]);
  return (await page.$('#pending-link')) === null;
}

test('a bundle and a .tgz import open at once without user work to lose, and both ask over edits', async () => {
  // The two files, made in another profile: a .tgz of the example with
  // replicaCount 4 (Download chart), and a bundle of the example with the
  // release name "from-bundle" (a share link's fragment is a bundle's text).
  const maker = await openApp(browser, server.url);
  let seq = await waitForRender(maker.page);
  await maker.page.fill('#release-name', 'from-bundle');
  seq = await waitForRender(maker.page, seq);
  await maker.page.click('#copy-link');
  const link = await maker.page.inputValue('#share-url');
  const bundlePath = path.join(ARTIFACTS, 'open-confirm.chartroom');
  fs.writeFileSync(bundlePath, link.slice(link.indexOf('#') + 1));
  await maker.page.fill('#release-name', 'release-name');
  seq = await waitForRender(maker.page, seq);
  await maker.page.click('[data-testid="file-values.yaml"]');
  await maker.page.evaluate(() => {
    const v = window.chartroomEditor.view;
    const text = v.state.doc.toString().replace(/^replicaCount: \d+$/m, 'replicaCount: 4');
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text }, userEvent: 'input.paste' });
  });
  await waitForOutput(maker.page, / {2}replicas: 4\n/);
  const [download] = await Promise.all([maker.page.waitForEvent('download'), maker.page.click('#download-chart')]);
  const tgzPath = path.join(ARTIFACTS, 'open-confirm.tgz');
  await download.saveAs(tgzPath);
  assert.deepEqual(maker.problems, []);
  await maker.page.close();

  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  // A fresh profile: the bundle opens at once.
  await page.setInputFiles('#open-bundle', bundlePath);
  assert.equal(await openedAtOnce(page, /from-bundle/), true, 'bundle over the example');
  assert.match(await page.textContent('#notice'), /Opened: The bundle\./);
  // The bundle, unedited, is no work of the user's: the import opens at once
  // (the bundle is kept as a named workspace, and Undo brings it back).
  await page.setInputFiles('#import-file', tgzPath);
  assert.equal(await openedAtOnce(page, / {2}replicas: 4\n/), true, '.tgz over the unedited bundle');
  assert.match(await page.textContent('#notice'), /Opened: The imported chart open-confirm\.tgz\..*Undo|Opened: The imported chart open-confirm\.tgz\..*saved as/);
  // And the other way round.
  await page.setInputFiles('#open-bundle', bundlePath);
  assert.equal(await openedAtOnce(page, /from-bundle/), true, 'bundle over the unedited import');

  // With an edit, both ask first; keeping the work keeps it.
  let shown = await shownSeq(page);
  await page.fill('#release-name', 'mine');
  shown = await waitForRender(page, shown);
  const mine = await outputText(page);
  for (const [input, file, text] of [
    ['#import-file', tgzPath, /^The imported chart open-confirm\.tgz \(\d+ files\) is ready to open\./],
    ['#open-bundle', bundlePath, /^The bundle \(\d+ files\) is ready to open\./],
  ]) {
    await page.setInputFiles(input, file);
    await page.waitForSelector('#pending-link');
    assert.match(await page.textContent('#pending-text'), text);
    await page.click('#pending-keep');
    assert.equal(await page.$('#pending-link'), null);
    assert.equal(await page.inputValue('#release-name'), 'mine');
    assert.equal(await outputText(page), mine);
  }
  // Opening it then replaces the edited work (kept as "Before …").
  await page.setInputFiles('#open-bundle', bundlePath);
  await page.click('#pending-open');
  await waitForOutput(page, /from-bundle/);
  assert.match(await page.textContent('#notice'), /Your previous work was saved as "Before /);
  assert.deepEqual(problems, []);
  await page.close();
});
