// The demo page: pick, drop or choose a sample image, type a spec (checked live by the
// worker's `parse`), and see it processed by the Web Worker client. The module is loaded
// once, in the worker: the page itself runs no wasm.
// Served by scripts/serve.sh: /pkg/ is the npm package, /samples/ the example bucket.
import { createProcessor, toBlob } from "/pkg/client.js";

const SAMPLES = [
  ["kodim23.png", "photos/kodim23.png"],
  ["Display P3 JPEG", "photos/kodim23-p3.jpg"],
  ["iPhone HEIC", "photos/iphone.heic"],
  ["EXIF-rotated JPEG", "photos/landscape-exif6.jpg"],
  ["animated WebP", "photos/anim.webp"],
  ["hopper.jpg", "photos/hopper.jpg"],
];
const b64 = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
const EXAMPLES = [
  ["thumbnail", "image/resize,m_fill,w_200,h_200/quality,q_80"],
  ["WebP 300 px", "image/resize,w_300/quality,q_80/format,webp"],
  ["circle", "image/resize,w_300/circle,r_150/format,png"],
  ["rotate 30°", "image/resize,w_300/rotate,30"],
  ["blur", "image/resize,w_300/blur,r_10,s_10"],
  ["rounded", "image/resize,w_300/rounded-corners,r_40/format,png"],
  ["text mark", `image/resize,w_400/watermark,text_${b64("ossimg 你好")},size_36,color_FFFFFF,shadow_60,g_se`],
  ["style/thumb", "style/thumb"],
  ["info", "image/info"],
  ["error", "image/resize,w_0"],
];
const STYLES = { thumb: "image/resize,m_fill,w_160,h_160/format,png" };
const WORKER_URL = new URLSearchParams(location.search).get("worker") ?? `${location.protocol}//${location.hostname}:8787`;

const $ = (id) => document.getElementById(id);
// One worker, kept: it validates every keystroke, so it never idles out (one module load).
const processor = createProcessor({ size: 1, idleTimeoutMs: 0 });
let source = null; // { bytes } of a file, or { url, key } of a sample
let running = null;
let beforeUrl = null;
let afterUrl = null;

