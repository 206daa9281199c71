#!/usr/bin/env bash
# Sets up (if needed), builds, and runs every test: the native doctest suite
# through CTest, then the Node tests of the WebAssembly module and the
# browser tests of the web app (which serve build/site).
# Real-data tests read $LUNGLENS_DATA (default ../shared/data) and skip with a
# message when it is absent.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

scripts/setup.sh
scripts/build.sh native wasm
scripts/build-web.sh

ctest --test-dir build/native --output-on-failure
node --test --test-concurrency=1 tests/node/ tests/browser/
