//! The tests that need no Whisper model: decoding, drafts, the shape of the
//! code, and every stage after transcription run from real transcripts of
//! the samples saved in `tests/fixtures/`. They run in seconds:
//! `cargo test --release --lib --test offline`.

#[allow(dead_code)]
#[path = "../common/mod.rs"]
mod common;

mod clips;
mod drafts;
mod formats;
mod fuzz;
mod hostile;
mod languages;
mod layers;
mod media;
mod posts;
mod review;
mod shownotes;
mod speakers;
mod stages;
mod video;
