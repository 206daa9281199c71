// The lunglens web app: wires the file inputs, the analysis worker, the
// viewer, the report panel and the exports together. All processing happens
// in this page and its worker; nothing is sent anywhere.
import { element } from './dom.mjs';
import { EngineClient } from './engine_client.mjs';
import { filesFromDrop, filesFromInput } from './file_sources.mjs';
import { diagnosticList, patientLine, renderReport } from './report_panel.mjs';
import { Viewer, windowPresets } from './viewer.mjs';
import { exportDicomSeg, exportJson, exportNifti, printReport } from './exports.mjs';

const $ = (id) => document.getElementById(id);

// Files are sent to the worker in batches of about this many bytes, so the
// page never keeps a whole large folder in memory next to the worker's copy.
const batchBytes = 64 * 1024 * 1024;

// State shared with the tests and the exports (in-page only, never logged).
const app = {
  state: 'starting',
  engine: null,
  sources: [],        // Inputs added by the user: {kind: 'files', items: [{name, file}]} or {kind: 'sample'}.
  scan: null,
  analysis: null,     // Last reply of the worker's analyze; reportJson carries both engines once the neural engine ran.
  report: null,       // Parsed report JSON.
  neural: null,       // Last reply of the worker's analyzeNeural, or {error} when it failed.
  neuralRunning: false,
  volume: null,
  selectedSeries: -1,
};
window.lunglens = app;

const client = new EngineClient(new URL('analysis_worker.js', import.meta.url));
const viewer = new Viewer(
  { axial: $('view-axial'), coronal: $('view-coronal'), sagittal: $('view-sagittal') },
  { onCursor: showCursor, onWindow: showWindow },
);
app.viewer = viewer;

function setState(state) {
  app.state = state;
  document.body.dataset.state = state;
}

function showMessage(container, kind, ...content) {
  const message = element('div', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : undefined }, ...content);
  container.append(message);
  return message;
}

const cancelledText = 'Analysis cancelled. The files are still loaded; choose a series and analyse again.';

// Shows the note on a cancelled analysis, which the next analysis removes.
function showCancelled() {
  showMessage($('input-messages'), 'info', cancelledText).dataset.note = 'cancelled';
}

// ---- Engine start and restart ----

async function startEngine() {
  const info = await client.start();
  app.engine = info;
  const threads = info.hasThreads
    ? `with threads (${info.threadCount} threads; this page is cross-origin isolated)`
    : 'without threads (this page is not cross-origin isolated, so SharedArrayBuffer is unavailable)';
  $('engine-status').textContent = `Engine: lunglens ${info.version}, WebAssembly ${threads}.`;
  $('engine-status').dataset.variant = info.variant;
  $('version').textContent = `Version ${info.version}.`;
  return info;
}

// Starts a new worker and adds every source again (after a cancel that had
// to terminate the worker).
async function restartEngine() {
  await startEngine();
  for (const source of app.sources) await sendSource(source, () => {});
}

// ---- Input ----

function setStageProgress(stage, done, total) {
  const row = document.querySelector(`.stage[data-stage="${stage}"]`);
  if (!row) return;
  const bar = row.querySelector('progress');
  bar.max = Math.max(1, total);
  bar.value = done;
  row.querySelector('.count').textContent = total > 0 ? `${done} / ${total}` : '';
}

function resetProgress() {
  $('progress-section').hidden = false;
  for (const stage of ['reading', 'decoding', 'segmenting', 'quantifying', 'neural']) setStageProgress(stage, 0, 0);
  document.querySelector('.stage[data-stage="neural"]').hidden = !neuralEnabled();
}

// ---- Neural engine option (remembered in this browser's localStorage) ----

const neuralSetting = 'lunglens.neural';

function neuralEnabled() {
  return $('neural-enabled').checked;
}

function wireNeuralOption() {
  $('neural-enabled').checked = localStorage.getItem(neuralSetting) !== 'off';
  $('neural-enabled').addEventListener('change', (event) => {
    localStorage.setItem(neuralSetting, event.target.checked ? 'on' : 'off');
  });
}

