"""Cuts the AV1 items of AVIF files into seeds for the `av1` fuzz target (fuzz/seeds/av1/):
one byte, the length of the item's av1C payload; that payload; the item's data.

    python3 scripts/av1-fuzz-seeds.py OUTDIR [--max BYTES] FILE.avif...

--max cuts each seed to BYTES (the corpus' photos are 80-220 KB: their first 3,000 bytes hold
the sequence header and the first tiles, which is what a mutation explores). The committed
seeds: our encoder's small AVIFs (`ossimg` CLI, 8x8 to 100x40, with and without alpha) and
the corpus' files cut to 3,000 bytes. A plain reader for the simple files AVIF writers make
(one meta box, iloc versions 0-2, items in the file), not a validating one.
"""
import os
import struct
import sys


def boxes(d, start, end):
    """(type, content start, end) of each box in d[start:end]."""
    i = start
    while i + 8 <= end:
        size, kind = struct.unpack(">I4s", d[i:i + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", d[i + 8:i + 16])[0], 16
        elif size == 0:
            size = end - i
        yield kind, i + header, i + size
        i += size


def number(d, at, size):
    return int.from_bytes(d[at:at + size], "big"), at + size


def item_types(d, start, end):
    version = d[start]
    count_size = 2 if version == 0 else 4
    at = start + 4 + count_size
    types = {}
    for _, s, _ in boxes(d, at, end):
        infe_version, at = d[s], s + 4
        if infe_version >= 2:
            item, at = number(d, at, 2 if infe_version == 2 else 4)
            types[item] = d[at + 2:at + 6]  # after the protection index
    return types


def item_data(d, start, end):
    version = d[start]
    at = start + 4
    offset_size, length_size = d[at] >> 4, d[at] & 15
    base_size, index_size = d[at + 1] >> 4, (d[at + 1] & 15 if version in (1, 2) else 0)
    count, at = number(d, at + 2, 2 if version < 2 else 4)
    data = {}
    for _ in range(count):
        item, at = number(d, at, 2 if version < 2 else 4)
        if version in (1, 2):
            at += 2  # construction method: file offsets only
        at += 2  # data reference index
        base, at = number(d, at, base_size)
        extents, at = number(d, at, 2)
        chunks = []
        for _ in range(extents):
            at += index_size
            offset, at = number(d, at, offset_size)
            length, at = number(d, at, length_size)
            chunks.append(d[base + offset:base + offset + length])
        data[item] = b"".join(chunks)
    return data


def av1c_of_items(d, start, end):
    """{item: av1C payload} from iprp: its properties (ipco) and every ipma."""
    children = list(boxes(d, start, end))
    properties = [d[s:e] if kind == b"av1C" else None
                  for kind, s, e in boxes(d, *next((s, e) for k, s, e in children if k == b"ipco"))]
    found = {}
    for kind, s, _ in children:
        if kind != b"ipma":
            continue
        version, flags = d[s], int.from_bytes(d[s + 1:s + 4], "big")
        count, at = number(d, s + 4, 4)
        for _ in range(count):
            item, at = number(d, at, 2 if version < 1 else 4)
            n, at = d[at], at + 1
            for _ in range(n):
                index, at = number(d, at, 2 if flags & 1 else 1)
                index &= 0x7FFF if flags & 1 else 0x7F
                if index and properties[index - 1] is not None:
                    found[item] = properties[index - 1]
    return found


def cut(path, outdir, limit):
    d = open(path, "rb").read()
    top = {kind: (s, e) for kind, s, e in boxes(d, 0, len(d))}
    meta_start, meta_end = top[b"meta"]
    meta = {kind: (s, e) for kind, s, e in boxes(d, meta_start + 4, meta_end)}
    types = item_types(d, *meta[b"iinf"])
    data = item_data(d, *meta[b"iloc"])
    for item, av1c in av1c_of_items(d, *meta[b"iprp"]).items():
        if types.get(item) != b"av01":
            continue
        seed = (bytes([len(av1c)]) + av1c + data[item])[:limit]
        out = os.path.join(outdir, f"{os.path.basename(path)}.{item}")
        open(out, "wb").write(seed)
        print(out, len(seed))


def main(args):
    outdir, limit = args[0], None
    files = args[1:]
    if files[:1] == ["--max"]:
        limit, files = int(files[1]), files[2:]
    for f in files:
        cut(f, outdir, limit)


if __name__ == "__main__":
    main(sys.argv[1:])
