//! `resize`: change the pixel size (spec/resize.md): five modes, w/h/l/s/p targets, the
//! `limit` enlargement guard, pad colour, and the animation rules.

use std::fmt;

use fast_image_resize::images::{Image as FirImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use super::{Ctx, Op, Parse};
use crate::error::{Error, Result};
use crate::frame::{rgba_len, try_zeroed, Frame};
use crate::spec::types::Rgb;
use crate::spec::Params;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Lfit,
    Mfit,
    Fill,
    Pad,
    Fixed,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Lfit => "lfit",
            Mode::Mfit => "mfit",
            Mode::Fill => "fill",
            Mode::Pad => "pad",
            Mode::Fixed => "fixed",
        }
    }
}

/// The governing parameters after the precedence rule w/h → l/s → p (Step 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `w` and/or `h` (at least one is set).
    Size { w: Option<u32>, h: Option<u32> },
    /// `l` and/or `s` (at least one is set).
    Edges { l: Option<u32>, s: Option<u32> },
    /// `p`, in percent.
    Percent(u32),
    /// `P` (watermark pre-processing only, watermark.md §2.2): fit into this percent of
    /// the main image; [`Resize::relative_to`] turns it into a box before it runs.
    MainPercent(u32),
}

/// Validated, normalised parameters: ignored parameters are dropped and `m`, `limit`
/// and `color` are reset to their defaults where they have no effect, so that equal
/// meanings compare (and print) equal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resize {
    pub mode: Mode,
    pub target: Target,
    /// `limit_1`: never enlarge.
    pub limit: bool,
    /// Band colour of `pad`.
    pub color: Rgb,
}

/// What a resize does to a `W×H` image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The image passes through unchanged (the `limit` guard, or an animation that
    /// would be enlarged).
    Keep,
    /// Scale to exactly this size.
    Scale { w: u32, h: u32 },
    /// Scale to `iw×ih`, then keep the `bw×bh` window at (`x0`, `y0`).
    Fill {
        iw: u32,
        ih: u32,
        x0: u32,
        y0: u32,
        bw: u32,
        bh: u32,
    },
    /// Scale to `iw×ih`, then centre it on a `bw×bh` canvas at (`left`, `top`).
    Pad {
        iw: u32,
        ih: u32,
        left: u32,
        top: u32,
        bw: u32,
        bh: u32,
    },
}

impl Plan {
    /// The size of the result.
    pub fn size(self, w: u32, h: u32) -> (u32, u32) {
        match self {
            Plan::Keep => (w, h),
            Plan::Scale { w, h } => (w, h),
            Plan::Fill { bw, bh, .. } | Plan::Pad { bw, bh, .. } => (bw, bh),
        }
    }

    /// The size the source is resampled to (before a fill crop or pad bands), or `None`
    /// when it is kept as it is.
    pub fn sampled_size(self) -> Option<(u32, u32)> {
        match self {
            Plan::Keep => None,
            Plan::Scale { w, h } => Some((w, h)),
            Plan::Fill { iw, ih, .. } | Plan::Pad { iw, ih, .. } => Some((iw, ih)),
        }
    }
}

const EDGE: std::ops::RangeInclusive<u32> = 1..=16_384;

impl Parse for Resize {
    const NAME: &'static str = "resize";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        if params.is_empty() {
            return Err(Error::missing(Some("0040-00000322")));
        }
        let (raw_w, raw_h) = (params.take("w"), params.take("h"));
        if raw_w.is_some_and(is_zero) && raw_h.is_some_and(is_zero) {
            return Err(Error::invalid(
                Some("0040-00000321"),
                "The values of parameters w and h cannot both be 0.",
            ));
        }
        let w = edge("w", raw_w, "0040-00000312")?;
        let h = edge("h", raw_h, "0040-00000313")?;
        let l = params.uint("l", EDGE, Some("0040-00000314"))?;
        let s = params.uint("s", EDGE, Some("0040-00000315"))?;
        let p = params.uint("p", 1..=1000, Some("0040-00000317"))?;
        let mode = match params.take("m") {
            None | Some("lfit") => Mode::Lfit,
            Some("mfit") => Mode::Mfit,
            Some("fill") => Mode::Fill,
            Some("pad") => Mode::Pad,
            Some("fixed") => Mode::Fixed,
            Some(other) => return Err(Error::invalid_value(Some("0040-00000311"), "m", other)),
        };
        let limit = params.flag("limit", Some("0040-00000319"))?.unwrap_or(true);
        let color = match params.take("color") {
            None => Rgb::WHITE,
            Some(hex) => Rgb::from_hex(hex)
                .ok_or_else(|| Error::invalid_value(Some("0040-00000318"), "color", hex))?,
        };
        let target = if w.is_some() || h.is_some() {
            Target::Size { w, h }
        } else if l.is_some() || s.is_some() {
            Target::Edges { l, s }
        } else if let Some(p) = p {
            Target::Percent(p)
        } else {
            return Err(params.missing(Some("0040-00000322")));
        };
        Ok(Resize::normalized(mode, target, limit, color))
    }
}

