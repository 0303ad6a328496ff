// MPI sweeps through Boost.MPI (built with ENTENTE_HAVE_MPI; docs/cluster.md):
// rank 0 owns the journal and hands chunks of work items to the other ranks
// as they become free (dynamic dispatch); each worker computes its chunk's
// rows and sends them back; rank 0 commits them in item order, so results.csv
// holds the bytes one process writes and --resume is the single-process one.
#include <algorithm>
#include <array>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <thread>

#include "sweep/sweep_items.hpp"

namespace entente {

namespace {

namespace mpi = boost::mpi;

constexpr int kWork = 1;  // rank 0 → worker: items [a, b), or a < 0: stop
constexpr int kRows = 2;  // worker → rank 0: one string of rows per item

// MPI is initialised on first use and finalised at exit.
mpi::communicator& world() {
  static const std::unique_ptr<mpi::environment> environment = std::make_unique<mpi::environment>();
  static mpi::communicator comm;
  return comm;
}

}  // namespace

bool sweep_mpi_available() {
  return true;
}
int sweep_mpi_rank() {
  return world().rank();
}
int sweep_mpi_size() {
  return world().size();
}

void sweep_mpi_abort(int status) {
  world().abort(status);
  std::abort();  // MPI_Abort does not return
}

void run_sweep_worker(const Sweep& sw) {
  mpi::communicator& comm = world();
  const ScenarioBinding binding = detail::sweep_binding(sw);
  std::vector<std::string> rows;
  for (;;) {
    std::array<long long, 2> range{};
    comm.recv(0, kWork, range);
    if (range[0] < 0) return;
    rows.resize(static_cast<std::size_t>(range[1] - range[0]));
    for (long long item = range[0]; item < range[1]; ++item)
      detail::item_rows(sw, binding, item, rows[static_cast<std::size_t>(item - range[0])]);
    comm.send(0, kRows, rows);
  }
}

namespace detail {

long long mpi_dispatch(const Sweep& sw, long long first, long long end,
                       const std::function<void(long long, const std::string&)>& commit,
                       const std::function<bool()>& should_stop) {
  mpi::communicator& comm = world();
  const int workers = comm.size() - 1;
  long long committed = first;
  if (workers == 0) {  // one rank: compute here
    const ScenarioBinding binding = sweep_binding(sw);
    std::string rows;
    for (; committed < end && !(should_stop && should_stop()); ++committed) {
      item_rows(sw, binding, committed, rows);
      commit(committed, rows);
    }
    return committed;
  }
  // Chunks small enough that every worker gets several, so that a slow one
  // holds little back; large enough to keep messages few.
  const long long chunk = std::clamp<long long>((end - first) / (8LL * workers), 1, 64);
  long long next = first;
  std::vector<std::array<long long, 2>> assigned(static_cast<std::size_t>(comm.size()));
  std::map<long long, std::vector<std::string>> pending;  // by first item
  int active = 0;
  bool stopping = false;
  const auto hand_out = [&](int rank) {
    if (stopping || next >= end) return;
    const std::array<long long, 2> range{next, std::min(end, next + chunk)};
    next = range[1];
    assigned[static_cast<std::size_t>(rank)] = range;
    comm.send(rank, kWork, range);
    ++active;
  };
  for (int rank = 1; rank <= workers; ++rank) hand_out(rank);
  while (active > 0) {
    // Open MPI's blocking receive spins; rank 0 sleeps between probes
    // instead, leaving its core to a worker on the same node.
    boost::optional<mpi::status> ready;
    while (!(ready = comm.iprobe(mpi::any_source, kRows)))
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::vector<std::string> rows;
    const mpi::status status = comm.recv(ready->source(), kRows, rows);
    --active;
    const int rank = status.source();
    pending.emplace(assigned[static_cast<std::size_t>(rank)][0], std::move(rows));
    stopping = stopping || (should_stop && should_stop());
    hand_out(rank);
    for (auto it = pending.begin(); it != pending.end() && it->first == committed;
         it = pending.erase(it)) {
      for (const std::string& r : it->second) commit(committed++, r);
    }
  }
  const std::array<long long, 2> stop{-1, -1};
  for (int rank = 1; rank <= workers; ++rank) comm.send(rank, kWork, stop);
  return committed;
}

}  // namespace detail

}  // namespace entente
