//! The tests that need the real Whisper model from `models/` (installed by
//! `scripts/setup.sh`): transcription, model import, and whole runs of
//! episodes and seasons on real audio from `samples/`. The stages after
//! transcription are also tested without the model, in `tests/offline/`.
//! `writer` needs no Whisper model but a real language-model server, which
//! `scripts/test.sh` builds into a cache outside the checkout.

#[allow(dead_code)]
#[path = "../common/mod.rs"]
mod common;
mod engine;
mod episode;
mod import;
mod languages;
mod review_sheet;
mod season;
mod speakers;
mod transcribe;
mod writer;
