// for_each_run_ordered, the scheduler of every ensemble (run, compare, sweep,
// play's look-ahead): each run's work once, commits in run order on the
// calling thread, a slot never shared by two runs in flight, errors and
// stops — for many combinations of runs, threads and window.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "entente/run/ensemble.hpp"

namespace entente {
namespace {

struct Shape {
  int runs, threads, window;
};

TEST(ForEachRunOrdered, EveryRunOnceInOrderWithItsOwnSlot) {
  const Shape shapes[] = {{0, 2, 8},   {1, 1, 1},   {1, 4, 16},  {2, 2, 1},    {7, 3, 2},
                          {100, 1, 4}, {100, 2, 8}, {257, 4, 3}, {1000, 2, 8}, {1000, 3, 5}};
  for (const auto& [runs, threads, window] : shapes) {
    SCOPED_TRACE(::testing::Message()
                 << runs << " runs, " << threads << " threads, window " << window);
    const int slots = std::max(window, std::min(std::max(threads, 1), std::max(runs, 1)));
    std::mutex m;
    std::vector<int> owner(static_cast<std::size_t>(slots), -1), worked(runs, 0);
    std::vector<int> order;
    bool shared_slot = false;
    const std::thread::id caller = std::this_thread::get_id();
    bool commit_elsewhere = false;
    const int n = for_each_run_ordered(
        runs, threads, window,
        [&](int run, int slot) {
          std::lock_guard lock(m);
          if (owner[static_cast<std::size_t>(slot)] != -1) shared_slot = true;
          owner[static_cast<std::size_t>(slot)] = run;
          ++worked[static_cast<std::size_t>(run)];
        },
        [&](int run, int slot) {
          std::lock_guard lock(m);
          if (std::this_thread::get_id() != caller) commit_elsewhere = true;
          EXPECT_EQ(owner[static_cast<std::size_t>(slot)], run);
          owner[static_cast<std::size_t>(slot)] = -1;
          order.push_back(run);
        });
    EXPECT_EQ(n, runs);
    EXPECT_FALSE(shared_slot);
    EXPECT_FALSE(commit_elsewhere);
    ASSERT_EQ(static_cast<int>(order.size()), runs);
    for (int r = 0; r < runs; ++r) {
      EXPECT_EQ(order[static_cast<std::size_t>(r)], r);
      EXPECT_EQ(worked[static_cast<std::size_t>(r)], 1);
    }
  }
}

TEST(ForEachRunOrdered, AStopRequestCommitsNothingAfterIt) {
  for (const int threads : {1, 2, 4}) {
    int commits = 0;
    const int n = for_each_run_ordered(
        500, threads, 8, [](int, int) {}, [&](int, int) { ++commits; },
        [&] { return commits >= 37; });
    EXPECT_EQ(n, 37);
    EXPECT_EQ(commits, 37);
  }
}

TEST(ForEachRunOrdered, AnErrorInWorkOrCommitIsRethrown) {
  for (const int threads : {1, 2, 3}) {
    std::atomic<int> started{0};
    EXPECT_THROW(for_each_run_ordered(
                     1000, threads, 8,
                     [&](int run, int) {
                       ++started;
                       if (run == 123) throw std::runtime_error("work 123");
                     },
                     [](int, int) {}),
                 std::runtime_error);
    EXPECT_LT(started.load(), 1000);  // the other workers stopped
    int commits = 0;
    try {
      for_each_run_ordered(
          1000, threads, 8, [](int, int) {},
          [&](int run, int) {
            ++commits;
            if (run == 45) throw std::runtime_error("commit 45");
          });
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "commit 45");
    }
    EXPECT_EQ(commits, 46);
  }
}

}  // namespace
}  // namespace entente
