//! `crop`: cut a rectangle, anchored by gravity and shifted by x/y (spec/crop.md).

use std::fmt;

use super::{Ctx, Op, Parse};
use crate::error::{Error, ErrorKind, Result};
use crate::spec::types::Gravity;
use crate::spec::Params;

/// Validated parameters. `w`/`h` of 0 mean "to the edge" and are stored as `None`; the
/// gravity is normalised to the top row / left column along an axis without a size,
/// where it has no effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crop {
    pub w: Option<u32>,
    pub h: Option<u32>,
    pub x: u32,
    pub y: u32,
    pub g: Gravity,
}

/// The window a crop cuts from a `W×H` image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

const MAX: u32 = i32::MAX as u32;

impl Parse for Crop {
    const NAME: &'static str = "crop";

    fn parse(params: &mut Params<'_>) -> Result<Self> {
        if params.is_empty() {
            return Err(Error::missing(None));
        }
        let w = params.uint("w", 0..=MAX, Some("0040-00000225"))?;
        let h = params.uint("h", 0..=MAX, Some("0040-00000226"))?;
        let x = params.uint("x", 0..=MAX, None)?.unwrap_or(0);
        let y = params.uint("y", 0..=MAX, None)?.unwrap_or(0);
        let g = match params.take("g") {
            None => Gravity::NorthWest,
            Some("face" | "auto") => {
                return Err(Error::new(
                    ErrorKind::NotImplemented,
                    None,
                    "Smart crop (g_face, g_auto) is not supported.",
                ))
            }
            Some(name) => Gravity::from_name(name)
                .ok_or_else(|| Error::invalid_value(Some("0040-00000209"), "g", name))?,
        };
        let (w, h) = (w.filter(|&v| v > 0), h.filter(|&v| v > 0));
        let column = if w.is_some() { g.column() } else { 0 };
        let row = if h.is_some() { g.row() } else { 0 };
        Ok(Crop {
            w,
            h,
            x,
            y,
            g: Gravity::from_grid(column, row),
        })
    }
}

impl Crop {
    /// The window on a `width×height` image, or the BadRequest OSS gives when the origin
    /// lies at or beyond the right/bottom edge.
    pub fn window(&self, width: u32, height: u32) -> Result<Window> {
        let ew = self.w.unwrap_or(width);
        let eh = self.h.unwrap_or(height);
        let free_x = width.saturating_sub(ew);
        let free_y = height.saturating_sub(eh);
        let gx = [0, free_x / 2, free_x][usize::from(self.g.column())];
        let gy = [0, free_y / 2, free_y][usize::from(self.g.row())];
        let x0 = u64::from(gx) + u64::from(self.x);
        let y0 = u64::from(gy) + u64::from(self.y);
        if x0 >= u64::from(width) || y0 >= u64::from(height) {
            return Err(Error::bad_request(
                None,
                "Advance cut's position is out of image.",
            ));
        }
        // Both origins are below the image size, so they fit in u32.
        let (x0, y0) = (x0 as u32, y0 as u32);
        Ok(Window {
            x: x0,
            y: y0,
            w: ew.min(width - x0),
            h: eh.min(height - y0),
        })
    }
}

impl fmt::Display for Crop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut args = Vec::new();
        if let Some(w) = self.w {
            args.push(format!("w_{w}"));
        }
        if let Some(h) = self.h {
            args.push(format!("h_{h}"));
        }
        if self.x != 0 {
            args.push(format!("x_{}", self.x));
        }
        if self.y != 0 {
            args.push(format!("y_{}", self.y));
        }
        if self.g != Gravity::NorthWest {
            args.push(format!("g_{}", self.g));
        }
        if args.is_empty() {
            // The whole image: still needs one argument to stay a valid `crop`.
            args.push("x_0".into());
        }
        f.write_str(&args.join(","))
    }
}