impl Resize {
    /// `resize` inside a watermark's pre-processing: `P` is accepted there and wins over
    /// every other target parameter, which is then ignored (watermark.md §2.2 [DECISION]).
    pub fn parse_in_watermark(params: &mut Params<'_>) -> Result<Self> {
        let Some(percent) = params.uint("P", 1..=100, None)? else {
            return Resize::parse(params);
        };
        for ignored in ["w", "h", "l", "s", "p", "m", "limit", "color"] {
            params.take(ignored);
        }
        Ok(Resize::normalized(
            Mode::Lfit,
            Target::MainPercent(percent),
            true,
            Rgb::WHITE,
        ))
    }

    /// This resize with `P` resolved against a `main_w×main_h` main image: an `lfit` box
    /// of (⌊W·P/100⌋, ⌊H·P/100⌋), at least 1 px, that may enlarge (watermark.md §2.2).
    pub fn relative_to(&self, main_w: u32, main_h: u32) -> Resize {
        let Target::MainPercent(percent) = self.target else {
            return self.clone();
        };
        let side = |v: u32| {
            let scaled = u64::from(v) * u64::from(percent) / 100;
            u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
        };
        Resize {
            mode: Mode::Lfit,
            target: Target::Size {
                w: Some(side(main_w)),
                h: Some(side(main_h)),
            },
            limit: false,
            color: Rgb::WHITE,
        }
    }
}

fn is_zero(raw: &str) -> bool {
    crate::spec::params::parse_int(raw) == Some(0)
}

fn edge(key: &str, raw: Option<&str>, ec: &'static str) -> Result<Option<u32>> {
    let Some(raw) = raw else { return Ok(None) };
    match crate::spec::params::parse_int(raw) {
        Some(v) if (1..=16_384).contains(&v) => Ok(Some(v as u32)),
        _ => Err(Error::invalid_value(Some(ec), key, raw)),
    }
}

impl Resize {
    /// Resets what has no effect (Step 1 precedence, Case B/C/D rules of resize.md).
    fn normalized(mode: Mode, target: Target, limit: bool, color: Rgb) -> Self {
        let mode = match target {
            // One of w/h: lfit, mfit and fixed all keep the aspect ratio.
            Target::Size {
                w: Some(_),
                h: None,
            }
            | Target::Size {
                w: None,
                h: Some(_),
            } if !matches!(mode, Mode::Fill | Mode::Pad) => Mode::Lfit,
            // A single l or s, or p: the mode is ignored.
            Target::Edges { l: None, .. } | Target::Edges { s: None, .. } => Mode::Lfit,
            Target::Percent(_) | Target::MainPercent(_) => Mode::Lfit,
            _ => mode,
        };
        let limit = limit || matches!(target, Target::Percent(_));
        let color = if mode == Mode::Pad { color } else { Rgb::WHITE };
        Resize {
            mode,
            target,
            limit,
            color,
        }
    }

