//! Typed readers over one action's arguments. Keys split at the FIRST underscore, later
//! duplicates win, keys are case-sensitive, and whatever an action did not read is
//! rejected by [`Params::finish`] (strict mode, README §1.2 rules 1, 6, 9, 12).

use std::ops::RangeInclusive;

use crate::error::{Error, Result};

/// How a chain is read: set once from the caller's options and carried into the chains
/// nested in it (a watermark picture's pre-processing is read under the same rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseRules {
    /// Reject unknown parameter keys (README rule 12); `false` ignores them.
    pub strict: bool,
    /// The longest spec, in bytes (EC 0017-00000288).
    pub max_spec_len: usize,
    /// The most actions one chain may hold.
    pub max_actions: usize,
}

impl ParseRules {
    /// What OSS enforces: strict, specs up to 4,096 bytes, 64 actions.
    pub const OSS: ParseRules = ParseRules {
        strict: true,
        max_spec_len: 4096,
        max_actions: 64,
    };
    /// [`ParseRules::OSS`], but unknown parameter keys are ignored.
    pub const LENIENT: ParseRules = ParseRules {
        strict: false,
        ..ParseRules::OSS
    };
}

impl Default for ParseRules {
    fn default() -> Self {
        ParseRules::OSS
    }
}

/// The arguments of one action while it is being parsed.
#[derive(Debug)]
pub struct Params<'a> {
    action: &'a str,
    /// Raw arguments, in order; `None` once read.
    args: Vec<Option<&'a str>>,
    rules: ParseRules,
}

/// Splits `key_value` at the first underscore when the key is 1+ ASCII letters.
fn split_key(arg: &str) -> Option<(&str, &str)> {
    let (key, value) = arg.split_once('_')?;
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic())).then_some((key, value))
}

/// Parses a decimal integer: `^-?[0-9]+$`, leading zeros allowed (rule 10).
pub fn parse_int(value: &str) -> Option<i64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

