//! The JavaScript boundary (wasm-bindgen). This is the only file that knows about JS: it
//! reads the JS options into [`Options`], calls the pure core and hands back plain JS
//! objects (no wasm-bindgen classes, so callers never need `.free()`).
//!
//! Errors from the core are thrown as a JS `Error` whose `name` is `"OssImageError"` and
//! whose own properties `code`, `status` and `ec` (or `null`) carry the OSS error; the
//! wrappers in `www/src/` turn it into an `OssImageError` instance. Options of the wrong
//! type are a caller's bug and throw a `TypeError` / `RangeError` instead.
//!
//! The exported names (`process`, `probe`, `checkSource`, `parse`, `version`) are the raw layer of the
//! npm package; users import the wrappers (`index.js`, `node.js`, `workerd.js`).

use js_sys::{Array, ArrayBuffer, Map, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::alloc_budget;
use crate::error::{Error, ENGINE_BUDGET_REASON};
use crate::limits::Limits;
use crate::ops::Action;
use crate::options::Options;
use crate::pipeline::{Output, Pipeline};

/// The option keys `read_options` understands; anything else is a `TypeError` (a typo
/// such as `style` for `styles` must not be silently ignored).
const OPTION_KEYS: [&str; 10] = [
    "styles",
    "objects",
    "fonts",
    "limits",
    "strict",
    "defaultJpegQuality",
    "defaultWebpQuality",
    "autoOrient",
    "compatStaticGifRotate",
    "lenientRotateLimit",
];

/// Processes `input` with an OSS spec (`image/resize,w_300/...`, `style/<name>`,
/// `x-oss-process=...`).
///
/// Returns `{ bytes: Uint8Array, mime, format, width, height, frames }` for an image,
/// `{ json, mime: "application/json" }` for `info` / `average-hue`, and, for an empty
/// spec, `{ bytes: <copy of input>, mime, original: true }`.
#[wasm_bindgen]
pub fn process(input: &[u8], spec: &str, options: JsValue) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let options = read_options(&options)?;
    let output = within_budget(&options, || crate::process_with(input, spec, &options))?;
    Ok(output_object(output, input))
}

/// Processes raw RGBA pixels (`width` × `height` × 4 bytes: a canvas's `ImageData.data`)
/// without decoding; they are admitted like a still PNG of that size and the result is
/// PNG unless the spec says otherwise ([`crate::process_pixels`]). The wrappers call
/// `checkPixels` first, so pixels over a limit are never copied in.
#[wasm_bindgen(js_name = "processPixels")]
pub fn process_pixels(
    rgba: Vec<u8>,
    width: u32,
    height: u32,
    spec: &str,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let options = read_options(&options)?;
    let output = within_budget(&options, || {
        crate::process_pixels(rgba, width, height, spec, &options)
    })?;
    Ok(output_object(output, &[]))
}

/// Runs `call` under the engine memory budget of `options.limits`. A refused allocation
/// makes decoders and encoders fail in their own words: the budget is the cause whatever
/// the error says.
fn within_budget(
    options: &Options,
    call: impl FnOnce() -> crate::error::Result<Output>,
) -> Result<Output, JsValue> {
    alloc_budget::begin(options.limits.memory_budget);
    let result = call();
    let over_budget = alloc_budget::end();
    result.map_err(|e| {
        if over_budget {
            over_budget_error()
        } else {
            oss_error(&e)
        }
    })
}

/// Throws the error `processPixels` would refuse `width` × `height` pixels with (limits,
/// spec), from the size alone.
#[wasm_bindgen(js_name = "checkPixels")]
pub fn check_pixels(width: u32, height: u32, spec: &str, options: JsValue) -> Result<(), JsValue> {
    install_panic_hook();
    let options = read_options(&options)?;
    crate::check_pixels(width, height, spec, &options).map_err(|e| oss_error(&e))
}

