// trajectories.nc through libnetcdf's C API (engine/run/netcdf.hpp).
#include <H5public.h>
#include <fcntl.h>
#include <netcdf.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "entente/util/diagnostics.hpp"
#include "run/netcdf.hpp"

namespace entente::detail {

namespace fs = std::filesystem;

namespace {

// Bytes of affinity per chunk along `run` (the largest variable): big enough
// that a million runs make few chunks, small enough to buffer.
constexpr std::size_t kChunkBytes = std::size_t{4} << 20;

// HDF5 (under libnetcdf) installs an exit handler that closes the files
// still open; a file whose close failed (a full disk) stays open and makes
// that handler crash. Every file here is closed or aborted explicitly, so
// the handler is not installed: called before libnetcdf first starts HDF5.
//
// Also: HDF5 converts variable-length strings (the coordinates) through two
// 1 MiB buffers a write, taken from its free list of blocks; with the
// default limit of 1 MiB a list, both went back to malloc after each write
// and came back as fresh pages (about 13 ms of page faults and zeroing a
// file on this VM, a third of a 1,000-run NetCDF run's writing). A limit of
// 4 MiB a list keeps them; the other limits are HDF5's defaults.
void no_hdf5_exit_handler() {
  static const bool once = [] {
    H5dont_atexit();
    constexpr int kMiB = 1 << 20;
    H5set_free_list_limits(kMiB, kMiB, 4 * kMiB, 4 * kMiB, 16 * kMiB, 4 * kMiB);
    return true;
  }();
  (void)once;
}

void check(int status, const fs::path& path, const char* what) {
  if (status != NC_NOERR) {
    throw std::runtime_error(path.string() + ": " + what + ": " + nc_strerror(status));
  }
}

void put_text(int ncid, int var, const char* name, const std::string& value, const fs::path& path) {
  check(nc_put_att_text(ncid, var, name, value.size(), value.c_str()), path, name);
}

void put_strings(int ncid, int var, const char* name, const std::vector<std::string>& values,
                 const fs::path& path) {
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  check(nc_put_att_string(ncid, var, name, p.size(), p.data()), path, name);
}

// A string coordinate variable over `dim`.
void string_coordinate(int ncid, int dim, const char* name, int& var, const fs::path& path) {
  check(nc_def_var(ncid, name, NC_STRING, 1, &dim, &var), path, name);
}

void fill_strings(int ncid, int var, const std::vector<std::string>& values, const fs::path& path) {
  if (values.empty()) return;
  std::vector<const char*> p;
  for (const auto& v : values) p.push_back(v.c_str());
  const std::size_t start = 0, count = p.size();
  check(nc_put_vara_string(ncid, var, &start, &count, p.data()), path, "strings");
}

template <class T>
std::vector<std::string> ids(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& x : items) out.push_back(x.id);
  return out;
}

}  // namespace

