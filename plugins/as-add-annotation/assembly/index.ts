// postrenderer/v1 in AssemblyScript (Extism AS PDK): adds an annotation to
// `metadata.annotations` of every document. The annotation is the first
// extraArg `key=value`, else runtimeConfig.config `annotation`, else
// `chartroom.dev/post-renderer=as-add-annotation`. Works on the YAML text:
// the host serialises documents with two-space indents.
import { Config, Host, Memory } from "@extism/as-pdk";
import { error_set } from "@extism/as-pdk/lib/env";

export function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  fail("abort: " + (message === null ? "" : message) + " at " + (fileName === null ? "" : fileName) + ":" + line.toString());
  unreachable();
}

function fail(msg: string): void {
  const m = Memory.allocateString(msg);
  error_set(m.offset);
}

// --- minimal JSON: enough for {"manifests":"…","extraArgs":["…"]} ---
class Cursor {
  constructor(public s: string, public i: i32 = 0) {}
  ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c != 32 && c != 9 && c != 10 && c != 13) break;
      this.i++;
    }
  }
  // Reads a JSON string at the cursor (which must be on its `"`).
  str(): string | null {
    if (this.s.charCodeAt(this.i) != 34) return null;
    this.i++;
    let out = "";
    let start = this.i;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c == 34) {
        out += this.s.substring(start, this.i);
        this.i++;
        return out;
      }
      if (c == 92) {
        out += this.s.substring(start, this.i);
        const e = this.s.charCodeAt(this.i + 1);
        this.i += 2;
        if (e == 110) out += "\n";
        else if (e == 116) out += "\t";
        else if (e == 114) out += "\r";
        else if (e == 98) out += "\b";
        else if (e == 102) out += "\f";
        else if (e == 117) {
          out += String.fromCharCode(i32(parseInt(this.s.substring(this.i, this.i + 4), 16)));
          this.i += 4;
        } else out += String.fromCharCode(e); // \" \\ \/
        start = this.i;
        continue;
      }
      this.i++;
    }
    return null;
  }
}

function quote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c == 34) rep = '\\"';
    else if (c == 92) rep = "\\\\";
    else if (c == 10) rep = "\\n";
    else if (c == 13) rep = "\\r";
    else if (c == 9) rep = "\\t";
    else if (c < 32 || c == 60 || c == 62 || c == 38) {
      // Go's encoding/json escapes <, > and & too.
      const h = c.toString(16);
      rep = "\\u" + "0000".substring(h.length) + h;
    }
    if (rep !== null) {
      out += s.substring(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.substring(start) + '"';
}

class Input {
  manifests: string = "";
  extraArgs: string[] = [];
  ok: bool = false;
}

function parseInput(s: string): Input {
  const r = new Input();
  const c = new Cursor(s);
  c.ws();
  if (c.s.charCodeAt(c.i) != 123) return r;
  c.i++;
  while (true) {
    c.ws();
    if (c.s.charCodeAt(c.i) == 125) break;
    const key = c.str();
    if (key === null) return r;
    c.ws();
    if (c.s.charCodeAt(c.i) != 58) return r;
    c.i++;
    c.ws();
    if (key == "manifests") {
      const v = c.str();
      if (v === null) return r;
      r.manifests = v;
    } else if (key == "extraArgs") {
      if (c.s.charCodeAt(c.i) == 110) { c.i += 4; } // null
      else {
        if (c.s.charCodeAt(c.i) != 91) return r;
        c.i++;
        c.ws();
        while (c.s.charCodeAt(c.i) != 93) {
          const a = c.str();
          if (a === null) return r;
          r.extraArgs.push(a);
          c.ws();
          if (c.s.charCodeAt(c.i) == 44) { c.i++; c.ws(); }
        }
        c.i++;
      }
    } else {
      return r; // no other keys in the intended protocol
    }
    c.ws();
    if (c.s.charCodeAt(c.i) == 44) c.i++;
  }
  r.ok = true;
  return r;
}

// --- YAML text edit ---
function annotate(doc: string, line: string): string {
  const lines = doc.split("\n");
  const out: string[] = [];
  let done = false;
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    if (done || lines[i] != "metadata:") continue;
    // An existing two-space `annotations:` inside this metadata block?
    let at = -1;
    let j = i + 1;
    while (j < lines.length && (lines[j].startsWith(" ") || lines[j].length == 0)) {
      if (lines[j] == "  annotations:") at = j;
      j++;
    }
    if (at >= 0) {
      for (let k = i + 1; k <= at; k++) out.push(lines[k]);
      i = at;
    } else {
      out.push("  annotations:");
    }
    out.push("    " + line);
    done = true;
  }
  return out.join("\n");
}

export function helm_plugin_main(): i32 {
  const input = parseInput(Host.inputString());
  if (!input.ok) {
    fail('as-add-annotation: input is not {"manifests":"…","extraArgs":[…]}');
    return 1;
  }
  let key = "chartroom.dev/post-renderer";
  let value = "as-add-annotation";
  let spec: string | null = input.extraArgs.length > 0 ? input.extraArgs[0] : Config.get("annotation");
  if (spec !== null) {
    const eq = spec.indexOf("=");
    if (eq <= 0) {
      fail("as-add-annotation: expected key=value, got " + quote(spec));
      return 1;
    }
    key = spec.substring(0, eq);
    value = spec.substring(eq + 1);
  }
  const line = key + ": " + quote(value);
  const docs = input.manifests.split("\n---\n");
  for (let i = 0; i < docs.length; i++) docs[i] = annotate(docs[i], line);
  const out = '{"manifests":' + quote(docs.join("\n---\n")) + "}";
  Host.output(Uint8Array.wrap(String.UTF8.encode(out)));
  return 0;
}
