// Compiled with `tsc --noEmit` (types.test.mjs): the package's declarations must describe
// the API as documented. Never run.
import init, { checkSource, initSync, loadFonts, OssImageError, parse, probe, process, processImage, readInput, splitStyleDelimiter, toBlob, toResponse, version } from "ossimg";
import type { AsyncInput, Options, Result, ProbeResult, ParseResult, OssErrorCode } from "ossimg";
import * as browserEntry from "ossimg/browser";
import * as leanEntry from "ossimg/lean";
import * as workerdEntry from "ossimg/workerd";
import * as nodeAsync from "ossimg/node";
import type { R2BucketLike, Env } from "ossimg/cf-worker";
import { createProcessor } from "ossimg/client";
import type { FetchResult, Processor } from "ossimg/client";
import worker from "ossimg/cf-worker";
import type { Fallback } from "ossimg/cf-worker";

await init();
await init(new URL("https://example.invalid/ossimg_bg.wasm"));
initSync(new Uint8Array(8));
browserEntry.initSync({ module: new Uint8Array(8) });
const leanReady: Promise<void> = leanEntry.default();
const leanOut: Result = leanEntry.process(new Uint8Array(8), "image/resize,w_10");
void leanReady, leanOut;
// @ts-expect-error the browser entry needs the module (it throws a TypeError without it)
browserEntry.initSync();
const sameApi: typeof processImage = workerdEntry.processImage;
void sameApi;

const bytes = new Uint8Array(16);
const options: Options = {
  styles: { small: "image/resize,w_100" },
  objects: new Map([["logo.png", new Uint8Array(4)]]),
  fonts: { "wqy-zenhei": new ArrayBuffer(8) },
  limits: "workers",
  strict: true,
  defaultJpegQuality: 90,
  defaultWebpQuality: 85,
  autoOrient: true,
};
const out: Result = process(bytes, "image/resize,w_300/quality,q_90", options);
if (out.kind === "json") {
  const text: string = out.text;
  const width: unknown = out.json.ImageWidth?.value;
  void text, width;
} else if (out.kind === "original") {
  const same: Uint8Array = out.bytes;
  void same;
} else {
  const size: number = out.width * out.height * out.frames;
  const mime: string = out.mime;
  void size, mime;
}
const p: ProbeResult = probe(bytes.buffer);
const hasAlpha: boolean = p.hasAlpha;
const parsed: ParseResult = parse("style/small", { styles: { small: "image/resize,w_10" } });
const needs: string[] = [...parsed.objects, ...parsed.fonts, parsed.canonical, version()];
void hasAlpha, needs;

try {
  process(bytes, "image/resize,w_0");
} catch (err) {
  if (err instanceof OssImageError) {
    const code: OssErrorCode = err.code;
    const status: number = err.status;
    const ec: string | null = err.ec;
    const reason: string | undefined = err.reason;
    void code, status, ec, reason;
  }
}

const pool: Processor = createProcessor({ size: 2, idleTimeoutMs: 5000 });
const leanPool: Processor = createProcessor({ lean: true });
void leanPool;
const controller = new AbortController();
const later: Promise<Result> = pool.process(bytes, "image/resize,w_10", { signal: controller.signal, transfer: false, limits: "oss" });
void later;
const fetched: Promise<FetchResult> = pool.fetch("/photos/a.jpg", "image/resize,w_10", { signal: controller.signal });
void fetched.then((r) => (r.fallback === null ? r.mime : r.response.body));
pool.terminate();

await loadFonts();
checkSource(bytes, "image/resize,w_100", { limits: "workers" });
checkSource(bytes, "style/small", { styles: { small: "image/resize,w_10" }, limits: "oss" });
checkSource(bytes, "");
// @ts-expect-error the spec about to run is required
checkSource(bytes, { limits: "workers" });
// The hosts' own codes are OSS codes too (types.test.mjs checks every code the JS throws).
const hostCodes: OssErrorCode[] = ["NoSuchKey", "NoSuchFile", "MethodNotAllowed", "InvalidObjectName"];
// @ts-expect-error not an OSS error code
const bogus: OssErrorCode = "NoSuchThing";
const fallback: Fallback = "engine-budget";
void hostCodes, bogus, fallback;
const split: [string, string] | undefined = splitStyleDelimiter("a.jpg!thumb", "!");
void split;
const served: Promise<Response> = worker.fetch(new Request("https://example.invalid/a.jpg"), { ORIGIN_URL: "https://origin.invalid/", STYLES: { thumb: "image/resize,w_100" } });
void served;

// @ts-expect-error limits is "oss" | "workers"
process(bytes, "image/resize,w_1", { limits: "huge" });
// @ts-expect-error input must be bytes
probe("hopper.jpg");

// The async API of Node: any input, results with a kind, helpers to serve them.
const fromBlob: Promise<Result> = nodeAsync.processImage(new Blob([bytes]), "image/resize,w_10", { signal: controller.signal, transfer: true });
const fromResponse: Promise<Result> = nodeAsync.process(new Response(bytes), "image/info");
const probed: Promise<ProbeResult> = nodeAsync.probe(bytes);
const parsedAsync: Promise<ParseResult> = nodeAsync.parse("image/resize,w_1");
void fromBlob, fromResponse, probed, parsedAsync;
const nodePool = nodeAsync.createProcessor({ size: 2, idleTimeoutMs: 1000 });
const pooledProbe: Promise<ProbeResult> = pool.probe(new Blob([bytes]));
void nodePool.parse("image/resize,w_1"), pooledProbe;
const anyInput: AsyncInput = new ReadableStream<Uint8Array>();
const read: Promise<Uint8Array> = readInput(anyInput);
void read;
const sync = processImage(bytes, "image/resize,w_10");
const blob: Blob = toBlob(sync);
const response: Response = toResponse(sync, { status: 200, headers: { "cache-control": "max-age=60" } });
void blob, response;
// @ts-expect-error the synchronous API takes bytes only
processImage(new Blob([bytes]), "image/resize,w_10");

const bucket: R2BucketLike = {
  get: async () => null,
  head: async () => null,
};
const env: Env = { BUCKET: bucket };
// @ts-expect-error BUCKET is an R2 binding, not a name
const badEnv: Env = { BUCKET: "my-bucket" };
void env, badEnv;

// Raw RGBA pixels (ImageData) in the synchronous and the pooled API.
const fromPixels: Result = processImage({ data: new Uint8ClampedArray(16), width: 2, height: 2 }, "image/resize,w_1");
const pooledPixels: Promise<Result> = pool.process({ data: new Uint8Array(16), width: 2, height: 2 }, "image/format,webp");
void fromPixels, pooledPixels;
// @ts-expect-error readInput reads files and streams, not pixels
void readInput({ data: new Uint8Array(16), width: 2, height: 2 });