NetcdfWriter::NetcdfWriter(fs::path path, const Scenario& s, const Header& h)
    : path_(std::move(path)),
      temporary_(path_.string() + ".partial"),
      S_(h.steps_written.size()),
      N_(static_cast<std::size_t>(s.actor_count())),
      K_(static_cast<std::size_t>(s.axis_count())),
      Q_(s.issues.size()) {
  no_hdf5_exit_handler();
  // The file's default chunk cache too small for a chunk, as each variable's
  // below: every dataset (the coordinates included) is then written from the
  // caller's buffer, none zeroed in a cache and written again at close. The
  // process-wide default is restored at once (readers keep theirs).
  {
    std::size_t size = 0, nelems = 0;
    float preemption = 0.0f;
    check(nc_get_chunk_cache(&size, &nelems, &preemption), temporary_, "chunk cache");
    check(nc_set_chunk_cache(1, 1, 0.0f), temporary_, "chunk cache");
    const int created = nc_create(temporary_.c_str(), NC_NETCDF4 | NC_CLOBBER, &ncid_);
    nc_set_chunk_cache(size, nelems, preemption);
    check(created, temporary_, "create");
  }
  const auto R = static_cast<std::size_t>(h.runs);
  int d_run, d_step, d_actor, d_to, d_axis, d_issue;
  check(nc_def_dim(ncid_, "run", R, &d_run), path_, "run");
  check(nc_def_dim(ncid_, "step", S_, &d_step), path_, "step");
  check(nc_def_dim(ncid_, "actor", N_, &d_actor), path_, "actor");
  check(nc_def_dim(ncid_, "to", N_, &d_to), path_, "to");
  check(nc_def_dim(ncid_, "axis", K_, &d_axis), path_, "axis");
  check(nc_def_dim(ncid_, "issue", Q_, &d_issue), path_, "issue");
  check(nc_set_fill(ncid_, NC_NOFILL, nullptr), path_, "fill");

  put_text(ncid_, NC_GLOBAL, "title", "entente run trajectories", path_);
  put_text(ncid_, NC_GLOBAL, "engine", "entente", path_);
  put_text(ncid_, NC_GLOBAL, "engine_version", h.version, path_);
  put_text(ncid_, NC_GLOBAL, "scenario", h.scenario, path_);
  const unsigned long long seed = h.seed;
  check(nc_put_att_ulonglong(ncid_, NC_GLOBAL, "seed", NC_UINT64, 1, &seed), path_, "seed");
  check(nc_put_att_int(ncid_, NC_GLOBAL, "runs", NC_INT, 1, &h.runs), path_, "runs");
  check(nc_put_att_int(ncid_, NC_GLOBAL, "steps", NC_INT, 1, &h.steps), path_, "steps");
  put_text(ncid_, NC_GLOBAL, "step_unit", std::string(to_string(s.step_unit)), path_);
  check(nc_put_att_int(ncid_, NC_GLOBAL, "every", NC_INT, 1, &s.output.every), path_, "every");

  int v_run, v_step, v_date = -1, v_actor, v_to, v_axis, v_issue;
  check(nc_def_var(ncid_, "run", NC_INT, 1, &d_run, &v_run), path_, "run");
  check(nc_def_var(ncid_, "step", NC_INT, 1, &d_step, &v_step), path_, "step");
  put_text(ncid_, v_step, "long_name", "step number (0: the initial state)", path_);
  if (!h.dates.empty()) string_coordinate(ncid_, d_step, "date", v_date, path_);
  string_coordinate(ncid_, d_actor, "actor", v_actor, path_);
  string_coordinate(ncid_, d_to, "to", v_to, path_);
  string_coordinate(ncid_, d_axis, "axis", v_axis, path_);
  string_coordinate(ncid_, d_issue, "issue", v_issue, path_);

  // One chunk: `block_` runs of every step; the affinity chunk near kChunkBytes.
  const std::size_t per_run = std::max<std::size_t>(S_ * N_ * std::max(N_, K_), 1) * 8;
  block_ = std::clamp<std::size_t>(kChunkBytes / per_run, 1, std::max<std::size_t>(R, 1));
  const auto define = [&](const char* name, nc_type type, std::vector<int> dims, int& var) {
    check(nc_def_var(ncid_, name, type, static_cast<int>(dims.size()), dims.data(), &var), path_,
          name);
    std::vector<std::size_t> chunk;
    std::size_t elements = 1;
    for (int d : dims) {
      std::size_t len = 0;
      check(nc_inq_dimlen(ncid_, d, &len), path_, name);
      chunk.push_back(d == d_run ? block_ : std::max<std::size_t>(len, 1));
      elements *= len;
    }
    if (elements > 0) {
      check(nc_def_var_chunking(ncid_, var, NC_CHUNKED, chunk.data()), path_, name);
      // Every write is whole chunks: a cache too small for one, so HDF5
      // writes them from our buffer instead of zeroing a chunk in its cache,
      // copying into it and writing it at close. (Not 0: libnetcdf reads a
      // size of 0 as "not set" and leaves the file's default, 16 MiB, which
      // holds a chunk.)
      check(nc_set_var_chunk_cache(ncid_, var, 1, 1, 0.0f), path_, name);
    }
    // The date of each step is an auxiliary coordinate (CF), as xarray reads it.
    if (v_date >= 0) put_text(ncid_, var, "coordinates", "date", path_);
  };
  define("position", NC_DOUBLE, {d_run, d_step, d_actor, d_axis}, v_position_);
  put_text(ncid_, v_position_, "long_name", "position of actor on axis (MODEL.md §1)", path_);
  if (h.affinity) {
    define("affinity", NC_DOUBLE, {d_run, d_step, d_actor, d_to}, v_affinity_);
    put_text(ncid_, v_affinity_, "long_name",
             "affinity of actor towards to; NaN on the diagonal and for pairs not written", path_);
  }
  define("regime", NC_INT, {d_run, d_step, d_issue}, v_regime_);
  put_text(ncid_, v_regime_, "long_name",
           "regime of the issue: an index into the attribute options_<issue id>", path_);
  for (const auto& q : s.issues) {
    put_strings(ncid_, v_regime_, ("options_" + q.id).c_str(), q.options, path_);
  }
  if (h.blocs) {
    define("bloc", NC_INT, {d_run, d_step, d_actor}, v_bloc_);
    put_text(ncid_, v_bloc_, "long_name", "bloc of the actor (MODEL.md §5.2): 0 = A, 1 = B", path_);
    put_strings(ncid_, v_bloc_, "options", {"A", "B"}, path_);
  }
  check(nc_enddef(ncid_), path_, "enddef");

  std::vector<int> runs(R);
  for (std::size_t r = 0; r < R; ++r) runs[r] = static_cast<int>(r);
  if (R > 0) check(nc_put_var_int(ncid_, v_run, runs.data()), path_, "run");
  if (S_ > 0) check(nc_put_var_int(ncid_, v_step, h.steps_written.data()), path_, "step");
  if (v_date >= 0) fill_strings(ncid_, v_date, h.dates, path_);
  fill_strings(ncid_, v_actor, ids(s.actors), path_);
  fill_strings(ncid_, v_to, ids(s.actors), path_);
  fill_strings(ncid_, v_axis, ids(s.axes), path_);
  fill_strings(ncid_, v_issue, ids(s.issues), path_);
  position_ = make_huge_array<double>(block_ * S_ * N_ * K_);
  if (h.affinity) affinity_ = make_huge_array<double>(block_ * S_ * N_ * N_);
  regime_ = make_huge_array<int>(block_ * S_ * Q_);
  if (h.blocs) bloc_ = make_huge_array<int>(block_ * S_ * N_);
}

