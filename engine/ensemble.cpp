#include "entente/ensemble.hpp"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace entente {

int default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

int for_each_run_ordered(int runs, int threads, int window,
                         const std::function<void(int, int)>& work,
                         const std::function<void(int, int)>& commit,
                         const std::function<bool()>& should_stop) {
  if (runs <= 0) return 0;
  threads = std::max(1, std::min(threads, runs));
  window = std::max(window, threads);

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> done(static_cast<std::size_t>(window),
                        -1);  // run whose work is done in each slot
  int next = 0;               // next run to start
  int committed = 0;          // runs committed so far
  bool stop = false;
  std::exception_ptr failure;

  const auto worker = [&] {
    for (;;) {
      int run = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || next >= runs || next < committed + window; });
        if (stop || next >= runs) return;
        run = next++;
      }
      try {
        work(run, run % window);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        stop = true;
        changed.notify_all();
        return;
      }
      std::lock_guard lock(mutex);
      done[static_cast<std::size_t>(run % window)] = run;
      changed.notify_all();
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);

  for (int run = 0; run < runs; ++run) {
    {
      std::unique_lock lock(mutex);
      changed.wait(lock,
                   [&] { return stop || done[static_cast<std::size_t>(run % window)] == run; });
      if (stop) break;
    }
    try {
      commit(run, run % window);
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
      changed.notify_all();
      break;
    }
    std::lock_guard lock(mutex);
    committed = run + 1;
    if (should_stop && should_stop()) stop = true;
    changed.notify_all();
  }
  {
    std::lock_guard lock(mutex);
    stop = true;
    changed.notify_all();
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return committed;
}

}  // namespace entente
