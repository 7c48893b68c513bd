// A module Worker in a plain `workerd serve` process, without Miniflare: a generated config
// with the Worker's modules, its vars as text / JSON bindings, one HTTP socket on 127.0.0.1
// and outbound fetch() limited to loopback addresses (the local origin). No inspector, no
// Miniflare entry / loopback services and no cache service (caches.default stores nothing).
// Used by www/load.mjs to measure the Worker's memory without anything else in the process.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** The workerd binary that Miniflare and wrangler run (the `workerd` npm package they pin). */
const workerdBinary = createRequire(createRequire(import.meta.url).resolve("miniflare"))("workerd").default;

/** `value` as a Cap'n Proto text-format string literal. */
function capnpString(value) {
  const escaped = String(value).replace(/[\\"\u0000-\u001f\u007f]/g, (c) => (c === "\\" || c === '"' ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
  return `"${escaped}"`;
}

/** A var as workerd binds it: strings as text, anything else (e.g. STYLES) as JSON. */
function binding(name, value) {
  return typeof value === "string" ? `(name = ${capnpString(name)}, text = ${capnpString(value)})` : `(name = ${capnpString(name)}, json = ${capnpString(JSON.stringify(value))})`;
}

/**
 * The text config of a workerd that serves one Worker on 127.0.0.1:`port`. `modules`:
 * `{ esModules: [names], wasm: [names], data: [names] }`, files next to the config, the first ES module the
 * entry (imports name the others); `vars`: `{ NAME: string | JSON value }`; `v8Flags`: V8
 * command-line flags (e.g. "--trace-gc").
 */
export function workerdConfig({ modules, vars, compatibilityDate, port, v8Flags = [] }) {
  const moduleList = [...modules.esModules.map((f) => `(name = ${capnpString(f)}, esModule = embed ${capnpString(f)})`), ...modules.wasm.map((f) => `(name = ${capnpString(f)}, wasm = embed ${capnpString(f)})`), ...(modules.data ?? []).map((f) => `(name = ${capnpString(f)}, data = embed ${capnpString(f)})`)];
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # fetch() reaches loopback addresses only: the origin is on 127.0.0.1.
    (name = "internet", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = ${capnpString(`127.0.0.1:${port}`)}, http = (), service = "main")],
  v8Flags = [${v8Flags.map(capnpString).join(", ")}],
);

const worker :Workerd.Worker = (
  modules = [
    ${moduleList.join(",\n    ")},
  ],
  compatibilityDate = ${capnpString(compatibilityDate)},
  bindings = [
    ${Object.entries(vars)
      .map(([name, value]) => binding(name, value))
      .join(",\n    ")},
  ],
);
`;
}

/**
 * Writes `config` (from workerdConfig) as `dir`/config.capnp next to the modules and starts
 * `workerd serve` on it. `stdout` / `stderr`: "inherit" (ours) or "pipe"; a piped stdout is
 * line-buffered (coreutils' stdbuf: V8's --trace-gc output is otherwise block-buffered, and
 * lost when workerd is stopped). The caller stops the child process.
 */
export function startWorkerd(dir, config, { stdout = "inherit", stderr = "inherit" } = {}) {
  const configPath = join(dir, "config.capnp");
  writeFileSync(configPath, config);
  const [command, args] = stdout === "pipe" ? ["stdbuf", ["-oL", workerdBinary]] : [workerdBinary, []];
  return spawn(command, [...args, "serve", configPath], { cwd: dir, stdio: ["ignore", stdout, stderr] });
}
