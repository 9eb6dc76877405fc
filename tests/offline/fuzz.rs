//! Property test of the decoder front end: damaged copies of every sample
//! format (truncated, bit-flipped, random bytes behind a real header, pure
//! random bytes) must each give audio or a clear error, never a panic or a
//! hang. No model needed.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::common::sample;

/// A small deterministic generator (xorshift64*), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// The damaged variants of one file, each with a label for the report.
fn variants(name: &str, good: &[u8], rng: &mut Rng) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let n = good.len();
    for cut in [0, 1, 4, 12, 64, 300, 2048, n / 4, n / 2, n * 9 / 10, n - 1] {
        out.push((
            format!("{name} truncated to {cut} bytes"),
            good[..cut].to_vec(),
        ));
    }
    for round in 0..6 {
        let mut bad = good.to_vec();
        let flips = [1, 8, 64][round % 3];
        // Half the rounds hit the header, where parsers are most fragile.
        let span = if round < 3 { n.min(512) } else { n };
        for _ in 0..flips {
            let at = rng.below(span);
            bad[at] ^= 1 << rng.below(8);
        }
        out.push((
            format!("{name} with {flips} flipped bits (round {round})"),
            bad,
        ));
    }
    let header = n.min(256);
    let mut noise = good[..header].to_vec();
    noise.extend(rng.bytes(n.min(200_000) - header));
    out.push((format!("{name}'s header followed by random bytes"), noise));
    out
}

/// Decodes `bytes` as a file called `name` in a worker thread, giving up
/// after `limit`. Returns what happened, or None on a hang.
fn decode_bounded(dir: &Path, name: &str, bytes: Vec<u8>, limit: Duration) -> Option<String> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| {
            let mut n = 0usize;
            clipper::audio::stream_16k(&path, &mut |b| n += b.len()).map(|_| n)
        });
        let _ = tx.send(match outcome {
            Ok(Ok(n)) => format!("decoded {n} samples"),
            Ok(Err(e)) => format!("error: {e}"),
            Err(_) => "PANIC".to_string(),
        });
    });
    rx.recv_timeout(limit).ok()
}

#[test]
fn damaged_and_random_inputs_never_panic_or_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_c11b);
    let files = [
        "formats/lena.mp3",
        "formats/lena.aac",
        "formats/lena.m4a",
        "formats/lena.wav",
        "formats/lena-ulaw.aiff",
        "formats/lena.caf",
        "formats/lena.flac",
        "formats/lena.ogg",
        "formats/lena.opus",
        "formats/lena.webm",
        "formats/lena-vorbis.webm",
    ];
    let mut report = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        let good = std::fs::read(sample(f)).unwrap();
        let ext = Path::new(f)
            .extension()
            .unwrap()
            .to_string_lossy()
            .to_string();
        for (i, (label, bytes)) in variants(f, &good, &mut rng).into_iter().enumerate() {
            let name = format!("case-{i}.{ext}");
            match decode_bounded(tmp.path(), &name, bytes, Duration::from_secs(30)) {
                None => problems.push(format!("{label}: no answer within 30 s")),
                Some(r) if r == "PANIC" => problems.push(format!("{label}: panicked")),
                Some(r) if r.starts_with("error: ") && r.len() < 12 => {
                    problems.push(format!("{label}: an empty error message"))
                }
                Some(r) => report.push(format!("{label}: {r}")),
            }
        }
    }
    // Random bytes under every extension the season command picks up.
    for ext in [
        "mp3", "m4a", "wav", "flac", "ogg", "opus", "webm", "aiff", "caf",
    ] {
        let bytes = rng.bytes(50_000);
        let label = format!("50 kB of random bytes named .{ext}");
        match decode_bounded(
            tmp.path(),
            &format!("random.{ext}"),
            bytes,
            Duration::from_secs(30),
        ) {
            None => problems.push(format!("{label}: no answer within 30 s")),
            Some(r) if r == "PANIC" => problems.push(format!("{label}: panicked")),
            Some(r) => report.push(format!("{label}: {r}")),
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The 0-byte and pure-random cases must be refused, not "decoded".
    assert!(report
        .iter()
        .filter(|r| r.contains("truncated to 0 bytes"))
        .all(|r| r.contains("error: the file is empty")));
}
