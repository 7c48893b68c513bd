//! IFD0's image structure as plain numbers, read once with the header layer's walker
//! (`metadata::ifd`); every later step works on this and never on the raw directory.

use crate::codec::bytes::ByteOrder;
use crate::codec::metadata::ifd::{ifd0, Entry, Ifd};
use crate::codec::metadata::tags::{
    TAG_HEIGHT, TAG_PLANAR_CONFIGURATION as PLANAR, TAG_TILE_WIDTH as TILE_WIDTH, TAG_WIDTH,
};
use crate::error::{Error, Result};

// Tags of TIFF 6.0 (and the JPEG / LZMA / LogLuv technical notes) that the decoder reads.
const BITS_PER_SAMPLE: u16 = 0x0102;
const COMPRESSION: u16 = 0x0103;
const PHOTOMETRIC: u16 = 0x0106;
const FILL_ORDER: u16 = 0x010A;
const STRIP_OFFSETS: u16 = 0x0111;
const SAMPLES_PER_PIXEL: u16 = 0x0115;
const ROWS_PER_STRIP: u16 = 0x0116;
const STRIP_BYTE_COUNTS: u16 = 0x0117;
const T4_OPTIONS: u16 = 0x0124;
const PREDICTOR: u16 = 0x013D;
const COLOR_MAP: u16 = 0x0140;
const TILE_LENGTH: u16 = 0x0143;
const TILE_OFFSETS: u16 = 0x0144;
const TILE_BYTE_COUNTS: u16 = 0x0145;
const EXTRA_SAMPLES: u16 = 0x0152;
const SAMPLE_FORMAT: u16 = 0x0153;
const JPEG_TABLES: u16 = 0x015B;
const JPEG_PROC: u16 = 0x0200;
const JPEG_INTERCHANGE: u16 = 0x0201;
const JPEG_INTERCHANGE_LENGTH: u16 = 0x0202;
const JPEG_RESTART_INTERVAL: u16 = 0x0203;
const JPEG_Q_TABLES: u16 = 0x0207;
const JPEG_DC_TABLES: u16 = 0x0208;
const JPEG_AC_TABLES: u16 = 0x0209;
const YCBCR_SUBSAMPLING: u16 = 0x0212;
const REFERENCE_BLACK_WHITE: u16 = 0x0214;

/// The largest tile side accepted.
const MAX_TILE_SIDE: u32 = 1 << 16;

/// Photometric interpretations.
pub(super) const WHITE_IS_ZERO: u16 = 0;
pub(super) const BLACK_IS_ZERO: u16 = 1;
pub(super) const RGB: u16 = 2;
pub(super) const PALETTE: u16 = 3;
pub(super) const CMYK: u16 = 5;
pub(super) const YCBCR: u16 = 6;
pub(super) const LOG_LUV: u16 = 32845;

/// Sample formats.
pub(super) const FLOAT: u16 = 3;

/// Where the pixels are and how they are stored.
pub(super) struct Layout<'a> {
    pub width: u32,
    pub height: u32,
    /// Bits of each sample (TIFF allows them to differ; we refuse that).
    pub bits: u16,
    pub samples: u16,
    pub sample_format: u16,
    pub photometric: u16,
    pub compression: u16,
    /// True for one plane per sample (PlanarConfiguration 2).
    pub planar: bool,
    pub predictor: u16,
    pub fill_lsb_first: bool,
    /// Width and height of a chunk: a tile, or a strip (full width, RowsPerStrip rows).
    pub chunk_w: u32,
    pub chunk_h: u32,
    pub tiled: bool,
    /// Offset and byte count of each chunk, in TIFF order (planes after each other).
    pub chunks: Vec<(u64, u64)>,
    /// The 3 × 2^bits colour map of a palette image, 16 bits a value.
    pub colour_map: Vec<u16>,
    /// ExtraSamples: 1 associated alpha, 2 unassociated, 0 unspecified; `None` without.
    pub extra: Option<u16>,
    pub jpeg_tables: Option<&'a [u8]>,
    /// Old-style JPEG (compression 6): a whole JPEG stream at this offset and length.
    pub jpeg_interchange: Option<(u64, u64)>,
    /// Old-style JPEG, the other kind: bare scans in the chunks, tables in tags.
    pub old_jpeg_tables: Option<OldJpegTables>,
    pub subsampling: (u32, u32),
    /// ReferenceBlackWhite of YCbCr: the codes of black and white for Y, then of the
    /// chroma zero and extreme for Cb and for Cr (default full range: 0 255 128 255 128 255).
    pub reference_black_white: [f32; 6],
    pub t4_options: u64,
    pub order: ByteOrder,
}

