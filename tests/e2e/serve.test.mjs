// scripts/serve.sh and scripts/serve.mjs (issue 21, item 8): the built bundle
// served without trunk's watcher, brotli or gzip as the browser accepts,
// never waiting for a brotli compression, the URL printed only once the
// server answers, and a reason given when it cannot serve.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, ROOT, launch } from './harness.mjs';

const SCRIPT = path.join(ROOT, 'scripts', 'serve.mjs');

/** Starts `cmd args`; resolves to { url, child, out() } once it prints its URL, or rejects with its stderr and exit code. */
function start(args, cmd = process.execPath, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve({ url: m[0], child, out: () => out });
    });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => {
      stop(child);
      reject(new Error(`no URL printed within 120 s; stdout: ${out.trim()}; stderr: ${err.trim()}`));
    }, 120_000);
    child.stdout.on('data', () => { if (/http:\/\/127\.0\.0\.1:\d+\//.test(out)) clearTimeout(timer); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(err.trim()), { code }));
    });
  });
}

/** Stops a started server and everything it started (serve.sh execs node, but its process group is ours). */
const stop = (child) => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };

/** GET with an Accept-Encoding; resolves to { status, headers, body (raw bytes), ms }. */
function get(url, acceptEncoding) {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    http.get(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - t0 }));
    }).on('error', reject);
  });
}

const decode = (r) => (r.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(r.body)
  : r.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(r.body) : r.body);

/** The files of a first visit: the page, its wasm and js, the render worker's, the editor. */
const FIRST_VISIT = ['index.html', 'chartroom-app.js', 'chartroom-app_bg.wasm', 'worker.js', 'worker_bg.wasm', 'editor.js', 'style.css'];

test('serve.mjs answers at once, compressed: gzip while a file\'s brotli is being made, brotli after, kept for the next start', async () => {
  for (const f of FIRST_VISIT) assert.ok(fs.existsSync(path.join(DIST, f)), `${f} missing in ${DIST}: build with trunk build --release`);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-serve-cache-'));
  const { url, child } = await start([SCRIPT, '--dir', DIST, '--port', '0', '--cache', cacheDir]);
  try {
    // Cold: every first-visit file comes compressed (br or gzip) without
    // waiting for brotli at quality 11 (seconds per megabyte).
    for (const f of FIRST_VISIT) {
      const r = await get(url + (f === 'index.html' ? '' : f), 'gzip, deflate, br');
      assert.equal(r.status, 200, f);
      assert.match(r.headers['content-encoding'] ?? '', /^(br|gzip)$/, `${f} is compressed`);
      assert.ok(decode(r).equals(fs.readFileSync(path.join(DIST, f))), `${f} decodes to the file`);
      assert.ok(r.ms < 2000, `${f} answered in ${r.ms} ms (no request waits for a brotli compression)`);
    }
    const wasm = 'worker_bg.wasm';
    const raw = fs.readFileSync(path.join(DIST, wasm));
    // Then brotli, once the background compression has reached it.
    let br;
    for (const t0 = Date.now(); Date.now() - t0 < 120_000;) {
      br = await get(url + wasm, 'gzip, deflate, br');
      if (br.headers['content-encoding'] === 'br') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(br.headers['content-encoding'], 'br', 'brotli within 120 s');
    assert.equal(br.headers['content-type'], 'application/wasm');
    assert.equal(br.headers.vary, 'accept-encoding');
    assert.ok(zlib.brotliDecompressSync(br.body).equals(raw));
    assert.ok(br.body.length < raw.length / 2, `brotli ${br.body.length} of ${raw.length} bytes`);
    const gz = await get(url, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(zlib.gunzipSync(gz.body).equals(fs.readFileSync(path.join(DIST, 'index.html'))));
    const plain = await get(url + 'style.css');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal((await get(url + 'nope.js', 'br')).status, 404);
    assert.equal((await get(url + '..%2f..%2fetc%2fpasswd')).status, 404);
  } finally {
    stop(child);
  }
  // A restart on the same build sends brotli from the first request.
  const again = await start([SCRIPT, '--dir', DIST, '--port', '0', '--cache', cacheDir]);
  try {
    const r = await get(again.url + 'worker_bg.wasm', 'br');
    assert.equal(r.headers['content-encoding'], 'br', 'brotli from the cache');
    assert.ok(zlib.brotliDecompressSync(r.body).equals(fs.readFileSync(path.join(DIST, 'worker_bg.wasm'))));
  } finally {
    stop(again.child);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('scripts/serve.sh --no-build sets up, serves dist/ compressed, and the page renders from it', async () => {
  const { url, child } = await start([path.join(ROOT, 'scripts', 'serve.sh'), '--no-build'], 'bash', { ...process.env, PORT: '0' });
  try {
    const r = await get(url + 'chartroom-app_bg.wasm', 'gzip, deflate, br');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-encoding'] ?? '', /^(br|gzip)$/);
    const browser = await launch();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => Number(document.querySelector('#output')?.dataset.seq) > 0
        && /kind: Deployment/.test(document.querySelector('#output').textContent), null, { timeout: 30_000 });
    } finally {
      await browser.close();
    }
  } finally {
    stop(child);
  }
});

test('serve.mjs and serve.sh say why they cannot serve: no bundle, port taken, unknown argument', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-serve-'));
  await assert.rejects(start([SCRIPT, '--dir', empty, '--port', '0']), (e) => e.code === 1 && /index\.html is missing: build the bundle first \(trunk build --release\)/.test(e.message));
  const { url, child } = await start([SCRIPT, '--dir', DIST, '--port', '0']);
  try {
    const port = new URL(url).port;
    await assert.rejects(start([SCRIPT, '--dir', DIST, '--port', port]), (e) => e.code === 1 && new RegExp(`port ${port} is already in use`).test(e.message));
  } finally {
    stop(child);
  }
  await assert.rejects(start([path.join(ROOT, 'scripts', 'serve.sh'), '--watch'], 'bash'), (e) => e.code === 2 && /unknown argument --watch/.test(e.message));
});
