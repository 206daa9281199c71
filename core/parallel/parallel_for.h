// The one source of threads in the core. Stages never start threads of their
// own; they split work with parallel_for. Its helper threads are started on
// the first call and then wait for work (in WebAssembly they run on Web
// Workers prestarted by the Emscripten pthread pool). A parallel_for called
// from inside a body, or while another thread's call is using the helpers, runs
// on its calling thread alone. In a WebAssembly build without pthreads
// everything runs on the calling thread.
#pragma once

#include <cstdint>
#include <functional>

namespace lunglens {

// Returns the number of worker threads the pool uses (at least 1). By default
// it is std::thread::hardware_concurrency(), which Emscripten maps to
// navigator.hardwareConcurrency in a browser and to the CPU count in Node.
int thread_count();

// Sets the number of threads for later parallel_for calls; 0 restores the
// default. Values above the default are clamped to it.
void set_thread_count(int threads);

// Calls body(chunk_begin, chunk_end) over [begin, end) split into contiguous
// chunks, on up to thread_count() threads, and returns when all are done.
// Exceptions thrown by body are rethrown on the calling thread (the first one).
void parallel_for(std::int64_t begin, std::int64_t end,
                  const std::function<void(std::int64_t, std::int64_t)>& body,
                  std::int64_t min_chunk = 1);

// Calls body(v) for every index v in [0, size) in parallel, in chunks of at
// least 64 Ki indices: for element-wise passes over whole volumes.
template <class Body>
void for_each_voxel(std::size_t size, Body&& body) {
  parallel_for(0, static_cast<std::int64_t>(size), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t v = begin; v < end; ++v) body(v);
  }, std::int64_t{1} << 16);
}

}  // namespace lunglens
