// The work items of a sweep (engine/sweep/sweep_run.cpp, engine/cluster/sweep_mpi.cpp): a
// design point's replicates split into items of at most kItemRuns runs, in
// design order; an item's rows are the results.csv lines it contributes.
#pragma once

#include <functional>
#include <string>

#include "entente/sweep/sweep.hpp"

namespace entente::detail {

// Replicates per work item: a point's runs are split so that one item never
// holds more than this many rows in memory.
constexpr int kItemRuns = 64;

// Work items per design point.
inline int items_per_point(const Sweep& sw) {
  return (sw.runs + kItemRuns - 1) / kItemRuns;
}

// The binding of the sweep's parameter paths to its scenario.
ScenarioBinding sweep_binding(const Sweep& sw);

// Replaces `out` with the results.csv rows of work item `item`. Throws
// InputError as point_model does.
void item_rows(const Sweep& sw, const ScenarioBinding& binding, long long item, std::string& out);

// Rank 0 of an MPI sweep: hands the work items [first, end) to the other
// ranks in chunks as they become free and calls commit(item, rows) in item
// order. Returns the first item not committed (end unless should_stop said
// so; the workers are then told to stop). Throws InputError without MPI.
long long mpi_dispatch(const Sweep& sw, long long first, long long end,
                       const std::function<void(long long, const std::string&)>& commit,
                       const std::function<bool()>& should_stop);

}  // namespace entente::detail
