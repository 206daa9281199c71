// The embed example's script, kept out of index.html so the page also runs
// under a Content-Security-Policy without 'unsafe-inline' (web/serve.mjs
// sends one).
const output = document.getElementById('output');
const modulePromise = createLunglensModule().then((lunglens) => { output.textContent = 'Ready.'; return lunglens; });

async function analyze(files) {
  const lunglens = await modulePromise;
  const session = new lunglens.Session();
  try {
    for (const file of files) session.addFile(file.name, new Uint8Array(await file.arrayBuffer()));
    output.textContent = `Analysing ${files.length} files...`;
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));  // Paint before blocking.
    const result = session.analyze(-1, new Date().toISOString().replace(/\.\d+Z$/, 'Z'), undefined);
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    output.textContent = result.ok
      ? `Total severity score: ${JSON.parse(result.reportJson).results.both_lungs.severity_score.value} / 30`
      : `Analysis failed: ${errors.at(-1)?.message ?? 'no result'}`;
  } finally {
    session.delete();
  }
}

document.getElementById('files').addEventListener('change', (event) => analyze([...event.target.files]));
document.addEventListener('dragover', (event) => event.preventDefault());
document.addEventListener('drop', (event) => { event.preventDefault(); analyze([...event.dataTransfer.files]); });
