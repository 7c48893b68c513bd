//! What a call may configure besides the spec: limits, parse rules, styles, the watermark
//! objects and fonts a host supplies, and the defaults that OSS leaves to the service.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::limits::Limits;
use crate::spec::ParseRules;

/// Everything a call may configure besides the spec.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    pub limits: Limits,
    /// How the spec is read: strictness, its longest length, its most actions.
    pub rules: ParseRules,
    /// Style registry: name → `image/...` content.
    pub styles: HashMap<String, String>,
    /// Watermark images by object key (the host fetches them from the same bucket).
    pub objects: HashMap<String, Vec<u8>>,
    /// Asked for a watermark picture that `objects` lacks; `None` (or no answer) is
    /// EC 0040-00000025.
    pub object_resolver: Option<ObjectResolver>,
    /// Font files (TrueType/OpenType, a collection gives its first face) by OSS font name
    /// (e.g. `wqy-zenhei`), plus the default faces `wqy-microhei` and `dejavu-sans` that
    /// `scripts/fonts.sh` builds. A text mark draws with its font's fallback chain
    /// (fonts.md §4) restricted to these; an absent requested font falls back to
    /// `wqy-microhei`; none at all is a 500 error.
    pub fonts: HashMap<String, Vec<u8>>,
    /// JPEG quality when the chain has no `quality` action.
    pub default_jpeg_quality: u8,
    /// WebP quality when the chain has no `quality` action.
    pub default_webp_quality: u8,
    /// AVIF quality when the chain has no `quality` action (src/codec/encode/avif.rs maps
    /// it to rav1e's quantizer; chosen so the output matches @jsquash/avif's default size).
    pub default_avif_quality: u8,
    /// Apply the EXIF orientation when the chain has no `auto-orient`.
    pub default_auto_orient: bool,
    /// `rotate` makes an animation static, as the vendor's rotate page says (README G5);
    /// off by default: the general limits page keeps the animation.
    pub compat_static_gif_rotate: bool,
    /// Check `rotate`'s 4,096 px limit on the image at that step instead of the source
    /// object (rotate.md Q1).
    pub lenient_rotate_limit: bool,
    /// Decode a JPEG at 1/2, 1/4 or 1/8 scale when the chain's first resize shrinks it
    /// that much anyway (same output size, near-identical pixels, far less time and memory).
    pub shrink_on_load: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::oss(),
            rules: ParseRules::OSS,
            styles: HashMap::new(),
            objects: HashMap::new(),
            object_resolver: None,
            fonts: HashMap::new(),
            default_jpeg_quality: 90,
            default_webp_quality: 85,
            default_avif_quality: 55,
            default_auto_orient: true,
            compat_static_gif_rotate: false,
            lenient_rotate_limit: false,
            shrink_on_load: true,
        }
    }
}

/// Fetches a watermark picture by its exact object key (watermark.md §9), so that a Rust
/// host can load pictures on demand instead of filling `Options::objects` up front.
#[derive(Clone)]
pub struct ObjectResolver(pub Arc<FetchObject>);

/// What an [`ObjectResolver`] calls: the object key in, the bytes (or nothing) out.
/// `RefUnwindSafe` keeps `Options` usable across `catch_unwind`.
pub type FetchObject = dyn Fn(&str) -> Option<Vec<u8>> + Send + Sync + std::panic::RefUnwindSafe;

impl fmt::Debug for ObjectResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ObjectResolver(..)")
    }
}

impl Options {
    /// The watermark picture stored under `key`: from `objects`, else from the resolver.
    pub fn object(&self, key: &str) -> Option<Cow<'_, [u8]>> {
        match self.objects.get(key) {
            Some(bytes) => Some(Cow::Borrowed(bytes)),
            None => self
                .object_resolver
                .as_ref()
                .and_then(|resolve| (resolve.0)(key))
                .map(Cow::Owned),
        }
    }
}