/// The plain JS object of a result; `input` is the source, returned for `Output::Original`.
fn output_object(output: Output, input: &[u8]) -> JsValue {
    let out = Object::new();
    match output {
        Output::Image {
            bytes,
            format,
            width,
            height,
            frames,
        } => {
            set(&out, "bytes", &Uint8Array::new_from_slice(&bytes).into());
            set(&out, "mime", &format.mime().into());
            set(&out, "format", &format.name().into());
            set(&out, "width", &width.into());
            set(&out, "height", &height.into());
            set(&out, "frames", &frames.into());
        }
        Output::Json(json) => {
            set(&out, "json", &json.into());
            set(&out, "mime", &"application/json".into());
        }
        Output::Original => {
            let mime = crate::probe(input)
                .map(|p| p.format.mime())
                .unwrap_or("application/octet-stream");
            set(&out, "bytes", &Uint8Array::new_from_slice(input).into());
            set(&out, "mime", &mime.into());
            set(&out, "original", &JsValue::TRUE);
        }
    }
    out.into()
}

/// Header facts without decoding pixels:
/// `{ format, mime, width, height, frames, orientation, hasAlpha }`.
#[wasm_bindgen]
pub fn probe(input: &[u8]) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let p = crate::probe(input).map_err(|e| oss_error(&e))?;
    let out = Object::new();
    set(&out, "format", &p.format.name().into());
    set(&out, "mime", &p.format.mime().into());
    set(&out, "width", &p.width.into());
    set(&out, "height", &p.height.into());
    set(&out, "frames", &p.frames.into());
    set(&out, "orientation", &p.orientation.into());
    set(&out, "hasAlpha", &p.has_alpha.into());
    Ok(out.into())
}

/// Throws the `ImageTooLarge` error `process(input, spec, options)` would give when
/// `input` is over `options.limits` (bytes, sides, pixels, decode budget), judged from
/// the header only, with the same frame choice as `process` ([`Pipeline::admit`]). Hosts
/// call it with `"oss"` and `"workers"` limits to choose between processing and serving
/// the original (`x-ossimg-fallback`). Probe and spec errors are thrown as well; an empty
/// spec processes nothing and passes.
#[wasm_bindgen(js_name = "checkSource")]
pub fn check_source(input: &[u8], spec: &str, options: JsValue) -> Result<(), JsValue> {
    install_panic_hook();
    let options = read_options(&options)?;
    let checked = options
        .limits
        .check_source_bytes(input.len())
        .and_then(|()| {
            let probe = crate::probe(input)?;
            if crate::asks_for_nothing(spec) {
                return Ok(());
            }
            Pipeline::parse(spec, &options)?.admit(&probe, &options)?;
            Ok(())
        });
    checked.map_err(|e| oss_error(&e))
}

/// Splits an object path in the delimiter form (`photo.jpg!thumb`) into
/// `[object key, style name]`, trying the enabled delimiters (`delimiters`, a string of
/// `-`, `_`, `/`, `!`) in OSS's order; `undefined` when the path names no style.
#[wasm_bindgen(js_name = "splitStyleDelimiter")]
pub fn split_style_delimiter(path: &str, delimiters: &str) -> Option<Array> {
    let enabled: Vec<char> = delimiters.chars().collect();
    crate::spec::styles::split_style_delimiter(path, &enabled)
        .map(|(object, name)| string_array(&[object, name]))
}

/// Validates a spec without touching pixels: `{ canonical, objects, fonts }`, where
/// `canonical` is the canonical spec (a cache key; `""` for an empty spec) and `objects` /
/// `fonts` list the watermark object keys and font names the host must supply.
#[wasm_bindgen]
pub fn parse(spec: &str, options: JsValue) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let options = read_options(&options)?;
    let mut objects: Vec<&str> = Vec::new();
    let mut fonts: Vec<&str> = Vec::new();
    // An empty spec means "serve the original", as in `crate::process_with`.
    let pipeline = if crate::asks_for_nothing(spec) {
        None
    } else {
        Some(Pipeline::parse(spec, &options).map_err(|e| oss_error(&e))?)
    };
    if let Some(pipeline) = &pipeline {
        for action in &pipeline.chain.actions {
            if let Action::Watermark(w) = action {
                if let Some(key) = w.object_key() {
                    if !objects.contains(&key) {
                        objects.push(key);
                    }
                }
                if let Some(font) = w.font_name() {
                    if !fonts.contains(&font) {
                        fonts.push(font);
                    }
                }
            }
        }
    }
    let canonical = pipeline
        .as_ref()
        .map(Pipeline::to_string)
        .unwrap_or_default();
    let out = Object::new();
    set(&out, "canonical", &canonical.into());
    set(&out, "objects", &string_array(&objects).into());
    set(&out, "fonts", &string_array(&fonts).into());
    Ok(out.into())
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Asks the glue for a fresh `WebAssembly.Instance` at the start of the next call. The
/// wrappers call it after a trap (a panic, out of memory, stack overflow), which leaves the
/// instance's memory in an unknown state, and then make one call without arguments
/// (`version()`) so that the swap happens there: wasm-bindgen 0.2.130 copies arguments
/// into the old instance's memory before it swaps. Not part of the public API.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__ossimgReset")]
pub fn reset() {
    // Only sets a flag in the JS glue: safe to call on an instance that has trapped.
    wasm_bindgen::handler::schedule_reinit();
}

