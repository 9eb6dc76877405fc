//! clipper's integration tests: one test binary, real audio from `samples/`,
//! the real Whisper model from `models/` (installed by `scripts/setup.sh`).

mod common;
mod engine;
mod formats;
mod import;
mod transcribe;
