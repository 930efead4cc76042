// Errors that fit and point right (issue 21, item 3): a 250-frame include
// chain is folded to its first and last frames with the panes' controls
// still reachable; the location button and the message agree; an unclosed
// {{ if }} is marked at the if; a YAML parse error on a rendered document
// marks the template line that wrote it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { caretLine, openApp, setEditor, startApp, stopApp, waitForRender } from './harness.mjs';

let server;
let browser;

before(async () => ({ server, browser } = await startApp()));
after(() => stopApp({ server, browser }));

/** A new template file with `text`, rendered. */
async function newTemplate(page, name, text, seq) {
  await page.fill('#new-file-name', name);
  await page.click('#add-file');
  await page.waitForFunction((n) => document.querySelector('#editor-label')?.textContent === `templates/${n}`, name);
  await setEditor(page, text);
  return waitForRender(page, seq, 20_000);
}

/** Whether the element's centre is inside the viewport and on top. */
const reachable = (page, sel) => page.$eval(sel, (el) => {
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2;
  const y = r.top + r.height / 2;
  return r.width > 0 && y >= 0 && y <= innerHeight && x >= 0 && x <= innerWidth
    && (document.elementFromPoint(x, y) === el || el.contains(document.elementFromPoint(x, y)));
});

// 200 nested includes, then an error: Helm v4.2.3 (helm-oracle) answers with
// 23,313 bytes: 201 `error calling include` frames and the index error.
const CHAIN = '{{ define "r" }}{{ if lt (len .) 200 }}{{ include "r" (append . 1) }}{{ else }}{{ index . 500 }}{{ end }}{{ end }}\nx: {{ include "r" (list) }}\n';

test('a 200-frame include error is folded to its first and last frames; the pane controls stay reachable', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  seq = await newTemplate(page, 'rec.yaml', CHAIN, seq);
  const full = await page.textContent('#error .message');
  assert.ok(full.length > 20_000, `the whole text is kept (${full.length} characters)`);
  assert.equal((full.match(/error calling include/g) ?? []).length, 201);
  assert.ok(full.startsWith('template: hello-world/templates/rec.yaml:2:6: executing "hello-world/templates/rec.yaml" at <include "r" (list)>: error calling include: '));
  assert.ok(full.endsWith('executing "r" at <index . 500>: error calling index: index out of range: 500\n\nUse --debug flag to render out invalid YAML'));
  // Folded: the first two and the last two frames show, the rest behind a summary.
  const summary = await page.textContent('#error-frames > summary');
  assert.match(summary, /… (\d+) more nested frames/);
  assert.equal(await page.$eval('#error-frames', (d) => d.open), false);
  assert.match(summary, /… 199 more nested frames/);
  assert.ok(await page.isVisible('#error .message >> text=index out of range: 500'), 'the last frame (the cause) shows');
  const box = await page.$eval('#error', (el) => el.getBoundingClientRect().height);
  assert.ok(box < 300, `the error box is ${box} px high`);
  for (const sel of ['#tab-manifest', '#tab-errors', '#download-output', '#copy-cli']) {
    assert.ok(await reachable(page, sel), `${sel} is visible and not covered`);
  }
  // Expanding shows every frame; the box scrolls inside, controls stay.
  await page.click('#error-frames > summary');
  assert.equal(await page.$eval('#error-frames', (d) => d.open), true);
  assert.ok(await page.$eval('#error .message', (el) => el.scrollHeight > el.clientHeight), 'the message scrolls inside its box');
  assert.ok(await reachable(page, '#tab-manifest'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the location button and the message agree: Go\'s 0-based column is the editor\'s column + 1 and is labelled so', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  seq = await newTemplate(page, 'pos.yaml', 'a: 1\nb: {{ .Values.nope.deeper }}\n', seq);
  const message = await page.textContent('#error .message');
  const m = message.match(/templates\/pos\.yaml:(\d+):(\d+)\n/);
  assert.ok(m, message);
  const [line, goCol] = [Number(m[1]), Number(m[2])];
  assert.equal(line, 2);
  const label = await page.textContent('#error-location');
  assert.equal(label, `hello-world/templates/pos.yaml · line ${line}, column ${goCol + 1}`);
  assert.match(await page.getAttribute('#error-location', 'title'), /columns count from 1; Go's messages count columns from 0/);
  // The editor's caret lands on the character Go's offset names.
  await page.click('[data-testid="file-values.yaml"]');
  await page.click('#error-location');
  await page.waitForFunction(() => document.querySelector('#editor-label')?.textContent === 'templates/pos.yaml');
  assert.equal(await caretLine(page), line);
  const at = await page.evaluate(() => {
    const v = window.chartroomEditor.view;
    const pos = v.state.selection.main.head;
    const l = v.state.doc.lineAt(pos);
    return { col: pos - l.from + 1, rest: l.text.slice(pos - l.from) };
  });
  assert.equal(at.col, goCol + 1);
  assert.match(at.rest, /^\.(Values|nope|deeper)/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an unclosed {{ if }} is marked at the if; Go\'s message (end-of-file line) is unchanged', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  seq = await newTemplate(page, 'open.yaml', 'a: 1\n{{ if .Values.x }}\nb: 2\nc: 3\n', seq);
  // Helm v4.2.3 (helm-oracle) says exactly this for the file.
  assert.equal(await page.textContent('#error .message'), 'parse error at (hello-world/templates/open.yaml:5): unexpected EOF\n\nUse --debug flag to render out invalid YAML');
  // Line 2, column 4: the `if` keyword.
  assert.equal(await page.getAttribute('#error', 'data-line'), '2');
  assert.equal(await page.getAttribute('#error', 'data-col'), '4');
  await page.waitForSelector('#code-editor .cm-error-line[data-error-line="2"]');
  // Nested blocks: the innermost one left open.
  seq = await newTemplate(page, 'open2.yaml', '{{ range .Values.l }}\n{{ end }}\n{{ with .Values.m }}\n  {{ if . }}\nx\n', seq);
  assert.equal(await page.getAttribute('#error', 'data-line'), '4');
  assert.equal(await page.getAttribute('#error', 'data-col'), '6');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a YAML parse error marks the template line that wrote the rendered line', async () => {
  const { page, problems } = await openApp(browser, server.url);
  let seq = await waitForRender(page);
  const template = '{{- $x := "a: b" }}\n{{- $y := 1 }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: {{ $x }}\n';
  seq = await newTemplate(page, 'bad.yaml', template, seq);
  const message = await page.textContent('#error .message');
  // Helm v4.2.3 (helm-oracle) counts line 6 in the rendered document; the template line is 8.
  assert.equal(message, 'YAML parse error on hello-world/templates/bad.yaml: error converting YAML to JSON: yaml: line 6: mapping values are not allowed in this context\n\nUse --debug flag to render out invalid YAML');
  assert.equal(await page.getAttribute('#error', 'data-line'), '8');
  await page.waitForSelector('#code-editor .cm-error-line[data-error-line="8"]');
  assert.match(await page.textContent('#error-location'), /bad\.yaml · line 8$/);
  assert.deepEqual(problems, []);
  await page.close();
});
