// The WebAssembly engine: the threads variant of the module in this Node
// process, fed through a Session, writing the same files as the native CLI.
import fs from 'node:fs';
import path from 'node:path';
import { loadLunglens } from '../../wasm/node_loader.mjs';
import { listInputFiles, readInputFile } from './input_files.mjs';
import { createProgress } from './progress.mjs';

function formatDiagnostic(diagnostic) {
  return `${diagnostic.severity} [${diagnostic.code}] ${diagnostic.file ? `${diagnostic.file}: ` : ''}${diagnostic.message}`;
}

// Adds the input files one at a time, so Node keeps at most one file in
// memory and the WebAssembly heap has the only full copy. Returns the number added.
function addInputFiles(session, paths) {
  const { files, errors } = listInputFiles(paths);
  let added = 0;
  for (const file of files) {
    const bytes = readInputFile(file, errors);
    if (bytes === null) continue;
    session.addFile(file, bytes);
    ++added;
  }
  for (const error of errors) process.stderr.write(`error: ${error}\n`);
  return added;
}

// Returns the one-line summary of a complete report, e.g. "lungs 5751.4 mL
// (right 3158.3, left 2593.1), involvement 5.42 %, severity score 8/30".
function summary(reportJson) {
  const results = JSON.parse(reportJson).results;
  const both = results.both_lungs;
  return `lungs ${both.volume.value.toFixed(1)} mL (right ${results.right_lung.volume.value.toFixed(1)}, ` +
    `left ${results.left_lung.volume.value.toFixed(1)}), ` +
    `involvement ${(both.involvement.percent_of_lung?.value ?? 0).toFixed(2)} %, ` +
    `severity score ${both.severity_score.value}/30`;
}

// Writes the reports, masks.nii and the key images; returns the names written.
function writeOutputs(session, result, outputFolder) {
  fs.mkdirSync(outputFolder, { recursive: true });
  const written = [];
  const write = (name, data) => {
    fs.writeFileSync(path.join(outputFolder, name), data);
    written.push(name);
  };
  if (result.reportJson) {
    write('report.json', result.reportJson);
    write('report.html', result.reportHtml);
  }
  const masks = session.masksNifti();
  if (masks) write('masks.nii', masks);
  for (const image of session.keyImages()) write(image.name, image.png);
  return written;
}

// Runs the analysis; returns the exit status (0 success, 1 failure with a
// one-line reason as the last line on stderr).
export async function runWasm(options) {
  let lunglens;
  try {
    lunglens = await loadLunglens({ threads: true });
  } catch (error) {
    process.stderr.write(`lunglens: failed to load the WebAssembly module: ${error.message}\n`);
    return 1;
  }
  // About 1 s on a small phantom saves several seconds on a chest CT, because
  // the analysis then runs on optimised code (see warmUp in wasm/lunglens_bindings.cpp).
  lunglens.warmUp();

  const session = new lunglens.Session();
  try {
    if (!options.sample && addInputFiles(session, options.paths) === 0) {
      process.stderr.write(`lunglens: no readable files in ${options.paths.join(', ')} (empty folders?)\n`);
      return 1;
    }

    const progress = createProgress({ quiet: options.quiet });
    const onProgress = (stage, done, total) => progress.update(stage, done, total);
    const generatedAt = options.generatedAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const result = options.sample
      ? session.analyzeSample(generatedAt, onProgress)
      : session.analyze(options.series, generatedAt, onProgress);
    progress.finish();
    for (const diagnostic of result.diagnostics) {
      if (diagnostic.severity !== 'info') process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
    }

    let written;
    try {
      written = writeOutputs(session, result, options.out);
    } catch (error) {
      process.stderr.write(`lunglens: failed to write the outputs into ${options.out} (${error.message})\n`);
      return 1;
    }

    if (!result.ok) {
      const reason = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').at(-1);
      process.stderr.write(`lunglens: analysis failed: ${reason ? formatDiagnostic(reason) : 'no result (see the messages above)'}\n`);
      return 1;
    }
    process.stdout.write(`${summary(result.reportJson)}\n`);
    process.stdout.write(`wrote ${written.join(', ')} into ${options.out}\n`);
    return 0;
  } finally {
    session.delete();
  }
}
