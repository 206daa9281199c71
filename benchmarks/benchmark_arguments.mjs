// Command-line arguments shared by the benchmarks: [FOLDER] [--repeat N].
// FOLDER defaults to $LUNGLENS_DATA/ct/LIDC-IDRI-0002, with LUNGLENS_DATA
// defaulting to ../shared/data beside the repository.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Returns {folder, repeat}; exits with a message when the folder is missing.
export function parseBenchmarkArguments(scriptName, argv = process.argv.slice(2)) {
  const args = [...argv];
  let repeat = 3;
  const repeatAt = args.indexOf('--repeat');
  if (repeatAt >= 0) {
    repeat = Number(args[repeatAt + 1]);
    args.splice(repeatAt, 2);
    if (!Number.isInteger(repeat) || repeat < 1) {
      console.error(`${scriptName}: --repeat expects a positive integer`);
      process.exit(2);
    }
  }
  const dataRoot = process.env.LUNGLENS_DATA ?? path.resolve(repositoryRoot, '..', 'shared', 'data');
  const folder = args[0] ?? path.join(dataRoot, 'ct', 'LIDC-IDRI-0002');
  if (!fs.existsSync(folder)) {
    console.error(`${scriptName}: ${folder} not found (set LUNGLENS_DATA or pass a folder)`);
    process.exit(1);
  }
  return { folder, repeat };
}
