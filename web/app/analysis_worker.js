// Classic Web Worker that runs the whole lunglens pipeline off the page's main
// thread: it unpacks .zip archives, hands the files to the WebAssembly
// Session, scans, analyses and sends back the report plus copies of the
// volume and label arrays for the viewer.
//
// Classic rather than module worker because the Emscripten 3.1.6 glue is a
// classic script loaded with importScripts, and its pthread workers load it
// the same way.
//
// Protocol: every request is {id, type, ...}; every reply carries the same id
// and either {ok: true, ...} or {ok: false, error}. While "analyze" or
// "analyzeNeural" runs the worker also posts {id, type: 'progress', stage,
// done, total}. "cancelNeural" needs no id and gets no reply that matters.
'use strict';

const variant = self.crossOriginIsolated ? 'threads' : 'nothreads';
const wasmFolder = new URL('../wasm/', self.location.href).href;
const moduleScript = `${wasmFolder}lunglens-${variant}.js`;

importScripts(moduleScript, new URL('../vendor/fflate.js', self.location.href).href);

// mainScriptUrlOrBlob gives the pthread workers the module script's URL,
// because inside a classic worker Emscripten cannot take it from
// document.currentScript.
const modulePromise = createLunglensModule({
  locateFile: (file) => wasmFolder + file,
  mainScriptUrlOrBlob: moduleScript,
});

// Right after loading, the worker analyses a small phantom once (about 1 s),
// while the user picks files. The engine then runs the analysis functions as
// optimised code, which makes the first real analysis several seconds faster
// (see warmUp in wasm/lunglens_bindings.cpp). Requests that arrive meanwhile
// wait for it, because they await the module after this handler.
modulePromise.then((lunglens) => lunglens.warmUp());

let session = null;
let cancelFlag = null;  // Int32Array over a SharedArrayBuffer; element 0 set to 1 cancels.

// Engines that turn the loaded files into a report. "classical" is the
// C++ core (thresholds and morphology). Its contract:
// run(session, request, progress) -> {ok, seriesIndex, reportJson, diagnostics, timings}.
// The neural engine (neural_worker_engine.mjs) runs after it on the same
// Session, through the "analyzeNeural" request.
const engines = {
  classical: {
    run(activeSession, request, progress) {
      return activeSession.analyze(request.seriesIndex, request.generatedAt, progress);
    },
  },
};

let neuralModule = null;         // Promise of neural_worker_engine.mjs, imported on first use.
let neuralCancelRequested = false;

async function activeSession() {
  const lunglens = await modulePromise;
  if (!session) session = new lunglens.Session();
  return { lunglens, session };
}

function isZip(name, bytes) {
  const signature = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  return signature || /\.zip$/i.test(name);
}

// Adds one file, or every file inside a .zip archive. Returns the number of
// files added and the archives that could not be read.
function addInputFile(target, name, bytes, rejected) {
  if (!isZip(name, bytes)) {
    target.addFile(name, bytes);
    return 1;
  }

  let entries;
  try {
    entries = fflate.unzipSync(bytes, {
      // Skips folders and the resource forks macOS adds to archives.
      filter: (entry) => !entry.name.endsWith('/') && !entry.name.startsWith('__MACOSX/'),
    });
  } catch (error) {
    // A file that only starts like a ZIP archive may still be DICOM (its
    // 128-byte preamble is free), so the core gets to judge it.
    if (!/\.zip$/i.test(name)) {
      target.addFile(name, bytes);
      return 1;
    }
    rejected.push({ file: name, message: `the .zip archive could not be read (${error.message}); extract it and choose the folder instead` });
    return 0;
  }
  let added = 0;
  for (const [entryName, entryBytes] of Object.entries(entries)) {
    target.addFile(`${name}/${entryName}`, entryBytes);
    added += 1;
  }
  return added;
}

// Returns a progress callback that posts throttled progress messages and
// returns false once the page has set the shared cancel flag.
function progressReporter(id) {
  let lastStage = '';
  let lastPost = 0;
  return (stage, done, total) => {
    const now = performance.now();
    if (stage !== lastStage || done === total || now - lastPost > 50) {
      self.postMessage({ id, type: 'progress', stage, done, total });
      lastStage = stage;
      lastPost = now;
    }
    return !(cancelFlag && Atomics.load(cancelFlag, 0) === 1);
  };
}

// Copies the volume and labels out of the WebAssembly heap (the views are
// invalidated by the next call), so the page can keep them.
function volumeCopy(target) {
  if (!target.hasVolume()) return null;
  const copy = (view) => (view ? view.slice() : null);
  return {
    geometry: target.geometry(),
    voxelType: target.voxelType(),
    voxels: copy(target.voxels()),
    padding: copy(target.paddingMask()),
    lungs: copy(target.lungLabels()),
    lesions: copy(target.lesionLabels()),
  };
}

