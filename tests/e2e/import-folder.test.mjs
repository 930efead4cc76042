// Browser test of importing a chart FOLDER by drag and drop.
//
// Playwright cannot build a real directory drop, so the test dispatches
// dragover/drop events whose dataTransfer.items[i].webkitGetAsEntry() gives
// mock FileSystemDirectoryEntry/FileSystemFileEntry objects built from a
// folder on disk (tests/e2e/fixtures/dropped-folder/shop): readEntries()
// hands out a folder's entries in batches, as Chromium does (at most 100 a
// call, then an empty batch: here 100, 5, the rest, then []), and file()
// gives real File objects.
//
// The expected manifest is real Helm's: `helm-oracle
// tests/e2e/fixtures/dropped-folder/shop --format helm-template` (Helm
// v4.2.3, `helm template release-name ./shop`), saved as
// fixtures/dropped-folder-shop.helm-template.yaml. Which files Helm's
// loader leaves out of that folder (its .helmignore, and its default rule
// for dotfiles in templates/) is written out below from Helm's pkg/ignore,
// not asked of the app.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, openApp, outputText, shownSeq, startApp, stopApp, waitForRender } from './harness.mjs';

const FIX = path.join(ROOT, 'tests', 'e2e', 'fixtures');
const DROPS = path.join(FIX, 'dropped-folder');

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));

after(() => stopApp({ server, browser }));

/** A folder on disk as { name, dirs: [...], files: [[name, base64]] }, dotfiles included. */
function folderSpec(dir, name = path.basename(dir)) {
  const spec = { name, dirs: [], files: [] };
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) spec.dirs.push(folderSpec(p, e.name));
    else spec.files.push([e.name, fs.readFileSync(p).toString('base64')]);
  }
  return spec;
}

/** Every file path of a spec, relative to its top folder. */
function specPaths(spec, prefix = '') {
  return [
    ...spec.files.map(([n]) => prefix + n),
    ...spec.dirs.flatMap((d) => specPaths(d, `${prefix}${d.name}/`)),
  ];
}

/**
 * Drops `spec` (a folder) on the page: dragover then drop on <main>, with
 * mock FileSystemEntry objects. Resolves to { overlayShown, handled } and
 * records each readEntries batch size per folder in window.__batches.
 */
async function dropFolder(page, spec) {
  return page.evaluate((spec) => {
    window.__batches = {};
    // Chromium's FileSystemDirectoryReader: at most 100 entries a call; the
    // mock also makes a short batch in the middle, so a reader that stops at
    // the first batch under 100 (instead of the empty one) misses files.
    const SIZES = [100, 5];
    const later = (f) => setTimeout(f, 0);
    const fileEntry = (name, fullPath, b64) => ({
      isFile: true,
      isDirectory: false,
      name,
      fullPath,
      file(ok) {
        later(() => ok(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name)));
      },
    });
    const dirEntry = (d, fullPath) => ({
      isFile: false,
      isDirectory: true,
      name: d.name,
      fullPath,
      createReader() {
        const children = [
          ...d.files.map(([n, b64]) => fileEntry(n, `${fullPath}/${n}`, b64)),
          ...d.dirs.map((sub) => dirEntry(sub, `${fullPath}/${sub.name}`)),
        ];
        let pos = 0;
        let call = 0;
        return {
          readEntries(ok) {
            const n = call < SIZES.length ? SIZES[call] : Infinity;
            call += 1;
            const batch = children.slice(pos, pos + n);
            pos += batch.length;
            (window.__batches[fullPath] ??= []).push(batch.length);
            later(() => ok(batch));
          },
        };
      },
    });
    const root = dirEntry(spec, `/${spec.name}`);
    const dataTransfer = {
      types: ['Files'],
      items: [{ kind: 'file', type: '', webkitGetAsEntry: () => root, getAsFile: () => null }],
      files: [],
      dropEffect: 'none',
      effectAllowed: 'all',
    };
    const fire = (type) => {
      const ev = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(ev, 'dataTransfer', { value: dataTransfer });
      return document.querySelector('main').dispatchEvent(ev);
    };
    fire('dragover');
    const overlayShown = new Promise((resolve) => requestAnimationFrame(() => {
      resolve(getComputedStyle(document.querySelector('#drop-overlay') ?? document.body).display !== 'none'
        && !!document.querySelector('#drop-overlay'));
    }));
    return overlayShown.then((shown) => ({ overlayShown: shown, handled: !fire('drop') }));
  }, spec);
}

async function fileTree(page) {
  return page.$$eval('#file-list [data-testid^="file-"]', (els) => els.map((e) => e.dataset.testid.slice('file-'.length)));
}

