// Writing an ensemble run (MODEL.md §6). Workers simulate runs and format
// their rows into the run's buffers (labels formatted once, numbers
// by detail::write_shortest), or copy the values for trajectories.nc; the
// calling thread appends the buffers to the files in run order. The step
// itself never writes. The parts: what a run records (Chunk, record_*),
// where the trajectories go (TrajectorySink: CSV or NetCDF), the ensemble
// statistics as text (summary_texts) and the manifest (manifest_json).
#include "entente/run/output.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <limits>
#include <memory>
#include <optional>

#include "entente/model/events.hpp"
#include "entente/model/simulation.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/util/date.hpp"
#include "run/netcdf.hpp"
#include "run/row_text.hpp"
#include "run/run_files.hpp"
#include "util/atomic_file.hpp"
#include "util/csv.hpp"
#include "util/format.hpp"
#include "util/manifest.hpp"
#include "util/sha256.hpp"

namespace entente {

namespace fs = std::filesystem;
using detail::append_double;
using detail::append_field;
namespace run_files = detail::run_files;

namespace {

using detail::put;
using detail::RowText;
using detail::utc_now;
using detail::write_shortest;
using detail::write_uint;

// A run's rows, simulated and formatted into text by a worker, appended to
// the files in run order by the calling thread. Reused run after run.
struct Chunk {
  RowText actors, relations, issues, events, drivers, position_drivers;
  detail::RunTrajectory values;  // format = "netcdf": the trajectories at the steps written
  std::size_t written = 0;       // steps written so far in this run
  std::vector<double> observed;  // (steps + 1) × observables
  std::string prefix;            // the current rows' "run,step[,date],"
  bool heuristic = false;
  std::optional<Simulation> sim;  // restarted for each run (its memory reused)
};

// What the trajectory files hold ([output] every, relations, format).
struct Thinning {
  std::vector<int> steps;              // the steps written, increasing
  std::vector<char> pair;              // [i * N + j]: the relation i → j is written
  std::vector<std::size_t> unwritten;  // i * N + j of the pairs not written, diagonal included
  bool netcdf = false;
  bool any_relation = true;
};

Thinning make_thinning(const Scenario& s) {
  Thinning th;
  for (int t = 0; t <= s.steps; ++t) {
    if (s.output.writes_step(t, s.steps)) th.steps.push_back(t);
  }
  const auto N = static_cast<std::size_t>(s.actor_count());
  th.pair.assign(N * N, 0);
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = 0; j < N; ++j) th.pair[i * N + j] = s.output.relations_all && i != j;
  }
  for (const auto& [i, j] : s.output.relations)
    th.pair[static_cast<std::size_t>(i) * N + static_cast<std::size_t>(j)] = 1;
  for (std::size_t k = 0; k < N * N; ++k) {
    if (!th.pair[k]) th.unwritten.push_back(k);
  }
  th.netcdf = s.output.format == OutputSpec::Format::netcdf;
  th.any_relation = s.output.relations_all || !s.output.relations.empty();
  return th;
}

// Everything about the scenario's names that rows repeat, formatted once,
// each with its trailing separator.
struct Labels {
  std::vector<std::string> step_prefix;          // "step[,date],"
  std::vector<std::string> driver_step;          // "step," (drivers files have no date)
  std::vector<std::string> actor;                // "id," CSV-escaped
  std::vector<std::string> pair;                 // "from,to," for i ≠ j, [i * N + j]
  std::vector<std::string> actor_axis;           // "actor,axis," [i * K + a]
  std::vector<std::vector<std::string>> option;  // "issue,option\n" [q][regime]
  std::vector<std::string> event_row;            // "event,detail\n"
  std::vector<std::string> event_driver;         // "event:<id>,"
  std::vector<std::string> affinity_driver;      // per slot, "name,"
  std::vector<std::string> position_driver;      // per slot, "name,"
  std::size_t longest = 0;                       // the longest label above
};

std::string escaped(std::string_view s) {
  std::string out;
  append_field(out, s);
  return out;
}

