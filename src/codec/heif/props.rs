//! Item properties (ISO/IEC 23008-12 §6.5, ISO/IEC 23091-2, MIAF): the ones a still
//! picture needs to be shown as its author meant; every other property is kept as `Other`.

use super::boxes::{corrupt, full, Bx, Reader};
use super::picture::Cicp;
use crate::error::Result;

/// A clean aperture as its eight fractions: width, height, horizontal and vertical offset
/// of the centre, each numerator over denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Clap {
    pub width: (u32, u32),
    pub height: (u32, u32),
    pub h_off: (i32, u32),
    pub v_off: (i32, u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Prop<'a> {
    /// `ispe`: the coded image's width and height.
    Ispe(u32, u32),
    /// `irot`: quarter turns anticlockwise.
    Irot(u8),
    /// `imir`: 0 mirrors about a vertical axis (left ↔ right), 1 about a horizontal one.
    Imir(u8),
    Clap(Clap),
    /// `colr` of type `nclx`.
    Nclx(Cicp),
    /// `colr` of type `prof` or `rICC`: an ICC profile.
    Icc(&'a [u8]),
    /// `pixi`: bits per channel of the first channel.
    Pixi(u8),
    /// `auxC`: the auxiliary image type URN.
    AuxC(&'a [u8]),
    /// `hvcC`, the HEVC decoder configuration record.
    HvcC(&'a [u8]),
    /// `av1C`, the AV1 codec configuration record.
    Av1C(&'a [u8]),
    Other,
}

pub(super) fn parse(bx: Bx<'_>) -> Result<Prop<'_>> {
    let mut r = Reader::new(bx.body);
    Ok(match &bx.kind {
        b"ispe" => {
            let (_, _, rest) = full(bx.body)?;
            let mut r = Reader::new(rest);
            Prop::Ispe(r.u32()?, r.u32()?)
        }
        b"irot" => Prop::Irot(r.u8()? & 3),
        b"imir" => Prop::Imir(r.u8()? & 1),
        b"clap" => {
            let mut f = [0u32; 8];
            for v in &mut f {
                *v = r.u32()?;
            }
            let [wn, wd, hn, hd, xn, xd, yn, yd] = f;
            Prop::Clap(Clap {
                width: (wn, wd),
                height: (hn, hd),
                h_off: (xn as i32, xd),
                v_off: (yn as i32, yd),
            })
        }
        b"colr" => match r.bytes(4)? {
            b"nclx" => {
                let primaries = r.u16()?;
                let transfer = r.u16()?;
                let matrix = r.u16()?;
                let full_range = r.u8()? & 0x80 != 0;
                let byte = |v: u16| u8::try_from(v).unwrap_or(2);
                Prop::Nclx(Cicp {
                    primaries: byte(primaries),
                    transfer: byte(transfer),
                    matrix: byte(matrix),
                    full_range,
                })
            }
            b"prof" | b"rICC" => Prop::Icc(r.rest()),
            _ => Prop::Other,
        },
        b"pixi" => {
            let (_, _, rest) = full(bx.body)?;
            let mut r = Reader::new(rest);
            let channels = r.u8()?;
            if channels == 0 {
                return Err(corrupt("pixi without channels"));
            }
            Prop::Pixi(r.u8()?)
        }
        b"auxC" => {
            let (_, _, rest) = full(bx.body)?;
            Prop::AuxC(Reader::new(rest).cstr())
        }
        b"hvcC" => Prop::HvcC(bx.body),
        b"av1C" => Prop::Av1C(bx.body),
        _ => Prop::Other,
    })
}

/// Is `urn` (an `auxC` type) an alpha plane?
pub(super) fn is_alpha(urn: &[u8]) -> bool {
    urn == b"urn:mpeg:hevc:2015:auxid:1" || urn == b"urn:mpeg:mpegB:cicp:systems:auxiliary:alpha"
}

impl Clap {
    /// The crop `(left, top, width, height)` this aperture makes of a `w × h` picture,
    /// rounded as libheif does (a half-pixel edge down, the sides to nearest); `None` when it is degenerate or does not fit (then the
    /// picture is shown uncropped, as libheif and libvips do).
    pub(super) fn crop(&self, w: u32, h: u32) -> Option<(u32, u32, u32, u32)> {
        let cw = rational(i64::from(self.width.0), self.width.1)?;
        let ch = rational(i64::from(self.height.0), self.height.1)?;
        let ox = rational(i64::from(self.h_off.0), self.h_off.1)?;
        let oy = rational(i64::from(self.v_off.0), self.v_off.1)?;
        // left = offset + (w − 1) / 2 − (clean width − 1) / 2
        let left = ox + (f64::from(w) - 1.0) / 2.0 - (cw - 1.0) / 2.0;
        let top = oy + (f64::from(h) - 1.0) / 2.0 - (ch - 1.0) / 2.0;
        let (left, top, cw, ch) = (left.floor(), top.floor(), cw.round(), ch.round());
        let fits = left >= 0.0
            && top >= 0.0
            && cw >= 1.0
            && ch >= 1.0
            && left + cw <= f64::from(w)
            && top + ch <= f64::from(h);
        // Every value is a whole number within 0..=u32::MAX once `fits` holds.
        fits.then_some((left as u32, top as u32, cw as u32, ch as u32))
    }
}

fn rational(n: i64, d: u32) -> Option<f64> {
    (d != 0).then(|| n as f64 / f64::from(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_centres_the_crop() {
        let c = Clap {
            width: (385, 1),
            height: (330, 1),
            h_off: (103, 1),
            v_off: (-308, 1),
        };
        // linku_kimono.crop.avif on 722×1024: left = 103 + 360.5 − 192 = 271.5 → 271, as
        // libheif (1.15 and 1.23) and so libvips cut it (link-u's own expected
        // linku_kimono.crop.png is cut at 272: the half pixel is open to reading),
        // top = −308 + 511.5 − 164.5 = 39
        assert_eq!(c.crop(722, 1024), Some((271, 39, 385, 330)));
        let bad = Clap {
            width: (800, 1),
            ..c
        };
        assert_eq!(bad.crop(722, 1024), None);
        let zero = Clap { width: (1, 0), ..c };
        assert_eq!(zero.crop(722, 1024), None);
    }
}
