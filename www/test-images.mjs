// Images made in the tests (shared by www/test/*.test.mjs).
import { crc32, deflateSync } from "node:zlib";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG chunk: length, type, data, CRC. */
function pngChunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG of the given IHDR fields and IDAT bytes. */
export function png(ihdr, idat) {
  return Buffer.concat([PNG_SIGNATURE, pngChunk("IHDR", ihdr), pngChunk("IDAT", idat), pngChunk("IEND", [])]);
}

/**
 * A valid 8-bit grey PNG of w×h, all black: zeros compress to almost nothing, so it is
 * small to send and big to process (a legal "bomb").
 */
export function greyPng(w, h) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: grey
  const raw = Buffer.alloc((w + 1) * h); // per row: filter byte 0, then w zero pixels
  return png(ihdr, deflateSync(raw));
}