Labels make_labels(const Model& model) {
  const Scenario& s = *model.scenario;
  Labels l;
  for (int t = 0; t <= s.steps; ++t) {
    std::string p = std::to_string(t) + ",";
    l.driver_step.push_back(p);
    if (s.start) p += step_date(*s.start, s.step_unit, t) + ",";
    l.step_prefix.push_back(std::move(p));
  }
  std::vector<std::string> axis;
  for (const auto& a : s.actors) l.actor.push_back(escaped(a.id) + ",");
  for (const auto& a : s.axes) axis.push_back(escaped(a.id) + ",");
  for (const auto& from : l.actor) {
    for (const auto& to : l.actor) l.pair.push_back(from + to);
    for (const auto& a : axis) l.actor_axis.push_back(from + a);
  }
  for (const auto& q : s.issues) {
    std::vector<std::string> rows;
    for (const auto& o : q.options) rows.push_back(escaped(q.id) + "," + escaped(o) + "\n");
    l.option.push_back(std::move(rows));
  }
  for (const auto& e : s.events) {
    l.event_row.push_back(escaped(e.id) + "," + escaped(describe(e.effects, s)) + "\n");
    l.event_driver.push_back(escaped("event:" + e.id) + ",");
  }
  for (const auto& name : affinity_driver_names(s))
    l.affinity_driver.push_back(escaped(name) + ",");
  for (const auto& name : position_driver_names(s))
    l.position_driver.push_back(escaped(name) + ",");
  for (const auto* v : {&l.step_prefix, &l.pair, &l.actor_axis, &l.event_row, &l.event_driver,
                        &l.affinity_driver, &l.position_driver}) {
    for (const auto& x : *v) l.longest = std::max(l.longest, x.size());
  }
  for (const auto& rows : l.option) {
    for (const auto& x : rows) l.longest = std::max(l.longest, x.size());
  }
  return l;
}

// "run," then the step's "step[,date],", in `buf` (which keeps its capacity).
std::string_view row_prefix(std::string& buf, int run, std::string_view step) {
  buf.resize(21 + step.size());
  char* p = write_uint(buf.data(), static_cast<std::uint64_t>(run));
  *p++ = ',';
  p = put(p, step);
  return {buf.data(), static_cast<std::size_t>(p - buf.data())};
}

// The trajectory rows of the state (a step written) as CSV text.
void record_rows(const Model& model, const Labels& l, const Thinning& th, int run, const State& st,
                 Chunk& c, bool with_blocs) {
  const auto N = static_cast<std::size_t>(model.n), K = static_cast<std::size_t>(model.k);
  const std::string_view prefix =
      row_prefix(c.prefix, run, l.step_prefix[static_cast<std::size_t>(st.step)]);
  const std::size_t row = prefix.size() + l.longest + 4;  // + ",A\n"
  char* p = c.actors.room(N * (row + K * detail::kNumberRoom));
  for (std::size_t i = 0; i < N; ++i) {
    p = put(p, prefix);
    p = put(p, l.actor[i]);
    --p;  // the actor's ',' comes before each position
    for (std::size_t a = 0; a < K; ++a) {
      *p++ = ',';
      p = write_shortest(p, st.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(a)));
    }
    if (with_blocs) p = put(p, st.bloc[i] == 0 ? std::string_view(",A") : std::string_view(",B"));
    *p++ = '\n';
  }
  c.actors.done(p);
  p = c.relations.room(N * N * (row + detail::kNumberRoom));
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = 0; j < N; ++j) {
      if (!th.pair[i * N + j]) continue;
      p = put(p, prefix);
      p = put(p, l.pair[i * N + j]);
      p = write_shortest(p, st.R(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
      *p++ = '\n';
    }
  }
  c.relations.done(p);
  p = c.issues.room(static_cast<std::size_t>(model.q) * row);
  for (std::size_t q = 0; q < static_cast<std::size_t>(model.q); ++q) {
    p = put(p, prefix);
    p = put(p, l.option[q][static_cast<std::size_t>(st.regime[q])]);
  }
  c.issues.done(p);
}

// The trajectory values of the state (a step written) for trajectories.nc:
// the same doubles the CSV rows would spell, NaN for the relations not written.
void record_values(const Model& model, const Thinning& th, const State& st, Chunk& c,
                   bool with_blocs) {
  const auto N = static_cast<std::size_t>(model.n), K = static_cast<std::size_t>(model.k),
             Q = static_cast<std::size_t>(model.q);
  const std::size_t s = c.written;
  // x and R are row-major, as the file's [actor][axis] and [actor][to].
  std::copy_n(st.x.data(), N * K, c.values.position.data() + s * N * K);
  if (!c.values.affinity.empty()) {
    double* r = c.values.affinity.data() + s * N * N;
    std::copy_n(st.R.data(), N * N, r);
    for (std::size_t k : th.unwritten) r[k] = std::numeric_limits<double>::quiet_NaN();
  }
  if (with_blocs) std::copy_n(st.bloc.data(), N, c.values.bloc.data() + s * N);
  std::copy_n(st.regime.data(), Q, c.values.regime.data() + s * Q);
}