impl<'a> Params<'a> {
    /// Empty arguments (`resize,w_1,`) are dropped, as empty segments are.
    pub fn new(action: &'a str, args: &[&'a str], rules: ParseRules) -> Self {
        Params {
            action,
            args: args
                .iter()
                .filter(|a| !a.is_empty())
                .map(|a| Some(*a))
                .collect(),
            rules,
        }
    }

    /// The rules the enclosing chain is read under, for a chain nested in an argument.
    pub fn rules(&self) -> ParseRules {
        self.rules
    }

    /// The action's name, for messages.
    pub fn action(&self) -> &'a str {
        self.action
    }

    /// True when the action was given no arguments at all.
    pub fn is_empty(&self) -> bool {
        self.args.iter().all(Option::is_none)
    }

    /// The one positional value of a bare-value action (`rotate,90`). No value →
    /// `missing`; more than one → EC 0040-00000203. The value is returned raw, so a keyed
    /// form such as `a_90` reaches the action's own validation and fails there.
    pub fn single_value(&mut self, missing: Error) -> Result<&'a str> {
        let given: Vec<&'a str> = self.args.iter().flatten().copied().collect();
        self.args.clear();
        match given.as_slice() {
            [] => Err(missing),
            [one] => Ok(one),
            _ => Err(Error::invalid(
                Some("0040-00000203"),
                format!(
                    "The action {} takes a single value, {} were given.",
                    self.action,
                    given.len()
                ),
            )),
        }
    }

    /// The one positional value of a bare-value action as an integer in `range`; anything
    /// else is an invalid-value error with `ec`.
    pub fn single_int(
        &mut self,
        missing: Error,
        range: RangeInclusive<i64>,
        ec: Option<&'static str>,
    ) -> Result<i64> {
        let raw = self.single_value(missing)?;
        parse_int(raw)
            .filter(|v| range.contains(v))
            .ok_or_else(|| Error::invalid_value(ec, self.action, raw))
    }

    /// For actions without parameters: any argument is an error, even in lenient mode.
    pub fn expect_none(&self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::invalid(
                None,
                format!("The action {} takes no parameters.", self.action),
            ))
        }
    }

    /// The value of `key` (last occurrence wins), removing every occurrence.
    pub fn take(&mut self, key: &str) -> Option<&'a str> {
        let mut found = None;
        for slot in &mut self.args {
            if let Some((k, v)) = slot.and_then(split_key) {
                if k == key {
                    found = Some(v);
                    *slot = None;
                }
            }
        }
        found
    }

    /// An integer in `range`; anything else is an invalid-value error with `ec`.
    pub fn int(
        &mut self,
        key: &str,
        range: RangeInclusive<i64>,
        ec: Option<&'static str>,
    ) -> Result<Option<i64>> {
        let Some(raw) = self.take(key) else {
            return Ok(None);
        };
        match parse_int(raw) {
            Some(v) if range.contains(&v) => Ok(Some(v)),
            _ => Err(Error::invalid_value(ec, key, raw)),
        }
    }

    /// Like [`Params::int`] for a non-negative range that fits in `u32`.
    pub fn uint(
        &mut self,
        key: &str,
        range: RangeInclusive<u32>,
        ec: Option<&'static str>,
    ) -> Result<Option<u32>> {
        let wide = i64::from(*range.start())..=i64::from(*range.end());
        Ok(self.int(key, wide, ec)?.and_then(|v| u32::try_from(v).ok()))
    }

    /// A `0`/`1` switch.
    pub fn flag(&mut self, key: &str, ec: Option<&'static str>) -> Result<Option<bool>> {
        Ok(self.int(key, 0..=1, ec)?.map(|v| v == 1))
    }

    /// The last argument that is not in `key_value` form, removing it.
    pub fn take_bare(&mut self) -> Option<&'a str> {
        let slot = self
            .args
            .iter_mut()
            .rev()
            .find(|slot| slot.is_some_and(|a| split_key(a).is_none()))?;
        slot.take()
    }

    /// Rejects every argument the action did not read (strict mode), or ignores them.
    pub fn finish(self) -> Result<()> {
        self.reject_leftovers()
    }

    /// The error for a required parameter that is absent: an unknown key left over (a
    /// misspelt one, say) explains more than the missing one, so it is reported first.
    pub fn missing(&self, ec: Option<&'static str>) -> Error {
        match self.reject_leftovers() {
            Err(unknown) => unknown,
            Ok(()) => Error::missing(ec),
        }
    }

    /// The error [`Params::finish`] would give, without consuming the params.
    pub fn reject_leftovers(&self) -> Result<()> {
        if !self.rules.strict {
            return Ok(());
        }
        match self.args.iter().flatten().next() {
            None => Ok(()),
            Some(arg) => {
                let key = split_key(arg).map_or(*arg, |(k, _)| k);
                Err(Error::invalid(
                    None,
                    format!(
                        "Unknown parameter: {} of action: {}.",
                        crate::error::echo(key),
                        self.action
                    ),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_underscore_splits_and_last_duplicate_wins() {
        let mut p = Params::new(
            "resize",
            &["w_120", "h_120", "w_240", "text_a_b"],
            ParseRules::OSS,
        );
        assert_eq!(p.take("w"), Some("240"));
        assert_eq!(p.take("w"), None);
        assert_eq!(p.take("text"), Some("a_b"));
        assert_eq!(p.take("h"), Some("120"));
        assert!(p.finish().is_ok());
    }

    #[test]
    fn keys_are_case_sensitive() {
        let mut p = Params::new("quality", &["Q_80"], ParseRules::OSS);
        assert_eq!(p.take("q"), None);
        assert_eq!(p.take("Q"), Some("80"));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_int("0100"), Some(100));
        assert_eq!(parse_int("-5"), Some(-5));
        for bad in [
            "",
            "-",
            "1.5",
            "abc",
            " 1",
            "1 ",
            "+1",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_int(bad), None, "{bad:?}");
        }
        let mut p = Params::new("resize", &["w_abc"], ParseRules::OSS);
        let e = p.int("w", 1..=16384, Some("0040-00000312")).unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000312"));
        assert_eq!(e.message(), "The value: abc of parameter: w is invalid.");
    }

    #[test]
    fn leftovers_are_rejected_in_strict_mode_only() {
        let p = Params::new("resize", &["zz_1"], ParseRules::OSS);
        assert_eq!(
            p.finish().unwrap_err().message(),
            "Unknown parameter: zz of action: resize."
        );
        let p = Params::new("resize", &["zz_1"], ParseRules::LENIENT);
        assert!(p.finish().is_ok());
        let p = Params::new("resize", &["100"], ParseRules::OSS);
        assert!(p.finish().is_err());
    }

    #[test]
    fn single_values() {
        let missing = || Error::invalid(Some("0040-00000216"), "missing");
        assert_eq!(
            Params::new("rotate", &["90"], ParseRules::OSS).single_value(missing()),
            Ok("90")
        );
        assert_eq!(
            Params::new("rotate", &["a_90"], ParseRules::OSS).single_value(missing()),
            Ok("a_90")
        );
        let e = Params::new("rotate", &[], ParseRules::OSS)
            .single_value(missing())
            .unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000216"));
        let e = Params::new("rotate", &[""], ParseRules::OSS)
            .single_value(missing())
            .unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000216"));
        let e = Params::new("rotate", &["90", "200", "300"], ParseRules::OSS)
            .single_value(missing())
            .unwrap_err();
        assert_eq!(e.ec(), Some("0040-00000203"));
    }
}
