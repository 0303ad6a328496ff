// A build without MPI (ENTENTE_HAVE_MPI undefined): every MPI entry point
// says MPI is not available (include/entente/sweep/sweep.hpp).
#include <cstdlib>

#include "entente/util/diagnostics.hpp"
#include "sweep/sweep_items.hpp"

namespace entente {

namespace {

[[noreturn]] void unavailable() {
  throw InputError(SourceLocation{"mpirun", 0, 0},
                   "MPI is not available: this entente was built without MPI (install "
                   "libboost-mpi1.81-dev and libopenmpi-dev and rebuild); use --shard I/N instead");
}

}  // namespace

bool sweep_mpi_available() {
  return false;
}
int sweep_mpi_rank() {
  return 0;
}
int sweep_mpi_size() {
  return 1;
}
void run_sweep_worker(const Sweep&) {
  unavailable();
}
void sweep_mpi_abort(int status) {
  std::exit(status);
}

namespace detail {

long long mpi_dispatch(const Sweep&, long long, long long,
                       const std::function<void(long long, const std::string&)>&,
                       const std::function<bool()>&) {
  unavailable();
}

}  // namespace detail

}  // namespace entente
