#!/usr/bin/env bash
# README command 2: the set-up the tests need (idempotent), then formatting,
# lints and the whole test suite, which uses the real model in models/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_system_packages
ensure_rust_components
build_release
ensure_model
ensure_writer_server
say "cargo fmt --check"
cargo fmt --all --check
say "cargo clippy"
cargo clippy --locked --all-targets -- -D warnings
say "cargo test"
cargo test --release --locked
