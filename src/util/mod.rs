//! Helpers every stage shares: how times are written, how HTML, Markdown
//! and CSV are made safe, and how paths are named. One place each, so that two files
//! never disagree on how 59.9 seconds is shown.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod paths;
pub mod time;
