// The native engine: runs the native CLI binary (examples/cli) with the same
// options, passing its output and exit status through.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Returns the path of the native CLI; LUNGLENS_NATIVE_CLI overrides
// build/native/examples/cli/lunglens.
export function nativeCliPath() {
  return process.env.LUNGLENS_NATIVE_CLI ?? path.join(repositoryRoot, 'build', 'native', 'examples', 'cli', 'lunglens');
}

export function nativeCliAvailable() {
  try {
    fs.accessSync(nativeCliPath(), fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// Runs `lunglens analyze` natively; returns its exit status.
export function runNative(options) {
  const args = ['analyze', ...options.paths, '--out', options.out];
  if (options.sample) args.push('--sample');
  if (options.series >= 0) args.push('--series', String(options.series));
  if (options.quiet) args.push('--quiet');
  if (options.generatedAt) args.push('--generated-at', options.generatedAt);

  const result = spawnSync(nativeCliPath(), args, { stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`lunglens: failed to run ${nativeCliPath()} (${result.error.message})\n`);
    return 1;
  }
  if (result.signal) {
    process.stderr.write(`lunglens: ${nativeCliPath()} was killed by ${result.signal}\n`);
    return 1;
  }
  return result.status;
}
