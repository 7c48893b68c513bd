// One adapter per image processor: { name, init(), ops: { W1: (ctx) => output bytes, ... } }.
// A missing op means the peer cannot do that workload. `prep` ops run untimed before a
// workload (e.g. building an in-engine image for encode-only).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
const PKG = new URL("../../pkg/", import.meta.url);

/** Node 20 has no ImageData; the Emscripten codecs and jSquash construct it. */
globalThis.ImageData ??= class ImageData {
  constructor(data, width, height) {
    if (typeof data === "number") [data, width, height] = [new Uint8ClampedArray(data * width * 4), data, width];
    Object.assign(this, { data, width, height, colorSpace: "srgb" });
  }
};

const rgbToRgba = (rgb) => {
  const out = new Uint8ClampedArray((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i]; out[j + 1] = rgb[i + 1]; out[j + 2] = rgb[i + 2]; out[j + 3] = 255;
  }
  return out;
};

const WATERMARK_TEXT = Buffer.from("ossimg benchmark").toString("base64url");

/** Our shipped package: pkg/ossimg_bg.wasm through pkg/core.js, driven by OSS specs. */
export async function ours() {
  const wasmBytes = readFileSync(new URL("ossimg_bg.wasm", PKG));
  const module = await WebAssembly.compile(wasmBytes);
  const { createApi } = await import(new URL("core.js", PKG));
  let fresh = 0;
  /** A new instance of the glue + wasm (ES modules with distinct URLs are distinct). */
  async function instance() {
    const raw = await import(new URL(`ossimg.js?instance=${fresh++}`, PKG));
    const exports = raw.initSync({ module });
    return { api: createApi(() => raw), memory: exports.memory };
  }
  const { api } = await instance();
  // Text marks need a font from the host (the package's fonts/, built by scripts/fonts.sh).
  const fontFile = new URL("fonts/wqy-microhei.ttf", PKG);
  const fonts = existsSync(fontFile) ? { "wqy-zenhei": new Uint8Array(readFileSync(fontFile)) } : {};
  const run = (spec) => (ctx) => api.process(ctx.input, spec, { fonts }).bytes;
  const specs = {
    W1: "image/resize,w_300/quality,Q_85/format,jpg",
    W2: "image/resize,w_1280/quality,Q_80/format,webp",
    W3: "image/resize,p_50",
    W4: "image/blur,r_15,s_5/quality,Q_85/format,jpg",
    W5d: "image/average-hue",
    // W5e runs decode + encode of the JPEG and the report subtracts W5d, as in earlier runs
    // (so figures compare; `processPixels` could now take the raw pixels instead).
    W5e: "image/format,jpg/quality,Q_85",
    W6: "image/rotate,45/quality,Q_85",
    W7: `image/watermark,text_${WATERMARK_TEXT},size_60,color_FFFFFF,g_se/quality,Q_85`,
    M1: "image/resize,w_1280/quality,Q_85/format,jpg",
    M2: "image/resize,w_300/quality,Q_85/format,jpg",
    // No quality: the AVIF default (src/codec/encode/avif.rs), sized like jSquash's q50.
    M3: "image/resize,w_1280/format,avif",
  };
  const ops = Object.fromEntries(Object.entries(specs).map(([w, spec]) => [w, run(spec)]));
  ops.W5d = (ctx) => new TextEncoder().encode(api.process(ctx.input, specs.W5d).text);
  return {
    name: "ours",
    wasmFiles: [new URL("ossimg_bg.wasm", PKG)],
    specs,
    ops,
    prep: { W5e: (ctx) => ({ ...ctx, input: ctx.jpeg }) },
    /** Peak linear memory of one call on a fresh instance (memory never shrinks). */
    async peakMemory(workload, ctx) {
      const { api: fresh, memory } = await instance();
      const before = memory.buffer.byteLength;
      const spec = specs[workload];
      fresh.process(ctx.input, spec, { fonts });
      return { before, after: memory.buffer.byteLength };
    },
  };
}

export async function sharpPeer() {
  const sharp = (await import("sharp")).default;
  sharp.concurrency(1);
  sharp.cache(false);
  const jpeg = { quality: 85, optimizeCoding: true };
  return {
    name: "sharp",
    wasmFiles: [],
    ops: {
      W1: (c) => sharp(c.input).resize(300, 225, { kernel: "lanczos3" }).jpeg(jpeg).toBuffer(),
      W2: (c) => sharp(c.input).resize(1280, 720, { kernel: "lanczos3" }).webp({ quality: 80 }).toBuffer(),
      W3: (c) => sharp(c.input).resize(960, 540, { kernel: "lanczos3" }).png().toBuffer(),
      W4: (c) => sharp(c.input).blur(5).jpeg(jpeg).toBuffer(),
      W5d: (c) => sharp(c.input).raw().toBuffer(),
      W5e: (c) => c.engineImage.clone().jpeg(jpeg).toBuffer(),
      W6: (c) => sharp(c.input).rotate(45, { background: "#ffffff" }).jpeg(jpeg).toBuffer(),
      M2: (c) => sharp(c.input).resize(300, 169, { kernel: "lanczos3" }).jpeg(jpeg).toBuffer(),
      M3: (c) => sharp(c.input).resize(1280, 720, { kernel: "lanczos3" }).avif({ quality: 50, effort: 4 }).toBuffer(),
    },
    prep: {
      W5e: (c) => ({ ...c, engineImage: sharp(c.rgb, { raw: { width: c.width, height: c.height, channels: 3 } }) }),
    },
  };
}

