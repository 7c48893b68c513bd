//! The OSS actions. Each file holds one action: its validated parameters, `parse`, its
//! canonical `Display` (arguments only, without the action name), `apply` and unit tests.
//!
//! A spec holds three kinds of step (spec/README.md §2.2): pixel [`Action`]s, run in
//! order; position-independent [`Setting`]s (`format`, `quality`, `interlace`,
//! `auto-orient`: the last of each wins); and the [`End`]s (`info`, `average-hue`) that
//! answer JSON instead of an image. [`chain`] reads a spec into steps and runs the actions.
//!
//! Adding an action: a file `ops/<name>.rs` whose type implements [`Parse`] and [`Op`],
//! its `mod` line below and one line in `Action` (see ARCHITECTURE.md).

use std::fmt;

use crate::error::Result;
use crate::format::{ImageFormat, Probe};
use crate::frame::Image;
use crate::limits::Limits;
use crate::options::Options;
use crate::spec::{Params, ParseRules, Segment};

pub mod auto_orient;
pub mod average_hue;
pub mod blur;
pub mod bright;
pub mod chain;
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
pub use chain::{Chain, Step};
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

/// Parsing shared by every step. `Display` prints the canonical arguments (no action
/// name): equal meaning gives an equal string.
pub trait Parse: Sized + fmt::Display {
    const NAME: &'static str;
    fn parse(params: &mut Params<'_>) -> Result<Self>;
}

/// A pixel action.
pub trait Op {
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
    /// The format the result will be written in: decides whether areas cut away by
    /// circle / rounded-corners / rotate are transparent or white.
    pub output_format: ImageFormat,
    pub options: &'a Options,
}

impl Ctx<'_> {
    pub fn limits(&self) -> &Limits {
        &self.options.limits
    }

    /// Gives the transparent areas that an action cut away (circle, rounded-corners, the
    /// corners rotate exposes) the look of the final format: they stay transparent where
    /// it stores alpha and become white in a JPEG (spec README §2.4).
    pub fn show_cut_areas(&mut self) {
        if self.output_format == ImageFormat::Jpeg {
            self.image.flatten_onto([255, 255, 255]);
        }
    }
}

/// An enum over step types, each variant named after its type's `Parse::NAME`: its
/// canonical `Display` and the parse of a segment that names one of them. With `ops`
/// first, every variant is an [`Op`] and [`Action::op`] hands it out.
macro_rules! closed_enum {
    (ops $(#[$meta:meta])* $name:ident { $($variant:ident($ty:ty)),* $(,)? }) => {
        closed_enum!($(#[$meta])* $name { $($variant($ty)),* });

        impl $name {
            /// The action behind the variant.
            pub fn op(&self) -> &dyn Op {
                match self {
                    $($name::$variant(a) => a),*
                }
            }
        }
    };
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

        impl $name {
            /// `None` when `segment` names none of these steps.
            fn parse_named(segment: &Segment<'_>, rules: ParseRules) -> Option<Result<Self>> {
                $(
                    if segment.name == <$ty as Parse>::NAME {
                        return Some(parse_segment::<$ty>(segment, rules).map($name::$variant));
                    }
                )*
                None
            }
        }
    };
}

closed_enum!(ops
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

closed_enum!(
    /// A step that answers JSON instead of an image; it ends the chain.
    End {
        Info(Info),
        AverageHue(AverageHue),
    }
);

impl<T: Parse> Parse for Box<T> {
    const NAME: &'static str = T::NAME;
    fn parse(params: &mut Params<'_>) -> Result<Self> {
        T::parse(params).map(Box::new)
    }
}

impl<T: Op> Op for Box<T> {
    fn apply(&self, cx: &mut Ctx<'_>) -> Result<()> {
        (**self).apply(cx)
    }
    fn keeps_animation(&self) -> bool {
        (**self).keeps_animation()
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

/// Parses one segment as `T`: every argument must be read (or ignored in lenient mode).
fn parse_segment<T: Parse>(segment: &Segment<'_>, rules: ParseRules) -> Result<T> {
    let mut params = Params::new(segment.name, &segment.args, rules);
    let value = T::parse(&mut params)?;
    params.finish()?;
    Ok(value)
}

/// Parses one action from raw arguments, as a chain does (unit tests of the actions).
#[cfg(test)]
pub(crate) fn parse_args<T: Parse>(args: &[&str], strict: bool) -> Result<T> {
    let rules = if strict {
        ParseRules::OSS
    } else {
        ParseRules::LENIENT
    };
    let segment = Segment {
        name: T::NAME,
        args: args.to_vec(),
    };
    parse_segment(&segment, rules)
}
