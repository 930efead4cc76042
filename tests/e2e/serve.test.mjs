// scripts/serve.mjs (what scripts/serve.sh runs after building): serves the
// built bundle without trunk's watcher, brotli or gzip as the browser
// accepts, and says why when it cannot serve (issue 21, item 8).

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

/** Starts serve.mjs; resolves to { url, child } once it prints its URL, or rejects with its stderr and exit code. */
function start(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve({ url: m[0], child });
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => reject(Object.assign(new Error(err.trim()), { code })));
  });
}

/** GET with an Accept-Encoding; resolves to { status, headers, body } (raw bytes). */
function get(url, acceptEncoding) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('serve.mjs sends the bundle brotli- or gzip-compressed as accepted, and the page works from it', async () => {
  const { url, child } = await start(['--dir', DIST, '--port', '0']);
  try {
    const wasm = fs.readdirSync(DIST).find((f) => f.startsWith('worker') && f.endsWith('.wasm'));
    const raw = fs.readFileSync(path.join(DIST, wasm));
    const br = await get(url + wasm, 'gzip, deflate, br');
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-type'], 'application/wasm');
    assert.ok(zlib.brotliDecompressSync(br.body).equals(raw));
    assert.ok(br.body.length < raw.length / 2, `brotli ${br.body.length} of ${raw.length} bytes`);
    const gz = await get(url, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(zlib.gunzipSync(gz.body).equals(fs.readFileSync(path.join(DIST, 'index.html'))));
    const plain = await get(url + 'style.css');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal((await get(url + 'nope.js', 'br')).status, 404);
    assert.equal((await get(url + '..%2f..%2fetc%2fpasswd')).status, 404);
    // The page renders from it in Chromium.
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
    child.kill();
  }
});

test('serve.mjs says why it cannot serve: no bundle, port taken', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'chartroom-serve-'));
  await assert.rejects(start(['--dir', empty, '--port', '0']), (e) => e.code === 1 && /index\.html is missing: build the bundle first \(trunk build --release\)/.test(e.message));
  const { url, child } = await start(['--dir', DIST, '--port', '0']);
  try {
    const port = new URL(url).port;
    await assert.rejects(start(['--dir', DIST, '--port', port]), (e) => e.code === 1 && new RegExp(`port ${port} is already in use`).test(e.message));
  } finally {
    child.kill();
  }
});