NetcdfWriter::~NetcdfWriter() {
  if (ncid_ >= 0) {
    if (!write_failed_) nc_abort(ncid_);
    std::error_code ec;
    fs::remove(temporary_, ec);
  }
}

void NetcdfWriter::write(int run, const RunTrajectory& t) {
  if (static_cast<std::size_t>(run) != first_ + held_)
    throw std::logic_error("NetcdfWriter::write: runs must come in order");
  const auto copy = [&](const auto& from, auto& to, std::size_t per_run) {
    if (per_run > 0) std::copy_n(from.begin(), per_run, to.get() + held_ * per_run);
  };
  copy(t.position, position_, S_ * N_ * K_);
  if (v_affinity_ >= 0) copy(t.affinity, affinity_, S_ * N_ * N_);
  copy(t.regime, regime_, S_ * Q_);
  if (v_bloc_ >= 0) copy(t.bloc, bloc_, S_ * N_);
  if (++held_ == block_) flush();
}

void NetcdfWriter::flush() {
  if (held_ == 0) return;
  const auto check = [&](int status, const fs::path& path, const char* what) {
    write_failed_ = write_failed_ || status != NC_NOERR;
    detail::check(status, path, what);
  };
  const auto put_double = [&](int var, std::size_t inner, const HugeArray<double>& v) {
    const std::size_t start[4] = {first_, 0, 0, 0}, count[4] = {held_, S_, N_, inner};
    if (held_ * S_ * N_ * inner > 0)
      check(nc_put_vara_double(ncid_, var, start, count, v.get()), path_, "write");
  };
  put_double(v_position_, K_, position_);
  if (v_affinity_ >= 0) put_double(v_affinity_, N_, affinity_);
  const auto put_int = [&](int var, std::size_t inner, const HugeArray<int>& v) {
    const std::size_t start[3] = {first_, 0, 0}, count[3] = {held_, S_, inner};
    if (held_ * S_ * inner > 0)
      check(nc_put_vara_int(ncid_, var, start, count, v.get()), path_, "write");
  };
  put_int(v_regime_, Q_, regime_);
  if (v_bloc_ >= 0) put_int(v_bloc_, N_, bloc_);
  first_ += held_;
  held_ = 0;
}

void NetcdfWriter::commit() {
  flush();
  const int id = ncid_;
  ncid_ = -1;
  const int closed = nc_close(id);
  if (closed != NC_NOERR) {
    nc_abort(id);  // what it can still release
    check(closed, path_, "close");
  }
  // The bytes reach the disk before the name appears (as AtomicFile does).
  const int fd = ::open(temporary_.c_str(), O_RDONLY | O_CLOEXEC);
  const bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  std::error_code ec;
  if (!synced) {
    fs::remove(temporary_, ec);
    throw std::runtime_error(path_.string() + ": sync failed");
  }
  size_ = fs::file_size(temporary_, ec);
  fs::rename(temporary_, path_, ec);
  if (ec) {
    fs::remove(temporary_, ec);
    throw std::runtime_error(path_.string() + ": cannot rename into place: " + ec.message());
  }
}

