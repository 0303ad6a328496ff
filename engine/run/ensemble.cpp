#include "entente/run/ensemble.hpp"

#include <algorithm>
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

// Two condition variables, so that nobody is woken for nothing: the
// committing thread sleeps on `ready` until a batch of consecutive runs (half
// the window, or the rest of the runs) is done, then commits every done run
// in order; workers sleep on `room` only when the window is full. Waking a
// thread costs microseconds, a baseline run about thirty: waking the
// committing thread once per run cost a fifth of the ensemble's CPU time.
int for_each_run_ordered(int runs, int threads, int window,
                         const std::function<void(int, int)>& work,
                         const std::function<void(int, int)>& commit,
                         const std::function<bool()>& should_stop) {
  if (runs <= 0) return 0;
  threads = std::max(1, std::min(threads, runs));
  window = std::max(window, threads);
  const int batch = std::max(1, window / 2);

  std::mutex mutex;
  std::condition_variable ready;  // the committing thread waits here
  std::condition_variable room;   // workers wait here
  std::vector<int> done(static_cast<std::size_t>(window),
                        -1);  // run whose work is done in each slot
  int next = 0;               // next run to start
  int committed = 0;          // runs committed so far
  bool stop = false;
  std::exception_ptr failure;

  const auto is_done = [&](int run) { return done[static_cast<std::size_t>(run % window)] == run; };
  // Runs committed … committed + batch − 1 (or the last run) are all done.
  const auto batch_done = [&] {
    const int last = std::min(committed + batch, runs);
    for (int run = committed; run < last; ++run) {
      if (!is_done(run)) return false;
    }
    return true;
  };
  const auto fail = [&](std::exception_ptr e) {
    std::lock_guard lock(mutex);
    if (!failure) failure = std::move(e);
    stop = true;
    ready.notify_all();
    room.notify_all();
  };

  const auto worker = [&] {
    for (;;) {
      int run = 0;
      {
        std::unique_lock lock(mutex);
        room.wait(lock, [&] { return stop || next >= runs || next < committed + window; });
        if (stop || next >= runs) return;
        run = next++;
      }
      try {
        work(run, run % window);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      std::lock_guard lock(mutex);
      done[static_cast<std::size_t>(run % window)] = run;
      if (batch_done()) ready.notify_one();
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);

  bool stopping = false;
  while (!stopping && committed < runs) {
    int run = 0;
    {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return stop || batch_done(); });
      if (stop) break;
      run = committed;
    }
    // Every done run from here on, in order, not only the batch.
    for (;;) {
      try {
        commit(run, run % window);
      } catch (...) {
        fail(std::current_exception());
        stopping = true;
        break;
      }
      std::lock_guard lock(mutex);
      committed = run + 1;
      if (should_stop && should_stop()) stop = true;
      room.notify_all();
      if (stop) {
        stopping = true;
        break;
      }
      if (++run >= runs || !is_done(run)) break;
    }
  }
  {
    std::lock_guard lock(mutex);
    stop = true;
    ready.notify_all();
    room.notify_all();
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return committed;
}

}  // namespace entente