/// The first six values of an integer array, as numbers.
fn six_uints(e: &Entry<'_>) -> Option<[f64; 6]> {
    let mut values = e.uints()?.map(|v| v as f64);
    let mut out = [0.0; 6];
    for v in &mut out {
        *v = values.next()?;
    }
    Some(out)
}

/// Where an old-style JPEG keeps its tables (TIFF 6.0 section 22): the offsets of a
/// quantisation table (64 bytes, zigzag order) and of a DC and an AC Huffman table (16
/// counts, then the values) for each component.
pub(super) struct OldJpegTables {
    pub quantisation: Vec<u64>,
    pub dc: Vec<u64>,
    pub ac: Vec<u64>,
    pub restart_interval: u16,
}

impl<'a> Layout<'a> {
    /// The layout of IFD0 of `bytes`; an error when a tag it needs is missing or absurd.
    pub(super) fn read(bytes: &'a [u8]) -> Result<Self> {
        let ifd = ifd0(bytes).ok_or_else(|| Error::corrupt("the TIFF header is broken"))?;
        let value = |tag| ifd.value(tag);
        let small = |tag, default: u16| value(tag).map_or(Some(default), |v| u16::try_from(v).ok());
        let corrupt = |what: &str| Error::corrupt(format!("TIFF: {what}"));
        let side = |tag| {
            value(tag)
                .and_then(|v| u32::try_from(v).ok())
                .filter(|&v| v > 0)
        };
        let width = side(TAG_WIDTH).ok_or_else(|| corrupt("no image width"))?;
        let height = side(TAG_HEIGHT).ok_or_else(|| corrupt("no image height"))?;
        let samples = small(SAMPLES_PER_PIXEL, 1)
            .filter(|s| (1..=16).contains(s))
            .ok_or_else(|| corrupt("bad SamplesPerPixel"))?;
        let bits = same_for_all(&ifd, BITS_PER_SAMPLE, 1)
            .filter(|b| (1..=64).contains(b))
            .ok_or_else(|| corrupt("bad or mixed BitsPerSample"))?;
        let sample_format =
            same_for_all(&ifd, SAMPLE_FORMAT, 1).ok_or_else(|| corrupt("mixed SampleFormat"))?;
        let compression = small(COMPRESSION, 1).ok_or_else(|| corrupt("bad Compression"))?;
        let photometric = match value(PHOTOMETRIC) {
            Some(p) => u16::try_from(p).map_err(|_| corrupt("bad Photometric"))?,
            // No photometric: libtiff guesses from the sample count.
            None if samples >= 3 => RGB,
            None => BLACK_IS_ZERO,
        };
        let tiled = ifd.has(TILE_WIDTH);
        let (chunk_w, chunk_h, offsets, counts) = if tiled {
            // Real tiles are 16 to 1024 pixels a side; the cap keeps every size computed
            // from them far from overflowing.
            let tile_side = |tag| side(tag).filter(|&v| v <= MAX_TILE_SIDE);
            let tw = tile_side(TILE_WIDTH).ok_or_else(|| corrupt("bad TileWidth"))?;
            let th = tile_side(TILE_LENGTH).ok_or_else(|| corrupt("bad TileLength"))?;
            (tw, th, TILE_OFFSETS, TILE_BYTE_COUNTS)
        } else {
            let rows = value(ROWS_PER_STRIP)
                .and_then(|v| u32::try_from(v).ok())
                .filter(|&v| v > 0)
                .map_or(height, |r| r.min(height));
            // RowsPerStrip beyond the height means one strip a plane; a file with more
            // contradicts itself (a crafted RowsPerStrip overflow, Pillow's test file):
            // refused like libtiff's callers and Pillow refuse it.
            let strips = ifd
                .entry(STRIP_OFFSETS)
                .and_then(|e| e.count())
                .unwrap_or(0);
            let planes = if value(PLANAR) == Some(2) {
                u64::from(samples)
            } else {
                1
            };
            if value(ROWS_PER_STRIP).is_some_and(|r| r > u64::from(height)) && strips > planes {
                return Err(corrupt("RowsPerStrip disagrees with the strip count"));
            }
            (width, rows, STRIP_OFFSETS, STRIP_BYTE_COUNTS)
        };
        let array = |tag| {
            ifd.entry(tag)
                .and_then(|e| e.uints())
                .map(Iterator::collect::<Vec<u64>>)
        };
        let offsets = array(offsets).unwrap_or_default();
        let counts = array(counts).unwrap_or_default();
        let chunks = offsets.into_iter().zip(counts).collect();
        let colour_map = ifd
            .entry(COLOR_MAP)
            .and_then(|e| e.uints())
            .map(|v| v.map(|c| u16::try_from(c).unwrap_or(u16::MAX)).collect())
            .unwrap_or_default();
        let extra = value(EXTRA_SAMPLES).and_then(|v| u16::try_from(v).ok());
        let subsampling = ifd
            .entry(YCBCR_SUBSAMPLING)
            .and_then(|e| e.uints())
            .map(|mut v| (v.next().unwrap_or(2), v.next().unwrap_or(2)))
            .unwrap_or((2, 2));
        let subsampling = match subsampling {
            (h @ (1 | 2 | 4), v @ (1 | 2 | 4)) => (h as u32, v as u32),
            _ => return Err(corrupt("bad YCbCrSubSampling")),
        };
        let jpeg_interchange = value(JPEG_INTERCHANGE).zip(value(JPEG_INTERCHANGE_LENGTH));
        // Baseline only (JPEGProc 1): lossless JPEG (14) was never written in practice.
        let old_jpeg_tables = (value(JPEG_PROC).unwrap_or(1) == 1)
            .then(|| {
                Some(OldJpegTables {
                    quantisation: array(JPEG_Q_TABLES)?,
                    dc: array(JPEG_DC_TABLES)?,
                    ac: array(JPEG_AC_TABLES)?,
                    restart_interval: small(JPEG_RESTART_INTERVAL, 0)?,
                })
            })
            .flatten();
        Ok(Layout {
            width,
            height,
            bits,
            samples,
            sample_format,
            photometric,
            compression,
            planar: value(PLANAR) == Some(2) && samples > 1,
            predictor: small(PREDICTOR, 1).unwrap_or(1),
            fill_lsb_first: value(FILL_ORDER) == Some(2),
            chunk_w,
            chunk_h,
            tiled,
            chunks,
            colour_map,
            extra,
            jpeg_tables: ifd.entry(JPEG_TABLES).and_then(|e| e.bytes()),
            jpeg_interchange,
            old_jpeg_tables,
            subsampling,
            reference_black_white: ifd
                .entry(REFERENCE_BLACK_WHITE)
                // RATIONAL by the standard; some writers (libtiff's own zackthecat) used LONG.
                .and_then(|e| e.rationals::<6>().or_else(|| six_uints(&e)))
                .map(|v| v.map(|v| v as f32))
                // Black and white, and zero and extreme, must differ for a scale to exist.
                .filter(|v| v[0] != v[1] && v[2] != v[3] && v[4] != v[5])
                .unwrap_or([0.0, 255.0, 128.0, 255.0, 128.0, 255.0]),
            t4_options: value(T4_OPTIONS).unwrap_or(0),
            order: ifd.byte_order(),
        })
    }

    /// Chunks across and down one plane.
    pub(super) fn grid(&self) -> (u32, u32) {
        (
            self.width.div_ceil(self.chunk_w),
            self.height.div_ceil(self.chunk_h),
        )
    }

    /// Samples one chunk stores per pixel: all of them, or one in a planar file.
    pub(super) fn samples_per_chunk(&self) -> u16 {
        if self.planar {
            1
        } else {
            self.samples
        }
    }
}

/// The value of a per-sample tag when every sample has the same; `default` when absent.
fn same_for_all(ifd: &Ifd<'_>, tag: u16, default: u16) -> Option<u16> {
    let Some(mut values) = ifd.entry(tag).and_then(|e| e.uints()) else {
        return (!ifd.has(tag)).then_some(default);
    };
    let first = values.next().unwrap_or(u64::from(default));
    if values.any(|v| v != first) {
        return None;
    }
    u16::try_from(first).ok()
}
