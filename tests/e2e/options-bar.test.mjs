// Browser test of the options bar's layout and keyboard use: at 1280×800
// the everyday options sit in at most two rows and nothing leaves the
// viewport; the rarer ones are behind the "More options" disclosure; every
// control is reached by Tab and has an accessible name (as Chromium's
// accessibility tree computes it, read over CDP); the bar stays inside the
// viewport at 1024 and 768 px wide. Prints the bar's measured heights.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, outputText, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

// Every control of the bar and the name a screen reader announces for it.
const MAIN = {
  'release-name': 'Release name',
  namespace: 'Namespace',
  set: '--set',
  'show-only': 'Show only',
  'is-upgrade': 'is-upgrade',
  'include-crds': 'include CRDs',
  'skip-tests': 'skip tests',
  'post-renderer-on': '--post-renderer (choose one in Plugins)',
  'post-renderer-args': '--post-renderer-args, one per line',
  'more-options-toggle': 'More options',
};
const MORE = {
  'kube-version': 'Kube version',
  'api-versions': 'API versions',
  'set-string': '--set-string',
  'set-json': '--set-json',
  'set-literal': '--set-literal',
  'set-file': '--set-file',
  'helm-version': 'Helm version',
  'fixed-seed': 'fixed seed',
  seed: 'Random seed (a whole number)',
  'fixed-now': 'fixed clock',
  now: 'Fixed time for now (RFC 3339)',
};

/** Chromium's computed accessible name of the element with this id. */
async function accessibleName(cdp, id) {
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: `#${CSS_escape(id)}` });
  assert.ok(nodeId, `#${id} exists`);
  const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
  return nodes[0]?.name?.value ?? '';
}

const CSS_escape = (id) => id.replace(/[^a-zA-Z0-9_-]/g, (c) => `\\${c}`);

/** Where the bar's controls are; whether any leaves the viewport. */
async function layout(page) {
  return page.evaluate(() => {
    const bar = document.querySelector('.options-bar');
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const controls = [...bar.querySelectorAll('input, textarea, select, button')].filter(visible);
    const outside = controls
      .map((el) => ({ id: el.id, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.left < 0 || r.right > window.innerWidth + 0.5)
      .map(({ id, r }) => `${id} ${Math.round(r.left)}..${Math.round(r.right)}`);
    // Rows of the main part: items that overlap vertically share a row.
    const boxes = [...bar.querySelector('.options-main').children]
      .map((el) => el.getBoundingClientRect()).sort((x, y) => x.top - y.top);
    let mainRows = 0;
    let rowBottom = -Infinity;
    for (const r of boxes) {
      if (r.top >= rowBottom) {
        mainRows += 1;
        rowBottom = r.bottom;
      } else rowBottom = Math.max(rowBottom, r.bottom);
    }
    return {
      inner: window.innerWidth,
      scroll: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
      barScroll: bar.scrollWidth,
      barWidth: bar.clientWidth,
      barHeight: Math.round(bar.getBoundingClientRect().height),
      mainRows,
      outside,
      shown: controls.map((el) => el.id),
    };
  });
}

/** Tabs from the control before the bar until focus leaves it; the ids focused in the bar, in order. */
async function tabThroughBar(page) {
  await page.evaluate(() => {
    const all = [...document.querySelectorAll('a[href], button, input, textarea, select, summary, [tabindex]')]
      .filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0);
    const bar = document.querySelector('.options-bar');
    const first = all.findIndex((el) => bar.contains(el));
    all[first - 1].focus();
  });
  const seen = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      return { id: el?.id ?? '', inBar: !!el?.closest('.options-bar') };
    });
    if (!at.inBar) break;
    seen.push(at.id);
  }
  return seen;
}

