// ossimg/node: the async API on a pool of worker_threads, imported by name as a user would.
// Inputs of every kind, results with a kind, queue, AbortSignal, transfer, idle exit, trap
// and dead-worker recovery, and the example server (www/examples/node-server.mjs) keeping
// its event loop free: /ping answers within 5 ms p99 under 8 parallel uploads.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request, Agent } from "node:http";
import { availableParallelism, loadavg, setPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createProcessor, OssImageError, parse, probe, process as processAsync, processImage, readInput, toBlob, toResponse } from "ossimg/node";
import * as browserEntry from "ossimg/browser";
import * as syncEntry from "ossimg";

const fixture = (name) => readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url));
const hopper = fixture("hopper.jpg"); // 128x128 JPEG
const kodim = fixture("kodim23.png"); // 768x512 PNG
const pkgDir = fileURLToPath(new URL("../node_modules/ossimg/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "ossimg-node-pool-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("processImage takes bytes, views, Blob, File, Response and streams; results have a kind", async () => {
  const ab = hopper.buffer.slice(hopper.byteOffset, hopper.byteOffset + hopper.byteLength);
  const inputs = {
    buffer: hopper,
    uint8: new Uint8Array(hopper),
    arrayBuffer: ab,
    dataView: new DataView(ab),
    blob: new Blob([hopper]),
    file: new File([hopper], "hopper.jpg", { type: "image/jpeg" }),
    response: new Response(hopper),
    nodeStream: Readable.from([hopper.subarray(0, 1000), hopper.subarray(1000)]),
    webStream: new Blob([hopper]).stream(),
  };
  for (const [name, input] of Object.entries(inputs)) {
    const out = await processImage(input, "image/resize,w_32/format,png");
    assert.deepEqual([out.kind, out.mime, out.width, out.height], ["image", "image/png", 32, 32], name);
  }
  assert.equal(processAsync, processImage);
  const info = await processImage(hopper, "image/info");
  assert.equal(info.kind, "json");
  assert.equal(info.json.ImageWidth.value, "128");
  assert.deepEqual(JSON.parse(info.text), info.json);
  const original = await processImage(hopper, "");
  assert.equal(original.kind, "original");
  assert.equal(original.original, true);
  assert.deepEqual(Buffer.from(original.bytes), hopper);
  assert.deepEqual(await probe(new Blob([kodim])), { format: "png", mime: "image/png", width: 768, height: 512, frames: 1, orientation: 1, hasAlpha: false });
  assert.match((await parse("image/format,png/resize,w_1")).canonical, /^image\/resize,w_1/);
  // The same shapes from the synchronous API.
  assert.equal(syncEntry.processImage(hopper, "image/info").kind, "json");
  assert.equal(syncEntry.processImage, syncEntry.process);
});

test("raw RGBA pixels ({ data, width, height }, as ImageData): processed without decoding, admitted from the size", async () => {
  const width = 64;
  const height = 48;
  const data = new Uint8ClampedArray(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
  const png = syncEntry.processImage({ data, width, height }, "");
  assert.deepEqual([png.kind, png.mime, png.width, png.height], ["image", "image/png", 64, 48]);
  const spec = "image/resize,w_32/format,webp";
  const direct = syncEntry.processImage({ data, width, height }, spec);
  assert.deepEqual([direct.mime, direct.width, direct.height], ["image/webp", 32, 24]);
  // The same result as the PNG of those pixels, in the pool as well.
  assert.deepEqual(direct.bytes, syncEntry.processImage(png.bytes, spec).bytes);
  const pooled = await processImage({ data, width, height }, spec);
  assert.deepEqual(pooled.bytes, direct.bytes);
  assert.equal(data.byteLength, width * height * 4, "copied to the worker by default");
  // Over the Worker decode budget (12,288,000 px): refused from the size, before the copy in.
  const big = { data: new Uint8Array(4000 * 4000 * 4), width: 4000, height: 4000 };
  assert.throws(() => syncEntry.processImage(big, "image/resize,w_10", { limits: "workers" }), (err) => err instanceof OssImageError && err.code === "ImageTooLarge");
  assert.throws(() => syncEntry.processImage({ data: new Uint8Array(10), width: 2, height: 2 }, "image/resize,w_1"), RangeError);
  assert.throws(() => syncEntry.processImage({ data, width, height }, "image/info"), (err) => err.code === "InvalidArgument");
});

test("toBlob / toResponse serve a result; readInput is the one conversion", async () => {
  const out = await processImage(hopper, "image/resize,w_16/format,webp");
  const blob = toBlob(out);
  assert.equal(blob.type, "image/webp");
  assert.equal(blob.size, out.bytes.byteLength);
  const res = toResponse(out, { headers: { "cache-control": "max-age=60" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/webp");
  assert.equal(res.headers.get("content-length"), String(out.bytes.byteLength));
  assert.equal(res.headers.get("cache-control"), "max-age=60");
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), out.bytes);
  const json = toResponse(await processImage(hopper, "image/average-hue"), { status: 201 });
  assert.equal(json.status, 201);
  assert.equal(json.headers.get("content-type"), "application/json");
  assert.match((await json.json()).RGB, /^0x[0-9a-f]{6}$/);
  assert.equal(await readInput(hopper), hopper, "bytes are not copied");
  await assert.rejects(readInput(new Response("gone", { status: 404 })), (err) => err instanceof OssImageError && err.code === "InternalError");
  assert.throws(() => toBlob({}), TypeError);
});

test("the real throws: errors, bad inputs, the synchronous API refusing a Blob, initSync without a module", async () => {
  await assert.rejects(processImage(hopper, "image/resize,w_0"), (err) => err instanceof OssImageError && err.code === "InvalidArgument" && err.status === 400 && err.ec === "0040-00000312");
  await assert.rejects(processImage("not bytes", "image/resize,w_1"), TypeError);
  await assert.rejects(processImage(hopper, 42), TypeError);
  assert.throws(() => syncEntry.processImage(new Blob([hopper]), "image/resize,w_1"), /must be read first/);
  assert.throws(() => browserEntry.initSync(), TypeError);
});

test("a pool of 2: queued jobs, AbortSignal (queued and running), transfer opt-in", async () => {
  const p = createProcessor({ size: 2 });
  try {
    const outs = await Promise.all([16, 24, 32, 40, 48].map((w) => p.process(kodim, `image/resize,w_${w}`)));
    assert.deepEqual(outs.map((o) => o.width), [16, 24, 32, 40, 48]);
    // Default: a copy; the caller's bytes stay.
    const mine = new Uint8Array(hopper);
    await p.process(mine, "image/resize,w_8");
    assert.equal(mine.byteLength, hopper.byteLength);
    // transfer: true moves a whole buffer (detached afterwards).
    const moved = new Uint8Array(hopper);
    await p.process(moved, "image/resize,w_8", { transfer: true });
    assert.equal(moved.byteLength, 0);
    // A stream's chunk is the caller's: copied, even when it is a whole buffer.
    const chunk = new Uint8Array(hopper);
    await p.process(Readable.from([chunk]), "image/resize,w_8");
    assert.equal(chunk.byteLength, hopper.byteLength);
    // A Node Buffer that is a slice of a bigger buffer is copied even with transfer: true.
    const big = Buffer.concat([hopper, Buffer.alloc(16)]);
    await p.process(big.subarray(0, hopper.byteLength), "image/resize,w_8", { transfer: true });
    assert.equal(big.byteLength, hopper.byteLength + 16);

    const controller = new AbortController();
    const running = [p.process(kodim, "image/resize,w_700/blur,r_50,s_50", { signal: controller.signal }), p.process(kodim, "image/resize,w_700/blur,r_50,s_50", { signal: controller.signal })];
    const queued = p.process(kodim, "image/resize,w_10", { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 30));
    controller.abort(new Error("stop"));
    for (const job of [...running, queued]) await assert.rejects(job, /stop/);
    assert.rejects(p.process(hopper, "image/resize,w_1", { signal: AbortSignal.abort() }));
    // Workers ended by the abort are replaced on demand.
    assert.equal((await p.process(hopper, "image/resize,w_12")).width, 12);
  } finally {
    p.terminate();
  }
  await assert.rejects(p.process(hopper, "image/resize,w_1"), /terminated/);
});

test("a trapped instance answers InternalError and the next call succeeds; a dead worker is replaced", async () => {
  const url = join(scratch, "trap-worker.mjs");
  const at = (file) => JSON.stringify(pathToFileURL(join(pkgDir, file)).href);
  writeFileSync(
    url,
    `import { parentPort } from "node:worker_threads";
     import * as api from ${at("node.js")};
     import { answer } from ${at("pool.js")};
     import { callWasm } from ${at("core.js")};
     import * as glue from ${at("ossimg.js")};
     parentPort.on("message", (data) => {
       if (data.spec === "test/exit") process.exit(3);
       if (data.spec !== "test/trap") return answer(api, data, (m, t) => parentPort.postMessage(m, t));
       try { callWasm(glue, (raw) => raw.__ossimgTrap()); } catch (err) { parentPort.postMessage({ id: data.id, ok: false, error: err.toJSON() }); }
     });`,
  );
  const p = createProcessor({ size: 1, url });
  try {
    await assert.rejects(p.process(hopper, "test/trap"), (err) => err instanceof OssImageError && err.code === "InternalError" && err.status === 500);
    assert.equal((await p.process(hopper, "image/resize,w_20")).width, 20);
    await assert.rejects(p.process(hopper, "test/exit"), /worker failed: exited with code 3/);
    assert.equal((await p.process(hopper, "image/resize,w_21")).width, 21);
  } finally {
    p.terminate();
  }
});

test("idle workers end and never keep the process alive", () => {
  // A script that uses the default pool and never terminates it must still exit by itself.
  const script = `
    import { processImage } from "ossimg/node";
    import { readFileSync } from "node:fs";
    const out = await processImage(readFileSync(${JSON.stringify(fileURLToPath(new URL("../../tests/fixtures/hopper.jpg", import.meta.url)))}), "image/resize,w_10");
    console.log(out.width);`;
  const started = performance.now();
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8", timeout: 20_000 });
  assert.equal(stdout.trim(), "10");
  assert.ok(performance.now() - started < 10_000, "exited without waiting for the idle timeout");
});

test("idleTimeoutMs: a worker idle that long ends; the next call starts a new one", async () => {
  const url = join(scratch, "counting-worker.mjs");
  writeFileSync(
    url,
    `import { parentPort, threadId } from "node:worker_threads";
     import * as api from ${JSON.stringify(pathToFileURL(join(pkgDir, "node.js")).href)};
     import { answer } from ${JSON.stringify(pathToFileURL(join(pkgDir, "pool.js")).href)};
     parentPort.on("message", (data) => answer({ ...api, version: () => String(threadId) }, data, (m, t) => parentPort.postMessage(m, t)));`,
  );
  const p = createProcessor({ size: 1, idleTimeoutMs: 100, url });
  try {
    const first = await p.version();
    assert.equal(await p.version(), first, "the same worker while busy");
    await new Promise((r) => setTimeout(r, 400));
    assert.notEqual(await p.version(), first, "a new worker after the idle timeout");
  } finally {
    p.terminate();
  }
});

/** One HTTP request on `agent`; resolves { status, body, ms }. */
function send(agent, port, path, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: "127.0.0.1", port, path, agent, method: body ? "POST" : "GET", headers: body ? { "content-length": body.byteLength } : {} }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, type: res.headers["content-type"], body: Buffer.concat(chunks), ms: performance.now() - started }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("examples/node-server.mjs: uploads are resized while /ping answers within 5 ms p99 under 8 parallel uploads", { timeout: 120_000 }, async () => {
  const server = spawn(process.execPath, [fileURLToPath(new URL("../examples/node-server.mjs", import.meta.url))], { env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise((resolve, reject) => {
      server.stdout.on("data", (d) => {
        const m = /127\.0\.0\.1:(\d+)/.exec(String(d));
        if (m) resolve(Number(m[1]));
      });
      server.on("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const one = await send(agent, port, "/process?x-oss-process=image/resize,w_300", kodim);
    assert.equal(one.status, 200);
    assert.equal(one.type, "image/png");
    assert.deepEqual(syncEntry.probe(one.body).width, 300);
    const bad = await send(agent, port, "/process?x-oss-process=image/resize,w_0", hopper);
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).ec, "0040-00000312");

    // 8 parallel uploads from a process of their own, niced: on a small CI machine the load
    // generator shares the server's cores, where a real client would not.
    const uploader = `
      import { request, Agent } from "node:http";
      import { readFileSync } from "node:fs";
      const body = readFileSync(${JSON.stringify(fileURLToPath(new URL("../../tests/fixtures/kodim23.png", import.meta.url)))});
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      const upload = () => new Promise((resolve, reject) => {
        request({ host: "127.0.0.1", port: ${port}, path: "/process?x-oss-process=image/resize,w_300/format,jpg", method: "POST", agent, headers: { "content-length": body.byteLength } }, (res) => {
          res.resume();
          res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error("status " + res.statusCode))));
        }).on("error", reject).end(body);
      });
      let uploads = 0;
      const until = performance.now() + 7000;
      await Promise.all(Array.from({ length: 8 }, async () => { while (performance.now() < until) { await upload(); uploads++; } }));
      agent.destroy();
      console.log(uploads);`;
    const uploading = new Promise((resolve, reject) => {
      const child = execFile(process.execPath, ["--input-type=module", "-e", uploader], { encoding: "utf8", timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(Number(stdout))));
      setPriority(child.pid, 10);
    });
    await new Promise((r) => setTimeout(r, 300)); // the uploads under way
    // The pings come from a process of their own, so that the uploads' client work in this
    // one does not count against the server.
    const pinger = `
      import { request, Agent } from "node:http";
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const ping = () => new Promise((resolve, reject) => {
        const started = performance.now();
        request({ host: "127.0.0.1", port: ${port}, path: "/ping", agent }, (res) => { res.resume(); res.on("end", () => resolve(performance.now() - started)); }).on("error", reject).end();
      });
      for (let i = 0; i < 20; i++) await ping();
      const pings = [];
      const started = performance.now();
      while (performance.now() - started < 6000) {
        pings.push(await ping());
        await new Promise((r) => setTimeout(r, 2));
      }
      agent.destroy();
      console.log(JSON.stringify(pings));`;
    const pings = JSON.parse(await new Promise((resolve, reject) => {
      const child = execFile(process.execPath, ["--input-type=module", "-e", pinger], { encoding: "utf8", timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      // The measuring client should not be what is slow: above the normal priority where allowed (root).
      try {
        setPriority(child.pid, -5);
      } catch {
        // Not allowed: measured at the normal priority.
      }
    }));
    const uploads = await uploading;
    pings.sort((a, b) => a - b);
    const p = (q) => pings[Math.min(pings.length - 1, Math.floor(q * pings.length))];
    console.log(`node-server: load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores; ${pings.length} pings under 8 parallel uploads (${uploads} uploads done, 768x512 PNG -> 300 px JPEG): p50 ${p(0.5).toFixed(2)} ms, p99 ${p(0.99).toFixed(2)} ms, max ${pings.at(-1).toFixed(2)} ms`);
    assert.ok(uploads >= 8, `uploads were processed (${uploads})`);
    // 5 ms is the bar; a machine busy with other work (a parallel build) may set a looser one.
    const bar = Number(process.env.OSSIMG_PING_P99_MS ?? 5);
    assert.ok(p(0.99) < bar, `p99 ${p(0.99).toFixed(2)} ms, over ${bar} ms`);
    agent.destroy();
  } finally {
    server.kill();
  }
});
