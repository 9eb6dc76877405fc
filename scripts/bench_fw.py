"""One faster-whisper transcription, run by scripts/bench.py in its own
process (with the benchmark venv's python) so that its wall time and peak RSS
are measured on their own.

Writes the transcript text to --out and, beside it, --out + ".json" with the
in-process timings and the library versions.
"""

import argparse
import json
import time

started = time.perf_counter()

import ctranslate2  # noqa: E402
import faster_whisper  # noqa: E402
from faster_whisper import BatchedInferencePipeline, WhisperModel  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True, help="CTranslate2 model folder")
    p.add_argument("--audio", required=True, help="16 kHz WAV")
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--compute-type", default="int8")
    p.add_argument("--batch", type=int, default=0,
                   help="run BatchedInferencePipeline with this batch size (0: sequential)")
    p.add_argument("--language", default="en")
    p.add_argument("--out", required=True, help="transcript text file")
    a = p.parse_args()

    imported = time.perf_counter()
    model = WhisperModel(
        a.model,
        device="cpu",
        compute_type=a.compute_type,
        cpu_threads=a.threads,
        num_workers=1,
        local_files_only=True,
    )
    loaded = time.perf_counter()
    if a.batch > 0:
        # The batched pipeline always segments with its own Silero VAD and
        # decodes without carried context; the mode its README recommends
        # for speed.
        pipeline = BatchedInferencePipeline(model=model)
        segments, info = pipeline.transcribe(
            a.audio, beam_size=a.beam, language=a.language, batch_size=a.batch
        )
    else:
        segments, info = model.transcribe(
            a.audio, beam_size=a.beam, language=a.language, vad_filter=False
        )
    # transcribe() is lazy: the work happens while the generator is consumed.
    texts = [s.text.strip() for s in segments]
    done = time.perf_counter()

    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
    with open(a.out + ".json", "w", encoding="utf-8") as f:
        json.dump(
            {
                "import_s": imported - started,
                "load_model_s": loaded - imported,
                "transcribe_s": done - loaded,
                "segments": len(texts),
                "audio_duration": info.duration,
                "faster_whisper": faster_whisper.__version__,
                "ctranslate2": ctranslate2.__version__,
                "compute_type": a.compute_type,
                "beam": a.beam,
                "batch": a.batch,
                "cpu_threads": a.threads,
            },
            f,
            indent=2,
        )


if __name__ == "__main__":
    main()