const handlers = {
  async init(request) {
    const { lunglens } = await activeSession();
    if (request.cancelBuffer) cancelFlag = new Int32Array(request.cancelBuffer);
    return { variant, version: lunglens.version(), hasThreads: lunglens.hasThreads(), threadCount: lunglens.threadCount() };
  },

  async addFiles(request) {
    const { session: target } = await activeSession();
    const rejected = [];
    let added = 0;
    for (const file of request.files) added += addInputFile(target, file.name, new Uint8Array(file.buffer), rejected);
    return { added, fileCount: target.fileCount(), rejected };
  },

  async addSample() {
    const { session: target } = await activeSession();
    const added = target.addSample();
    return { added, fileCount: target.fileCount(), rejected: [] };
  },

  async scan() {
    const { session: target } = await activeSession();
    return target.scan();
  },

  async analyze(request) {
    const { session: target } = await activeSession();
    const engine = engines[request.engine ?? 'classical'];
    if (!engine) throw new Error(`unknown engine "${request.engine}"`);
    if (cancelFlag) Atomics.store(cancelFlag, 0, 0);

    const result = engine.run(target, request, progressReporter(request.id));
    const volume = volumeCopy(target);
    const transfer = volume ? [volume.voxels, volume.padding, volume.lungs, volume.lesions].filter(Boolean).map((a) => a.buffer) : [];
    const reply = {
      analysisOk: result.ok,
      seriesIndex: result.seriesIndex,
      reportJson: result.reportJson,
      diagnostics: result.diagnostics,
      timings: result.timings,
      volume,
    };
    return { reply, transfer };
  },

  // Runs the neural engine on the volume of the last analysis. Loads ONNX
  // Runtime Web and both models on the first call. Replies {neuralOk,
  // cancelled, lungsFound, reportJson (both engines), diagnostics,
  // executionProvider, webGpuNote, threads, seconds, loadSeconds, lungs,
  // lesions}. request.webGpu is the WebGPU setting ('auto', 'off' or 'any').
  async analyzeNeural(request) {
    const { session: target } = await activeSession();
    if (!target.hasVolume()) throw new Error('no volume is loaded: the classical analysis must run first');
    // The shared flag keeps a cancel that came after the classical analysis
    // (analyze clears it); cancelNeural messages count from here on.
    neuralCancelRequested = false;

    if (!neuralModule) neuralModule = import('./neural_worker_engine.mjs');
    const { loadNeuralEngine, fallBackToWasm } = await neuralModule;
    let { engine, threads, loadSeconds, webGpuNote } = await loadNeuralEngine(self.location.href, request.webGpu);

    const report = progressReporter(request.id);
    const run = () => engine.analyzeSession(target, {
      onProgress: (done, total) => report('neural', done, total) && !neuralCancelRequested,
    });
    let result;
    try {
      result = await run();
    } catch (error) {
      if (engine.executionProvider !== 'webgpu') throw error;
      // A lost GPU device fails the WebGPU run, so the WASM engine computes every slice again.
      ({ engine, threads, loadSeconds, webGpuNote } = await fallBackToWasm(self.location.href, engine, error));
      console.warn(`lunglens: neural analysis ${request.id}: ${webGpuNote}`);
      result = await run();
    }
    const copy = (view) => (view ? view.slice() : null);
    const lungs = result.cancelled ? null : copy(target.neuralLungLabels());
    const lesions = result.cancelled ? null : copy(target.neuralLesionLabels());
    const reply = {
      neuralOk: result.ok,
      cancelled: result.cancelled,
      lungsFound: result.lungsFound ?? false,
      reportJson: result.reportJson ?? null,
      diagnostics: result.diagnostics ?? [],
      executionProvider: result.executionProvider,
      webGpuNote,
      threads,
      seconds: result.seconds,
      loadSeconds,
      lungs,
      lesions,
    };
    return { reply, transfer: [lungs, lesions].filter(Boolean).map((a) => a.buffer) };
  },

  async cancelNeural() {
    neuralCancelRequested = true;
    return {};
  },

  async masksNifti() {
    const { session: target } = await activeSession();
    const bytes = target.masksNifti();
    if (!bytes) throw new Error('no lung masks: run an analysis that finds the lungs first');
    return { reply: { bytes }, transfer: [bytes.buffer] };
  },

  async metadataJson(request) {
    const { session: target } = await activeSession();
    return { json: target.metadataJson(request.seriesIndex) };
  },

  async clearFiles() {
    const { session: target } = await activeSession();
    target.clearFiles();
    return { fileCount: 0 };
  },
};

self.onmessage = async (event) => {
  const request = event.data;
  const handler = handlers[request.type];
  if (!handler) {
    self.postMessage({ id: request.id, ok: false, error: `unknown request type "${request.type}"` });
    return;
  }
  try {
    const answer = await handler(request);
    if (answer && answer.reply) self.postMessage({ id: request.id, ok: true, ...answer.reply }, answer.transfer);
    else self.postMessage({ id: request.id, ok: true, ...answer });
  } catch (error) {
    self.postMessage({ id: request.id, ok: false, error: error && error.message ? error.message : String(error) });
  }
};
