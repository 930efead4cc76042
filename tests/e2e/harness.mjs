// Shared set-up for the browser tests: serve the trunk build (dist/) on
// 127.0.0.1:0 and drive Debian's Chromium through playwright-core.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.CHARTROOM_DIST || path.join(ROOT, 'dist');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');

// The shared conformance data lives beside the clone (../shared); in a
// helper worktree (/work/wt/<name>) it is one level further up.
export function sharedDir() {
  if (process.env.CHARTROOM_SHARED) return path.resolve(process.env.CHARTROOM_SHARED);
  const candidates = [path.resolve(ROOT, '..', 'shared'), path.resolve(ROOT, '..', '..', 'shared')];
  return candidates.find((d) => fs.existsSync(path.join(d, 'conformance'))) ?? candidates[0];
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.yaml': 'text/yaml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Starts a static server for `dir` (every response gets `headers` too); resolves to { url, close }. */
export function serve(dir, headers = {}) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html missing: run \`trunk build --release\` in app/ first`);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(dir, '.' + rel);
    if (!file.startsWith(path.resolve(dir) + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * What every browser test file starts with: dist/ served and Chromium
 * launched (tests/artifacts made); resolves to { server, browser }.
 */
export async function startApp() {
  const server = await serve(DIST);
  try {
    const browser = await launch();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return { server, browser };
  } catch (e) {
    await server.close();
    throw e;
  }
}

/** Closes what startApp opened (either may be missing when start-up failed). */
export async function stopApp({ server, browser } = {}) {
  await browser?.close();
  await server?.close();
}

/**
 * Opens the app in a new page and records everything that would mean "the app
 * crashed": uncaught exceptions and console errors, in the page and its workers.
 */
export async function openApp(browserOrContext, url) {
  // A browser gives each page a fresh context (empty storage); pages opened
  // in one context share localStorage like tabs of one profile.
  const page = browserOrContext.newContext
    ? await browserOrContext.newPage({ viewport: { width: 1440, height: 900 } })
    : await browserOrContext.newPage();
  const problems = [];
  const watchConsole = (where) => (msg) => {
    if (msg.type() === 'error') problems.push(`${where} console error: ${msg.text()}`);
  };
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', watchConsole('page'));
  page.on('worker', (w) => w.on('console', watchConsole(`worker ${w.url()}`)));
  const started = Date.now();
  await page.goto(url);
  // The code editor loads after the first paint; wait for it so edits go
  // through it (unless the test asked for the plain textarea).
  if (!url.includes('editor=textarea')) await page.waitForFunction(() => window.chartroomEditor);
  return { page, problems, started };
}

/** Waits until a render newer than `afterSeq` is shown and nothing is pending. */
export async function waitForRender(page, afterSeq = 0, timeout = 30_000) {
  await page.waitForFunction(
    (prev) => {
      const out = document.querySelector('#output');
      const status = document.querySelector('#status');
      return out && status && Number(out.dataset.seq) > prev && !status.classList.contains('busy');
    },
    afterSeq,
    { timeout },
  );
  return Number(await page.getAttribute('#output', 'data-seq'));
}

export async function shownSeq(page) {
  return Number(await page.getAttribute('#output', 'data-seq'));
}

export async function outputText(page) {
  return page.$eval('#output', (el) => el.textContent);
}

/** Selects a file in the file list and returns the editor's text. */
export async function openFile(page, filePath) {
  await page.click(`[data-testid="file-${filePath}"]`);
  await page.waitForFunction((p) => document.querySelector('#editor-label')?.textContent === p, filePath);
  return page.inputValue('#editor');
}

/** Replaces the selected file's text (one edit, like a paste), through
 * CodeMirror when it is loaded, else in the plain textarea. */
export async function setEditor(page, text) {
  const viaCodeMirror = await page.evaluate((t) => {
    const ed = window.chartroomEditor;
    if (!ed) return false;
    ed.view.dispatch({ changes: { from: 0, to: ed.view.state.doc.length, insert: t }, userEvent: 'input.paste' });
    return true;
  }, text);
  if (!viaCodeMirror) await page.fill('#editor', text);
}

/** Opens the chosen plugin's plugin.yaml in the code editor; returns its text. */
export async function openPluginYaml(page) {
  await page.click('[data-testid="file--plugin-yaml"]');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'plugin.yaml (the chosen plugin)');
  return page.inputValue('#editor');
}

/** Replaces the chosen plugin's plugin.yaml (edited in the code editor). */
export async function setPluginYaml(page, text) {
  await openPluginYaml(page);
  await setEditor(page, text);
}

/** 1-based line of the editor's caret. */
export async function caretLine(page) {
  return page.evaluate(() => {
    if (window.chartroomEditor) return window.chartroomEditor.caretLine();
    const el = document.querySelector('#editor');
    return el.value.slice(0, el.selectionStart).split('\n').length;
  });
}

/** Waits for a shown plugin run whose summary or error matches `re`. */
export function waitForPluginRun(page, re) {
  return page.waitForFunction(
    (src) => {
      const r = document.querySelector('#plugin-report');
      const text = (document.querySelector('#plugin-summary')?.textContent ?? '') + (document.querySelector('#plugin-error')?.textContent ?? '');
      return r?.dataset.ran === 'true' && new RegExp(src).test(text) && !document.querySelector('#status').classList.contains('busy');
    },
    re.source,
    { timeout: 30_000 },
  );
}

/** The denied-host example's plugin.yaml (cli/v1) asking for `url`, with `hosts` allowed and an optional timeout (ms). */
export const httpPluginYaml = (url, hosts, timeout) => `apiVersion: v1
type: cli/v1
name: denied-host
version: 0.1.0
runtime: extism/v1
runtimeConfig:
  allowedHosts:
${hosts.map((h) => `  - "${h}"`).join('\n')}
  config:
    url: ${url}
  memory:
    maxHttpResponseBytes: 4096
${timeout ? `  timeout: ${timeout}\n` : ''}`;
