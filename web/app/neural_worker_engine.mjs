// Loads ONNX Runtime Web and the two neural engine models from this site, once
// per analysis worker, and creates the engine of ../neural/neural_engine.mjs.
// Imported with import() by the classic analysis worker, so importScripts is
// available here. Every file comes from the page's own origin.
//
// Two builds of the runtime are on the site. ort.wasm.min.js (14 MB of
// WebAssembly) runs the models on the CPU. ort.webgpu.min.js (27 MB, an
// asyncify build) also offers the WebGPU provider, and its WASM provider is
// slower, so it is loaded only when WebGPU will be tried.
import { createNeuralEngine } from '../neural/neural_engine.mjs';

// Site paths, relative to the site root (scripts/build-web.sh copies them).
export const neuralFiles = {
  runtime: 'vendor/onnxruntime-web/ort.wasm.min.js',
  webGpuRuntime: 'vendor/onnxruntime-web/ort.webgpu.min.js',
  runtimeFolder: 'vendor/onnxruntime-web/',
  lungModel: 'models/lung.onnx',
  lesionModel: 'models/lesion.onnx',
};

// WebGPU settings (the page's ?webgpu= parameter): 'auto' uses a hardware
// adapter when the browser offers one, 'off' never uses WebGPU, and 'any'
// also accepts a software adapter such as SwiftShader, which is much slower
// than the WASM provider and serves only to test the WebGPU path.
export const webGpuModes = ['auto', 'off', 'any'];

let loading = null;  // Promise of load()'s result, reset after a failure so a later run retries.

// Error whose message names the file that failed and what failed.
function fileError(file, what, cause) {
  return new Error(`${file}: ${what} (${cause && cause.message ? cause.message : cause})`);
}

