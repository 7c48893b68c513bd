// Float64 references (Lanczos3 resample, true Gaussian) and PSNR of the luma channel.
// Reference pixels are RGB(A) Uint8 buffers with interleaved channels.

const lanczos3 = (x) => {
  if (x === 0) return 1;
  if (Math.abs(x) >= 3) return 0;
  const px = Math.PI * x;
  return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
};

/** Normalised weights of one axis: for each output index, [first source index, weights]. */
function lanczosWeights(inLen, outLen) {
  const scale = inLen / outLen;
  const support = 3 * Math.max(1, scale);
  const stretch = Math.max(1, scale);
  return Array.from({ length: outLen }, (_, i) => {
    const centre = (i + 0.5) * scale;
    const first = Math.max(0, Math.floor(centre - support));
    const last = Math.min(inLen - 1, Math.ceil(centre + support));
    const w = [];
    for (let j = first; j <= last; j++) w.push(lanczos3((j + 0.5 - centre) / stretch));
    const sum = w.reduce((a, b) => a + b, 0);
    return [first, Float64Array.from(w, (v) => v / sum)];
  });
}

function gaussianWeights(len, sigma) {
  const r = Math.ceil(4 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  // Edges extend the border pixel (clamp), folded into the taps that fall outside.
  return Array.from({ length: len }, (_, i) => {
    const first = Math.max(0, i - r), last = Math.min(len - 1, i + r);
    const w = new Float64Array(last - first + 1);
    for (let t = -r; t <= r; t++) w[Math.min(len - 1, Math.max(0, i + t)) - first] += k[t + r] / sum;
    return [first, w];
  });
}

/** Separable filter: rows with `wx`, then columns with `wy`, float64 throughout. */
function separable(src, width, height, channels, wx, wy) {
  const outW = wx.length, outH = wy.length;
  const tmp = new Float64Array(outW * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outW; x++) {
      const [first, w] = wx[x];
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let k = 0; k < w.length; k++) acc += w[k] * src[((y * width) + first + k) * channels + c];
        tmp[(y * outW + x) * channels + c] = acc;
      }
    }
  }
  const out = new Float64Array(outW * outH * channels);
  for (let y = 0; y < outH; y++) {
    const [first, w] = wy[y];
    for (let i = 0; i < outW * channels; i++) {
      let acc = 0;
      for (let k = 0; k < w.length; k++) acc += w[k] * tmp[(first + k) * outW * channels + i];
      out[y * outW * channels + i] = acc;
    }
  }
  return out;
}

/** Premultiplied copy of RGBA (alpha stays as is), as float64. */
function premultiplied(rgba) {
  const out = new Float64Array(rgba.length);
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3] / 255;
    out[i] = rgba[i] * a; out[i + 1] = rgba[i + 1] * a; out[i + 2] = rgba[i + 2] * a; out[i + 3] = rgba[i + 3];
  }
  return out;
}

/** Lanczos3 reference of `width × height × channels` to `outW × outH` (RGBA: premultiplied). */
export function lanczosReference(src, width, height, channels, outW, outH) {
  const input = channels === 4 ? premultiplied(src) : src;
  return { pixels: separable(input, width, height, channels, lanczosWeights(width, outW), lanczosWeights(height, outH)), width: outW, height: outH, channels, premultiplied: channels === 4 };
}

/** A true Gaussian of standard deviation `sigma` (kernel ±4σ, clamped edges). */
export function gaussianReference(src, width, height, channels, sigma) {
  return { pixels: separable(src, width, height, channels, gaussianWeights(width, sigma), gaussianWeights(height, sigma)), width, height, channels, premultiplied: false };
}

/** Identity reference (the source pixels themselves). */
export function identityReference(src, width, height, channels) {
  return { pixels: src, width, height, channels, premultiplied: false };
}

/** PSNR of BT.601 luma between `ref` and decoded RGB(A) `pixels` (same size), in dB. */
export function psnrY(ref, pixels, channels) {
  if (!ref) return null;
  const n = ref.width * ref.height;
  if (pixels.length !== n * channels) return null;
  let se = 0;
  for (let i = 0; i < n; i++) {
    const r = ref.pixels, p = i * ref.channels, q = i * channels;
    const a = channels === 4 && ref.premultiplied ? pixels[q + 3] / 255 : 1;
    const yr = 0.299 * r[p] + 0.587 * r[p + 1] + 0.114 * r[p + 2];
    const yo = (0.299 * pixels[q] + 0.587 * pixels[q + 1] + 0.114 * pixels[q + 2]) * a;
    se += (yr - yo) ** 2;
  }
  const mse = se / n;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