/** wasm-vips, one pthread; `thumbnail` = libvips' shrink-on-load path (W1 only). */
export async function wasmVipsPeers() {
  const Vips = (await import("wasm-vips")).default;
  const vips = await Vips({ dynamicLibraries: [] });
  vips.concurrency(1);
  vips.Cache.max(0);
  const jpeg = { Q: 85, optimize_coding: true };
  const using = (img, f) => { try { return f(img); } finally { img.delete(); } };
  const load = (bytes) => vips.Image.newFromBuffer(bytes);
  const resized = (bytes, w, h, f) => using(load(bytes), (img) => using(img.resize(w / img.width, { vscale: h / img.height, kernel: "lanczos3" }), f));
  const files = ["vips.wasm"].map((f) => new URL(`./node_modules/wasm-vips/lib/${f}`, import.meta.url));
  const full = {
    name: "wasm-vips",
    wasmFiles: files,
    ops: {
      W1: (c) => resized(c.input, 300, 225, (r) => r.writeToBuffer(".jpg", jpeg)),
      W2: (c) => resized(c.input, 1280, 720, (r) => r.writeToBuffer(".webp", { Q: 80 })),
      W3: (c) => using(load(c.input), (img) => using(img.premultiply(), (p) =>
        using(p.resize(0.5, { kernel: "lanczos3" }), (r) => using(r.unpremultiply(), (u) =>
          using(u.cast("uchar"), (o) => o.writeToBuffer(".png", { compression: 6, filter: 0 })))))),
      W4: (c) => using(load(c.input), (img) => using(img.gaussblur(5), (b) => b.writeToBuffer(".jpg", jpeg))),
      W5d: (c) => using(load(c.input), (img) => img.writeToMemory()),
      W5e: (c) => c.engineImage.writeToBuffer(".jpg", jpeg),
      W6: (c) => using(load(c.input), (img) => using(img.rotate(45, { background: [255, 255, 255] }), (r) => r.writeToBuffer(".jpg", jpeg))),
    },
    prep: {
      W5e: (c) => ({ ...c, engineImage: vips.Image.newFromMemory(c.rgb, c.width, c.height, 3, "uchar") }),
    },
    cleanup: { W5e: (c) => c.engineImage.delete() },
  };
  const thumbnail = {
    name: "wasm-vips-thumbnail",
    wasmFiles: files,
    ops: {
      W1: (c) => using(vips.Image.thumbnailBuffer(c.input, 300, { height: 225 }), (t) => t.writeToBuffer(".jpg", jpeg)),
    },
  };
  return [full, thumbnail];
}

/** @cf-wasm/photon (photon-rs through the image crate); WebP output is lossless only. */
export async function photonPeer() {
  const p = await import("@cf-wasm/photon");
  const using = (img, f) => { try { return f(img); } finally { img.free(); } };
  const load = (bytes) => p.PhotonImage.new_from_byteslice(bytes);
  const resized = (bytes, w, h, f) => using(load(bytes), (img) => using(p.resize(img, w, h, p.SamplingFilter.Lanczos3), f));
  return {
    name: "photon",
    wasmFiles: [new URL("./node_modules/@cf-wasm/photon/dist/lib/photon_rs_bg.wasm", import.meta.url)],
    ops: {
      W1: (c) => resized(c.input, 300, 225, (r) => r.get_bytes_jpeg(85)),
      W3: (c) => resized(c.input, 960, 540, (r) => r.get_bytes()),
      W4: (c) => using(load(c.input), (img) => { p.gaussian_blur(img, 5); return img.get_bytes_jpeg(85); }),
      W5d: (c) => using(load(c.input), (img) => new Uint8Array(0)),
      W5e: (c) => c.engineImage.get_bytes_jpeg(85),
    },
    prep: {
      W5e: (c) => ({ ...c, engineImage: new p.PhotonImage(rgbToRgba(c.rgb), c.width, c.height) }),
    },
    cleanup: { W5e: (c) => c.engineImage.free() },
  };
}

