// Collects the files the user chose: a file input (files or a folder) or a
// drag and drop of files and folders. Returns [{name, file}] where name is
// the path inside the chosen folder, so diagnostics name files the user can find.

export function filesFromInput(input) {
  return [...input.files].map((file) => ({ name: file.webkitRelativePath || file.name, file }));
}

function readAllEntries(directoryReader) {
  // readEntries returns at most about 100 entries per call, so it is called
  // until it returns an empty batch.
  return new Promise((resolve, reject) => {
    const entries = [];
    const readBatch = () => {
      directoryReader.readEntries((batch) => {
        if (batch.length === 0) {
          resolve(entries);
          return;
        }
        entries.push(...batch);
        readBatch();
      }, reject);
    };
    readBatch();
  });
}

function fileOfEntry(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function collectEntry(entry, prefix, output) {
  const name = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    output.push({ name, file: await fileOfEntry(entry) });
    return;
  }
  if (!entry.isDirectory) return;
  for (const child of await readAllEntries(entry.createReader())) await collectEntry(child, name, output);
}

// Walks the dropped items; folders are read recursively. Items are read
// synchronously first because DataTransfer items expire after the event.
export async function filesFromDrop(dataTransfer) {
  const entries = [];
  const plainFiles = [];
  for (const item of dataTransfer.items ?? []) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else plainFiles.push(item.getAsFile());
  }
  if (entries.length === 0 && plainFiles.length === 0) plainFiles.push(...(dataTransfer.files ?? []));

  const output = plainFiles.filter(Boolean).map((file) => ({ name: file.name, file }));
  for (const entry of entries) await collectEntry(entry, '', output);
  return output;
}
