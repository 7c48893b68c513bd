//! The OSS actions. Each file holds one action: its validated parameters, `parse`, its
//! canonical `Display` (arguments only, without the action name), `apply` and unit tests.
//!
//! Pixel actions become [`Action`]s and run in order; `format`, `quality`, `interlace` and
//! `auto-orient` are position-independent [`Setting`]s (spec/README.md §2.2).

use std::fmt;

use crate::error::{Error, Result};
use crate::format::{ImageFormat, Probe};
use crate::frame::Image;
use crate::limits::Limits;
use crate::spec::{Params, Segment};
use crate::Options;

pub mod auto_orient;
pub mod average_hue;
pub mod blur;
pub mod bright;
pub mod circle;
pub mod contrast;
pub mod crop;
pub mod format;
pub mod indexcrop;
pub mod info;
pub mod interlace;
pub mod quality;
pub mod resize;
pub mod rotate;
pub mod rounded_corners;
pub mod sharpen;
pub mod watermark;

pub use auto_orient::AutoOrient;
pub use average_hue::AverageHue;
pub use blur::Blur;
pub use bright::Bright;
pub use circle::Circle;
pub use contrast::Contrast;
pub use crop::Crop;
pub use format::Format;
pub use indexcrop::IndexCrop;
pub use info::Info;
pub use interlace::Interlace;
pub use quality::Quality;
pub use resize::Resize;
pub use rotate::Rotate;
pub use rounded_corners::RoundedCorners;
pub use sharpen::Sharpen;
pub use watermark::Watermark;

/// Parsing shared by actions and settings. `Display` prints the canonical arguments
/// (no action name): equal meaning gives an equal string.
pub trait Parse: Sized + fmt::Display {
    const NAME: &'static str;
    fn parse(params: &mut Params<'_>) -> Result<Self>;
}

/// A pixel action.
pub trait Op: Parse {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()>;
    /// Whether an animated source stays animated through this action (README §6).
    fn keeps_animation(&self) -> bool {
        false
    }
}

/// What an action works on.
pub struct Ctx<'a> {
    /// The current image.
    pub image: Image,
    /// Header facts of the source object.
    pub source: &'a Probe,
    /// The source bytes (for `info`, which reads EXIF).
    pub source_bytes: &'a [u8],
    /// The format the result will be written in: decides whether areas cut away by
    /// circle / rounded-corners / rotate are transparent or white.
    pub output_format: ImageFormat,
    pub options: &'a Options,
    pub limits: &'a Limits,
    /// Set by `info` / `average-hue`: the response is this JSON instead of an image.
    pub json: Option<String>,
}

macro_rules! closed_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident($ty:ty)),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub enum $name { $($variant($ty)),* }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $($name::$variant(a) => write_segment(f, <$ty as Parse>::NAME, a)),*
                }
            }
        }
    };
}

closed_enum!(
    /// A pixel action, run in chain order.
    Action {
        Resize(Resize),
        Crop(Crop),
        IndexCrop(IndexCrop),
        Circle(Circle),
        RoundedCorners(RoundedCorners),
        Rotate(Rotate),
        Blur(Blur),
        Bright(Bright),
        Contrast(Contrast),
        Sharpen(Sharpen),
        Watermark(Box<Watermark>),
        Info(Info),
        AverageHue(AverageHue),
    }
);

closed_enum!(
    /// An encoder or decoder setting: position-independent, last one wins.
    Setting {
        Format(Format),
        Quality(Quality),
        Interlace(Interlace),
        AutoOrient(AutoOrient),
    }
);

impl<T: Parse> Parse for Box<T> {
    const NAME: &'static str = T::NAME;
    fn parse(params: &mut Params<'_>) -> Result<Self> {
        T::parse(params).map(Box::new)
    }
}

/// `name` or `name,args`.
fn write_segment(f: &mut fmt::Formatter<'_>, name: &str, args: &dyn fmt::Display) -> fmt::Result {
    let args = args.to_string();
    if args.is_empty() {
        f.write_str(name)
    } else {
        write!(f, "{name},{args}")
    }
}

/// One parsed segment of a chain.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Action(Action),
    Setting(Setting),
}