test('drop a chart folder: >100 entries read in batches, .helmignore applied, renders like helm', async () => {
  const expected = fs.readFileSync(path.join(FIX, 'dropped-folder-shop.helm-template.yaml'), 'utf8');
  const spec = folderSpec(path.join(DROPS, 'shop'));
  // A version-control folder, as a real checkout has (git cannot hold one in the fixture).
  spec.dirs.push({ name: '.git', dirs: [], files: [['HEAD', btoa('ref: refs/heads/main\n')]] });
  const templates = spec.dirs.find((d) => d.name === 'templates');
  assert.ok(templates.files.length > 100, `templates/ has ${templates.files.length} files`);
  // What Helm's LoadDir leaves out of this folder: .helmignore's `*.bak` and
  // `drafts/`, and its default `templates/.?*`.
  const leftOut = ['templates/.scratch.yaml', 'templates/old-configmap.yaml.bak', 'drafts/ideas.md'];
  const want = specPaths(spec).filter((p) => !leftOut.includes(p) && !p.startsWith('.git/')).sort();
  assert.equal(want.length, specPaths(spec).length - 4);

  const { page, problems } = await openApp(browser, server.url);
  await waitForRender(page);
  const { overlayShown, handled } = await dropFolder(page, spec);
  assert.equal(overlayShown, true, 'dragover shows the drop overlay');
  assert.equal(handled, true, 'the page takes the drop (preventDefault)');
  // The untouched example is replaced at once.
  await page.waitForFunction((m) => document.querySelector('#output').textContent === m
    && !document.querySelector('#status').classList.contains('busy'), expected, { timeout: 60_000 });
  assert.equal(await outputText(page), expected);
  assert.equal(await page.isVisible('#drop-overlay'), false);
  assert.equal(await page.textContent('#notice > span'),
    'Opened: The imported chart folder shop, 3 files left out by Helm\'s .helmignore rules and 1 version-control file left out.');

  // The file tree: exactly the chart's files, under folder rows.
  assert.deepEqual((await fileTree(page)).sort(), want);
  const folders = await page.$$eval('#file-list li.folder', (els) => els.map((e) => e.dataset.folder));
  assert.ok(folders.includes('charts/cache/templates') && folders.includes('templates'), folders.join(' '));
  assert.equal(await page.textContent('#cli'), 'helm template release-name ./shop');

  // readEntries was called until it gave an empty batch, in every folder.
  const batches = await page.evaluate(() => window.__batches);
  assert.deepEqual(batches['/shop/templates'], [100, 5, templates.files.length - 105, 0]);
  for (const [dir, sizes] of Object.entries(batches)) assert.equal(sizes.at(-1), 0, `${dir}: ${sizes}`);
  assert.ok(batches['/shop/charts/cache/templates'], Object.keys(batches).join(' '));
  assert.deepEqual(problems, []);
  await page.close();
});

test('drop a folder that is not a chart: a clear error, the current work untouched', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  // Some work of one's own first.
  await page.fill('#release-name', 'mine');
  seq = await waitForRender(page, seq);
  const before = { files: await fileTree(page), output: await outputText(page), cli: await page.textContent('#cli') };

  const { handled } = await dropFolder(page, folderSpec(path.join(DROPS, 'not-a-chart')));
  assert.equal(handled, true);
  await page.waitForFunction(() => /Could not import/.test(document.querySelector('#notice')?.textContent ?? ''));
  assert.equal(await page.textContent('#notice > span'),
    'Could not import folder not-a-chart: the folder has no Chart.yaml: choose a chart\'s folder. Your current work is unchanged.');
  assert.equal(await page.getAttribute('#notice', 'role'), 'alert');
  assert.equal(await page.$('#pending-link'), null);
  assert.equal(await page.isVisible('#drop-overlay'), false);
  assert.deepEqual(await fileTree(page), before.files);
  assert.equal(await page.inputValue('#release-name'), 'mine');
  assert.equal(await page.textContent('#cli'), before.cli);
  assert.equal(await outputText(page), before.output);
  assert.equal(await shownSeq(page), seq, 'no new render');

  // A chart folder dropped over changed work asks first; keeping the work keeps it.
  await dropFolder(page, folderSpec(path.join(DROPS, 'shop')));
  await page.waitForSelector('#pending-link');
  assert.match(await page.textContent('#pending-text'), /^The imported chart folder shop, 3 files left out by Helm's \.helmignore rules \(\d+ files\) is ready to open\./);
  await page.click('#pending-keep');
  assert.equal(await page.$('#pending-link'), null);
  assert.deepEqual(await fileTree(page), before.files);
  assert.equal(await outputText(page), before.output);
  assert.deepEqual(problems, []);
  await page.close();
});
