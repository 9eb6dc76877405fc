//! `clipper model import` and `clipper model list`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use crate::cli::{ImportArgs, ListArgs, Quantize};
use crate::model::{self, WeightType};

/// Converts a CTranslate2 Whisper model into a ggml file.
pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let weight_type = match args.quantize {
        Quantize::F16 => WeightType::F16,
        Quantize::Q8_0 => WeightType::Q8_0,
        Quantize::Q5_1 => WeightType::Q5_1,
    };
    let started = Instant::now();
    let report = model::import::import(
        &args.src,
        args.output.as_deref(),
        Path::new("models"),
        weight_type,
    )
    .with_context(|| format!("cannot import {}", args.src.display()))?;
    if args.json {
        super::out(serde_json::to_string_pretty(&report)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    super::out(format_args!(
        "wrote {} ({} {}, {}, {} tensors, {:.1} MB) in {:.1} s",
        report.output.display(),
        report.hparams.size_name(),
        if report.hparams.is_multilingual() {
            "multilingual"
        } else {
            "English-only"
        },
        report.weight_type.name(),
        report.tensors,
        report.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Lists the models clipper can find, the one it would use first.
pub fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let models = model::list_models(args.model.model.as_deref());
    if args.json {
        super::out(serde_json::to_string_pretty(&models)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if models.is_empty() {
        super::out(format_args!(
            "no models found; to install one, {}",
            model::INSTALL_HINT
        ))?;
        return Ok(ExitCode::SUCCESS);
    }
    super::out(format_args!(
        "{:<2}{:<44} {:<6} {:<13} {:<6} {:>9}  FOUND BY",
        "", "PATH", "TYPE", "LANGUAGE", "WEIGHTS", "SIZE"
    ))?;
    for (i, m) in models.iter().enumerate() {
        super::out(format_args!(
            "{:<2}{:<44} {:<6} {:<13} {:<6} {:>7.1}MB  {}",
            if i == 0 { "*" } else { "" },
            m.path.display(),
            m.size_name,
            if m.multilingual {
                "multilingual"
            } else {
                "English-only"
            },
            m.quantization,
            m.bytes as f64 / 1e6,
            m.source
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
