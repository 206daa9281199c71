// The C++ unit tests of the units whose WebAssembly code differs from the
// native code (SIMD intrinsics, musl strtod, Emscripten threads), run as
// WebAssembly programs in Node. tests/wasm/CMakeLists.txt builds them with
// each variant of the module.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildRoot = process.env.LUNGLENS_WASM_DIR ?? path.join(root, 'build');

for (const variant of ['threads', 'nothreads']) {
  test(`C++ unit tests in WebAssembly (${variant})`, () => {
    const program = path.join(buildRoot, `wasm-${variant}`, 'tests', 'wasm', 'lunglens_wasm_tests.js');
    assert.ok(fs.existsSync(program), `${program} not found: build it with scripts/build.sh wasm`);

    // Emscripten 3.1.6 glue would fetch() the .wasm file under Node 20 without this flag.
    const run = spawnSync(process.execPath, ['--no-experimental-fetch', program, '--no-colors'], {
      encoding: 'utf8',
      timeout: 300000,
    });
    const output = `${run.stdout}${run.stderr}`;
    const summary = output.split('\n').filter((line) => line.startsWith('[doctest] test cases')).join('\n');
    assert.equal(run.status, 0, `unit tests failed in WebAssembly (${variant}):\n${output.slice(-4000)}`);
    assert.match(summary, /test cases:\s+[1-9]\d* \|\s+[1-9]\d* passed \| 0 failed/);
  });
}
