// Writing an ensemble run (MODEL.md §6). Workers simulate and format a run's
// rows into that run's buffers; the calling thread appends the buffers to the
// files in run order. The step itself never writes.
#include "entente/output.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <memory>

#include "detail/atomic_file.hpp"
#include "detail/csv.hpp"
#include "detail/format.hpp"
#include "detail/sha256.hpp"
#include "entente/date.hpp"
#include "entente/ensemble.hpp"
#include "entente/events.hpp"
#include "entente/simulation.hpp"

namespace entente {

namespace fs = std::filesystem;
using detail::append_double;
using detail::append_field;
using detail::append_int;

namespace {

using detail::utc_now;

// A run's rows, formatted by a worker, appended in run order.
struct RunChunk {
  std::string actors, relations, issues, events, drivers, position_drivers;
  std::vector<double> observed;  // (steps + 1) × observables
  bool heuristic = false;
};

// Everything about the scenario's names that rows repeat, formatted once.
struct Labels {
  std::vector<std::string> step_prefix;  // "step[,date],"
  std::vector<std::string> actor;        // ids, CSV-escaped
  std::vector<std::string> axis;
  std::vector<std::string> issue;
  std::vector<std::vector<std::string>> option;
  std::vector<std::string> event;
  std::vector<std::string> event_driver;     // "event:<id>"
  std::vector<std::string> affinity_driver;  // per slot
  std::vector<std::string> position_driver;  // per slot
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
    if (s.start) p += step_date(*s.start, s.step_unit, t) + ",";
    l.step_prefix.push_back(std::move(p));
  }
  for (const auto& a : s.actors) l.actor.push_back(escaped(a.id));
  for (const auto& a : s.axes) l.axis.push_back(escaped(a.id));
  for (const auto& q : s.issues) {
    l.issue.push_back(escaped(q.id));
    std::vector<std::string> opts;
    for (const auto& o : q.options) opts.push_back(escaped(o));
    l.option.push_back(std::move(opts));
  }
  for (const auto& e : s.events) {
    l.event.push_back(escaped(e.id));
    l.event_driver.push_back(escaped("event:" + e.id));
  }
  for (const auto& name : affinity_driver_names(s)) l.affinity_driver.push_back(escaped(name));
  for (const auto& name : position_driver_names(s)) l.position_driver.push_back(escaped(name));
  return l;
}

void record_state(const Model& model, const Labels& l, int run, const Simulation& sim, RunChunk& c,
                  bool with_blocs) {
  const State& st = sim.state();
  const Scenario& s = *model.scenario;
  std::string run_prefix;
  append_int(run_prefix, run);
  run_prefix += ',';
  run_prefix += l.step_prefix[static_cast<std::size_t>(st.step)];
  for (int i = 0; i < model.n; ++i) {
    c.actors += run_prefix;
    c.actors += l.actor[static_cast<std::size_t>(i)];
    for (int a = 0; a < model.k; ++a) {
      c.actors += ',';
      append_double(c.actors, st.x(i, a));
    }
    if (with_blocs) c.actors += st.bloc[static_cast<std::size_t>(i)] == 0 ? ",A" : ",B";
    c.actors += '\n';
  }
  for (int i = 0; i < model.n; ++i) {
    for (int j = 0; j < model.n; ++j) {
      if (i == j) continue;
      c.relations += run_prefix;
      c.relations += l.actor[static_cast<std::size_t>(i)];
      c.relations += ',';
      c.relations += l.actor[static_cast<std::size_t>(j)];
      c.relations += ',';
      append_double(c.relations, st.R(i, j));
      c.relations += '\n';
    }
  }
  for (int q = 0; q < model.q; ++q) {
    c.issues += run_prefix;
    c.issues += l.issue[static_cast<std::size_t>(q)];
    c.issues += ',';
    c.issues += l.option[static_cast<std::size_t>(q)]
                        [static_cast<std::size_t>(st.regime[static_cast<std::size_t>(q)])];
    c.issues += '\n';
  }
  if (st.step > 0) {
    for (int e : sim.fired()) {
      c.events += run_prefix;
      c.events += l.event[static_cast<std::size_t>(e)];
      c.events += ',';
      append_field(c.events, describe(s.events[static_cast<std::size_t>(e)].effects, s));
      c.events += '\n';
    }
  }
  const auto& obs = s.output.observables;
  for (std::size_t o = 0; o < obs.size(); ++o) {
    c.observed[static_cast<std::size_t>(st.step) * obs.size() + o] = observe(model, st, obs[o]);
  }
  c.heuristic = c.heuristic || st.blocs_heuristic;
}

void driver_row(std::string& out, int run, int step, const std::string& a, const std::string& b,
                const std::string& driver, double value) {
  if (value == 0.0) return;  // rows with no contribution are left out
  append_int(out, run);
  out += ',';
  append_int(out, step);
  out += ',';
  out += a;
  out += ',';
  out += b;
  out += ',';
  out += driver;
  out += ',';
  append_double(out, value);
  out += '\n';
}

void record_drivers(const Model& model, const Labels& l, int run, const Simulation& sim,
                    RunChunk& c) {
  const int t = sim.state().step, N = model.n, K = model.k;
  const StepDrivers& d = *sim.drivers();
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      if (i == j) continue;
      const auto& from = l.actor[static_cast<std::size_t>(i)];
      const auto& to = l.actor[static_cast<std::size_t>(j)];
      for (const auto& ev : sim.event_changes()) {
        driver_row(c.drivers, run, t, from, to, l.event_driver[static_cast<std::size_t>(ev.event)],
                   ev.affinity(i, j));
      }
      for (int slot = 0; slot < d.affinity.cols(); ++slot) {
        driver_row(c.drivers, run, t, from, to, l.affinity_driver[static_cast<std::size_t>(slot)],
                   d.affinity(i * N + j, slot));
      }
    }
  }
  for (int i = 0; i < N; ++i) {
    for (int a = 0; a < K; ++a) {
      const auto& actor = l.actor[static_cast<std::size_t>(i)];
      const auto& axis = l.axis[static_cast<std::size_t>(a)];
      for (const auto& ev : sim.event_changes()) {
        driver_row(c.position_drivers, run, t, actor, axis,
                   l.event_driver[static_cast<std::size_t>(ev.event)], ev.position(i, a));
      }
      for (int slot = 0; slot < d.position.cols(); ++slot) {
        if (slot == i) continue;  // an actor is not its own source
        driver_row(c.position_drivers, run, t, actor, axis,
                   l.position_driver[static_cast<std::size_t>(slot)], d.position(i * K + a, slot));
      }
    }
  }
}

void simulate_run(const Model& model, const Labels& labels, int run, bool drivers, bool with_blocs,
                  RunChunk& c) {
  c.actors.clear();
  c.relations.clear();
  c.issues.clear();
  c.events.clear();
  c.drivers.clear();
  c.position_drivers.clear();
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
  for (const auto& a : labels.axis) actor_header += "," + a;
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
  std::vector<RunChunk> chunks(static_cast<std::size_t>(window));
  for (auto& c : chunks)
    c.observed.assign(static_cast<std::size_t>(s.steps + 1) * s.output.observables.size(), 0.0);

  const int completed = for_each_run_ordered(
      s.runs, threads, window,
      [&](int run, int slot) {
        simulate_run(model, labels, run, settings.drivers, with_blocs,
                     chunks[static_cast<std::size_t>(slot)]);
      },
      [&](int run, int slot) {
        RunChunk& c = chunks[static_cast<std::size_t>(slot)];
        actors.write(c.actors);
        relations.write(c.relations);
        issues.write(c.issues);
        events.write(c.events);
        if (drivers) drivers->write(c.drivers);
        if (position_drivers) position_drivers->write(c.position_drivers);
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
