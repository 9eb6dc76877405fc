//! clipper: podcast episodes in, transcripts, highlight clips, caption drafts
//! and a client approval sheet out, all on the local machine.
//!
//! The pipeline runs one way, stage by stage, each stage making its own
//! output type and importing only what comes before it:
//!
//! 1. [`audio`] decodes any supported file and resamples it to 16 kHz mono;
//! 2. [`transcribe`] runs Whisper (whisper.cpp, models from [`model`]) over
//!    it in parallel chunks → a [`transcript::Transcript`];
//! 3. [`highlights`] finds and scores clip candidates → clips, and
//!    [`shownotes`] sums up the whole episode (summary, chapters, quotes);
//! 4. [`drafts`] writes a title and caption drafts per clip and platform;
//! 5. [`media`] cuts, masters and encodes each clip's audio, its subtitles;
//! 6. [`bundle`] joins them (`highlights.json`), [`review`] renders the
//!    approval sheet, and [`decisions`] keeps the client's answers;
//! 7. [`episode`] runs stages 3–6 after a transcript (new or reused) into
//!    the episode's [`folder::OutputFolder`]; [`season`] indexes a folder of
//!    episodes.
//!
//! Below every stage: [`domain`] (chapters, buckets, platforms),
//! [`transcript`], [`lang`] (text rules per language), [`config`] (the
//! client's settings) and [`util`] (time, HTML, CSV, paths). [`commands`]
//! maps the command line ([`cli`]) onto all this; the binary only calls
//! [`commands::run`].

pub mod atomic;
pub mod audio;
pub mod bundle;
pub mod cli;
pub mod commands;
pub mod config;
pub mod decisions;
pub mod domain;
pub mod drafts;
pub mod episode;
pub mod eval;
pub mod folder;
pub mod glossary;
pub mod highlights;
pub mod lang;
pub mod media;
pub mod model;
pub mod output;
pub mod progress;
pub mod review;
pub mod season;
pub mod shownotes;
pub mod speakers;
pub mod transcribe;
pub mod transcript;
pub mod util;