// Reads the files of a source and sends them to the worker in batches.
// Returns the files the worker rejected (unreadable archives).
async function sendSource(source, onRead) {
  if (source.kind === 'sample') {
    await client.request({ type: 'addSample' });
    onRead(1, 1);
    return [];
  }
  const rejected = [];
  let batch = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const reply = await client.request({ type: 'addFiles', files: batch }, batch.map((f) => f.buffer));
    rejected.push(...reply.rejected);
    batch = [];
    bytes = 0;
  };
  for (const [index, item] of source.items.entries()) {
    try {
      const buffer = await item.file.arrayBuffer();
      batch.push({ name: item.name, buffer });
      bytes += buffer.byteLength;
    } catch (error) {
      rejected.push({ file: item.name, message: `could not be read (${error.message}); check that the file still exists and is readable` });
    }
    onRead(index + 1, source.items.length);
    if (bytes >= batchBytes) await flush();
  }
  await flush();
  return rejected;
}

// States in which new input or a new analysis must wait.
const busyStates = ['starting', 'reading', 'analyzing', 'cancelling', 'restarting'];

async function addSource(source) {
  if (busyStates.includes(app.state)) return;
  setState('reading');
  $('input-messages').replaceChildren();
  resetProgress();
  try {
    // New input replaces the loaded study, so the page never analyses files that
    // were loaded before. Files of one study that lie in several folders are
    // chosen together (their parent folder, or several files at once).
    if (app.sources.length > 0) await clearLoaded();
    const rejected = await sendSource(source, (done, total) => setStageProgress('reading', done, total));
    app.sources.push(source);
    $('clear-button').disabled = false;
    if (rejected.length > 0) {
      showMessage($('input-messages'), 'error', 'Some files could not be used:',
        diagnosticList(rejected.map((r) => ({ severity: 'error', file: r.file, message: r.message }))));
    }
    await scanFiles();
    // The core chooses the chest CT among the series of the input.
    if (app.scan.series.length > 0) await analyze(-1);
    else setState('idle');
  } catch (error) {
    showEngineError(error);
  }
}

function showEngineError(error) {
  setState('error');
  showMessage($('input-messages'), 'error', `The analysis engine failed: ${error.message}. Reload the page to start again.`);
}

// ---- Series list ----

function formatSpacing(series) {
  const [sx, sy] = series.geometry.spacingMm;
  return `${sx.toFixed(3)} × ${sy.toFixed(3)} × ${series.sliceStepMm.toFixed(2)}`;
}

async function scanFiles() {
  const scan = await client.request({ type: 'scan' });
  app.scan = scan;
  const fileCount = app.sources.reduce((sum, s) => sum + (s.kind === 'sample' ? 0 : s.items.length), 0);

  const problems = diagnosticList(scan.diagnostics);
  if (problems) showMessage($('input-messages'), scan.series.length === 0 ? 'error' : 'warning', 'Some files were skipped:', problems);
  if (scan.series.length === 0) {
    showMessage($('input-messages'), 'error',
      `No CT image series was found among the ${fileCount} file(s). Choose the folder that contains the CT slices (DICOM files), or a .zip of it.`);
    $('series-section').hidden = true;
    return;
  }

  const body = $('series-table').querySelector('tbody');
  body.replaceChildren(...scan.series.map((series) => {
    const radio = element('input', { type: 'radio', name: 'series', value: series.index, 'aria-label': `Use series ${series.index + 1}` });
    radio.addEventListener('change', () => { app.selectedSeries = series.index; });
    const notes = series.warnings.filter((w) => w.severity !== 'info').map((w) => w.message).join(' ');
    return element('tr', { 'data-series-index': series.index, 'data-series-uid': series.seriesInstanceUid },
      element('td', {}, radio),
      element('td', {}, series.description || '(no description)'),
      element('td', {}, series.modality),
      element('td', { class: 'slices' }, String(series.slices)),
      element('td', {}, `${series.geometry.size[0]} × ${series.geometry.size[1]}`),
      element('td', {}, formatSpacing(series)),
      element('td', { class: 'notes' }, notes));
  }));
  $('series-section').hidden = false;
}

