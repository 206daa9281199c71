// Runs the lunglens lung and lesion models (models/lung/lung.onnx and
// models/lesion/lesion.onnx) with ONNX Runtime Web over a loaded series. The
// WebAssembly core does the preprocessing and post-processing, and this
// module only moves the batches and calls session.run. It works in Node and in a Web
// Worker: the caller passes the onnxruntime-web module and the model bytes, so
// this file imports nothing and makes no network request of its own.
//
// Node:   const ort = await import('onnxruntime-web');
// Worker: importScripts('<static path>/ort.webgpu.min.js'); const ort = self.ort;
//   const engine = await createNeuralEngine({ ort, lungModel, lesionModel });
//   const result = await engine.analyzeSession(session, { onProgress });

// Side of the square model grid, the same value as kNeuralGridSize in core/segment/neural_input.h.
export const NEURAL_GRID_SIZE = 256;
const GRID_PIXELS = NEURAL_GRID_SIZE * NEURAL_GRID_SIZE;

// Returns true when the page can use WebGPU. Node has no navigator.gpu, so there it returns false.
async function hasWebGpu() {
  if (typeof navigator === 'undefined' || !navigator.gpu) return false;
  try {
    return (await navigator.gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/**
 * Creates the two inference sessions once.
 * @param {object} options
 * @param {object} options.ort onnxruntime-web module.
 * @param {Uint8Array|ArrayBuffer} options.lungModel bytes of lung.onnx.
 * @param {Uint8Array|ArrayBuffer} options.lesionModel bytes of lesion.onnx.
 * @param {number} [options.threads] WASM threads; 0 lets onnxruntime-web choose.
 * @param {boolean} [options.allowWebGpu=true] use WebGPU when the browser offers it.
 * @returns {Promise<object>} {predict, analyzeSession, release, executionProvider, webGpuError}:
 *   executionProvider is the provider both sessions were created with ('webgpu' or 'wasm');
 *   webGpuError is the reason WebGPU was not used although the browser offered it, else null.
 */
export async function createNeuralEngine({ ort, lungModel, lesionModel, threads = 0, allowWebGpu = true }) {
  if (!ort || !ort.InferenceSession) throw new TypeError('createNeuralEngine: options.ort must be the onnxruntime-web module');
  if (!lungModel || !lesionModel) throw new TypeError('createNeuralEngine: lungModel and lesionModel bytes are required');

  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  const toBytes = (model) => (model instanceof Uint8Array ? model : new Uint8Array(model));
  // A failure names its model in error.model ('lung' or 'lesion'), so the caller can name the file.
  const createOne = async (model, bytes, sessionOptions) => {
    try {
      return await ort.InferenceSession.create(toBytes(bytes), sessionOptions);
    } catch (error) {
      const named = error instanceof Error ? error : new Error(String(error));
      named.model = model;
      throw named;
    }
  };
  const createBoth = async (executionProviders) => {
    const sessionOptions = { executionProviders, graphOptimizationLevel: 'all' };
    const lungSession = await createOne('lung', lungModel, sessionOptions);
    try {
      return [lungSession, await createOne('lesion', lesionModel, sessionOptions)];
    } catch (error) {
      await lungSession.release();
      throw error;
    }
  };

  // WebGPU is asked for on its own, so that a failure to create it shows as
  // a fallback to 'wasm' here instead of a silent fallback inside the runtime.
  // Operators that the WebGPU provider lacks still run on the CPU inside it.
  // The WebGPU path is tested in headless Chromium on SwiftShader, a software
  // adapter (tests/browser/neural_webgpu.test.mjs), not on a hardware GPU.
  let executionProvider = 'wasm';
  let webGpuError = null;
  let sessions = null;
  if (allowWebGpu && (await hasWebGpu())) {
    try {
      sessions = await createBoth(['webgpu']);
      executionProvider = 'webgpu';
    } catch (error) {
      webGpuError = String(error && error.message ? error.message : error);
    }
  }
  if (!sessions) sessions = await createBoth(['wasm']);
  const [lung, lesion] = sessions;

  // Runs both models on `input` (slices x 256 x 256 floats from Session.neuralInput).
  async function predict(input, slices) {
    if (input.length !== slices * GRID_PIXELS)
      throw new RangeError(`predict: expected ${slices * GRID_PIXELS} input values for ${slices} slices, got ${input.length}`);
    const tensor = new ort.Tensor('float32', input, [slices, 1, NEURAL_GRID_SIZE, NEURAL_GRID_SIZE]);
    const lungOutput = await lung.run({ [lung.inputNames[0]]: tensor });
    const lesionOutput = await lesion.run({ [lesion.inputNames[0]]: tensor });
    return {
      lung: lungOutput[lung.outputNames[0]].data,
      lesion: lesionOutput[lesion.outputNames[0]].data,
    };
  }

  /**
   * Runs both models over every slice of the volume of a lunglens Session on
   * which analyze() has run, then builds the neural masks and reports.
   * onProgress(done, total) may return false to cancel. The result then has
   * cancelled true and no report.
   * Returns finishNeural()'s {ok, lungsFound, reportJson, reportHtml,
   * diagnostics} plus cancelled, executionProvider and seconds
   * {preprocess, inference, postprocess}.
   */
  async function analyzeSession(session, { batchSize = 4, onProgress } = {}) {
    const geometry = session.geometry();
    if (!geometry) throw new Error('analyzeSession: the session has no volume, so run analyze() first');
    const slices = geometry.size[2];
    const seconds = { preprocess: 0, inference: 0, postprocess: 0 };
    const now = () => performance.now() / 1000;

    for (let first = 0; first < slices; first += batchSize) {
      const end = Math.min(first + batchSize, slices);
      let start = now();
      const input = session.neuralInput(first, end);
      seconds.preprocess += now() - start;

      start = now();
      const output = await predict(input, end - first);
      seconds.inference += now() - start;

      session.setNeuralOutput(first, output.lung, output.lesion);
      if (onProgress && onProgress(end, slices) === false)
        return { ok: false, cancelled: true, executionProvider, seconds };
    }

    const start = now();
    const result = session.finishNeural();
    seconds.postprocess = now() - start;
    return { ...result, cancelled: false, executionProvider, seconds };
  }

  async function release() {
    await lung.release();
    await lesion.release();
  }

  return { predict, analyzeSession, release, executionProvider, webGpuError };
}