/// Whether the call that just trapped went over the engine memory budget (an allocation
/// refused, then aborted). The wrappers ask before they replace the instance; it only
/// reads a static, so it is safe on a trapped instance. Not part of the public API.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__ossimgBudgetExceeded")]
pub fn budget_exceeded() -> bool {
    alloc_budget::refused()
}

/// Traps on purpose, so that the wrappers' recovery from a trap can be tested against a
/// real `WebAssembly.RuntimeError`. Not part of the public API.
#[doc(hidden)]
#[wasm_bindgen(js_name = "__ossimgTrap")]
pub fn trap() {
    core::arch::wasm32::unreachable()
}

/// Logs panics to `console.error` once per instance. A panic then aborts (traps); the
/// wrappers replace the instance (see [`reset`]).
fn install_panic_hook() {
    console_error_panic_hook::set_once();
}

/// The core's error as a JS `Error` named `OssImageError` with `code`, `status`, `ec`.
fn oss_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(e.message());
    err.set_name("OssImageError");
    set(&err, "code", &e.code().into());
    set(&err, "status", &e.status().into());
    set(&err, "ec", &e.ec().map_or(JsValue::NULL, JsValue::from));
    err.into()
}

/// The error of a call over `Limits::memory_budget`, with its `reason`. core.js builds the
/// same after a trap, from the facts generated out of these constants (www/src/facts.js).
fn over_budget_error() -> JsValue {
    let err = oss_error(&Error::over_engine_budget());
    set(&err, "reason", &ENGINE_BUDGET_REASON.into());
    err
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(&format!("ossimg: {message}")).into()
}

fn range_error(message: &str) -> JsValue {
    js_sys::RangeError::new(&format!("ossimg: {message}")).into()
}