function markSeries(index) {
  app.selectedSeries = index;
  for (const row of $('series-table').querySelectorAll('tbody tr')) {
    const rowIndex = Number(row.dataset.seriesIndex);
    row.classList.toggle('analysed', rowIndex === index);
    row.querySelector('input').checked = rowIndex === index;
  }
}

// ---- Analysis ----

// The core's scanning stage is quick and follows the reading of the files, so
// it has no bar of its own. Reporting is shown as the end of quantifying.
const stageBars = { decoding: 'decoding', segmenting: 'segmenting', quantifying: 'quantifying', reporting: 'quantifying', neural: 'neural' };

client.onProgress = ({ stage, done, total }) => {
  if (stageBars[stage]) setStageProgress(stageBars[stage], done, total);
};

async function analyze(seriesIndex) {
  if (busyStates.includes(app.state) && app.state !== 'reading') return;
  setState('analyzing');
  resetProgress();
  for (const note of $('input-messages').querySelectorAll('[data-note="cancelled"]')) note.remove();
  setStageProgress('reading', 1, 1);
  $('analyze-button').disabled = true;
  $('cancel-button').hidden = false;
  try {
    const reply = await client.request({ type: 'analyze', seriesIndex, generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
    app.analysis = reply;
    app.neural = null;
    const state = await showAnalysis(reply);
    const cancelled = state === 'idle';
    if (!cancelled && reply.volume && neuralEnabled()) await runNeural(reply);
    setState(state);
  } catch (error) {
    if (app.state === 'cancelling') {
      // Inputs stay blocked until the new worker has all files again.
      setState('restarting');
      $('viewer-section').hidden = true;
      $('report-section').hidden = true;
      try {
        await restartEngine();
        showCancelled();
        setState('idle');
      } catch (restartError) {
        showEngineError(restartError);
      }
    } else {
      showEngineError(error);
    }
  } finally {
    $('analyze-button').disabled = false;
    $('cancel-button').hidden = true;
  }
}

// Shows the classical engine's time per stage (seconds, from the worker).
function showTimings(timings) {
  const line = $('timing-status');
  const stages = ['scanning', 'decoding', 'segmenting', 'quantifying', 'reporting'].filter((stage) => timings?.[stage] !== undefined);
  line.hidden = stages.length === 0;
  if (line.hidden) return;
  const total = stages.reduce((sum, stage) => sum + timings[stage], 0);
  line.textContent = `Classical engine: ${total.toFixed(1)} s (` +
    stages.map((stage) => `${stage} ${timings[stage].toFixed(2)} s`).join(', ') + ').';
}

async function showAnalysis(reply) {
  markSeries(reply.seriesIndex);
  const errors = reply.diagnostics.filter((d) => d.severity === 'error');
  const cancelled = reply.diagnostics.some((d) => d.code === 'cancelled');
  if (cancelled) showCancelled();
  else if (!reply.analysisOk) showMessage($('input-messages'), 'error', 'The analysis did not complete:', diagnosticList(errors.length ? errors : reply.diagnostics, { includeInfo: true }));

  // A run without a volume or report (cancelled, or failed early) hides the
  // previous run's views and numbers, so they are never taken for this run's.
  app.report = reply.reportJson ? JSON.parse(reply.reportJson) : null;
  app.volume = reply.volume;
  $('viewer-section').hidden = !reply.volume;
  $('report-section').hidden = !app.report;
  if (reply.volume) viewer.setVolume(reply.volume);
  if (app.report) {
    app.redrawHistogram = renderReport($('report'), app.report);
    showPatient(app.report);
  }
  $('export-nifti').disabled = !reply.volume?.lungs;
  $('export-seg').disabled = !reply.volume?.lungs;
  showTimings(reply.timings);
  showNeuralStatus(null);
  $('overlay-engine').value = 'classical';
  $('overlay-engine').querySelector('option[value="neural"]').disabled = true;
  viewer.setOverlayEngine('classical');
  if (cancelled) return 'idle';
  return reply.analysisOk ? 'ready' : 'failed';
}

// ---- Neural engine ----

// Runs the neural engine on the volume the classical analysis left in the
// worker. Its failure or cancellation leaves the classical results standing.
async function runNeural(classical) {
  app.neuralRunning = true;
  setStageProgress('neural', 0, classical.volume.geometry.size[2]);
  showNeuralStatus('Neural engine: loading ONNX Runtime Web and the models, then running…');
  try {
    // ?webgpu=off or ?webgpu=any in the page address changes the WebGPU setting (default auto).
    const webGpu = new URLSearchParams(location.search).get('webgpu') ?? 'auto';
    const reply = await client.request({ type: 'analyzeNeural', webGpu });
    app.neural = reply;
    if (reply.cancelled) {
      showNeuralStatus('Neural engine: cancelled. The numbers and masks shown are the classical engine\'s.');
      return;
    }
    if (reply.reportJson) {
      app.analysis.reportJson = reply.reportJson;
      app.report = JSON.parse(reply.reportJson);
      app.redrawHistogram = renderReport($('report'), app.report);
    }
    if (reply.lungs) {
      viewer.setNeuralMasks(reply.lungs, reply.lesions);
      $('overlay-engine').querySelector('option[value="neural"]').disabled = false;
    }
    const seconds = reply.seconds.preprocess + reply.seconds.inference + reply.seconds.postprocess;
    const provider = reply.executionProvider === 'webgpu' ? 'WebGPU' : 'WebAssembly';
    const threads = reply.threads === 1 ? '1 thread' : `${reply.threads} threads`;
    const outcome = reply.neuralOk ? '' : ' It did not complete; see the neural engine findings in the report.';
    const webGpuNote = reply.executionProvider !== 'webgpu' && reply.webGpuNote ? ` WebGPU not used: ${reply.webGpuNote.replace(/\.$/, '')}.` : '';
    const providerText = reply.executionProvider === 'webgpu' ? provider : `${provider}, ${threads}`;
    showNeuralStatus(`Neural engine: ONNX Runtime Web, execution provider ${reply.executionProvider} (${providerText}), ` +
      `${seconds.toFixed(1)} s for the series (inference ${reply.seconds.inference.toFixed(1)} s), ` +
      `runtime and models loaded in ${reply.loadSeconds.toFixed(1)} s.${webGpuNote}${outcome}`, reply.executionProvider);
  } catch (error) {
    app.neural = { error: error.message };
    showNeuralStatus(null);
    showMessage($('input-messages'), 'error', `The neural engine did not run: ${error.message}. The classical results below stand.`);
  } finally {
    app.neuralRunning = false;
  }
}

function showNeuralStatus(text, executionProvider) {
  const status = $('neural-status');
  status.hidden = !text;
  status.textContent = text ?? '';
  if (executionProvider) status.dataset.executionProvider = executionProvider;
  else delete status.dataset.executionProvider;
}

// Shows the patient and the study of the report, in the page only.
function showPatient(report) {
  $('patient-line').textContent = patientLine(report.input.patient, report.input.study);
}

function cancelAnalysis() {
  if (app.state !== 'analyzing') return;
  if (app.neuralRunning) {
    client.cancelNeural();
    return;
  }
  const survives = client.cancel();
  if (!survives) setState('cancelling');
}

// ---- Viewer read-outs ----

function showCursor(info) {
  if (!info) {
    $('cursor-readout').textContent = 'Move the mouse over an image to read HU values.';
    return;
  }
  const [x, y, z] = info.positionMm.map((v) => v.toFixed(1));
  const hu = info.hu === null ? 'padding (outside the scan field)' : `${Math.round(info.hu)} HU`;
  const labels = ['', 'right lung', 'left lung', 'airway'];
  const lesions = ['', ', GGO', ', consolidation'];
  const where = labels[info.lungLabel] ? ` (${labels[info.lungLabel]}${lesions[info.lesionLabel] ?? ''})` : '';
  $('cursor-readout').textContent = `${hu}${where} at x ${x}, y ${y}, z ${z} mm (LPS); voxel ${info.index.map((i) => i + 1).join(', ')}`;
}

function showWindow(window) {
  $('window-value').textContent = `W${Math.round(window.width)} / L${Math.round(window.center)}`;
}

// ---- Wiring ----

// Forgets the loaded files and results, in the page and in the worker, and hides their sections.
function clearLoaded() {
  app.sources = [];
  app.scan = null;
  app.report = null;
  app.volume = null;
  $('series-section').hidden = true;
  $('viewer-section').hidden = true;
  $('report-section').hidden = true;
  $('input-messages').replaceChildren();
  $('clear-button').disabled = true;
  return client.request({ type: 'clearFiles' });
}

function clearAll() {
  if (busyStates.includes(app.state)) return;
  clearLoaded().catch(showEngineError);
  $('progress-section').hidden = true;
  setState('idle');
}

// Reports an input choice without files; the loaded study, if any, stays.
function showNoFiles(text) {
  if (busyStates.includes(app.state)) return;
  $('input-messages').replaceChildren();
  showMessage($('input-messages'), 'error', `${text} Choose the folder that contains the CT slices (DICOM files), or a .zip of it.`);
}

function wireInputs() {
  for (const id of ['folder-input', 'file-input']) {
    $(id).addEventListener('change', (event) => {
      const items = filesFromInput(event.target);
      event.target.value = '';
      if (items.length > 0) addSource({ kind: 'files', items });
      else showNoFiles(id === 'folder-input' ? 'The chosen folder contains no files.' : 'No file was chosen.');
    });
  }
  const zone = $('drop-zone');
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', async (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const items = await filesFromDrop(event.dataTransfer);
    if (items.length > 0) addSource({ kind: 'files', items });
    else showNoFiles('The dropped items contain no files (an empty folder?).');
  });
  $('sample-button').addEventListener('click', () => addSource({ kind: 'sample' }));
  $('clear-button').addEventListener('click', clearAll);
  $('analyze-button').addEventListener('click', () => analyze(app.selectedSeries));
  $('cancel-button').addEventListener('click', cancelAnalysis);
}

