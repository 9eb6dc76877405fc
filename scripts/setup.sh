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
say "clipper transcribe samples/jfk.wav"
target/release/clipper transcribe samples/jfk.wav
say "clipper samples/demo-episode.mp3 (transcript, clips, drafts, review sheet)"
target/release/clipper samples/demo-episode.mp3
say "done: open samples/demo-episode.clipper/review.html in a browser"
