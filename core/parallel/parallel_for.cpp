#include "parallel/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
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
// One parallel_for call: its range, handed out in chunks through `next`,
// and the first exception a chunk threw.
struct Job {
  const std::function<void(std::int64_t, std::int64_t)>* body = nullptr;
  std::atomic<std::int64_t> next{0};
  std::int64_t end = 0;
  std::int64_t chunk = 1;
  std::mutex error_mutex;
  std::exception_ptr first_error;
};

// Calls body over chunks of the job until the range is used up. With
// Emscripten's exceptions, every call made inside a try block goes through a
// JavaScript trampoline, and 64-bit arguments through a second one. So the
// try is around this function, which is kept out of line, has no objects to
// destroy and takes one pointer: its calls of body are then direct.
[[gnu::noinline]] void run_chunks(Job* job) {
  for (;;) {
    const std::int64_t chunk_begin = job->next.fetch_add(job->chunk);
    if (chunk_begin >= job->end) return;
    (*job->body)(chunk_begin, std::min(job->end, chunk_begin + job->chunk));
  }
}

// Runs chunks of the job, and records the first exception and stops the job
// when one throws.
void work_on(Job& job) {
  try {
    run_chunks(&job);
  } catch (...) {
    const std::lock_guard<std::mutex> lock(job.error_mutex);
    if (!job.first_error) job.first_error = std::current_exception();
    job.next.store(job.end);
  }
}

// True on pool threads, and on a caller while its job runs. A parallel_for
// called from inside a body then runs on the calling thread alone.
thread_local bool inside_job = false;

// Helper threads, started on first use and then waiting for jobs. Starting
// threads for every call costs little natively, but in WebAssembly each start
// is a message to a Web Worker (66 ms of postMessage over one analysis of a
// 261-slice series, in a CPU profile). One job runs at a time, and its
// caller works on it too.
class ThreadPool {
 public:
  ~ThreadPool() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

  // Runs `job` on the caller and up to `helpers` pool threads. Returns
  // false, without running anything, when another thread's job is using the pool.
  bool run(Job& job, int helpers) {
    std::unique_lock<std::mutex> job_lock(job_mutex_, std::try_to_lock);
    if (!job_lock.owns_lock()) return false;
    start_threads(helpers);

    std::unique_lock<std::mutex> lock(mutex_);
    job_ = &job;
    helpers_used_ = std::min(helpers, static_cast<int>(threads_.size()));
    helpers_running_ = helpers_used_;
    ++generation_;
    lock.unlock();
    wake_.notify_all();

    inside_job = true;
    work_on(job);
    inside_job = false;

    lock.lock();
    done_.wait(lock, [this] { return helpers_running_ == 0; });
    job_ = nullptr;
    return true;
  }

 private:
  // Starts pool threads up to `count`. A failed start (for example an
  // exhausted WebAssembly worker pool) leaves the pool smaller.
  void start_threads(int count) {
    while (static_cast<int>(threads_.size()) < count && !start_failed_) {
      const int index = static_cast<int>(threads_.size());
      try {
        threads_.emplace_back([this, index] { helper_loop(index); });
      } catch (const std::system_error&) {
        start_failed_ = true;
      }
    }
  }

  // Waits for each new job and works on it when `index` is among the helpers it uses.
  void helper_loop(int index) {
    inside_job = true;
    std::uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      if (index >= helpers_used_) continue;
      Job* job = job_;
      lock.unlock();
      work_on(*job);
      lock.lock();
      if (--helpers_running_ == 0) done_.notify_one();
    }
  }

  std::mutex job_mutex_;  // Held by the caller for the whole job.
  std::mutex mutex_;      // Guards the fields below.
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> threads_;
  Job* job_ = nullptr;
  int helpers_used_ = 0;
  int helpers_running_ = 0;
  std::uint64_t generation_ = 0;
  bool stopping_ = false;
  bool start_failed_ = false;
};

ThreadPool& pool() {
  static ThreadPool instance;
  return instance;
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

#if LUNGLENS_HAS_THREADS
  if (threads > 1 && !inside_job) {
    // Work is handed out in chunks much smaller than total/threads, so that
    // uneven chunks (e.g. slices with more tissue) balance out. Many calls of
    // `body` also let a WebAssembly engine switch to optimised code during the
    // loop: V8 does so only from the next call of a function, never inside a running one.
    Job job;
    job.body = &body;
    job.next.store(begin);
    job.end = end;
    job.chunk = std::max<std::int64_t>(min_chunk, total / (threads * 32));
    if (pool().run(job, threads - 1)) {
      if (job.first_error) std::rethrow_exception(job.first_error);
      return;
    }
  }
#endif
  body(begin, end);
}

}  // namespace lunglens