function wireViewer() {
  $('window-lung').addEventListener('click', () => viewer.setWindow(windowPresets.lung));
  $('window-mediastinal').addEventListener('click', () => viewer.setWindow(windowPresets.mediastinal));
  for (const name of ['rightLung', 'leftLung', 'groundGlass', 'consolidation']) {
    $(`overlay-${name}`).addEventListener('change', (event) => viewer.setOverlays({ [name]: event.target.checked }));
  }
  $('overlay-engine').addEventListener('change', (event) => viewer.setOverlayEngine(event.target.value));
  $('overlay-opacity').addEventListener('input', (event) => viewer.setOverlays({ opacity: Number(event.target.value) }));
  document.addEventListener('keydown', (event) => {
    // Arrow keys on a series radio button or a slider belong to that control.
    if (event.target instanceof HTMLInputElement && event.target.type !== 'checkbox') return;
    if (event.target instanceof HTMLSelectElement || event.target instanceof HTMLTextAreaElement) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (viewer.handleKey(event)) event.preventDefault();
  });
}

function wireExports() {
  const messages = $('export-messages');
  const run = (action) => async () => {
    messages.replaceChildren();
    try {
      await action();
    } catch (error) {
      showMessage(messages, 'error', `Export failed: ${error.message}`);
    }
  };
  $('export-json').addEventListener('click', run(() => exportJson(app)));
  $('export-print').addEventListener('click', run(() => printReport(app, viewer)));
  $('export-nifti').addEventListener('click', run(() => exportNifti(app, client)));
  $('export-seg').addEventListener('click', run(() => exportDicomSeg(app, client)));
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  try {
    await navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { scope: new URL('../', import.meta.url).pathname });
  } catch (error) {
    // Offline use is optional; the app works without the service worker.
    console.warn(`lunglens: the service worker was not registered (${error.message}); the app will not work offline`);
  }
}

wireInputs();
wireNeuralOption();
wireViewer();
wireExports();
setState('starting');
startEngine().then(() => setState('idle'), showEngineError);
registerServiceWorker();
