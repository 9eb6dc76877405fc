#!/usr/bin/env bash
# Whole-process benchmark: clipper end to end, clipper's whisper-cli baseline
# and faster-whisper, side by side on the same >= 10-minute speech file built
# from samples/, same model, 2 threads. Prints wall time, real-time factor,
# peak RSS and WER for each, and the ratios; writes target/bench/report.md.
#
#   ./scripts/bench.sh                 # the full run (10 minutes of audio)
#   ./scripts/bench.sh --quick         # a ~2-minute smoke run
#   ./scripts/bench.sh --minutes 20 --rounds 3
#   ./scripts/bench.sh --help          # every option (scripts/bench.py)
#
# Installs what is missing first: the set-up of scripts/setup.sh, ffmpeg
# (Debian package) and faster-whisper (pip, into target/bench-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

BENCH_VENV="target/bench-venv"

ensure_ffmpeg() {
    command -v ffmpeg >/dev/null || apt_install ffmpeg
}

# A virtual environment with faster-whisper, made once.
ensure_faster_whisper() {
    if [ ! -x "$BENCH_VENV/bin/python" ]; then
        say "creating $BENCH_VENV"
        if ! python3 -m venv "$BENCH_VENV"; then
            rm -rf "$BENCH_VENV"
            # Debian's python3 needs python3-venv (ensurepip) for this.
            apt_install python3-venv
            python3 -m venv "$BENCH_VENV"
        fi
    fi
    if ! "$BENCH_VENV/bin/python" -c "import faster_whisper" >/dev/null 2>&1; then
        say "installing faster-whisper into $BENCH_VENV"
        "$BENCH_VENV/bin/python" -m pip install --quiet --upgrade pip
        "$BENCH_VENV/bin/python" -m pip install --quiet faster-whisper
    fi
}

case " $* " in
    *" -h "* | *" --help "*) exec python3 scripts/bench.py --help ;;
esac

ensure_system_packages
build_release
ensure_model
ensure_ffmpeg
ensure_faster_whisper

BENCH_COMMAND="./scripts/bench.sh"
for arg in "$@"; do BENCH_COMMAND+=" $(printf %q "$arg")"; done
export BENCH_COMMAND
exec python3 scripts/bench.py --venv "$BENCH_VENV" "$@"
