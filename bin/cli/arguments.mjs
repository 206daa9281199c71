// Command-line arguments of the Node lunglens tool.

export const USAGE = `usage: lunglens analyze [PATH...] [--sample] [--out DIR] [--series N] [--engine wasm|native|auto]
                        [--quiet] [--generated-at TIME]
       lunglens --help | --version

Analyses a chest CT given as DICOM files or folders (searched recursively;
hidden files are skipped) and writes into --out DIR: report.json, report.html,
masks.nii (labels 1 right lung, 2 left lung, 3 airway, 4 GGO,
5 consolidation) and the key images key-axial-{upper,middle,lower}.png and
key-coronal.png.

options:
  --sample             analyse the built-in synthetic chest phantom instead of PATHs
                       (the native engine writes it as DICOM files and reads them
                       back; the wasm engine analyses the phantom volume directly,
                       with the same results but no DICOM findings in the report)
  --out DIR            output folder (default lunglens-out), created when missing
  --series N           series index from 'lunglens series' (native CLI); default: the chest CT
  --engine ENGINE      wasm: the WebAssembly module (threads variant) in this process;
                       native: build/native/examples/cli/lunglens;
                       auto (default): native when that binary is built, because it is
                       faster (WebAssembly took 1.3x the native time in
                       docs/benchmarks.md), otherwise wasm
  --quiet              no progress output on stderr
  --generated-at TIME  RFC 3339 time written into the report (default: now, UTC)
  --help               print this help
  --version            print the version

Progress goes to stderr: a bar when stderr is a terminal, one line per stage otherwise.
Exit status: 0 success, 1 the input could not be analysed (the last line on
stderr gives the reason), 2 usage error.`;

export const ENGINES = ['wasm', 'native', 'auto'];

export class UsageError extends Error {}

// Returns {command: 'help' | 'version' | 'analyze', paths, sample, out,
// series (-1: the core chooses), engine, quiet, generatedAt (null: now)}.
// Throws UsageError on misuse.
export function parseArguments(argv) {
  const options = {
    command: 'analyze', paths: [], sample: false, out: 'lunglens-out', series: -1,
    engine: 'auto', quiet: false, generatedAt: null,
  };
  if (argv.length === 0) throw new UsageError('missing command');
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return { ...options, command: 'help' };
  if (command === '--version') return { ...options, command: 'version' };
  if (command !== 'analyze') throw new UsageError(`unknown command '${command}' (expected analyze)`);

  for (let a = 0; a < rest.length; ++a) {
    const option = rest[a];
    const value = () => {
      if (a + 1 >= rest.length) throw new UsageError(`${option} needs a value`);
      if (rest[a + 1].startsWith('--')) throw new UsageError(`${option} needs a value, not the option ${rest[a + 1]}`);
      return rest[++a];
    };
    if (option === '--help' || option === '-h') return { ...options, command: 'help' };
    if (option === '--sample') options.sample = true;
    else if (option === '--quiet') options.quiet = true;
    else if (option === '--out') options.out = value();
    else if (option === '--generated-at') options.generatedAt = value();
    else if (option === '--series') {
      const text = value();
      if (!/^\d+$/.test(text) || Number(text) > 2147483647) {
        throw new UsageError(`--series expects a non-negative integer, got '${text}'`);
      }
      options.series = Number(text);
    } else if (option === '--engine') {
      options.engine = value();
      if (!ENGINES.includes(options.engine)) {
        throw new UsageError(`--engine expects wasm, native or auto, got '${options.engine}'`);
      }
    } else if (option.startsWith('--')) {
      throw new UsageError(`unknown option ${option}`);
    } else {
      options.paths.push(option);
    }
  }

  if (options.sample && options.paths.length > 0) throw new UsageError('give either --sample or input paths, not both');
  if (!options.sample && options.paths.length === 0) throw new UsageError('no input files or folders given (or --sample)');
  return options;
}
