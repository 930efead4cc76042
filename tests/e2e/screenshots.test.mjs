// Writes the README's screenshots (docs/screenshots/*.png) from the release
// build: editor + output in dark and light, the documents pane, a render
// error marked in the editor, embed mode. Each shot waits for a finished
// render and checks the page had no errors, so a broken view fails here
// instead of landing in the README.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, openApp, openFile, setEditor, startApp, stopApp, waitForRender } from './harness.mjs';

// UPDATE_SCREENSHOTS=1 writes the README's copies; otherwise (CI runs every
// e2e file) the pictures go to tests/artifacts so a test run leaves the
// tree clean (render times in the status line differ from run to run).
const OUT = process.env.UPDATE_SCREENSHOTS
  ? path.join(ROOT, 'docs', 'screenshots')
  : path.join(ROOT, 'tests', 'artifacts', 'screenshots');
const VIEWPORT = { width: 1280, height: 760 };

let server;
let browser;

before(async () => {
  ({ server, browser } = await startApp());
  fs.mkdirSync(OUT, { recursive: true });
});

after(() => stopApp({ server, browser }));

async function shot(page, name) {
  const file = path.join(OUT, name);
  // No caret blinking or hover effects in the picture.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: file });
  const head = fs.readFileSync(file).subarray(0, 8);
  assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name} is a PNG`);
}

async function fresh(url, theme = 'dark') {
  const ctx = await browser.newContext({ viewport: VIEWPORT, colorScheme: theme });
  await ctx.addInitScript((t) => localStorage.setItem('chartroom:theme', t), theme);
  const app = await openApp(ctx, url);
  await waitForRender(app.page);
  return { ...app, ctx };
}

test('screenshots: editor + output (dark and light), documents pane', async () => {
  for (const theme of ['dark', 'light']) {
    const { page, problems, ctx } = await fresh(server.url, theme);
    assert.equal(await page.getAttribute('html', 'data-theme'), theme);
    await shot(page, `editor-output-${theme}.png`);
    if (theme === 'dark') {
      await page.click('#tab-documents');
      await page.waitForSelector('#pane-documents .document');
      await shot(page, 'documents.png');
    }
    assert.deepEqual(problems, []);
    await ctx.close();
  }
});

test('screenshot: a render error marked in the editor', async () => {
  const { page, problems, ctx } = await fresh(server.url);
  const seq = await waitForRender(page);
  const text = await openFile(page, 'templates/service.yaml');
  await setEditor(page, text.replace('{{ .Values.service.port }}', '{{ .Values.service.port.number }}'));
  await waitForRender(page, seq);
  await page.waitForSelector('#error');
  await page.waitForSelector('.cm-error-line');
  await shot(page, 'error-marked.png');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('screenshot: embed mode', async () => {
  const { page, problems, ctx } = await fresh(`${server.url}?embed=1&panes=manifest,notes&file=templates/service.yaml`);
  assert.equal(await page.isVisible('header.topbar'), false);
  await shot(page, 'embed.png');
  assert.deepEqual(problems, []);
  await ctx.close();
});
