//! clipper's integration tests: one test binary, real audio from `samples/`,
//! the real Whisper model from `models/` (installed by `scripts/setup.sh`).

mod common;
mod drafts;
mod engine;
mod episode;
mod formats;
mod fuzz;
mod import;
mod review_sheet;
mod season;
mod transcribe;
