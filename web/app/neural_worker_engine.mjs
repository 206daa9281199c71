// Loads ONNX Runtime Web and the two neural engine models from this site, once
// per analysis worker, and creates the engine of ../neural/neural_engine.mjs.
// Imported with import() by the classic analysis worker, so importScripts is
// available here. Every file comes from the page's own origin.
import { createNeuralEngine } from '../neural/neural_engine.mjs';

// Site paths, relative to the site root (scripts/build-web.sh copies them).
export const neuralFiles = {
  runtime: 'vendor/onnxruntime-web/ort.wasm.min.js',
  runtimeFolder: 'vendor/onnxruntime-web/',
  lungModel: 'models/lung.onnx',
  lesionModel: 'models/lesion.onnx',
};

let loading = null;  // Promise of {engine, threads, loadSeconds}, reset after a failure so a later run retries.

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

function loadRuntime(siteRoot) {
  if (!self.ort) {
    try {
      importScripts(new URL(neuralFiles.runtime, siteRoot).href);
    } catch (error) {
      throw fileError(neuralFiles.runtime, 'ONNX Runtime Web could not be loaded', error);
    }
  }
  // The .mjs and .wasm files come from this site, never from a CDN.
  self.ort.env.wasm.wasmPaths = new URL(neuralFiles.runtimeFolder, siteRoot).href;
  return self.ort;
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

async function load(workerUrl) {
  const started = performance.now();
  const siteRoot = new URL('../', workerUrl);
  const ort = loadRuntime(siteRoot);
  const [lungModel, lesionModel] = await Promise.all([
    fetchModel(siteRoot, neuralFiles.lungModel),
    fetchModel(siteRoot, neuralFiles.lesionModel),
  ]);

  // ONNX Runtime's threads need SharedArrayBuffer, so a page that is not
  // cross-origin isolated runs it on one thread.
  const threads = self.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
  let engine;
  try {
    // NOTE: only the WebAssembly build of ONNX Runtime Web is on the site, so
    // WebGPU is not offered (allowWebGpu false).
    engine = await createNeuralEngine({ ort: yieldingOrt(ort), lungModel, lesionModel, threads, allowWebGpu: false });
  } catch (error) {
    throw fileError(`${neuralFiles.lungModel} and ${neuralFiles.lesionModel}`, 'ONNX Runtime Web could not create the inference sessions', error);
  }
  return { engine, threads, loadSeconds: (performance.now() - started) / 1000 };
}

// Resolves to {engine, threads, loadSeconds}. The runtime and models load on
// the first call only; loadSeconds is that first load's time.
export function loadNeuralEngine(workerUrl) {
  if (!loading) {
    loading = load(workerUrl).catch((error) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}