/** jSquash: Squoosh's mozjpeg, libwebp, png and resize codecs, each its own wasm. */
export async function jsquashPeer() {
  const dir = (p) => new URL(`./node_modules/@jsquash/${p}`, import.meta.url);
  const compile = (p) => WebAssembly.compile(readFileSync(dir(p)));
  const [jpegDec, jpegEnc, pngDec, pngEnc, webpEnc, resizeMod, avifDec, avifEnc] = await Promise.all([
    import("@jsquash/jpeg/decode.js"), import("@jsquash/jpeg/encode.js"),
    import("@jsquash/png/decode.js"), import("@jsquash/png/encode.js"),
    import("@jsquash/webp/encode.js"), import("@jsquash/resize"),
    import("@jsquash/avif/decode.js"), import("@jsquash/avif/encode.js"),
  ]);
  // Node: the single-threaded builds (libavif + dav1d to decode, + aom to encode).
  await avifDec.init(await compile("avif/codec/dec/avif_dec.wasm"));
  await avifEnc.init(await compile("avif/codec/enc/avif_enc.wasm"));
  await jpegDec.init(await compile("jpeg/codec/dec/mozjpeg_dec.wasm"));
  await jpegEnc.init(await compile("jpeg/codec/enc/mozjpeg_enc.wasm"));
  const png = await compile("png/codec/pkg/squoosh_png_bg.wasm");
  await pngDec.init(png);
  await pngEnc.init(png);
  await webpEnc.init(await compile("webp/codec/enc/webp_enc_simd.wasm"));
  await resizeMod.initResize(await compile("resize/lib/resize/pkg/squoosh_resize_bg.wasm"));
  const resize = (img, width, height, premultiply = false) => resizeMod.default(img, { width, height, method: "lanczos3", fitMethod: "stretch", premultiply, linearRGB: false });
  const u8 = (buf) => buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  // What a page does with an iPhone photo today: libheif-js (libheif + libde265, the engine of
  // heic2any / heic-convert) decodes it, jSquash resizes and encodes.
  const libheif = createRequire(import.meta.url)("libheif-js/wasm-bundle.js");
  const heicDecode = async (bytes) => {
    const [image] = new libheif.HeifDecoder().decode(bytes);
    const width = image.get_width(), height = image.get_height();
    const shown = await new Promise((resolve, reject) => image.display({ data: new Uint8ClampedArray(width * height * 4), width, height }, (d) => (d ? resolve(d) : reject(new Error("libheif-js: display failed")))));
    image.free();
    return new ImageData(shown.data, width, height);
  };
  return {
    name: "jsquash",
    wasmFiles: ["jpeg/codec/dec/mozjpeg_dec.wasm", "jpeg/codec/enc/mozjpeg_enc.wasm", "png/codec/pkg/squoosh_png_bg.wasm", "webp/codec/enc/webp_enc_simd.wasm", "resize/lib/resize/pkg/squoosh_resize_bg.wasm", "avif/codec/dec/avif_dec.wasm", "avif/codec/enc/avif_enc.wasm"].map(dir),
    ops: {
      W1: async (c) => new Uint8Array(await jpegEnc.default(await resize(await jpegDec.default(u8(c.input)), 300, 225), { quality: 85 })),
      W2: async (c) => new Uint8Array(await webpEnc.default(await resize(await jpegDec.default(u8(c.input)), 1280, 720), { quality: 80 })),
      W3: async (c) => new Uint8Array(await pngEnc.default(await resize(await pngDec.default(u8(c.input)), 960, 540, true))),
      W5d: async (c) => (await jpegDec.default(u8(c.input))).data,
      W5e: async (c) => new Uint8Array(await jpegEnc.default(c.engineImage, { quality: 85 })),
      M1: async (c) => {
        const decoded = await heicDecode(c.input);
        return new Uint8Array(await jpegEnc.default(await resize(decoded, 1280, Math.round((decoded.height * 1280) / decoded.width)), { quality: 85 }));
      },
      M2: async (c) => new Uint8Array(await jpegEnc.default(await resize(await avifDec.default(u8(c.input)), 300, 169), { quality: 85 })),
      M3: async (c) => new Uint8Array(await avifEnc.default(await resize(await jpegDec.default(u8(c.input)), 1280, 720), { quality: 50, speed: 6 })),
    },
    prep: { W5e: (c) => ({ ...c, engineImage: new ImageData(rgbToRgba(c.rgb), c.width, c.height) }) },
  };
}

export const peerPackages = () => {
  const file = (name) => new URL(`./node_modules/${name}/package.json`, import.meta.url);
  const v = (name) => (existsSync(file(name)) ? JSON.parse(readFileSync(file(name))).version : "not installed");
  return { sharp: v("sharp"), "wasm-vips": v("wasm-vips"), "@cf-wasm/photon": v("@cf-wasm/photon"), "@jsquash/jpeg": v("@jsquash/jpeg"), "@jsquash/png": v("@jsquash/png"), "@jsquash/webp": v("@jsquash/webp"), "@jsquash/resize": v("@jsquash/resize"), "libheif-js": v("libheif-js"), "@jsquash/avif": v("@jsquash/avif") };
};