function formatBytes(n) {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(2)} MB`;
}

function showError(err) {
  const box = $("error");
  box.hidden = !err;
  box.textContent = err ? `${err.status ?? ""} ${err.code ?? err.name}${err.ec ? ` (EC ${err.ec})` : ""}: ${err.message}` : "";
}

function setAfter({ blob, json, facts }) {
  if (afterUrl) URL.revokeObjectURL(afterUrl);
  afterUrl = blob ? URL.createObjectURL(blob) : null;
  const img = $("after");
  if (afterUrl) img.src = afterUrl;
  else img.removeAttribute("src");
  $("json").hidden = json === undefined;
  $("json").textContent = json ?? "";
  $("after-facts").textContent = facts ?? "";
}

/** Live validation: the canonical form, or the OSS error, as the user types. */
let validation = 0;
async function validate() {
  const spec = $("spec").value.trim();
  const state = $("spec-state");
  const mine = ++validation;
  try {
    const parsed = await processor.parse(spec, { styles: STYLES });
    if (mine !== validation) return true; // a later keystroke answers instead
    state.textContent = spec === "" ? "empty: the original is served" : `✓ ${parsed.canonical}`;
    state.classList.remove("invalid");
    $("spec").classList.remove("invalid");
    return true;
  } catch (err) {
    if (mine !== validation) return false;
    state.textContent = `✗ ${err.code}${err.ec ? ` ${err.ec}` : ""}: ${err.message}`;
    state.classList.add("invalid");
    $("spec").classList.add("invalid");
    return false;
  }
}

async function run() {
  if (!source) return;
  running?.abort(new DOMException("superseded", "AbortError"));
  const controller = new AbortController();
  running = controller;
  const spec = $("spec").value.trim();
  showError(null);
  $("run").disabled = true;
  document.body.dataset.state = "running";
  const started = performance.now();
  try {
    const options = { signal: controller.signal, styles: STYLES };
    const out = source.bytes ? await processor.process(source.bytes, spec, options) : await processor.fetch(source.url, spec, options);
    const ms = (performance.now() - started).toFixed(0);
    if (out.fallback) {
      const blob = await out.response.blob();
      setAfter({ blob, facts: `original served (${out.fallback}) · ${formatBytes(blob.size)}` });
    } else if (out.kind === "json") {
      setAfter({ json: JSON.stringify(out.json, null, 2), facts: `JSON · ${ms} ms` });
    } else {
      const frames = out.frames > 1 ? ` · ${out.frames} frames` : "";
      const size = out.kind === "original" ? "original" : `${out.width}×${out.height}`;
      setAfter({ blob: toBlob(out), facts: `${size} · ${out.mime} · ${formatBytes(out.bytes.byteLength)}${frames} · ${ms} ms` });
    }
    document.body.dataset.state = "done";
  } catch (err) {
    if (err?.name === "AbortError" && controller.signal.aborted) return;
    setAfter({});
    showError(err);
    document.body.dataset.state = "error";
  } finally {
    if (running === controller) {
      running = null;
      $("run").disabled = false;
    }
  }
}

async function useFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  useSource({ bytes }, new Blob([bytes], { type: file.type }), file.name, bytes.byteLength);
}

async function useSample(key) {
  const url = `/samples/${key}`;
  const blob = await (await fetch(url)).blob();
  useSource({ url, key }, blob, key, blob.size);
}

function useSource(next, blob, name, size) {
  source = next;
  if (beforeUrl) URL.revokeObjectURL(beforeUrl);
  beforeUrl = URL.createObjectURL(blob);
  const img = $("before");
  let decodedBy = "";
  img.onload = () => ($("before-facts").textContent = `${name} · ${img.naturalWidth}×${img.naturalHeight} · ${formatBytes(size)}${decodedBy}`);
  // A format this browser cannot show (HEIC outside Safari): show our own decode instead.
  img.onerror = async () => {
    img.onerror = null;
    try {
      const shown = await processor.process(await blob.arrayBuffer(), "image/format,png");
      if (source !== next) return;
      URL.revokeObjectURL(beforeUrl);
      beforeUrl = URL.createObjectURL(toBlob(shown));
      decodedBy = " · shown as decoded by ossimg";
      img.src = beforeUrl;
    } catch (err) {
      $("before-facts").textContent = `${name} · ${formatBytes(size)} · cannot be shown: ${err.message}`;
    }
  };
  img.src = beforeUrl;
  for (const chip of $("samples").children) chip.setAttribute("aria-pressed", String(chip.dataset.key === next.key));
  const link = $("worker-link");
  link.href = next.key ? `${WORKER_URL}/${next.key}?x-oss-process=${encodeURIComponent($("spec").value.trim())}` : WORKER_URL;
  run();
}

function chip(label, onClick, data = {}) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "chip";
  button.textContent = label;
  Object.assign(button.dataset, data);
  button.addEventListener("click", onClick);
  return button;
}

$("version").textContent = `ossimg ${await processor.version()}`;
for (const [label, key] of SAMPLES) $("samples").append(chip(label, () => useSample(key), { key }));
for (const [label, spec] of EXAMPLES) {
  $("examples").append(
    chip(label, () => {
      $("spec").value = spec;
      validate();
      run(); // an invalid spec too: the worker answers with the OSS error
    }),
  );
}
$("spec").addEventListener("input", validate);
$("spec").addEventListener("keydown", (e) => e.key === "Enter" && run());
$("run").addEventListener("click", run);
$("file").addEventListener("change", (e) => e.target.files[0] && useFile(e.target.files[0]));
const drop = $("drop");
drop.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && $("file").click());
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const file = e.dataTransfer.files[0];
  if (file) useFile(file);
});
validate();
document.body.dataset.ready = "true";
await useSample(SAMPLES[0][1]);