impl Op for Crop {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        let win = self.window(cx.image.width(), cx.image.height())?;
        if (win.w, win.h) == (cx.image.width(), cx.image.height()) {
            return Ok(());
        }
        cx.image.crop(win.x, win.y, win.w, win.h)
    }

    fn keeps_animation(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(spec_args: &str) -> Result<Crop> {
        let args: Vec<&str> = spec_args.split(',').collect();
        let mut p = Params::new("crop", &args, crate::spec::ParseRules::OSS);
        let c = Crop::parse(&mut p)?;
        p.finish()?;
        Ok(c)
    }

    fn window(args: &str, w: u32, h: u32) -> Result<Window> {
        parse(args)?.window(w, h)
    }

    /// crop.md worked examples (all on 2500×1875 unless stated): (x, y, w, h).
    #[test]
    fn worked_examples() {
        type Row = (u32, &'static str, (u32, u32), (u32, u32, u32, u32));
        let rows: &[Row] = &[
            (1, "x_800,y_50", (2500, 1875), (800, 50, 1700, 1825)),
            (
                2,
                "x_800,y_500,w_300,h_300",
                (2500, 1875),
                (800, 500, 300, 300),
            ),
            (3, "w_900,h_900,g_se", (2500, 1875), (1600, 975, 900, 900)),
            (
                4,
                "x_100,y_100,w_900,h_900,g_se",
                (2500, 1875),
                (1700, 1075, 800, 800),
            ),
            (
                5,
                "w_500,h_500,g_center",
                (2500, 1875),
                (1000, 687, 500, 500),
            ),
            (6, "w_500,g_north", (2500, 1875), (1000, 0, 500, 1875)),
            (7, "x_10,y_10", (2500, 1875), (10, 10, 2490, 1865)),
            (8, "w_3000,h_100", (2500, 1875), (0, 0, 2500, 100)),
            (9, "x_100,w_0,h_0", (2500, 1875), (100, 0, 2400, 1875)),
            (10, "x_2499,y_1874", (2500, 1875), (2499, 1874, 1, 1)),
            (
                11,
                "g_east,w_200,h_200,x_50",
                (2500, 1875),
                (2350, 837, 150, 200),
            ),
            (12, "g_se,w_3000,h_3000", (2500, 1875), (0, 0, 2500, 1875)),
            (13, "g_sw,h_100,y_50", (2500, 1875), (0, 1825, 2500, 50)),
            (14, "w_200,h_200", (400, 300), (0, 0, 200, 200)),
            (
                15,
                "x_100,y_50,w_100,h_100",
                (400, 267),
                (100, 50, 100, 100),
            ),
        ];
        for &(n, args, (w, h), (x, y, cw, ch)) in rows {
            let got = window(args, w, h).unwrap();
            assert_eq!(
                got,
                Window { x, y, w: cw, h: ch },
                "example {n}: crop,{args}"
            );
        }
    }

    #[test]
    fn error_cases() {
        let out = |args: &str| window(args, 2500, 1875).unwrap_err();
        for args in ["x_2500,y_0", "x_10,y_100000", "g_se,w_100,h_100,x_100"] {
            let e = out(args);
            assert_eq!(
                (e.code(), e.message()),
                ("BadRequest", "Advance cut's position is out of image.")
            );
        }
        let rows = [
            (
                "x_100,y_50,w_abc,h_100",
                "InvalidArgument",
                Some("0040-00000225"),
            ),
            (
                "x_100,y_50,w_-1,h_100",
                "InvalidArgument",
                Some("0040-00000225"),
            ),
            (
                "x_100,y_50,w_100,h_abc",
                "InvalidArgument",
                Some("0040-00000226"),
            ),
            (
                "x_100,y_50,w_100,h_-1",
                "InvalidArgument",
                Some("0040-00000226"),
            ),
            ("x_-1", "InvalidArgument", None),
            ("y_-1", "InvalidArgument", None),
            ("x_abc", "InvalidArgument", None),
            (
                "w_500,h_500,g_fac",
                "InvalidArgument",
                Some("0040-00000209"),
            ),
            ("w_400,h_400,g_face", "NotImplemented", None),
            ("", "MissingArgument", None),
            ("w_99999999999", "InvalidArgument", Some("0040-00000225")),
        ];
        for (args, code, ec) in rows {
            let e = parse(args).unwrap_err();
            assert_eq!((e.code(), e.ec()), (code, ec), "crop,{args}");
        }
    }

    #[test]
    fn canonical_form() {
        let same = [
            ("x_0,y_0,w_0,h_0", "x_0"),
            ("g_se,w_100", "w_100,g_ne"),
            ("g_se", "x_0"),
            ("w_0100,h_50,g_center,x_01", "h_50,w_100,x_1,g_center"),
        ];
        for (a, b) in same {
            let (ca, cb) = (parse(a).unwrap(), parse(b).unwrap());
            assert_eq!(ca, cb, "{a} vs {b}");
            assert_eq!(ca.to_string(), cb.to_string());
            assert_eq!(parse(&ca.to_string()).unwrap(), ca);
        }
        // The normalised gravity gives the same window as the written one.
        for (w, h) in [(2500, 1875), (37, 900)] {
            assert_eq!(
                window("g_se,w_30", w, h).unwrap(),
                window("g_ne,w_30", w, h).unwrap()
            );
        }
    }
}