    /// What this resize does to a `width×height` image; `animated` forbids enlarging.
    pub fn plan(&self, width: u32, height: u32, animated: bool) -> Plan {
        let src = Dims {
            w: width,
            h: height,
        };
        let (plan, enlarges) = match self.target {
            Target::Percent(p) => {
                let w = scale(width, p, 100);
                let h = scale(height, p, 100);
                (Plan::Scale { w, h }, p > 100)
            }
            Target::Size {
                w: Some(bw),
                h: Some(bh),
            } => src.fit_box(self.mode, bw, bh),
            Target::Size {
                w: Some(bw),
                h: None,
            } => self.single_edge(src, bw, true),
            Target::Size {
                w: None,
                h: Some(bh),
            } => self.single_edge(src, bh, false),
            Target::Edges {
                l: Some(l),
                s: Some(s),
            } => {
                let (bw, bh) = if width >= height { (l, s) } else { (s, l) };
                src.fit_box(self.mode, bw, bh)
            }
            Target::Edges {
                l: Some(l),
                s: None,
            } => {
                let along_width = width >= height;
                (src.fit_edge(l, along_width), l > width.max(height))
            }
            Target::Edges {
                l: None,
                s: Some(s),
            } => {
                let along_width = width <= height;
                (src.fit_edge(s, along_width), s > width.min(height))
            }
            // `P` is resolved by `relative_to` before a resize runs.
            Target::Size { w: None, h: None }
            | Target::Edges { l: None, s: None }
            | Target::MainPercent(_) => (Plan::Keep, false),
        };
        let guarded = self.limit && !matches!(self.target, Target::Percent(_));
        if enlarges && (guarded || animated) {
            Plan::Keep
        } else {
            plan
        }
    }

    /// Case B: only `w` (`along_width`) or only `h`.
    fn single_edge(&self, src: Dims, value: u32, along_width: bool) -> (Plan, bool) {
        match self.mode {
            Mode::Fill | Mode::Pad => src.fit_box(self.mode, value, value),
            _ => {
                let current = if along_width { src.w } else { src.h };
                (src.fit_edge(value, along_width), value > current)
            }
        }
    }
}

/// `round(v · num / den)` (half away from zero), at least 1.
fn scale(v: u32, num: u32, den: u32) -> u32 {
    let den = u64::from(den.max(1));
    let r = (2 * u64::from(v) * u64::from(num) + den) / (2 * den);
    u32::try_from(r).unwrap_or(u32::MAX).max(1)
}

#[derive(Clone, Copy)]
struct Dims {
    w: u32,
    h: u32,
}

impl Dims {
    /// Scales so that the width (`along_width`) or the height becomes `edge`.
    fn fit_edge(self, edge: u32, along_width: bool) -> Plan {
        if along_width {
            Plan::Scale {
                w: edge,
                h: scale(self.h, edge, self.w),
            }
        } else {
            Plan::Scale {
                w: scale(self.w, edge, self.h),
                h: edge,
            }
        }
    }

    /// Step 3: a mode applied to the box `bw×bh`; also says whether it enlarges (Step 4).
    fn fit_box(self, mode: Mode, bw: u32, bh: u32) -> (Plan, bool) {
        // kw <= kh  ⇔  bw·H <= bh·W, exactly.
        let kw_le_kh = u64::from(bw) * u64::from(self.h) <= u64::from(bh) * u64::from(self.w);
        let (wider, taller) = (bw > self.w, bh > self.h);
        let lfit = self.fit_edge(if kw_le_kh { bw } else { bh }, kw_le_kh);
        let mfit = self.fit_edge(if kw_le_kh { bh } else { bw }, !kw_le_kh);
        match (mode, lfit.size(0, 0), mfit.size(0, 0)) {
            (Mode::Lfit, _, _) => (lfit, wider && taller),
            (Mode::Mfit, _, _) => (mfit, wider || taller),
            (Mode::Fixed, _, _) => (Plan::Scale { w: bw, h: bh }, wider || taller),
            (Mode::Fill, _, (iw, ih)) => {
                let (x0, y0) = (iw.saturating_sub(bw) / 2, ih.saturating_sub(bh) / 2);
                (
                    Plan::Fill {
                        iw,
                        ih,
                        x0,
                        y0,
                        bw,
                        bh,
                    },
                    wider || taller,
                )
            }
            (Mode::Pad, (iw, ih), _) => {
                let (left, top) = (bw.saturating_sub(iw) / 2, bh.saturating_sub(ih) / 2);
                (
                    Plan::Pad {
                        iw,
                        ih,
                        left,
                        top,
                        bw,
                        bh,
                    },
                    wider && taller,
                )
            }
        }
    }
}

