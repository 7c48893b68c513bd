//! A chain: the steps of one spec, read by one function ([`parse_steps`]) and run by one
//! loop ([`Chain::run`]), for the request and for a watermark picture's pre-processing
//! alike (watermark.md §2.2).

use std::fmt;

use super::{auto_orient, Action, AutoOrient, AverageHue, Circle, Ctx, End, Info, Parse};
use super::{Resize, Setting, Watermark};
use crate::codec::SrgbConversion;
use crate::error::{echo, Error, Result};
use crate::options::Options;
use crate::spec::{lexer, Params, ParseRules, Segment};

/// One parsed segment of a chain.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Action(Action),
    Setting(Setting),
    End(End),
}

/// Where a chain stands, which decides what it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The request's own spec (or the style it names).
    Request,
    /// The `?x-oss-process=` of a watermark picture (watermark.md §2.2 step 3): no
    /// watermark, info, average-hue or circle; `resize` also takes `P`.
    WatermarkPicture,
}

/// Reads the `image/...` chain (percent-decoded already) into typed steps, in order.
pub fn parse_steps(chain: &str, rules: ParseRules, place: Place) -> Result<Vec<Step>> {
    let segments = lexer::parse_chain(chain, rules.max_actions)?;
    if place == Place::WatermarkPicture {
        // Forbidden actions are found by name first, so they are reported even when their
        // arguments (or those of earlier actions) are bad, and a nested watermark is never
        // parsed.
        segments.iter().try_for_each(refuse_in_picture)?;
    }
    segments
        .iter()
        .map(|segment| parse_step(segment, rules, place))
        .collect()
}

/// Turns one segment into a typed step; an unknown name is EC 0040-00000213.
fn parse_step(segment: &Segment<'_>, rules: ParseRules, place: Place) -> Result<Step> {
    if place == Place::WatermarkPicture && segment.name == Resize::NAME {
        let mut params = Params::new(segment.name, &segment.args, rules);
        let resize = Resize::parse_in_watermark(&mut params)?;
        params.finish()?;
        return Ok(Step::Action(Action::Resize(resize)));
    }
    let step = Action::parse_named(segment, rules)
        .map(|r| r.map(Step::Action))
        .or_else(|| Setting::parse_named(segment, rules).map(|r| r.map(Step::Setting)))
        .or_else(|| End::parse_named(segment, rules).map(|r| r.map(Step::End)));
    step.unwrap_or_else(|| {
        Err(Error::invalid(
            Some("0040-00000213"),
            format!("The action: {} is not supported.", echo(segment.name)),
        ))
    })
}

/// The actions a watermark picture's pre-processing may not hold (watermark.md §2.2).
fn refuse_in_picture(segment: &Segment<'_>) -> Result<()> {
    match segment.name {
        Watermark::NAME => Err(Error::invalid(
            Some("0040-00000373"),
            "A watermark picture cannot be pre-processed with watermark.",
        )),
        // average-hue gives no image either (§2.2 [DECISION]).
        Info::NAME | AverageHue::NAME => Err(Error::invalid(
            Some("0040-00000374"),
            format!(
                "A watermark picture cannot be pre-processed with {}.",
                segment.name
            ),
        )),
        // Documented as not allowed; no vendor EC (§2.2 [DECISION]).
        Circle::NAME => Err(Error::invalid(
            None,
            "A watermark picture cannot be pre-processed with circle.",
        )),
        _ => Ok(()),
    }
}

/// The pixel part of a chain: turn the image upright (or not), then the actions in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chain {
    /// `None` when the chain does not mention `auto-orient` (the default applies).
    pub auto_orient: Option<AutoOrient>,
    pub actions: Vec<Action>,
}

impl Chain {
    /// Whether the image is turned upright first: as `auto-orient` says, else the default.
    pub fn orients(&self, options: &Options) -> bool {
        self.auto_orient
            .as_ref()
            .map_or(options.default_auto_orient, |a| a.enabled)
    }

    /// Whether every action keeps an animation's frames (README §6).
    pub fn keeps_animation(&self, options: &Options) -> bool {
        let static_rotate =
            |a: &Action| options.compat_static_gif_rotate && matches!(a, Action::Rotate(_));
        self.auto_orient.is_none()
            && self
                .actions
                .iter()
                .all(|a| a.op().keeps_animation() && !static_rotate(a))
    }

    /// Runs the chain on `cx.image`; `prescaled` when the decoder already shrank the source
    /// for the first resize (shrink-on-load).
    pub fn run(&self, cx: &mut Ctx<'_>, prescaled: Option<&Prescaled>) -> Result<()> {
        if self.orients(cx.options) {
            auto_orient::apply_orientation(cx, self.auto_orient.is_some())?;
        }
        let mut actions = self.actions.iter();
        if let Some(prescaled) = prescaled {
            // The reduced frame stands for the full-size source. Its colour becomes sRGB
            // after that resize, as in libvips' `thumbnail`: on a fraction of the pixels
            // (shrink-on-load only runs for a chain that starts with a resize).
            if let Some(Action::Resize(resize)) = self.actions.first() {
                actions.next();
                resize.apply_as_if(cx, prescaled.full_size)?;
            }
            if let Some(colour) = &prescaled.colour {
                colour.apply(&mut cx.image);
            }
        }
        actions.try_for_each(|action| action.op().apply(cx))
    }

    /// This chain with every `resize,P_` resolved against a `main_w×main_h` main image.
    pub fn sized_for(&self, main_w: u32, main_h: u32) -> Chain {
        let actions = self.actions.iter().map(|action| match action {
            Action::Resize(resize) => Action::Resize(resize.relative_to(main_w, main_h)),
            other => other.clone(),
        });
        Chain {
            auto_orient: self.auto_orient.clone(),
            actions: actions.collect(),
        }
    }
}

/// A source the decoder shrank for the chain's first resize (shrink-on-load).
pub struct Prescaled {
    /// The source's full size, upright: what that resize plans for.
    pub full_size: (u32, u32),
    /// The conversion to sRGB, applied after that resize.
    pub colour: Option<SrgbConversion>,
}

/// `image/<actions>/auto-orient,<n>`: the canonical form of a picture's pre-processing.
impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("image")?;
        for action in &self.actions {
            write!(f, "/{action}")?;
        }
        if let Some(auto_orient) = &self.auto_orient {
            write!(f, "/{}", Setting::AutoOrient(auto_orient.clone()))?;
        }
        Ok(())
    }
}