async function fetchModel(siteRoot, file) {
  const url = new URL(file, siteRoot).href;
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw fileError(file, 'the model could not be downloaded', error);
  }
  if (!response.ok) throw fileError(file, 'the model could not be downloaded', `HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

function loadRuntime(siteRoot, runtime) {
  if (!self.ort) {
    try {
      importScripts(new URL(runtime, siteRoot).href);
    } catch (error) {
      const where = self.navigator?.onLine === false ? 'the browser is offline and the file is not cached yet'
        : 'the file is missing from the site or could not be fetched';
      throw fileError(runtime, `ONNX Runtime Web could not be loaded: ${where}`, error);
    }
  }
  // The .mjs and .wasm files come from this site, never from a CDN.
  self.ort.env.wasm.wasmPaths = new URL(neuralFiles.runtimeFolder, siteRoot).href;
  return self.ort;
}

// Returns true when the adapter is a software rasteriser (SwiftShader,
// llvmpipe, lavapipe, WARP) or the browser marks it as a fallback adapter.
function isSoftwareAdapter(adapter) {
  const info = adapter.info ?? {};
  if (info.isFallbackAdapter || adapter.isFallbackAdapter) return true;
  return /swiftshader|llvmpipe|lavapipe|microsoft basic render|\bwarp\b/i.test(
    `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`);
}

// Resolves to {tryWebGpu, reason}: whether to load the WebGPU runtime under
// `mode`, and else why not (null when mode is 'off').
async function webGpuChoice(mode) {
  if (mode === 'off') return { tryWebGpu: false, reason: null };
  // Under 'auto' a browser without WebGPU is the usual case, not worth a note.
  const quiet = (text) => ({ tryWebGpu: false, reason: mode === 'any' ? text : null });
  if (!self.navigator?.gpu) return quiet('this browser offers no WebGPU (navigator.gpu is missing)');
  let adapter = null;
  try {
    adapter = await navigator.gpu.requestAdapter();
  } catch (error) {
    return quiet(`requestAdapter failed: ${error && error.message ? error.message : error}`);
  }
  if (!adapter) return quiet('the browser offers no WebGPU adapter');
  if (mode === 'auto' && isSoftwareAdapter(adapter))
    return { tryWebGpu: false, reason: 'the only WebGPU adapter is a software one, slower than the WASM provider' };
  return { tryWebGpu: true, reason: null };
}

// Returns an ort whose InferenceSession.run first waits for one macrotask,
// so that a "cancelNeural" message reaches the worker between model runs. A
// plain await of run() only yields to microtasks when the WebAssembly backend
// computes synchronously.
function yieldingOrt(ort) {
  const nextTask = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
  const InferenceSession = {
    async create(...args) {
      const session = await ort.InferenceSession.create(...args);
      const run = session.run.bind(session);
      session.run = async (...runArgs) => {
        await nextTask();
        return run(...runArgs);
      };
      return session;
    },
  };
  return { env: ort.env, Tensor: ort.Tensor, InferenceSession };
}

// `offNote` is the webGpuNote when webGpuMode is 'off'.
async function load(workerUrl, webGpuMode, offNote = null) {
  const started = performance.now();
  const siteRoot = new URL('../', workerUrl);
  const [lungModel, lesionModel] = await Promise.all([
    fetchModel(siteRoot, neuralFiles.lungModel),
    fetchModel(siteRoot, neuralFiles.lesionModel),
  ]);

  // ONNX Runtime's threads need SharedArrayBuffer, so a page that is not
  // cross-origin isolated runs it on one thread.
  const threads = self.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
  const create = (ort, allowWebGpu) => createNeuralEngine({ ort: yieldingOrt(ort), lungModel, lesionModel, threads, allowWebGpu });
  const loaded = (engine, webGpuNote) => ({ engine, threads, loadSeconds: (performance.now() - started) / 1000, webGpuNote });

  const { tryWebGpu, reason } = await webGpuChoice(webGpuMode);
  let webGpuNote = reason ?? offNote;
  if (tryWebGpu) {
    // Any failure of the WebGPU runtime (its script, its WebAssembly fetched
    // later, or the WebGPU sessions) leads to the WASM runtime, which replaces
    // the global ort. The WebGPU runtime's own WASM provider is slower.
    try {
      const engine = await create(loadRuntime(siteRoot, neuralFiles.webGpuRuntime), true);
      if (engine.executionProvider === 'webgpu') return loaded(engine, null);
      webGpuNote = engine.webGpuError ?? 'the WebGPU runtime did not create WebGPU sessions';
      await engine.release();
    } catch (error) {
      // The runtime's own messages (such as "no available backend found") do not name its files.
      const text = error && error.message ? error.message : String(error);
      webGpuNote = text.includes(neuralFiles.webGpuRuntime) ? text
        : `the WebGPU runtime (${neuralFiles.webGpuRuntime} and its .asyncify files) failed: ${text}`;
    }
    self.ort = undefined;
  }

  const ort = loadRuntime(siteRoot, neuralFiles.runtime);
  try {
    return loaded(await create(ort, false), webGpuNote);
  } catch (error) {
    const model = { lung: neuralFiles.lungModel, lesion: neuralFiles.lesionModel }[error && error.model];
    throw fileError(model ?? `${neuralFiles.lungModel} and ${neuralFiles.lesionModel}`,
      'ONNX Runtime Web could not create the inference session', error);
  }
}

// Resolves to {engine, threads, loadSeconds, webGpuNote}: webGpuNote is why
// WebGPU is not used (null when it is, or when webGpuMode is 'off'). The
// runtime and models load on the first call only, with that call's
// webGpuMode ('auto' when not one of webGpuModes). loadSeconds is the time
// of that first load.
export function loadNeuralEngine(workerUrl, webGpuMode = 'auto') {
  if (!loading) {
    const mode = webGpuModes.includes(webGpuMode) ? webGpuMode : 'auto';
    loading = load(workerUrl, mode).catch((error) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

// Replaces `failedEngine`, a WebGPU engine whose run failed (for example
// after a driver reset lost the GPU device), with an engine on the WASM
// runtime for this and every later loadNeuralEngine call. Resolves to
// loadNeuralEngine's result, whose webGpuNote names the failure.
export function fallBackToWasm(workerUrl, failedEngine, cause) {
  // ONNX Runtime's messages span lines and name its source files, and the
  // browser's reason (such as "The Device was lost") comes last, so a long
  // message keeps its start and its end on one line.
  const text = String(cause && cause.message ? cause.message : cause).replace(/\s+/g, ' ').trim();
  const shortText = text.length > 300 ? `${text.slice(0, 100)} … ${text.slice(-200)}` : text;
  const note = `WebGPU failed during the analysis (${shortText}), so the analysis ran again on the WASM runtime`;
  loading = (async () => {
    try {
      await failedEngine.release();
    } catch (error) {
      // Sessions on a lost device may fail to release. The WASM runtime replaces them anyway.
      console.warn(`lunglens: releasing the failed WebGPU sessions failed: ${error && error.message ? error.message : error}`);
    }
    self.ort = undefined;
    return load(workerUrl, 'off', note);
  })().catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}