/// Sets a property on an object this module just created. `Reflect.set` on a fresh,
/// ordinary, extensible object cannot fail, so the result carries no information.
fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn string_array(items: &[&str]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

/// A property that is present and neither `undefined` nor `null`. Getters may throw:
/// that exception is passed on.
fn field(obj: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue> {
    let value = Reflect::get(obj, &JsValue::from_str(key))?;
    Ok(if value.is_undefined() || value.is_null() {
        None
    } else {
        Some(value)
    })
}

/// The JS options object (every field optional) as core [`Options`].
fn read_options(value: &JsValue) -> Result<Options, JsValue> {
    let mut options = Options::default();
    if value.is_undefined() || value.is_null() {
        return Ok(options);
    }
    if !value.is_object() {
        return Err(type_error("options must be an object"));
    }
    let obj: &Object = value.unchecked_ref();
    for key in Object::keys(obj).iter() {
        let key = key.as_string().unwrap_or_default();
        if !OPTION_KEYS.contains(&key.as_str()) {
            return Err(type_error(&format!(
                "unknown option {key:?} (expected one of {})",
                OPTION_KEYS.join(", ")
            )));
        }
    }
    if let Some(v) = field(value, "styles")? {
        for (name, content) in entries(&v, "styles")? {
            let Some(content) = content.as_string() else {
                return Err(type_error(&format!(
                    "options.styles[{name:?}] must be a string"
                )));
            };
            options.styles.insert(name, content);
        }
    }
    if let Some(v) = field(value, "objects")? {
        for (key, bytes) in entries(&v, "objects")? {
            let bytes = read_bytes(&bytes, &format!("options.objects[{key:?}]"))?;
            options.objects.insert(key, bytes);
        }
    }
    if let Some(v) = field(value, "fonts")? {
        for (name, bytes) in entries(&v, "fonts")? {
            let bytes = read_bytes(&bytes, &format!("options.fonts[{name:?}]"))?;
            options.fonts.insert(name, bytes);
        }
    }
    if let Some(v) = field(value, "limits")? {
        options.limits = match v.as_string().as_deref() {
            Some("oss") => Limits::oss(),
            Some("workers") => Limits::workers(),
            _ => return Err(type_error("options.limits must be \"oss\" or \"workers\"")),
        };
    }
    if let Some(v) = field(value, "strict")? {
        options.rules.strict = read_bool(&v, "strict")?;
    }
    if let Some(v) = field(value, "autoOrient")? {
        options.default_auto_orient = read_bool(&v, "autoOrient")?;
    }
    if let Some(v) = field(value, "compatStaticGifRotate")? {
        options.compat_static_gif_rotate = read_bool(&v, "compatStaticGifRotate")?;
    }
    if let Some(v) = field(value, "lenientRotateLimit")? {
        options.lenient_rotate_limit = read_bool(&v, "lenientRotateLimit")?;
    }
    if let Some(v) = field(value, "defaultJpegQuality")? {
        options.default_jpeg_quality = read_quality(&v, "defaultJpegQuality")?;
    }
    if let Some(v) = field(value, "defaultWebpQuality")? {
        options.default_webp_quality = read_quality(&v, "defaultWebpQuality")?;
    }
    if let Some(v) = field(value, "defaultAvifQuality")? {
        options.default_avif_quality = read_quality(&v, "defaultAvifQuality")?;
    }
    Ok(options)
}

fn read_bool(v: &JsValue, name: &str) -> Result<bool, JsValue> {
    v.as_bool()
        .ok_or_else(|| type_error(&format!("options.{name} must be a boolean")))
}

/// An integer quality 1..=100.
fn read_quality(v: &JsValue, name: &str) -> Result<u8, JsValue> {
    let Some(q) = v.as_f64() else {
        return Err(type_error(&format!("options.{name} must be a number")));
    };
    if q.fract() != 0.0 || !(1.0..=100.0).contains(&q) {
        return Err(range_error(&format!(
            "options.{name} must be an integer from 1 to 100"
        )));
    }
    Ok(q as u8)
}

/// `[key, value]` pairs of a plain object (own enumerable string keys) or of a `Map`
/// with string keys.
fn entries(v: &JsValue, name: &str) -> Result<Vec<(String, JsValue)>, JsValue> {
    let mut out = Vec::new();
    if let Some(map) = v.dyn_ref::<Map>() {
        let mut bad_key = false;
        map.for_each(&mut |value, key| match key.as_string() {
            Some(key) => out.push((key, value)),
            None => bad_key = true,
        });
        if bad_key {
            return Err(type_error(&format!("options.{name} keys must be strings")));
        }
        return Ok(out);
    }
    if !v.is_object() {
        return Err(type_error(&format!(
            "options.{name} must be an object or a Map"
        )));
    }
    // Object.entries: [string key, value] pairs of own enumerable properties.
    for pair in Object::entries(v.unchecked_ref()).iter() {
        let key = Reflect::get_u32(&pair, 0)?.as_string().unwrap_or_default();
        out.push((key, Reflect::get_u32(&pair, 1)?));
    }
    Ok(out)
}

/// A copy of the bytes of a `Uint8Array`, an `ArrayBuffer` or any other typed array /
/// `DataView` (its viewed range).
fn read_bytes(v: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(array) = v.dyn_ref::<Uint8Array>() {
        return Ok(array.to_vec());
    }
    if let Some(buffer) = v.dyn_ref::<ArrayBuffer>() {
        return Ok(Uint8Array::new(buffer).to_vec());
    }
    if ArrayBuffer::is_view(v) {
        let buffer = Reflect::get(v, &JsValue::from_str("buffer"))?;
        let offset = Reflect::get(v, &JsValue::from_str("byteOffset"))?;
        let length = Reflect::get(v, &JsValue::from_str("byteLength"))?;
        if let (Some(offset), Some(length)) = (offset.as_f64(), length.as_f64()) {
            // Views over wasm32-addressable buffers have offsets and lengths below 2^32.
            let view =
                Uint8Array::new_with_byte_offset_and_length(&buffer, offset as u32, length as u32);
            return Ok(view.to_vec());
        }
    }
    Err(type_error(&format!(
        "{name} must be a Uint8Array, an ArrayBuffer or an ArrayBufferView"
    )))
}