// Everything a run records at a step: the trajectories when the step is
// written, the events that fired, the observables (every step: summary and
// shares are never thinned).
void record_state(const Model& model, const Labels& l, const Thinning& th, int run,
                  const Simulation& sim, Chunk& c, bool with_blocs) {
  const State& st = sim.state();
  const Scenario& s = *model.scenario;
  if (c.written < th.steps.size() && th.steps[c.written] == st.step) {
    if (th.netcdf) {
      record_values(model, th, st, c, with_blocs);
    } else {
      record_rows(model, l, th, run, st, c, with_blocs);
    }
    ++c.written;
  }
  if (st.step > 0 && !sim.fired().empty()) {
    const std::string_view prefix =
        row_prefix(c.prefix, run, l.step_prefix[static_cast<std::size_t>(st.step)]);
    const std::size_t row = prefix.size() + l.longest + 4;
    char* p = c.events.room(sim.fired().size() * row);
    for (int e : sim.fired()) {
      p = put(p, prefix);
      p = put(p, l.event_row[static_cast<std::size_t>(e)]);
    }
    c.events.done(p);
  }
  const auto& obs = s.output.observables;
  for (std::size_t o = 0; o < obs.size(); ++o) {
    c.observed[static_cast<std::size_t>(st.step) * obs.size() + o] = observe(model, st, obs[o]);
  }
  c.heuristic = c.heuristic || st.blocs_heuristic;
}

// One drivers row ("run,step," "from,to," "driver," value), left out when
// the driver contributed nothing.
char* driver_row(char* p, std::string_view prefix, std::string_view pair, std::string_view driver,
                 double value) {
  if (value == 0.0) return p;
  p = put(p, prefix);
  p = put(p, pair);
  p = put(p, driver);
  p = write_shortest(p, value);
  *p++ = '\n';
  return p;
}

void record_drivers(const Model& model, const Labels& l, int run, const Simulation& sim, Chunk& c) {
  const auto N = static_cast<std::size_t>(model.n), K = static_cast<std::size_t>(model.k);
  const StepDrivers& d = *sim.drivers();
  const auto& changes = sim.event_changes();
  const std::string_view prefix =
      row_prefix(c.prefix, run, l.driver_step[static_cast<std::size_t>(sim.state().step)]);
  const std::size_t row = prefix.size() + 2 * l.longest + detail::kNumberRoom;
  const auto affinity_slots = static_cast<std::size_t>(d.affinity.cols());
  const auto position_slots = static_cast<std::size_t>(d.position.cols());
  char* p = c.drivers.room(N * N * (changes.size() + affinity_slots) * row);
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = 0; j < N; ++j) {
      if (i == j) continue;
      const std::string_view pair = l.pair[i * N + j];
      const auto ii = static_cast<Eigen::Index>(i), jj = static_cast<Eigen::Index>(j);
      for (const auto& ev : changes) {
        p = driver_row(p, prefix, pair, l.event_driver[static_cast<std::size_t>(ev.event)],
                       ev.affinity(ii, jj));
      }
      const auto r = static_cast<Eigen::Index>(i * N + j);
      for (std::size_t slot = 0; slot < affinity_slots; ++slot) {
        p = driver_row(p, prefix, pair, l.affinity_driver[slot],
                       d.affinity(r, static_cast<Eigen::Index>(slot)));
      }
    }
  }
  c.drivers.done(p);
  p = c.position_drivers.room(N * K * (changes.size() + position_slots) * row);
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t a = 0; a < K; ++a) {
      const std::string_view actor_axis = l.actor_axis[i * K + a];
      const auto ii = static_cast<Eigen::Index>(i), aa = static_cast<Eigen::Index>(a);
      for (const auto& ev : changes) {
        p = driver_row(p, prefix, actor_axis, l.event_driver[static_cast<std::size_t>(ev.event)],
                       ev.position(ii, aa));
      }
      const auto r = static_cast<Eigen::Index>(i * K + a);
      for (std::size_t slot = 0; slot < position_slots; ++slot) {
        if (slot == i) continue;  // an actor is not its own source
        p = driver_row(p, prefix, actor_axis, l.position_driver[slot],
                       d.position(r, static_cast<Eigen::Index>(slot)));
      }
    }
  }
  c.position_drivers.done(p);
}

