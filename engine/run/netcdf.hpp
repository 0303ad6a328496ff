// trajectories.nc (MODEL.md §6, `[output] format = "netcdf"`): the writer
// `entente run` uses and the reader of `report` and `compare`, over
// libnetcdf's C API. The file is NetCDF-4 with dimensions run, step, actor,
// to (= actor), axis, issue; string coordinate variables actor, to, axis,
// issue (and date where the scenario has a start), integer coordinates run
// and step (the step numbers written); float64 position(run, step, actor,
// axis) and affinity(run, step, actor, to) (NaN on the diagonal and for the
// pairs not written; left out with relations = "none"); int regime(run, step, issue) (option
// indices; the option names of issue Q in the attribute `options_Q`) and, with blocs, int bloc(run,
// step, actor) (0 = A, 1 = B; attribute `options` = A, B).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "entente/util/huge_array.hpp"

#include "entente/scenario/scenario.hpp"

namespace entente::detail {

// One run's values at the steps written, laid out as in the file:
// position [step][actor][axis], affinity [step][actor][to], regime
// [step][issue], bloc [step][actor].
struct RunTrajectory {
  std::vector<double> position, affinity;
  std::vector<int> regime, bloc;
};

// Written under `path`.partial and renamed to `path` by commit(); destroyed
// without commit() it removes the partial file. Runs are buffered in blocks
// (the file's chunks along `run`) and written block by block. Failures throw
// std::runtime_error naming the file and libnetcdf's message.
class NetcdfWriter {
 public:
  struct Header {
    std::string version, scenario;
    std::uint64_t seed = 0;
    int runs = 0, steps = 0;
    std::vector<int> steps_written;
    std::vector<std::string> dates;  // per step written, when the scenario has a start
    bool blocs = false;
    bool affinity = true;  // false with [output] relations = "none": no affinity variable
  };
  NetcdfWriter(std::filesystem::path path, const Scenario& s, const Header& h);
  ~NetcdfWriter();
  NetcdfWriter(const NetcdfWriter&) = delete;
  NetcdfWriter& operator=(const NetcdfWriter&) = delete;

  // Runs in order 0, 1, …
  void write(int run, const RunTrajectory& t);
  void commit();
  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const { return size_; }

 private:
  void flush();
  std::filesystem::path path_, temporary_;
  int ncid_ = -1;
  int v_position_ = -1, v_affinity_ = -1, v_regime_ = -1, v_bloc_ = -1;
  std::size_t S_ = 0, N_ = 0, K_ = 0, Q_ = 0;
  std::size_t block_ = 1, first_ = 0, held_ = 0;  // runs per block, first run held, runs held
  // A block of runs, written in full before each flush (not zeroed).
  HugeArray<double> position_, affinity_;
  HugeArray<int> regime_, bloc_;
  std::uint64_t size_ = 0;
  // A data write failed (a full disk): HDF5 then fails to close the file,
  // and libnetcdf 4.9.0 crashes reporting the objects left open, so the
  // file is removed without being closed (its handle is left to the exit).
  bool write_failed_ = false;
};

// What a reader gets back: every run's values at the steps written, as the
// writer laid them out, run after run.
struct NetcdfTrajectories {
  int runs = 0;
  std::vector<int> steps;  // the step numbers written
  bool blocs = false;
  std::vector<double> position, affinity;  // [run][step][actor][axis], [run][step][actor][to]
  std::vector<int> regime, bloc;           // [run][step][issue], [run][step][actor]
};

// Reads trajectories.nc and checks it against the scenario (its actor, axis
// and issue ids, in order). Throws InputError naming the file for anything
// that is not such a file.
NetcdfTrajectories read_netcdf(const std::filesystem::path& path, const Scenario& s);

}  // namespace entente::detail
