// Entry point of the Node lunglens tool: parses the arguments, picks the
// engine and returns the exit status.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, UsageError, parseArguments } from './arguments.mjs';
import { nativeCliAvailable, runNative } from './native_engine.mjs';
import { runWasm } from './wasm_engine.mjs';

function packageVersion() {
  const packagePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
  return JSON.parse(fs.readFileSync(packagePath, 'utf8')).version;
}

// Returns the exit status: 0 success, 1 analysis failure, 2 usage error.
export async function main(argv) {
  let options;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`lunglens: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.command === 'version') {
    process.stdout.write(`lunglens ${packageVersion()}\n`);
    return 0;
  }

  let engine = options.engine;
  if (engine === 'auto') engine = nativeCliAvailable() ? 'native' : 'wasm';
  if (engine === 'native') {
    if (!nativeCliAvailable()) {
      process.stderr.write('lunglens: the native CLI is not built (run scripts/build.sh native) or not executable\n');
      return 1;
    }
    return runNative(options);
  }
  return runWasm(options);
}
