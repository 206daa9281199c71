#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "parallel/parallel_for.h"

using namespace lunglens;

namespace {

// Runs parallel_for over [begin, end) and returns how often each index was visited.
std::vector<int> visits(std::int64_t begin, std::int64_t end, std::int64_t min_chunk = 1) {
  std::vector<std::atomic<int>> counts(static_cast<std::size_t>(end));
  parallel_for(begin, end, [&](std::int64_t first, std::int64_t last) {
    for (std::int64_t i = first; i < last; ++i) counts[static_cast<std::size_t>(i)].fetch_add(1);
  }, min_chunk);
  std::vector<int> result;
  for (const auto& count : counts) result.push_back(count.load());
  return result;
}

}  // namespace

TEST_CASE("parallel_for visits each index once") {
  for (int call = 0; call < 200; ++call) {
    const std::int64_t end = 1 + call * 37 % 5000;
    const std::int64_t begin = end / 3;
    const std::vector<int> counts = visits(begin, end, 1 + call % 5);
    for (std::int64_t i = 0; i < end; ++i) REQUIRE(counts[static_cast<std::size_t>(i)] == (i >= begin ? 1 : 0));
  }
}

TEST_CASE("parallel_for skips empty ranges") {
  int calls = 0;
  parallel_for(5, 5, [&](std::int64_t, std::int64_t) { ++calls; });
  parallel_for(7, 3, [&](std::int64_t, std::int64_t) { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE("parallel_for rethrows body exceptions") {
  CHECK_THROWS_WITH_AS(parallel_for(0, 10000, [](std::int64_t first, std::int64_t last) {
    if (first <= 5000 && 5000 < last) throw std::runtime_error("chunk 5000 failed");
  }), "chunk 5000 failed", std::runtime_error);

  const std::vector<int> counts = visits(0, 3000);
  CHECK(std::count(counts.begin(), counts.end(), 1) == 3000);
}

TEST_CASE("parallel_for thread count") {
  const auto threads_used = [] {
    std::mutex mutex;
    std::set<std::thread::id> ids;
    parallel_for(0, 64, [&](std::int64_t, std::int64_t) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      std::lock_guard<std::mutex> lock(mutex);
      ids.insert(std::this_thread::get_id());
    });
    return ids;
  };

  // 64 chunks of 2 ms: every helper that starts in time takes some.
  const std::set<std::thread::id> all_threads = threads_used();
  CHECK(all_threads.size() <= static_cast<std::size_t>(thread_count()));
  if (thread_count() > 1) CHECK(all_threads.size() > 1);
  CHECK(all_threads.count(std::this_thread::get_id()) == 1);

  set_thread_count(1);
  const std::set<std::thread::id> single_thread = threads_used();
  set_thread_count(0);
  CHECK(single_thread == std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST_CASE("parallel_for nested and concurrent calls") {
  std::atomic<std::int64_t> inner_sum{0};
  parallel_for(0, 8, [&](std::int64_t first, std::int64_t last) {
    for (std::int64_t outer = first; outer < last; ++outer)
      parallel_for(0, 1000, [&](std::int64_t a, std::int64_t b) {
        for (std::int64_t i = a; i < b; ++i) inner_sum.fetch_add(i);
      });
  });
  CHECK(inner_sum.load() == 8 * 999 * 1000 / 2);

#if !defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__)
  std::vector<int> counts_a;
  std::vector<int> counts_b;
  std::thread other([&] {
    for (int repeat = 0; repeat < 50; ++repeat) counts_b = visits(0, 20000);
  });
  for (int repeat = 0; repeat < 50; ++repeat) counts_a = visits(0, 20000);
  other.join();
  CHECK(std::count(counts_a.begin(), counts_a.end(), 1) == 20000);
  CHECK(std::count(counts_b.begin(), counts_b.end(), 1) == 20000);
#endif
}
