// The plugin's JavaScript, run by QuickJS inside the Wasm module (main.c).
// `Host.inputString()`, `Host.outputString(s)`, `Host.config(key)` are
// the Extism kernel calls, as js-pdk names them. Input {"extraArgs":[...]}.
function helm_plugin_main() {
  const msg = JSON.parse(Host.inputString());
  if (!Array.isArray(msg.extraArgs)) throw new Error("js-quickjs: extraArgs is not a list");
  const args = msg.extraArgs.map(String);
  const words = args.join(" ").split(/\s+/).filter((w) => w.length > 0);
  const data = {
    args: [...args].sort(),
    upper: args.map((a) => a.toUpperCase()),
    words: words.length,
    dashed: args.map((a) => a.replace(/[^a-z0-9]+/gi, "-")),
    greeting: Host.config("greeting"),
  };
  Host.outputString(JSON.stringify({ data }));
}
