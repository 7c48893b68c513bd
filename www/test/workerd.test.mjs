// The "workerd" entry in a real workerd (Miniflare): a tiny Worker that imports "ossimg"
// and processes the request body. The Worker's bare import is resolved the way a bundler
// (wrangler/esbuild) does for Cloudflare: through the "workerd" condition of the package's
// export map. The modules are then registered under the names the imports resolve to.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";

const pkgDir = dirname(fileURLToPath(import.meta.resolve("ossimg/package.json")));
const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const fixture = (name) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));

const WORKER = `
import { process, probe, parse, version, OssImageError } from "ossimg";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const bytes = new Uint8Array(await request.arrayBuffer());
    try {
      if (url.pathname === "/version") return new Response(version());
      if (url.pathname === "/probe") return Response.json(probe(bytes));
      if (url.pathname === "/parse") return Response.json(parse(url.searchParams.get("spec")));
      const out = process(bytes, url.searchParams.get("x-oss-process") ?? "", { limits: "workers" });
      if (out.kind === "json") return new Response(out.text, { headers: { "content-type": out.mime } });
      return new Response(out.bytes, {
        headers: { "content-type": out.mime, "x-width": String(out.width), "x-height": String(out.height), "x-frames": String(out.frames) },
      });
    } catch (err) {
      if (!(err instanceof OssImageError)) throw err;
      return Response.json({ code: err.code, status: err.status, ec: err.ec, message: err.message }, { status: err.status });
    }
  },
};
`;

let mf;

before(async () => {
  const entry = manifest.exports["."].workerd;
  assert.equal(typeof entry, "string", "export map has a workerd condition");
  const file = (name) => readFileSync(join(pkgDir, name));
  mf = new Miniflare({
    modules: [
      { type: "ESModule", path: "/app/worker.js", contents: WORKER },
      // `import "ossimg"` from /app/worker.js resolves to /app/ossimg; its relative
      // imports (./ossimg.js, ./core.js, ./facts.js, ./ossimg_bg.wasm) to files beside it.
      { type: "ESModule", path: "/app/ossimg", contents: file(entry) },
      { type: "ESModule", path: "/app/ossimg.js", contents: file("ossimg.js") },
      { type: "ESModule", path: "/app/core.js", contents: file("core.js") },
      { type: "ESModule", path: "/app/facts.js", contents: file("facts.js") },
      { type: "CompiledWasm", path: "/app/ossimg_bg.wasm", contents: file("ossimg_bg.wasm") },
    ],
    modulesRoot: "/",
    compatibilityDate: "2026-04-01",
    cf: false,
  });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
});

test("workerd: JPEG -> PNG resize", async () => {
  const res = await mf.dispatchFetch("http://localhost/img?x-oss-process=image/resize,w_64/format,png", { method: "POST", body: fixture("hopper.jpg") });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  assert.deepEqual([res.headers.get("x-width"), res.headers.get("x-height")], ["64", "64"]);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
});

test("workerd: PNG -> JPEG with quality", async () => {
  const res = await mf.dispatchFetch("http://localhost/img?x-oss-process=image/resize,w_300/quality,Q_85/format,jpg", { method: "POST", body: fixture("kodim23.png") });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/jpeg");
  assert.deepEqual([res.headers.get("x-width"), res.headers.get("x-height")], ["300", "200"]);
});

test("workerd: errors are OssImageError instances with code/status/ec", async () => {
  const res = await mf.dispatchFetch("http://localhost/img?x-oss-process=image/resize,w_0", { method: "POST", body: fixture("hopper.jpg") });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.deepEqual([body.code, body.status, body.ec], ["InvalidArgument", 400, "0040-00000312"]);
});

test("workerd: probe, parse and version", async () => {
  const p = await (await mf.dispatchFetch("http://localhost/probe", { method: "POST", body: fixture("imagers_any-disposal.gif") })).json();
  assert.deepEqual([p.format, p.width, p.height, p.frames], ["gif", 32, 32, 5]);
  const q = await (await mf.dispatchFetch(`http://localhost/parse?spec=${encodeURIComponent("image/format,png/resize,w_30")}`)).json();
  assert.match(q.canonical, /^image\/resize,/);
  const v = await (await mf.dispatchFetch("http://localhost/version")).text();
  assert.equal(v, manifest.version);
});