void simulate_run(const Model& model, const Labels& labels, const Thinning& th, int run,
                  bool drivers, bool with_blocs, Chunk& c) {
  for (RowText* t :
       {&c.actors, &c.relations, &c.issues, &c.events, &c.drivers, &c.position_drivers}) {
    t->clear();
  }
  c.heuristic = false;
  c.written = 0;
  if (c.sim) {
    c.sim->restart(static_cast<std::uint64_t>(run));
  } else {
    c.sim.emplace(model, static_cast<std::uint64_t>(run), drivers);
  }
  Simulation& sim = *c.sim;
  record_state(model, labels, th, run, sim, c, with_blocs);
  for (int t = 1; t <= model.scenario->steps; ++t) {
    sim.advance();
    record_state(model, labels, th, run, sim, c, with_blocs);
    if (drivers) record_drivers(model, labels, run, sim, c);
  }
}

Chunk make_chunk(const Model& model, const Thinning& th, bool with_blocs) {
  Chunk c;
  const Scenario& s = *model.scenario;
  c.observed.assign(static_cast<std::size_t>(s.steps + 1) * s.output.observables.size(), 0.0);
  if (th.netcdf) {
    const std::size_t S = th.steps.size();
    const auto N = static_cast<std::size_t>(model.n), K = static_cast<std::size_t>(model.k),
               Q = static_cast<std::size_t>(model.q);
    c.values.position.assign(S * N * K, 0.0);
    if (th.any_relation) c.values.affinity.assign(S * N * N, 0.0);
    c.values.regime.assign(S * Q, 0);
    if (with_blocs) c.values.bloc.assign(S * N, 0);
  }
  return c;
}

std::string date_header(const Scenario& s) {
  return s.start ? "step,date," : "step,";
}

}  // namespace

fs::path default_output_directory(const Scenario& scenario) {
  std::string slug;
  for (char ch : scenario.name) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u)) {
      slug += static_cast<char>(std::tolower(u));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) slug = "scenario";
  return fs::path("out") / slug;
}

namespace {

// The open output files of a run, in the order of detail::run_files::all.
class Outputs {
 public:
  Outputs(const Model& model, const Thinning& th, bool drivers, const fs::path& dir) {
    const Scenario& s = *model.scenario;
    const std::string step_cols = date_header(s);
    if (th.netcdf) {
      detail::NetcdfWriter::Header h;
      h.version = ENTENTE_VERSION;
      h.scenario = s.name;
      h.seed = s.seed;
      h.runs = s.runs;
      h.steps = s.steps;
      h.steps_written = th.steps;
      if (s.start) {
        for (int t : th.steps) h.dates.push_back(step_date(*s.start, s.step_unit, t));
      }
      h.blocs = s.output.blocs;
      h.affinity = th.any_relation;
      netcdf_ = std::make_unique<detail::NetcdfWriter>(dir / run_files::trajectories, s, h);
    } else {
      std::string actor_header = "run," + step_cols + "actor";
      for (const auto& a : s.axes) actor_header += "," + escaped(a.id);
      if (s.output.blocs) actor_header += ",bloc";
      actors_ = &open(dir, run_files::actors, actor_header + "\n");
      relations_ = &open(dir, run_files::relations, "run," + step_cols + "from,to,affinity\n");
      issues_ = &open(dir, run_files::issues, "run," + step_cols + "issue,regime\n");
    }
    events_ = &open(dir, run_files::events, "run," + step_cols + "event,detail\n");
    if (drivers) {
      drivers_ = &open(dir, run_files::drivers, "run,step,from,to,driver,contribution\n");
      position_drivers_ =
          &open(dir, run_files::position_drivers, "run,step,actor,axis,driver,contribution\n");
    }
  }

