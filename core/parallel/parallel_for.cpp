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

int default_thread_count() {
#if LUNGLENS_HAS_THREADS
  const unsigned hardware = std::thread::hardware_concurrency();
  return hardware == 0 ? 1 : static_cast<int>(hardware);
#else
  return 1;
#endif
}

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
  const std::int64_t chunk = std::max<std::int64_t>(min_chunk, total / (threads * 32));
  std::atomic<std::int64_t> next{begin};
  std::exception_ptr first_error;
  std::mutex error_mutex;

  auto worker = [&]() {
    for (;;) {
      const std::int64_t chunk_begin = next.fetch_add(chunk);
      if (chunk_begin >= end) return;
      const std::int64_t chunk_end = std::min(end, chunk_begin + chunk);
      try {
        body(chunk_begin, chunk_end);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        next.store(end);
        return;
      }
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
