//! The client approval loop: the review sheet, the client's decisions, and
//! the export of what was approved.

pub mod markdown;
pub mod sheet;

pub mod decisions;
pub mod export;
