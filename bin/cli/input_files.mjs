// Lists the files a user names on the command line as the native CLI does
// (examples/cli/file_input.cpp). Folders are walked recursively without
// following symbolic links to folders. Hidden files (names starting with '.')
// are skipped, and the result is sorted by path component.
import fs from 'node:fs';
import path from 'node:path';

// Compares two paths component by component, as std::filesystem::path does,
// so that "a/x" sorts before "a-b/x".
export function comparePaths(a, b) {
  const left = a.split('/');
  const right = b.split('/');
  for (let n = 0; n < Math.min(left.length, right.length); ++n) {
    if (left[n] !== right[n]) return left[n] < right[n] ? -1 : 1;
  }
  return left.length - right.length;
}

function joinPath(folder, name) {
  return folder.endsWith('/') ? folder + name : `${folder}/${name}`;
}

function walkFolder(folder, files, errors) {
  let entries;
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    errors.push(`${folder}: cannot list folder (${error.message})`);
    return;
  }
  for (const entry of entries) {
    const entryPath = joinPath(folder, entry.name);
    if (entry.isDirectory()) {
      walkFolder(entryPath, files, errors);
      continue;
    }
    let regular = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        regular = fs.statSync(entryPath).isFile();
      } catch (error) {
        errors.push(`${entryPath}: skipped (${error.message})`);
        continue;
      }
    }
    if (regular && !entry.name.startsWith('.')) files.push(entryPath);
  }
}

// Returns {files: [path], errors: [message]} for the given files and folders.
export function listInputFiles(paths) {
  const files = [];
  const errors = [];
  for (const inputPath of paths) {
    let stats;
    try {
      stats = fs.statSync(inputPath);
    } catch (error) {
      errors.push(`${inputPath}: not found${error.code === 'ENOENT' ? '' : ` (${error.message})`}`);
      continue;
    }
    if (stats.isDirectory()) walkFolder(inputPath, files, errors);
    else if (stats.isFile()) files.push(inputPath);
    else errors.push(`${inputPath}: not a regular file or folder`);
  }
  files.sort(comparePaths);
  return { files, errors };
}

// Returns the bytes of a file, or null after adding the reason to `errors`.
export function readInputFile(filePath, errors) {
  try {
    return fs.readFileSync(filePath);
  } catch (error) {
    errors.push(`${filePath}: cannot open for reading (${error.message})`);
    return null;
  }
}