namespace {

// An open file closed on every path out.
struct Reading {
  int ncid = -1;
  fs::path path;
  ~Reading() {
    if (ncid >= 0) nc_close(ncid);
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw InputError({path.string(), 0, 0}, message);
  }
  void ok(int status, const std::string& what) const {
    if (status != NC_NOERR) fail(what + ": " + nc_strerror(status));
  }
  std::size_t dim(const char* name) const {
    int d = -1;
    std::size_t len = 0;
    ok(nc_inq_dimid(ncid, name, &d), std::string("no dimension '") + name + "'");
    ok(nc_inq_dimlen(ncid, d, &len), name);
    return len;
  }
  int var(const char* name) const {
    int v = -1;
    ok(nc_inq_varid(ncid, name, &v), std::string("no variable '") + name + "'");
    return v;
  }
  std::vector<std::string> strings(const char* name, std::size_t n) const {
    const int v = var(name);
    std::vector<char*> p(n, nullptr);
    if (n > 0) ok(nc_get_var_string(ncid, v, p.data()), name);
    std::vector<std::string> out(p.begin(), p.end());
    if (n > 0) nc_free_string(n, p.data());
    return out;
  }
  void expect(const char* name, const std::vector<std::string>& got,
              const std::vector<std::string>& want) const {
    if (got != want) {
      fail(std::string("the ") + name + " ids differ from the manifest's scenario");
    }
  }
};

}  // namespace

NetcdfTrajectories read_netcdf(const fs::path& path, const Scenario& s) {
  Reading f;
  f.path = path;
  {
    int id = -1;
    no_hdf5_exit_handler();
    const int status = nc_open(path.c_str(), NC_NOWRITE, &id);
    if (status != NC_NOERR) {
      throw InputError(
          {path.string(), 0, 0},
          std::string("cannot read it as NetCDF (is this an `entente run` output?): ") +
              nc_strerror(status));
    }
    f.ncid = id;
  }
  NetcdfTrajectories t;
  const std::size_t R = f.dim("run"), S = f.dim("step"), N = f.dim("actor"), K = f.dim("axis"),
                    Q = f.dim("issue");
  if (R > static_cast<std::size_t>(std::numeric_limits<int>::max())) f.fail("too many runs");
  t.runs = static_cast<int>(R);
  f.expect("actor", f.strings("actor", N), ids(s.actors));
  f.expect("axis", f.strings("axis", K), ids(s.axes));
  f.expect("issue", f.strings("issue", Q), ids(s.issues));
  t.steps.resize(S);
  if (S > 0) f.ok(nc_get_var_int(f.ncid, f.var("step"), t.steps.data()), "step");
  for (std::size_t k = 0; k < S; ++k) {
    if (t.steps[k] < 0 || t.steps[k] > s.steps || (k > 0 && t.steps[k] <= t.steps[k - 1]))
      f.fail("the step coordinate is not increasing within 0 … " + std::to_string(s.steps));
  }
  t.position.resize(R * S * N * K);
  t.affinity.resize(R * S * N * N);
  t.regime.resize(R * S * Q);
  if (!t.position.empty())
    f.ok(nc_get_var_double(f.ncid, f.var("position"), t.position.data()), "position");
  int affinity = -1;
  if (nc_inq_varid(f.ncid, "affinity", &affinity) != NC_NOERR) {
    std::fill(t.affinity.begin(), t.affinity.end(), std::numeric_limits<double>::quiet_NaN());
  } else if (!t.affinity.empty()) {
    f.ok(nc_get_var_double(f.ncid, affinity, t.affinity.data()), "affinity");
  }
  if (!t.regime.empty()) f.ok(nc_get_var_int(f.ncid, f.var("regime"), t.regime.data()), "regime");
  int bloc = -1;
  t.blocs = nc_inq_varid(f.ncid, "bloc", &bloc) == NC_NOERR;
  if (t.blocs) {
    t.bloc.resize(R * S * N);
    if (!t.bloc.empty()) f.ok(nc_get_var_int(f.ncid, bloc, t.bloc.data()), "bloc");
  }
  for (std::size_t k = 0; k < t.regime.size(); ++k) {
    const int o = t.regime[k];
    if (o < 0 || static_cast<std::size_t>(o) >= s.issues[k % Q].options.size())
      f.fail("regime index " + std::to_string(o) + " out of range");
  }
  for (int b : t.bloc) {
    if (b != 0 && b != 1) f.fail("bloc index " + std::to_string(b) + " (expected 0 or 1)");
  }
  return t;
}

}  // namespace entente::detail
