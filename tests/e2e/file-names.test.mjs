// Long file names are shown whole (issue 21, item 9): the editor header
// wraps the path, and the rename box wraps and grows with the name instead
// of cutting it — also where the editor pane is narrower than the name
// (1280 px: a 67-character name does not fit on one line). Enter renames.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, outputText, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

const NAME = 'a-rather-long-template-name-for-the-deployment-of-the-frontend.yaml';

/** Whether the editor header and the rename box show all of their text, inside the editor pane. */
const shownWhole = (page) => page.evaluate(() => {
  const pane = document.querySelector('.editor-pane').getBoundingClientRect();
  const inPane = (el) => { const r = el.getBoundingClientRect(); return r.left >= pane.left - 1 && r.right <= pane.right + 1; };
  const whole = (el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1;
  const label = document.querySelector('#editor-label');
  const box = document.querySelector('#rename-to');
  return { label: whole(label) && inPane(label), box: whole(box) && inPane(box), value: box.value, pageScroll: document.documentElement.scrollWidth > innerWidth };
});

for (const [width, height] of [[1280, 800], [1440, 900], [1024, 768]]) {
  test(`${width}×${height}: a long name is shown whole in the editor header and the rename box; Enter renames`, async () => {
    const { page, problems } = await openApp(browser, server.url);
    await page.setViewportSize({ width, height });
    let seq = await waitForRender(page);
    await page.fill('#new-file-name', NAME);
    await page.click('#add-file');
    await page.waitForFunction((n) => document.querySelector('#editor-label')?.textContent === `templates/${n}`, NAME);
    seq = await waitForRender(page, seq);
    assert.deepEqual(await shownWhole(page), { label: true, box: true, value: NAME, pageScroll: false });
    // A longer name typed in the box still shows whole; Enter renames (no newline in the name).
    const renamed = NAME.replace('.yaml', '-with-an-even-longer-suffix.yaml');
    await page.fill('#rename-to', renamed);
    assert.deepEqual(await shownWhole(page), { label: true, box: true, value: renamed, pageScroll: false });
    await page.press('#rename-to', 'Enter');
    await page.waitForFunction((n) => document.querySelector('#editor-label')?.textContent === `templates/${n}`, renamed);
    await waitForRender(page, seq);
    assert.match(await outputText(page), new RegExp(`# Source: hello-world/templates/${renamed.replace(/\./g, '\\.')}\n`));
    assert.deepEqual(problems, []);
    await page.close();
  });
}
