// Page-side client of the analysis worker: request/reply bookkeeping,
// progress events, cancellation and restart.
//
// Cancellation: on a cross-origin isolated page a SharedArrayBuffer flag lets
// the worker's progress callback return false, so the core stops at its next
// progress step and the loaded files stay in the worker. Elsewhere the worker
// is blocked inside the analysis and cannot read messages, so cancel()
// terminates it. The caller then starts a new one and adds the files again.
export class EngineClient {
  constructor(workerUrl) {
    this.workerUrl = workerUrl;
    this.worker = null;
    this.pending = new Map();
    this.nextId = 1;
    this.onProgress = () => {};
    this.cancelFlag = self.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
  }

  // Starts the worker; resolves to {variant, version, hasThreads, threadCount}.
  async start() {
    this.worker = new Worker(this.workerUrl);
    this.worker.onmessage = (event) => this.handleMessage(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(`the analysis worker failed to start: ${event.message || 'script error'} (${this.workerUrl})`);
    };
    return this.request({ type: 'init', cancelBuffer: this.cancelFlag?.buffer });
  }

  // Sends a request; resolves to the worker's reply, rejects with its error.
  request(message, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  handleMessage(message) {
    if (message.type === 'progress') {
      this.onProgress(message);
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.ok) waiter.resolve(message);
    else waiter.reject(new Error(message.error));
  }

  failAll(reason) {
    for (const waiter of this.pending.values()) waiter.reject(new Error(reason));
    this.pending.clear();
  }

  // Returns true when the worker survives the cancellation (shared flag), or
  // false when it had to be terminated and must be started again.
  cancel() {
    if (this.cancelFlag) {
      Atomics.store(this.cancelFlag, 0, 1);
      return true;
    }
    this.terminate('cancelled');
    return false;
  }

  // Stops a running neural analysis after its current batch of slices. The
  // worker reads the message between model runs, so this works on every page.
  cancelNeural() {
    if (this.cancelFlag) Atomics.store(this.cancelFlag, 0, 1);
    this.worker?.postMessage({ type: 'cancelNeural' });
  }

  terminate(reason = 'stopped') {
    this.worker?.terminate();
    this.worker = null;
    this.failAll(reason);
  }
}
