// Chartroom's code editor: CodeMirror 6 over the page's <textarea id="editor">.
//
// Loaded after the first render (app/src/code_editor.rs injects this module).
// The textarea stays the source of truth for the Rust side: every edit here is
// written to it and announced with an `input` event, so the page works the
// same with or without this module (it is the fallback when it fails to load).
// Rust drives the editor through window.chartroomEditor (see code_editor.rs).

import { EditorState, Compartment, StateEffect, StateField, RangeSetBuilder } from '@codemirror/state';
import {
  EditorView, Decoration, ViewPlugin, MatchDecorator, keymap, lineNumbers, highlightActiveLine,
  highlightActiveLineGutter, highlightWhitespace, drawSelection, gutter, GutterMarker,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle, indentUnit } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';
import { yaml } from '@codemirror/lang-yaml';

// Go template actions {{ ... }} on top of YAML: one mark per action,
// comments and trim markers included.
const actionDeco = new MatchDecorator({
  regexp: /\{\{-?[\s\S]*?-?\}\}/g,
  decoration: (m) => Decoration.mark({ class: m[0].startsWith('{{/*') || m[0].startsWith('{{- /*') ? 'cm-gotpl-comment' : 'cm-gotpl' }),
});
const goTemplate = ViewPlugin.fromClass(class {
  constructor(view) { this.decorations = actionDeco.createDeco(view); }
  update(u) { this.decorations = actionDeco.updateDeco(u, this.decorations); }
}, { decorations: (v) => v.decorations });

// The render error of the shown file: a line highlight, a mark at the
// column and a gutter marker with the message as its tooltip.
const setError = StateEffect.define();
class ErrorMarker extends GutterMarker {
  constructor(msg) { super(); this.msg = msg; }
  toDOM() {
    const el = document.createElement('span');
    el.className = 'cm-error-marker';
    el.textContent = '●';
    el.title = this.msg;
    return el;
  }
}
const errorField = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setError)) return e.value;
    if (value && tr.docChanged) return null; // stale after an edit; the next render re-marks
    return value;
  },
});
function errorDecorations(state) {
  const err = state.field(errorField);
  if (!err || err.line < 1 || err.line > state.doc.lines) return Decoration.none;
  const line = state.doc.line(err.line);
  const b = new RangeSetBuilder();
  b.add(line.from, line.from, Decoration.line({ class: 'cm-error-line', attributes: { 'data-error-line': String(err.line) } }));
  if (err.col > 0 && line.length > 0) {
    const at = Math.min(line.from + err.col - 1, line.to - 1);
    b.add(at, at + 1, Decoration.mark({ class: 'cm-error-col' }));
  }
  return b.finish();
}
const errorDeco = EditorView.decorations.compute([errorField], errorDecorations);
const errorGutter = gutter({
  class: 'cm-error-gutter',
  lineMarker(view, line) {
    const err = view.state.field(errorField);
    if (!err || err.line < 1 || err.line > view.state.doc.lines) return null;
    return view.state.doc.line(err.line).from === line.from ? new ErrorMarker(err.message) : null;
  },
  lineMarkerChange: (u) => u.transactions.some((t) => t.effects.some((e) => e.is(setError)) || t.docChanged),
});

// Template coverage of the shown file in the last traced render (issue 15):
// a gutter mark per line holding an action — ran, never ran, or a branch
// construct with a branch never taken.
const setCoverage = StateEffect.define();
class CoverageMarker extends GutterMarker {
  constructor(kind) { super(); this.kind = kind; }
  eq(other) { return other.kind === this.kind; }
  toDOM() {
    const el = document.createElement('span');
    el.className = `cm-cov cm-cov-${this.kind}`;
    el.textContent = this.kind === 'missed' ? '○' : this.kind === 'partial' ? '◐' : '●';
    el.title = this.kind === 'missed' ? 'never ran' : this.kind === 'partial' ? 'a branch never taken' : 'ran';
    el.setAttribute('data-cov', this.kind);
    return el;
  }
}
const coverageField = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setCoverage)) return e.value;
    if (value && tr.docChanged) return null; // stale after an edit; the next render re-marks
    return value;
  },
});
const coverageGutter = gutter({
  class: 'cm-cov-gutter',
  lineMarker(view, line) {
    const cov = view.state.field(coverageField);
    if (!cov) return null;
    const kind = cov[view.state.doc.lineAt(line.from).number];
    return kind ? new CoverageMarker(kind) : null;
  },
  lineMarkerChange: (u) => u.transactions.some((t) => t.effects.some((e) => e.is(setCoverage)) || t.docChanged),
});

// Colours from the page's CSS variables, so both themes stay readable.
const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: 'var(--hl-key)' },
  { tag: [t.string, t.special(t.string), t.content], color: 'var(--hl-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--hl-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--muted)', fontStyle: 'italic' },
  { tag: [t.keyword, t.typeName, t.labelName, t.meta], color: 'var(--hl-keyword)' },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: 'var(--muted)' },
]);

const whitespace = new Compartment();

function attach(textarea) {
  let syncing = false;
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), errorGutter, coverageField, coverageGutter, highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
        keymap.of([...defaultKeymap.filter((k) => k.key !== 'Mod-Enter'), ...historyKeymap, indentWithTab]),
        indentUnit.of('  '), EditorState.tabSize.of(2),
        yaml(), syntaxHighlighting(highlight), goTemplate,
        errorField, errorDeco, whitespace.of([]),
        EditorView.contentAttributes.of({ 'aria-label': 'Editor', 'data-testid': 'code-editor' }),
        EditorState.readOnly.of(textarea.readOnly), EditorView.editable.of(!textarea.readOnly),
        EditorView.updateListener.of((u) => {
          // The caret's line, for the page's output highlight (issue 15).
          if (u.selectionSet || u.docChanged) {
            const line = u.state.doc.lineAt(u.state.selection.main.head).number;
            window.dispatchEvent(new CustomEvent('chartroom-caret', { detail: line }));
          }
          if (!u.docChanged || syncing) return;
          textarea.value = u.state.doc.toString();
          textarea.dispatchEvent(new Event('input', { bubbles: true }));
        }),
      ],
    }),
  });
  textarea.after(view.dom);
  textarea.classList.add('cm-replaced');
  view.dom.id = 'code-editor';

  const api = {
    view,
    /** Replaces the text (another file was opened); not echoed back as input. */
    setText(text) {
      if (text === view.state.doc.toString()) return;
      syncing = true;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, effects: setError.of(null) });
      syncing = false;
    },
    /** Marks line/col (1-based; col 0 = whole line) or clears with line 0. */
    setError(line, col, message) {
      view.dispatch({ effects: setError.of(line > 0 ? { line, col, message } : null) });
    },
    /** Coverage marks: { line: 'ran' | 'missed' | 'partial' }, or null to clear. */
    setCoverage(marks) {
      view.dispatch({ effects: setCoverage.of(marks) });
    },
    setWhitespace(on) {
      view.dispatch({ effects: whitespace.reconfigure(on ? highlightWhitespace() : []) });
    },
    /** Puts the caret at line/col and scrolls there. */
    focusAt(line, col) {
      const l = view.state.doc.line(Math.max(1, Math.min(line, view.state.doc.lines)));
      const pos = Math.min(l.from + Math.max(0, col - 1), l.to);
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
    caretLine() { return view.state.doc.lineAt(view.state.selection.main.head).number; },
  };
  return api;
}

const textarea = document.getElementById('editor');
if (textarea) {
  window.chartroomEditor = attach(textarea);
  window.dispatchEvent(new Event('chartroom-editor-ready'));
}
