//! The `x-oss-process` grammar: from a string to typed, validated actions.

pub mod lexer;
pub mod params;
pub mod styles;
pub mod types;

pub use lexer::{parse_chain, Segment};
pub use params::{Params, ParseRules};
