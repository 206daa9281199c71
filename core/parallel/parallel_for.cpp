#include "parallel/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
#define LUNGLENS_HAS_THREADS 1
#else
#define LUNGLENS_HAS_THREADS 0
#endif

namespace lunglens {
namespace {

std::atomic<int> requested_threads{0};

// Read once. Under Node, Emscripten implements hardware_concurrency() with
// os.cpus(), which reads the CPU list again on every call (0.14 s in total
// over one analysis of a 261-slice series, in a CPU profile).
int default_thread_count() {
#if LUNGLENS_HAS_THREADS
  static const int hardware = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, hardware);
#else
  return 1;
#endif
}

#if LUNGLENS_HAS_THREADS
// The range of one parallel_for call, handed out in chunks through `next`.
struct ChunkQueue {
  const std::function<void(std::int64_t, std::int64_t)>* body;
  std::atomic<std::int64_t> next;
  std::int64_t end;
  std::int64_t chunk;
};

// Calls body over chunks from the queue until the range is used up. With
// Emscripten's exceptions, every call made inside a try block goes through a
// JavaScript trampoline, and 64-bit arguments through a second one. So the
// try is around this function, which is kept out of line, has no objects to
// destroy and takes one pointer: its calls of body are then direct.
[[gnu::noinline]] void run_chunks(ChunkQueue* queue) {
  for (;;) {
    const std::int64_t chunk_begin = queue->next.fetch_add(queue->chunk);
    if (chunk_begin >= queue->end) return;
    (*queue->body)(chunk_begin, std::min(queue->end, chunk_begin + queue->chunk));
  }
}
#endif

}  // namespace

int thread_count() {
  const int fallback = default_thread_count();
  const int requested = requested_threads.load();
  return requested <= 0 ? fallback : std::min(requested, fallback);
}

void set_thread_count(int threads) { requested_threads.store(std::max(0, threads)); }

void parallel_for(std::int64_t begin, std::int64_t end,
                  const std::function<void(std::int64_t, std::int64_t)>& body,
                  std::int64_t min_chunk) {
  if (end <= begin) return;
  const std::int64_t total = end - begin;
  const std::int64_t max_tasks = std::max<std::int64_t>(1, total / std::max<std::int64_t>(1, min_chunk));
  const int threads = static_cast<int>(std::min<std::int64_t>(thread_count(), max_tasks));
  if (threads <= 1) {
    body(begin, end);
    return;
  }

#if LUNGLENS_HAS_THREADS
  // Work is handed out in chunks much smaller than total/threads, so that
  // uneven chunks (e.g. slices with more tissue) balance out. Many calls of
  // `body` also let a WebAssembly engine switch to optimised code during the
  // loop: V8 does so only from the next call of a function, never inside a running one.
  ChunkQueue queue{&body, begin, end, std::max<std::int64_t>(min_chunk, total / (threads * 32))};
  std::exception_ptr first_error;
  std::mutex error_mutex;

  auto worker = [&]() {
    try {
      run_chunks(&queue);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
      queue.next.store(end);
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (int t = 1; t < threads; ++t) {
    // Thread creation can fail (e.g. an exhausted WebAssembly worker pool);
    // the threads already started and the calling thread share the work anyway.
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error&) {
      break;
    }
  }
  worker();
  for (auto& thread : pool) thread.join();
  if (first_error) std::rethrow_exception(first_error);
#else
  body(begin, end);
#endif
}

}  // namespace lunglens