impl fmt::Display for Resize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut args: Vec<String> = Vec::new();
        if self.mode != Mode::Lfit {
            args.push(format!("m_{}", self.mode.name()));
        }
        let mut push = |key: &str, v: Option<u32>| {
            if let Some(v) = v {
                args.push(format!("{key}_{v}"));
            }
        };
        match self.target {
            Target::Size { w, h } => {
                push("w", w);
                push("h", h);
            }
            Target::Edges { l, s } => {
                push("l", l);
                push("s", s);
            }
            Target::Percent(p) => push("p", Some(p)),
            Target::MainPercent(p) => push("P", Some(p)),
        }
        if !self.limit {
            args.push("limit_0".into());
        }
        if self.color != Rgb::WHITE {
            args.push(format!("color_{}", self.color));
        }
        f.write_str(&args.join(","))
    }
}

impl Resize {
    /// Resizes the image as if it were `w×h`. The pipeline's shrink-on-load hands in a
    /// frame decoded at a fraction of the source size that stands for the full one: the
    /// plan (and so the output size) comes from the full size, the resampling from
    /// whatever pixels there are.
    pub fn apply_as_if(&self, cx: &mut Ctx<'_>, (w, h): (u32, u32)) -> Result<()> {
        let plan = self.plan(w, h, cx.image.is_animated());
        if plan == Plan::Keep {
            return Ok(());
        }
        let (ow, oh) = plan.size(w, h);
        cx.limits().check_output(ow, oh)?;
        let mut resizer = Resizer::new();
        cx.image
            .map_frames(|frame| resize_frame(&mut resizer, frame, plan, self.color))
    }
}

impl Op for Resize {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        let size = (cx.image.width(), cx.image.height());
        self.apply_as_if(cx, size)
    }

    /// Resizing by w/h/l/s keeps an animation; `p` makes it static (README §6).
    fn keeps_animation(&self) -> bool {
        !matches!(self.target, Target::Percent(_))
    }
}

fn resize_frame(resizer: &mut Resizer, frame: &Frame, plan: Plan, color: Rgb) -> Result<Frame> {
    let (fw, fh) = (f64::from(frame.width()), f64::from(frame.height()));
    match plan {
        Plan::Keep => Ok(frame.clone()),
        Plan::Scale { w, h } => scaled(resizer, frame, w, h, None),
        Plan::Fill {
            iw,
            ih,
            x0,
            y0,
            bw,
            bh,
        } => {
            // Resample the source window that maps onto the box: no iw×ih intermediate.
            let (kx, ky) = (f64::from(iw) / fw, f64::from(ih) / fh);
            let window = (
                f64::from(x0) / kx,
                f64::from(y0) / ky,
                f64::from(bw) / kx,
                f64::from(bh) / ky,
            );
            scaled(resizer, frame, bw, bh, Some(window))
        }
        Plan::Pad {
            iw,
            ih,
            left,
            top,
            bw,
            bh,
        } => {
            let inner = scaled(resizer, frame, iw, ih, None)?;
            // The pad colour is opaque even when the image has alpha (resize.md Q5).
            let mut canvas = Frame::filled(bw, bh, color.rgba())?;
            canvas.blit(&inner, left, top)?;
            Ok(canvas)
        }
    }
}

