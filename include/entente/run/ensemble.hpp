// Running many independent runs on several threads with results consumed in
// run order, so that what is written never depends on the thread count.
#pragma once

#include <functional>

namespace entente {

// The number of threads to use when the user gives 0: all hardware threads.
int default_threads();

// Calls work(run, slot) for run = 0 … runs−1 on `threads` worker threads and
// commit(run, slot) on the calling thread in increasing run order, each run
// after its work is done. `slot` ∈ [0, window) names a buffer that belongs to
// that run from its work until its commit returns; at most `window` runs are
// in flight, so memory stays flat however many runs there are. An exception
// thrown by work or commit stops the other threads and is rethrown here.
// `should_stop` (optional) is polled; when it returns true no further run
// starts and the function returns the number of runs committed.
int for_each_run_ordered(int runs, int threads, int window,
                         const std::function<void(int run, int slot)>& work,
                         const std::function<void(int run, int slot)>& commit,
                         const std::function<bool()>& should_stop = {});

}  // namespace entente
