#!/usr/bin/env bash
# README command 1: everything clipper needs on a fresh Debian 12 machine with
# Rust (system packages, release build, the Whisper model), then a demo run on
# samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_system_packages
build_release
ensure_model
target/release/clipper model list
for sample in samples/jfk.wav samples/sonnet.mp3; do
    say "clipper transcribe $sample"
    target/release/clipper transcribe "$sample"
done