/// Lanczos-3 resampling with premultiplied alpha, optionally of a source window.
fn scaled(
    resizer: &mut Resizer,
    frame: &Frame,
    w: u32,
    h: u32,
    window: Option<(f64, f64, f64, f64)>,
) -> Result<Frame> {
    let src = ImageRef::new(
        frame.width(),
        frame.height(),
        frame.pixels(),
        PixelType::U8x4,
    )
    .map_err(Error::internal)?;
    let mut dst = FirImage::from_vec_u8(w, h, try_zeroed(rgba_len(w, h)?)?, PixelType::U8x4)
        .map_err(Error::internal)?;
    let mut options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .use_alpha(frame.has_transparency());
    if let Some((left, top, width, height)) = window {
        options = options.crop(left, top, width, height);
    }
    resizer
        .resize(&src, &mut dst, &options)
        .map_err(Error::internal)?;
    Frame::from_rgba(w, h, dst.into_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(spec_args: &str) -> Result<Resize> {
        let args: Vec<&str> = spec_args.split(',').collect();
        let mut p = Params::new("resize", &args, crate::spec::ParseRules::OSS);
        let r = Resize::parse(&mut p)?;
        p.finish()?;
        Ok(r)
    }

    fn size(spec_args: &str, w: u32, h: u32, animated: bool) -> (u32, u32) {
        parse(spec_args).unwrap().plan(w, h, animated).size(w, h)
    }

    /// Every size in resize.md's worked examples (animated rows use `animated = true`).
    #[test]
    fn worked_examples() {
        type Row = (u32, &'static str, (u32, u32), bool, (u32, u32));
        let rows: &[Row] = &[
            (1, "m_lfit,w_150,h_80", (200, 100), false, (150, 75)),
            (2, "m_mfit,w_150,h_80", (200, 100), false, (160, 80)),
            (3, "m_fill,w_150,h_80", (200, 100), false, (150, 80)),
            (4, "m_pad,w_150,h_80", (200, 100), false, (150, 80)),
            (5, "m_fixed,w_150,h_80", (200, 100), false, (150, 80)),
            (6, "p_50", (2500, 1875), false, (1250, 938)),
            (7, "p_120", (2500, 1875), false, (3000, 2250)),
            (8, "w_200", (2500, 1875), false, (200, 150)),
            (9, "w_3000,limit_0", (2500, 1875), false, (3000, 2250)),
            (10, "h_100", (2500, 1875), false, (133, 100)),
            (11, "h_2000,limit_0", (2500, 1875), false, (2667, 2000)),
            (12, "l_200", (2500, 1875), false, (200, 150)),
            (13, "s_200", (2500, 1875), false, (267, 200)),
            (14, "m_pad,w_100,h_100", (2500, 1875), false, (100, 100)),
            (
                15,
                "m_pad,w_100,h_100,color_FF0000",
                (2500, 1875),
                false,
                (100, 100),
            ),
            (16, "m_fill,w_100,h_100", (2500, 1875), false, (100, 100)),
            (17, "m_fixed,w_100,h_100", (2500, 1875), false, (100, 100)),
            (18, "h_100", (256, 144), false, (178, 100)),
            (19, "m_fill,h_100", (256, 144), false, (100, 100)),
            (20, "m_pad,h_100", (256, 144), false, (100, 100)),
            (21, "m_fixed,h_100", (256, 144), false, (178, 100)),
            (22, "m_lfit,w_500,h_300", (600, 400), false, (450, 300)),
            (23, "m_mfit,w_500,h_300", (600, 400), false, (500, 333)),
            (
                24,
                "m_mfit,w_900,h_800,limit_0",
                (600, 400),
                false,
                (1200, 800),
            ),
            (25, "w_100,h_100", (400, 200), false, (100, 50)),
            (26, "w_300", (200, 100), false, (200, 100)),
            (27, "w_300,limit_0", (200, 100), false, (300, 150)),
            (28, "m_pad,w_300,h_300", (200, 100), false, (200, 100)),
            (29, "m_fill,w_150,h_150", (200, 100), false, (200, 100)),
            (
                30,
                "m_fill,w_150,h_150,limit_0",
                (200, 100),
                false,
                (150, 150),
            ),
            (31, "l_200,s_100", (2500, 1875), false, (133, 100)),
            (32, "l_200,s_100,m_fixed", (2500, 1875), false, (200, 100)),
            (33, "l_100,s_100", (400, 267), false, (100, 67)),
            (34, "w_200,p_50", (2500, 1875), false, (200, 150)),
            (35, "w_200,l_50", (2500, 1875), false, (200, 150)),
            (36, "w_120,h_120,w_240", (2500, 1875), false, (160, 120)),
            (37, "w_200", (400, 300), true, (200, 150)),
            (38, "w_800,limit_0", (400, 300), true, (400, 300)),
            (39, "p_50", (400, 300), false, (200, 150)),
            (40, "w_1", (5000, 10), false, (1, 1)),
            (41, "l_923,h_600", (3924, 2550), false, (923, 600)),
            (42, "p_1", (40, 30), false, (1, 1)),
            (43, "w_100", (1, 1), false, (1, 1)),
            (44, "w_100,limit_0", (1, 1), false, (100, 100)),
        ];
        for &(n, args, (w, h), animated, expected) in rows {
            assert_eq!(size(args, w, h, animated), expected, "example {n}: {args}");
        }
    }

    #[test]
    fn band_and_window_offsets() {
        // Example 4: 150×75 inside 150×80, bands 2 px top / 3 px bottom.
        assert_eq!(
            parse("m_pad,w_150,h_80").unwrap().plan(200, 100, false),
            Plan::Pad {
                iw: 150,
                ih: 75,
                left: 0,
                top: 2,
                bw: 150,
                bh: 80
            }
        );
        // Example 3: from 160×80, 5 px cut left and right.
        assert_eq!(
            parse("m_fill,w_150,h_80").unwrap().plan(200, 100, false),
            Plan::Fill {
                iw: 160,
                ih: 80,
                x0: 5,
                y0: 0,
                bw: 150,
                bh: 80
            }
        );
        // Example 14: 100×75 with bands 12/13; example 16: from 133×100, x0 = 16.
        assert_eq!(
            parse("m_pad,w_100,h_100").unwrap().plan(2500, 1875, false),
            Plan::Pad {
                iw: 100,
                ih: 75,
                left: 0,
                top: 12,
                bw: 100,
                bh: 100
            }
        );
        assert_eq!(
            parse("m_fill,w_100,h_100").unwrap().plan(2500, 1875, false),
            Plan::Fill {
                iw: 133,
                ih: 100,
                x0: 16,
                y0: 0,
                bw: 100,
                bh: 100
            }
        );
        // Example 20: 100×56 inside; example 30: from 300×150, x0 = 75.
        assert_eq!(
            parse("m_pad,h_100").unwrap().plan(256, 144, false),
            Plan::Pad {
                iw: 100,
                ih: 56,
                left: 0,
                top: 22,
                bw: 100,
                bh: 100
            }
        );
        assert_eq!(
            parse("m_fill,w_150,h_150,limit_0")
                .unwrap()
                .plan(200, 100, false),
            Plan::Fill {
                iw: 300,
                ih: 150,
                x0: 75,
                y0: 0,
                bw: 150,
                bh: 150
            }
        );
    }

    #[test]
    fn error_cases() {
        let rows = [
            ("", "MissingArgument", Some("0040-00000322")),
            ("w_0", "InvalidArgument", Some("0040-00000312")),
            ("w_16385", "InvalidArgument", Some("0040-00000312")),
            ("w_abc", "InvalidArgument", Some("0040-00000312")),
            ("h_0", "InvalidArgument", Some("0040-00000313")),
            ("w_0,h_0", "InvalidArgument", Some("0040-00000321")),
            ("l_0", "InvalidArgument", Some("0040-00000314")),
            ("s_0", "InvalidArgument", Some("0040-00000315")),
            ("p_0", "InvalidArgument", Some("0040-00000317")),
            ("p_1001", "InvalidArgument", Some("0040-00000317")),
            ("w_100,m_abc", "InvalidArgument", Some("0040-00000311")),
            ("w_100,m_LFIT", "InvalidArgument", Some("0040-00000311")),
            ("w_100,limit_3", "InvalidArgument", Some("0040-00000319")),
            (
                "w_100,m_pad,color_AABBCCDD",
                "InvalidArgument",
                Some("0040-00000318"),
            ),
            ("m_pad", "MissingArgument", Some("0040-00000322")),
            ("w_100,zz_1", "InvalidArgument", None),
        ];
        for (args, code, ec) in rows {
            let e = parse(args).unwrap_err();
            assert_eq!((e.code(), e.ec()), (code, ec), "resize,{args}");
        }
    }

    #[test]
    fn canonical_form() {
        let same = [
            ("w_120,h_120,w_240", "w_240,h_120"),
            ("h_100,m_fixed,w_100", "m_fixed,w_100,h_100"),
            ("m_lfit,w_0100", "w_100"),
            ("m_mfit,w_100", "w_100"),
            ("m_fixed,h_100", "h_100"),
            ("w_200,p_50,l_30", "w_200"),
            ("p_50,m_pad,limit_0", "p_50"),
            ("w_100,color_ff0000", "w_100"),
            ("m_pad,w_100,color_ff0000", "m_pad,w_100,color_FF0000"),
            ("l_100,m_fill", "l_100"),
            ("l_100,s_50,m_fill,limit_1", "m_fill,l_100,s_50"),
        ];
        for (a, b) in same {
            let (ra, rb) = (parse(a).unwrap(), parse(b).unwrap());
            assert_eq!(ra, rb, "{a} vs {b}");
            assert_eq!(ra.to_string(), rb.to_string());
            assert_eq!(parse(&ra.to_string()).unwrap(), ra, "round trip of {a}");
        }
        assert_eq!(
            parse("m_pad,w_100,color_ff0000").unwrap().to_string(),
            "m_pad,w_100,color_FF0000"
        );
    }
}
