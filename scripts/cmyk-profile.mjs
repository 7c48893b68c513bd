// Makes src/codec/colour/chemical_proof.icc, the CMYK profile ossimg assumes for a CMYK
// picture that embeds none: the one libvips assumes ("cmyk", from nip2), so both decode such
// a file alike. "Chemical proof", by Graeme W. Gill, released into the public domain (its
// cprt tag says so). The original is 961,644 bytes, 734 KB of them its characterisation
// text; this keeps only what a CMYK → PCS conversion reads: desc, cprt, wtpt, bkpt and the
// one 9⁴-grid A2B table its three intents share (54 KB).
//
//   cd www && node ../scripts/cmyk-profile.mjs      (sharp, a dev dependency, carries it)
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(resolve(process.cwd(), "package.json"));
const sharp = require("sharp");
const out = resolve(dirname(fileURLToPath(import.meta.url)), "../src/codec/colour/chemical_proof.icc");

// libvips attaches its built-in profile to a CMYK output asked for with the name "cmyk".
const jpeg = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#808080" } })
  .toColourspace("cmyk")
  .withIccProfile("cmyk")
  .jpeg()
  .toBuffer();
const { icc } = await sharp(jpeg).metadata();
if (!icc?.toString("latin1").includes("Chemical proof")) {
  throw new Error("libvips' cmyk profile is not 'Chemical proof' any more: check its licence first");
}

const KEEP = ["desc", "cprt", "wtpt", "bkpt", "A2B0", "A2B1", "A2B2"];
const tags = [];
for (let i = 0; i < icc.readUInt32BE(128); i++) {
  const at = 132 + 12 * i;
  const sig = icc.toString("latin1", at, at + 4);
  if (KEEP.includes(sig)) tags.push({ sig, offset: icc.readUInt32BE(at + 4), size: icc.readUInt32BE(at + 8) });
}
// Tags that share data in the original (the three A2B intents) share it here too.
const table = 132 + 12 * tags.length;
const blocks = new Map();
let end = table;
for (const t of tags) {
  if (!blocks.has(t.offset)) {
    blocks.set(t.offset, { at: end, data: icc.subarray(t.offset, t.offset + t.size) });
    end += t.size + ((4 - (t.size % 4)) % 4);
  }
}
const profile = Buffer.alloc(end);
icc.copy(profile, 0, 0, 128);
profile.writeUInt32BE(end, 0);
profile.fill(0, 84, 100); // profile ID: an MD5 of the whole, no longer valid
profile.writeUInt32BE(tags.length, 128);
tags.forEach((t, i) => {
  const block = blocks.get(t.offset);
  profile.write(t.sig, 132 + 12 * i, "latin1");
  profile.writeUInt32BE(block.at, 136 + 12 * i);
  profile.writeUInt32BE(t.size, 140 + 12 * i);
  block.data.copy(profile, block.at);
});
writeFileSync(out, profile);
console.log(`${out}: ${profile.length} bytes (from ${icc.length})`);
