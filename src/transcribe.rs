//! Speech to text with whisper.cpp (through whisper-rs).
//!
//! [`Engine`] holds the loaded model. For now it runs one `whisper_full`
//! call over the whole 16 kHz signal with greedy decoding, which is what the
//! first transcript needs; chunked parallel decoding comes with the engine.

use std::path::Path;

use whisper_rs::{FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters};

use crate::model::{ModelError, ModelInfo};
use crate::transcript::{Segment, Transcript};

/// Why transcription failed.
#[derive(Debug, thiserror::Error)]
pub enum TranscribeError {
    /// The model could not be found or loaded.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// whisper.cpp returned an error.
    #[error("whisper.cpp failed: {0}")]
    Whisper(String),
}

/// Settings for one transcription.
#[derive(Debug, Clone)]
pub struct Settings {
    /// CPU threads whisper.cpp may use.
    pub threads: usize,
    /// Beam size; 1 means greedy decoding.
    pub beam: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            beam: 1,
        }
    }
}

/// A loaded Whisper model.
pub struct Engine {
    ctx: WhisperContext,
    info: ModelInfo,
}

/// Routes whisper.cpp's and ggml's log lines away from the terminal (they go
/// to the `log` facade, which clipper does not install).
fn quiet_native_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(whisper_rs::install_logging_hooks);
}

impl Engine {
    /// Loads the model described by `info`.
    pub fn load(info: &ModelInfo) -> Result<Engine, TranscribeError> {
        quiet_native_logs();
        let path = &info.path;
        let ctx = WhisperContext::new_with_params(path, WhisperContextParameters::default())
            .map_err(|_| ModelError::LoadFailed(path.to_path_buf()))?;
        Ok(Engine {
            ctx,
            info: info.clone(),
        })
    }

    /// The whisper.cpp context, for callers that need the model itself
    /// (tokens, hyper-parameters).
    pub fn context(&self) -> &WhisperContext {
        &self.ctx
    }

    /// The model in use.
    pub fn model(&self) -> &ModelInfo {
        &self.info
    }

    /// Transcribes 16 kHz mono samples.
    pub fn transcribe(
        &self,
        samples: &[f32],
        settings: &Settings,
    ) -> Result<Transcript, TranscribeError> {
        let mut state = self
            .ctx
            .create_state()
            .map_err(|e| TranscribeError::Whisper(e.to_string()))?;
        let strategy = if settings.beam > 1 {
            SamplingStrategy::BeamSearch {
                beam_size: settings.beam as i32,
                patience: -1.0,
            }
        } else {
            SamplingStrategy::Greedy { best_of: 1 }
        };
        let mut params = FullParams::new(strategy);
        params.set_n_threads(settings.threads as i32);
        params.set_language(Some("en"));
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        state
            .full(params, samples)
            .map_err(|e| TranscribeError::Whisper(e.to_string()))?;
        let segments = state
            .as_iter()
            .map(|seg| Segment {
                start: seg.start_timestamp() as f64 / 100.0,
                end: seg.end_timestamp() as f64 / 100.0,
                text: seg
                    .to_str_lossy()
                    .map(|t| t.trim().to_string())
                    .unwrap_or_default(),
            })
            .collect();
        Ok(Transcript {
            segments,
            audio_duration: samples.len() as f64 / 16_000.0,
            model: self.info.path.display().to_string(),
        })
    }
}

/// Loads the model and transcribes one file: the whole path of `clipper transcribe`.
pub fn transcribe_file(
    audio: &Path,
    model: &ModelInfo,
    settings: &Settings,
) -> anyhow::Result<Transcript> {
    let decoded =
        crate::audio::load_16k(audio).map_err(|e| anyhow::anyhow!("{}: {e}", audio.display()))?;
    let engine = Engine::load(model)?;
    Ok(engine.transcribe(&decoded.samples, settings)?)
}