  // A run's chunk, in run order.
  void append(int run, const Chunk& c) {
    if (netcdf_) {
      netcdf_->write(run, c.values);
    } else {
      actors_->write(c.actors.view());
      relations_->write(c.relations.view());
      issues_->write(c.issues.view());
    }
    events_->write(c.events.view());
    if (drivers_) drivers_->write(c.drivers.view());
    if (position_drivers_) position_drivers_->write(c.position_drivers.view());
  }

  // A whole file written at once (summary.csv, shares.csv).
  void add(const fs::path& dir, std::string_view name, std::string_view text) {
    open(dir, name, text);
  }

  // Commits every file, in the order of run_files::all; returns the
  // manifest's list of (name, bytes).
  boost::json::array commit(OutputSpec::Format format, bool drivers,
                            std::vector<std::string>& names) {
    boost::json::array written;
    for (std::string_view name : run_files::all(format, drivers)) {
      if (name == run_files::manifest) continue;
      std::uint64_t bytes = 0;
      if (netcdf_ && name == run_files::trajectories) {
        netcdf_->commit();
        bytes = netcdf_->size();
      } else {
        auto it = std::find_if(files_.begin(), files_.end(),
                               [&](const auto& f) { return f.first == name; });
        if (it == files_.end()) continue;
        it->second->commit();
        bytes = it->second->size();
      }
      names.emplace_back(name);
      written.push_back(boost::json::object{{"name", std::string(name)}, {"bytes", bytes}});
    }
    return written;
  }

 private:
  detail::AtomicFile& open(const fs::path& dir, std::string_view name, std::string_view header) {
    files_.emplace_back(std::string(name), std::make_unique<detail::AtomicFile>(dir / name));
    files_.back().second->write(header);
    return *files_.back().second;
  }