/// Parses one action from raw arguments, as `parse_step` does (unit tests of the actions).
#[cfg(test)]
pub(crate) fn parse_args<T: Parse>(args: &[&str], strict: bool) -> Result<T> {
    let mut params = Params::new(T::NAME, args, strict);
    let value = T::parse(&mut params)?;
    params.finish()?;
    Ok(value)
}

fn parse_with<T: Parse>(segment: &Segment<'_>, strict: bool) -> Result<T> {
    let mut params = Params::new(segment.name, &segment.args, strict);
    let value = T::parse(&mut params)?;
    params.finish()?;
    Ok(value)
}

/// Turns one segment into a typed step; an unknown name is EC 0040-00000213.
pub fn parse_step(segment: &Segment<'_>, strict: bool) -> Result<Step> {
    use Action as A;
    use Setting as S;
    let s = strict;
    Ok(match segment.name {
        Resize::NAME => Step::Action(A::Resize(parse_with(segment, s)?)),
        Crop::NAME => Step::Action(A::Crop(parse_with(segment, s)?)),
        IndexCrop::NAME => Step::Action(A::IndexCrop(parse_with(segment, s)?)),
        Circle::NAME => Step::Action(A::Circle(parse_with(segment, s)?)),
        RoundedCorners::NAME => Step::Action(A::RoundedCorners(parse_with(segment, s)?)),
        Rotate::NAME => Step::Action(A::Rotate(parse_with(segment, s)?)),
        Blur::NAME => Step::Action(A::Blur(parse_with(segment, s)?)),
        Bright::NAME => Step::Action(A::Bright(parse_with(segment, s)?)),
        Contrast::NAME => Step::Action(A::Contrast(parse_with(segment, s)?)),
        Sharpen::NAME => Step::Action(A::Sharpen(parse_with(segment, s)?)),
        Watermark::NAME => Step::Action(A::Watermark(parse_with(segment, s)?)),
        Info::NAME => Step::Action(A::Info(parse_with(segment, s)?)),
        AverageHue::NAME => Step::Action(A::AverageHue(parse_with(segment, s)?)),
        Format::NAME => Step::Setting(S::Format(parse_with(segment, s)?)),
        Quality::NAME => Step::Setting(S::Quality(parse_with(segment, s)?)),
        Interlace::NAME => Step::Setting(S::Interlace(parse_with(segment, s)?)),
        AutoOrient::NAME => Step::Setting(S::AutoOrient(parse_with(segment, s)?)),
        other => {
            return Err(Error::invalid(
                Some("0040-00000213"),
                format!(
                    "The action: {} is not supported.",
                    crate::error::echo(other)
                ),
            ))
        }
    })
}

impl Action {
    pub fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        match self {
            Action::Resize(a) => a.apply(cx),
            Action::Crop(a) => a.apply(cx),
            Action::IndexCrop(a) => a.apply(cx),
            Action::Circle(a) => a.apply(cx),
            Action::RoundedCorners(a) => a.apply(cx),
            Action::Rotate(a) => a.apply(cx),
            Action::Blur(a) => a.apply(cx),
            Action::Bright(a) => a.apply(cx),
            Action::Contrast(a) => a.apply(cx),
            Action::Sharpen(a) => a.apply(cx),
            Action::Watermark(a) => a.apply(cx),
            Action::Info(a) => a.apply(cx),
            Action::AverageHue(a) => a.apply(cx),
        }
    }

    pub fn keeps_animation(&self) -> bool {
        match self {
            Action::Resize(a) => a.keeps_animation(),
            Action::Crop(a) => a.keeps_animation(),
            Action::IndexCrop(a) => a.keeps_animation(),
            Action::Circle(a) => a.keeps_animation(),
            Action::RoundedCorners(a) => a.keeps_animation(),
            Action::Rotate(a) => a.keeps_animation(),
            Action::Blur(a) => a.keeps_animation(),
            Action::Bright(a) => a.keeps_animation(),
            Action::Contrast(a) => a.keeps_animation(),
            Action::Sharpen(a) => a.keeps_animation(),
            Action::Watermark(a) => a.keeps_animation(),
            Action::Info(a) => a.keeps_animation(),
            Action::AverageHue(a) => a.keeps_animation(),
        }
    }
}
