// Adds every file of a folder to a lunglens Session through one reused read
// buffer, so the JavaScript side keeps at most one file at a time and the
// WebAssembly heap contains the only full copy of the input.
import fs from 'node:fs';
import path from 'node:path';

// Returns {files, inputBytes}.
export function readIntoSession(session, folder) {
  const names = fs.readdirSync(folder).sort();
  const sizes = names.map((name) => fs.statSync(path.join(folder, name)).size);
  const buffer = Buffer.allocUnsafe(Math.max(1, ...sizes));
  let inputBytes = 0;
  names.forEach((name, index) => {
    const descriptor = fs.openSync(path.join(folder, name), 'r');
    try {
      const length = fs.readSync(descriptor, buffer, 0, sizes[index], 0);
      session.addFile(name, buffer.subarray(0, length));
      inputBytes += length;
    } finally {
      fs.closeSync(descriptor);
    }
  });
  return { files: names.length, inputBytes };
}
