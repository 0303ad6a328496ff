// Writing an ensemble run (MODEL.md §6). Workers simulate runs and format
// their rows into the run's buffers (labels formatted once, numbers
// by detail::write_shortest); the calling thread appends the buffers to the
// files in run order. The step itself never writes.
#include "entente/run/output.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <memory>

#include "entente/model/events.hpp"
#include "entente/model/simulation.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/util/date.hpp"
#include "run/row_text.hpp"
#include "util/atomic_file.hpp"
#include "util/csv.hpp"
#include "util/format.hpp"
#include "util/sha256.hpp"

namespace entente {

namespace fs = std::filesystem;
using detail::append_double;
using detail::append_field;

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
  std::vector<double> observed;  // (steps + 1) × observables
  std::string prefix;            // the current rows' "run,step[,date],"
  bool heuristic = false;
};

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

void record_state(const Model& model, const Labels& l, int run, const Simulation& sim, Chunk& c,
                  bool with_blocs) {
  const State& st = sim.state();
  const Scenario& s = *model.scenario;
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
      if (i == j) continue;
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
  if (st.step > 0 && !sim.fired().empty()) {
    p = c.events.room(sim.fired().size() * row);
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

void simulate_run(const Model& model, const Labels& labels, int run, bool drivers, bool with_blocs,
                  Chunk& c) {
  for (RowText* t :
       {&c.actors, &c.relations, &c.issues, &c.events, &c.drivers, &c.position_drivers}) {
    t->clear();
  }
  c.heuristic = false;
  Simulation sim(model, static_cast<std::uint64_t>(run), drivers);
  record_state(model, labels, run, sim, c, with_blocs);
  for (int t = 1; t <= model.scenario->steps; ++t) {
    sim.advance();
    record_state(model, labels, run, sim, c, with_blocs);
    if (drivers) record_drivers(model, labels, run, sim, c);
  }
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

RunReport write_run(const Model& model, const RunSettings& settings, const fs::path& directory,
                    const Provenance& provenance) {
  const Scenario& s = *model.scenario;
  const std::string started = utc_now();
  detail::StagedDirectory staged(directory);
  const fs::path& dir = staged.staging();
  const bool with_blocs = s.output.blocs;
  const Labels labels = make_labels(model);
  const std::string step_cols = date_header(s);

  RunReport report{directory, {}, SummaryAccumulator(s.output.observables, s.steps, s.runs), false};

  struct Output {
    std::string name;
    std::unique_ptr<detail::AtomicFile> file;
  };
  std::vector<Output> files;
  const auto open = [&](const std::string& name, const std::string& header) -> detail::AtomicFile& {
    files.push_back({name, std::make_unique<detail::AtomicFile>(dir / name)});
    files.back().file->write(header);
    return *files.back().file;
  };
  std::string actor_header = "run," + step_cols + "actor";
  for (const auto& a : s.axes) actor_header += "," + escaped(a.id);
  if (with_blocs) actor_header += ",bloc";
  auto& actors = open("actors.csv", actor_header + "\n");
  auto& relations = open("relations.csv", "run," + step_cols + "from,to,affinity\n");
  auto& issues = open("issues.csv", "run," + step_cols + "issue,regime\n");
  auto& events = open("events.csv", "run," + step_cols + "event,detail\n");
  detail::AtomicFile* drivers = nullptr;
  detail::AtomicFile* position_drivers = nullptr;
  if (settings.drivers) {
    drivers = &open("drivers.csv", "run,step,from,to,driver,contribution\n");
    position_drivers = &open("position_drivers.csv", "run,step,actor,axis,driver,contribution\n");
  }

  const int threads = settings.threads > 0 ? settings.threads : default_threads();
  const int window = 4 * threads;
  std::vector<Chunk> chunks(static_cast<std::size_t>(window));
  for (auto& c : chunks)
    c.observed.assign(static_cast<std::size_t>(s.steps + 1) * s.output.observables.size(), 0.0);

  const int completed = for_each_run_ordered(
      s.runs, threads, window,
      [&](int run, int slot) {
        simulate_run(model, labels, run, settings.drivers, with_blocs,
                     chunks[static_cast<std::size_t>(slot)]);
      },
      [&](int run, int slot) {
        Chunk& c = chunks[static_cast<std::size_t>(slot)];
        actors.write(c.actors.view());
        relations.write(c.relations.view());
        issues.write(c.issues.view());
        events.write(c.events.view());
        if (drivers) drivers->write(c.drivers.view());
        if (position_drivers) position_drivers->write(c.position_drivers.view());
        const std::size_t n_obs = s.output.observables.size();
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

  // summary.csv and shares.csv, over the ensemble.
  std::string summary = step_cols + "observable,mean,sd,p05,p25,p50,p75,p95\n";
  std::string shares = step_cols + "observable,value,share\n";
  const auto& obs = s.output.observables;
  for (int t = 0; t <= s.steps; ++t) {
    for (std::size_t o = 0; o < obs.size(); ++o) {
      const std::string name = escaped(to_string(obs[o], s));
      if (obs[o].categorical()) {
        const auto cats = categories(obs[o], s);
        const auto share =
            report.summary.shares(t, static_cast<int>(o), static_cast<int>(cats.size()), s.runs);
        for (std::size_t k = 0; k < cats.size(); ++k) {
          shares += labels.step_prefix[static_cast<std::size_t>(t)] + name + ",";
          append_field(shares, cats[k]);
          shares += ',';
          append_double(shares, share[k]);
          shares += '\n';
        }
      } else {
        const Stats st = report.summary.stats(t, static_cast<int>(o), s.runs);
        summary += labels.step_prefix[static_cast<std::size_t>(t)] + name + ",";
        append_double(summary, st.mean);
        summary += ',';
        append_double(summary, st.sd);
        for (double q : st.quantile) {
          summary += ',';
          append_double(summary, q);
        }
        summary += '\n';
      }
    }
  }
  open("summary.csv", summary);
  open("shares.csv", shares);

  boost::json::array written;
  for (auto& f : files) {
    f.file->commit();
    report.files.push_back(f.name);
    written.push_back(boost::json::object{{"name", f.name}, {"bytes", f.file->size()}});
  }

  boost::json::object manifest;
  manifest["engine"] = "entente";
  manifest["version"] = ENTENTE_VERSION;
  boost::json::array command;
  for (const auto& a : provenance.command_line) command.push_back(boost::json::value(a));
  manifest["command"] = std::move(command);
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
  boost::json::array inputs;
  for (const auto& f : provenance.inputs)
    inputs.push_back(boost::json::object{{"path", f.path}, {"sha256", f.sha256}});
  manifest["inputs"] = std::move(inputs);
  manifest["resolved_scenario"] = to_toml(s);
  manifest["started"] = started;
  manifest["finished"] = utc_now();
  written.push_back(boost::json::object{{"name", "manifest.json"}});
  manifest["files"] = std::move(written);
  detail::write_file_atomically(dir / "manifest.json", boost::json::serialize(manifest) + "\n");
  report.files.push_back("manifest.json");
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
