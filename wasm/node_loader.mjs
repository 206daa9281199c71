// Loads the lunglens WebAssembly module in Node.
//
// Emscripten 3.1.6 glue calls fetch() on the .wasm path under Node 20, which
// fails, so the binary is read here and passed as wasmBinary.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Returns the folder holding lunglens-<variant>.{js,wasm}; LUNGLENS_WASM_DIR
// overrides the default build/wasm-<variant>/wasm.
export function wasmBuildFolder(threads) {
  const variant = threads ? 'threads' : 'nothreads';
  const root = process.env.LUNGLENS_WASM_DIR ?? path.join(repositoryRoot, 'build');
  return path.join(root, `wasm-${variant}`, 'wasm');
}

// Instantiates the module. `threads` picks the pthreads build (true) or the
// single-threaded one (false). Resolves to the Emscripten module object.
export async function loadLunglens({ threads = true } = {}) {
  const folder = wasmBuildFolder(threads);
  const name = threads ? 'lunglens-threads' : 'lunglens-nothreads';
  const script = path.join(folder, `${name}.js`);
  if (!fs.existsSync(script)) {
    throw new Error(`${script} not found: build the WebAssembly module first (scripts/build.sh)`);
  }
  const require = createRequire(import.meta.url);
  const createModule = require(script);
  const lunglens = await createModule({
    wasmBinary: fs.readFileSync(path.join(folder, `${name}.wasm`)),
    locateFile: (file) => path.join(folder, file),
  });

  // The pthread pool's worker_threads would keep Node running after the
  // caller is done; unreferenced, they let the process exit on its own.
  // The pool is fixed in size (PTHREAD_POOL_SIZE_STRICT=2), so these are all
  // the workers the module will ever use.
  if (threads && lunglens.PThread) {
    for (const worker of [...lunglens.PThread.unusedWorkers, ...lunglens.PThread.runningWorkers]) worker.unref?.();
  }
  return lunglens;
}
