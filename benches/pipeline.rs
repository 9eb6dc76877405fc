//! criterion benchmarks, one group per pipeline stage: decode, resample,
//! chunk planning, Whisper on one 30 s chunk, and a whole episode end to end
//! (MP3 in, every output written), plus the speaker encoder on a batch of
//! windows. Throughput is reported in
//! seconds of audio per second (`Throughput::Elements` counts audio
//! milliseconds). Run with `cargo bench`; the transcription group needs the
//! model that `./scripts/setup.sh` installs.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use clipper::audio::resample::Resampler16k;
use clipper::transcribe::plan::{plan, EnergyTrack, PlanConfig};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn audio_ms(samples: usize, rate: usize) -> Throughput {
    Throughput::Elements((samples * 1000 / rate) as u64)
}

fn decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode");
    for name in [
        "sonnet.mp3",
        "sonnet.wav",
        "formats/sonnet.opus",
        "formats/sonnet.m4a",
    ] {
        let path = sample(name);
        let n = clipper::audio::load_16k(&path).unwrap().samples.len();
        g.throughput(audio_ms(n, 16_000));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut count = 0usize;
                clipper::audio::stream_16k(black_box(&path), &mut |blk| count += blk.len())
                    .unwrap();
                count
            })
        });
    }
    g.finish();
}

fn resample(c: &mut Criterion) {
    let mut g = c.benchmark_group("resample");
    for rate in [44_100u32, 48_000, 8_000] {
        let n = rate as usize * 60;
        let x: Vec<f32> = (0..n).map(|i| ((i as f32) * 0.031).sin() * 0.3).collect();
        g.throughput(audio_ms(n, rate as usize));
        g.bench_function(format!("{rate}_to_16000_60s"), |b| {
            b.iter(|| {
                let mut r = Resampler16k::new(rate).unwrap();
                let mut count = 0usize;
                for block in black_box(&x).chunks(1152) {
                    r.push(block, &mut |s| count += s.len());
                }
                r.finish(&mut |s| count += s.len());
                count
            })
        });
    }
    g.finish();
}

fn chunk_planning(c: &mut Criterion) {
    // ten minutes of real speech: the sonnet and jfk, repeated
    let mut speech = clipper::audio::load_16k(&sample("sonnet.wav"))
        .unwrap()
        .samples;
    speech.extend(
        clipper::audio::load_16k(&sample("jfk.wav"))
            .unwrap()
            .samples,
    );
    let mut x = Vec::new();
    while x.len() < 16_000 * 600 {
        x.extend_from_slice(&speech);
    }
    let mut g = c.benchmark_group("chunk_planning");
    g.throughput(audio_ms(x.len(), 16_000));
    g.bench_function("energy_track_10min", |b| {
        b.iter(|| EnergyTrack::from_samples(black_box(&x)))
    });
    let track = EnergyTrack::from_samples(&x);
    g.bench_function("plan_10min", |b| {
        b.iter(|| plan(black_box(&track), &PlanConfig::default()))
    });
    g.finish();
}

fn transcription(c: &mut Criterion) {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ggml-tiny.en.bin");
    let info = clipper::model::ModelInfo::read(&model, "bench").unwrap_or_else(|e| {
        panic!("{e}: run ./scripts/setup.sh first, the transcription bench needs the real model")
    });
    let engine = clipper::transcribe::Engine::load(&info).unwrap();
    let sonnet = clipper::audio::load_16k(&sample("sonnet.wav"))
        .unwrap()
        .samples;
    let chunk = &sonnet[..16_000 * 30];
    let mut g = c.benchmark_group("transcription");
    g.sample_size(10);
    g.throughput(audio_ms(chunk.len(), 16_000));
    for (jobs, threads) in [(1, 1), (1, 2)] {
        let settings = clipper::transcribe::Settings {
            jobs,
            threads,
            ..Default::default()
        };
        g.bench_function(format!("chunk_30s_{threads}_threads"), |b| {
            b.iter(|| {
                engine
                    .transcribe_samples(black_box(chunk), &settings)
                    .unwrap()
            })
        });
    }
    g.finish();
}

/// The speaker encoder (GE2E, three LSTM layers) on one batch of 32
/// windows of 1.6 s, as diarization runs it; throughput counts windows.
fn speaker_encoder(c: &mut Criterion) {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/speaker-encoder.bin");
    let encoder = clipper::speakers::Encoder::load(&model).unwrap_or_else(|e| {
        panic!("{e}: run ./scripts/setup.sh first, the speaker bench needs the speaker model")
    });
    let sonnet = clipper::audio::load_16k(&sample("sonnet.wav"))
        .unwrap()
        .samples;
    let mel = clipper::speakers::mel::mel_frames(&sonnet[..16_000 * 30]);
    let windows: Vec<&[[f32; 40]]> = (0..32).map(|i| &mel[i * 80..i * 80 + 160]).collect();
    let mut g = c.benchmark_group("speakers");
    g.sample_size(10);
    g.throughput(Throughput::Elements(windows.len() as u64));
    g.bench_function("embed_32_windows", |b| {
        b.iter(|| encoder.embed(black_box(&windows)))
    });
    g.finish();
}

/// A whole episode as `clipper episode.mp3` does it: decode, transcribe,
/// clips, drafts, clip media, review sheet, decisions, into a fresh folder
/// each time (so the resume cache never kicks in).
fn end_to_end(c: &mut Criterion) {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ggml-tiny.en.bin");
    let info = clipper::model::ModelInfo::read(&model, "bench").unwrap_or_else(|e| {
        panic!("{e}: run ./scripts/setup.sh first, the end-to-end bench needs the real model")
    });
    let engine = clipper::transcribe::Engine::load(&info).unwrap();
    let mut g = c.benchmark_group("end_to_end");
    g.sample_size(10);
    for name in ["sonnet.mp3", "jfk.mp3"] {
        let input = sample(name);
        let seconds = clipper::audio::load_16k(&input).unwrap().duration_s();
        g.throughput(Throughput::Elements((seconds * 1000.0) as u64));
        g.bench_function(format!("episode_{name}"), |b| {
            b.iter(|| {
                let out = tempfile::tempdir().unwrap();
                let opts = clipper::episode::EpisodeOptions {
                    output: Some(out.path().join("out.clipper")),
                    ..Default::default()
                };
                let stop = std::sync::atomic::AtomicBool::new(false);
                clipper::episode::process_episode(
                    &engine,
                    &input,
                    &opts,
                    &clipper::transcribe::NoProgress,
                    &stop,
                )
                .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    decode,
    resample,
    chunk_planning,
    transcription,
    speaker_encoder,
    end_to_end
);
criterion_main!(benches);