  std::vector<std::pair<std::string, std::unique_ptr<detail::AtomicFile>>> files_;
  std::unique_ptr<detail::NetcdfWriter> netcdf_;
  detail::AtomicFile *actors_ = nullptr, *relations_ = nullptr, *issues_ = nullptr;
  detail::AtomicFile *events_ = nullptr, *drivers_ = nullptr, *position_drivers_ = nullptr;
};

// summary.csv and shares.csv over the ensemble: every step, every observable.
std::pair<std::string, std::string> summary_texts(const Scenario& s, const Labels& labels,
                                                  const SummaryAccumulator& summary) {
  const std::string step_cols = date_header(s);
  std::string numeric = step_cols + "observable,mean,sd,p05,p25,p50,p75,p95\n";
  std::string shares = step_cols + "observable,value,share\n";
  const auto& obs = s.output.observables;
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> cats;
  for (const auto& o : obs) {
    names.push_back(escaped(to_string(o, s)) + ",");
    cats.push_back(o.categorical() ? categories(o, s) : std::vector<std::string>{});
  }
  for (int t = 0; t <= s.steps; ++t) {
    const std::string& prefix = labels.step_prefix[static_cast<std::size_t>(t)];
    for (std::size_t o = 0; o < obs.size(); ++o) {
      if (obs[o].categorical()) {
        const auto share = summary.shares(t, static_cast<int>(o), static_cast<int>(cats[o].size()));
        for (std::size_t k = 0; k < cats[o].size(); ++k) {
          shares += prefix + names[o];
          append_field(shares, cats[o][k]);
          shares += ',';
          append_double(shares, share[k]);
          shares += '\n';
        }
      } else {
        const Stats st = summary.stats(t, static_cast<int>(o));
        numeric += prefix + names[o];
        append_double(numeric, st.mean);
        numeric += ',';
        append_double(numeric, st.sd);
        for (double q : st.quantile) {
          numeric += ',';
          append_double(numeric, q);
        }
        numeric += '\n';
      }
    }
  }
  return {std::move(numeric), std::move(shares)};
}

std::string relations_text(const Scenario& s) {
  if (s.output.relations_all) return "all";
  if (s.output.relations.empty()) return "none";
  std::string out;
  for (const auto& [i, j] : s.output.relations) {
    if (!out.empty()) out += ' ';
    out +=
        s.actors[static_cast<std::size_t>(i)].id + ">" + s.actors[static_cast<std::size_t>(j)].id;
  }
  return out;
}

boost::json::object manifest_json(const Scenario& s, const RunSettings& settings,
                                  const Provenance& provenance, const RunReport& report,
                                  const std::string& started, boost::json::array written) {
  boost::json::object manifest = detail::start_manifest(provenance.command_line);
  manifest["scenario"] = s.name;
  manifest["seed"] = s.seed;
  manifest["runs"] = s.runs;
  manifest["steps"] = s.steps;
  manifest["step_unit"] = std::string(to_string(s.step_unit));
  if (s.start) manifest["start"] = to_string(*s.start);
  manifest["seeding"] =
      "run r uses run_seed(seed, r) = splitmix64(splitmix64(seed) ^ splitmix64(r + 1))";
  manifest["drivers"] = settings.drivers;
  manifest["blocs_heuristic"] = report.blocs_heuristic;
  manifest["format"] = run_files::format_name(s.output.format);
  manifest["every"] = s.output.every;
  manifest["relations"] = relations_text(s);
  boost::json::array inputs;
  for (const auto& f : provenance.inputs)
    inputs.push_back(boost::json::object{{"path", f.path}, {"sha256", f.sha256}});
  manifest["inputs"] = std::move(inputs);
  manifest["resolved_scenario"] = to_toml(s);
  manifest["started"] = started;
  manifest["finished"] = utc_now();
  written.push_back(boost::json::object{{"name", std::string(run_files::manifest)}});
  manifest["files"] = std::move(written);
  return manifest;
}

RunReport write_run(const Model& model, const RunSettings& settings, const fs::path& directory,
                    const Provenance& provenance) {
  const Scenario& s = *model.scenario;
  const std::string started = utc_now();
  detail::StagedDirectory staged(directory);
  const fs::path& dir = staged.staging();
  const bool with_blocs = s.output.blocs;
  const Labels labels = make_labels(model);
  const Thinning thinning = make_thinning(s);

  // The summary's values spill into the staging directory beyond its budget.
  RunReport report{
      directory,
      {},
      SummaryAccumulator(s.output.observables, s.steps, s.runs, dir, settings.summary_memory),
      false};
  Outputs outputs(model, thinning, settings.drivers, dir);

  const int threads = settings.threads > 0 ? settings.threads : default_threads();
  const int window = 4 * threads;
  std::vector<Chunk> chunks;
  for (int k = 0; k < window; ++k) chunks.push_back(make_chunk(model, thinning, with_blocs));

  const std::size_t n_obs = s.output.observables.size();
  const int completed = for_each_run_ordered(
      s.runs, threads, window,
      [&](int run, int slot) {
        simulate_run(model, labels, thinning, run, settings.drivers, with_blocs,
                     chunks[static_cast<std::size_t>(slot)]);
      },
      [&](int run, int slot) {
        const Chunk& c = chunks[static_cast<std::size_t>(slot)];
        outputs.append(run, c);
        for (int t = 0; t <= s.steps; ++t) {
          report.summary.record(run, t, c.observed.data() + static_cast<std::size_t>(t) * n_obs);
        }
        report.blocs_heuristic = report.blocs_heuristic || c.heuristic;
        if (settings.progress) settings.progress(run + 1, s.runs);
      },
      settings.should_stop);
  if (completed < s.runs) {
    throw Interrupted("interrupted after " + std::to_string(completed) + " of " +
                      std::to_string(s.runs) + " runs; nothing was written and " +
                      directory.string() + " is as it was");
  }

  report.summary.finish();
  const auto [summary, shares] = summary_texts(s, labels, report.summary);
  outputs.add(dir, run_files::summary, summary);
  outputs.add(dir, run_files::shares, shares);
  boost::json::array written = outputs.commit(s.output.format, settings.drivers, report.files);
  const boost::json::object manifest =
      manifest_json(s, settings, provenance, report, started, std::move(written));
  detail::write_file_atomically(dir / run_files::manifest, boost::json::serialize(manifest) + "\n");
  report.files.emplace_back(run_files::manifest);
  staged.commit();
  return report;
}

}  // namespace

RunReport run_to_directory(const Model& model, const RunSettings& settings,
                           const fs::path& directory, const Provenance& provenance) {
  try {
    return write_run(model, settings, directory, provenance);
  } catch (const InputError&) {
    throw;
  } catch (const Interrupted&) {
    throw;
  } catch (const std::runtime_error& e) {
    // A write failed (a full disk): say that the earlier output is intact.
    throw std::runtime_error(std::string(e.what()) + "; nothing was written and " +
                             directory.string() + " is as it was");
  }
}

}  // namespace entente