test('1280×800: the options bar fits in two rows at most, every control labelled and reached by Tab', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, problems } = await openApp(ctx, server.url);
  let seq = await waitForRender(page);
  const cdp = await ctx.newCDPSession(page);

  // Folded: the everyday options only, in at most two rows, inside the window.
  let l = await layout(page);
  assert.equal(await page.getAttribute('#more-options-toggle', 'aria-expanded'), 'false');
  assert.equal(await page.isVisible('#more-options'), false);
  assert.ok(l.mainRows <= 2, `main rows: ${l.mainRows}`);
  assert.deepEqual(l.outside, []);
  assert.ok(l.scroll <= l.inner && l.barScroll <= l.barWidth, JSON.stringify(l));
  assert.deepEqual(l.shown.sort(), Object.keys(MAIN).sort());
  const folded = l;

  // Tab reaches every enabled control, in reading order. (The post-renderer
  // switch is disabled until a plugin is chosen, so Tab skips it.)
  let order = await tabThroughBar(page);
  assert.deepEqual(order, Object.keys(MAIN).filter((id) => id !== 'post-renderer-on'));
  assert.equal(await page.isDisabled('#post-renderer-on'), true);

  // The disclosure opens from the keyboard (Enter on the focused toggle).
  await page.focus('#more-options-toggle');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#more-options-toggle', 'aria-expanded'), 'true');
  assert.equal(await page.isVisible('#more-options'), true);
  l = await layout(page);
  assert.deepEqual(l.outside, []);
  assert.ok(l.scroll <= l.inner && l.barScroll <= l.barWidth, JSON.stringify(l));
  assert.deepEqual(l.shown.sort(), [...Object.keys(MAIN), ...Object.keys(MORE)].sort());
  console.log(`# options bar at 1280x800: ${folded.barHeight} px high folded (${folded.mainRows} row), ${l.barHeight} px unfolded`);

  // Every control, shown or not, has the name it is meant to have.
  for (const [id, name] of Object.entries({ ...MAIN, ...MORE })) {
    assert.equal(await accessibleName(cdp, id), name, `#${id}`);
  }

  // Seed and clock fields are enabled by their switches (Space), then reached by Tab.
  await page.focus('#fixed-seed');
  await page.keyboard.press('Space');
  await page.focus('#fixed-now');
  await page.keyboard.press('Space');
  order = await tabThroughBar(page);
  assert.deepEqual(order, [...Object.keys(MAIN), ...Object.keys(MORE)].filter((id) => id !== 'post-renderer-on'));

  // Options in use behind a folded disclosure are counted on its toggle.
  await page.fill('#kube-version', '1.29.0');
  seq = await waitForRender(page, seq);
  assert.match(await page.textContent('#cli'), /--kube-version 1\.29\.0/);
  await page.click('#more-options-toggle');
  assert.equal(await page.isVisible('#more-options'), false);
  // kube version + fixed seed + fixed clock
  assert.equal(await page.textContent('#more-options-count'), '3 in use');
  assert.equal(await accessibleName(cdp, 'more-options-toggle'), 'More options (3 in use)');
  assert.ok((await outputText(page)).length > 0);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('Helm version: v4.2.4 chosen under More options shows in the tagline, the command note and the count', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page, problems } = await openApp(ctx, server.url);
  let seq = await waitForRender(page);
  assert.equal(await page.textContent('#tagline'), 'Helm v4.2.3 playground — rendered in your browser');
  await page.click('#more-options-toggle');
  assert.equal(await page.inputValue('#helm-version'), '4.2.3');
  await page.selectOption('#helm-version', '4.2.4');
  seq = await waitForRender(page, seq);
  assert.equal(await page.textContent('#tagline'), 'Helm v4.2.4 playground — rendered in your browser');
  assert.match(await page.textContent('#cli-note'), /output of Helm v4\.2\.4/);
  await page.click('#more-options-toggle');
  assert.equal(await page.textContent('#more-options-count'), '1 in use');
  assert.ok((await outputText(page)).length > 0);
  assert.deepEqual(problems, []);
  await ctx.close();
});

for (const [width, height] of [[1024, 768], [768, 1024]]) {
  test(`${width} px wide: the options bar stays inside the window, folded and unfolded`, async () => {
    const ctx = await browser.newContext({ viewport: { width, height } });
    const { page, problems } = await openApp(ctx, server.url);
    await waitForRender(page);
    let l = await layout(page);
    assert.deepEqual(l.outside, []);
    assert.ok(l.scroll <= l.inner && l.barScroll <= l.barWidth, JSON.stringify(l));
    const folded = l.barHeight;
    await page.click('#more-options-toggle');
    l = await layout(page);
    assert.deepEqual(l.outside, []);
    assert.ok(l.scroll <= l.inner && l.barScroll <= l.barWidth, JSON.stringify(l));
    assert.equal(l.shown.length, Object.keys(MAIN).length + Object.keys(MORE).length);
    // Every field can still be typed in.
    await page.fill('#set-json', 'a={"b":1}');
    assert.equal(await page.inputValue('#set-json'), 'a={"b":1}');
    console.log(`# options bar at ${width}x${height}: ${folded} px high folded, ${l.barHeight} px unfolded`);
    assert.deepEqual(problems, []);
    await ctx.close();
  });
}
