// The C++ half of the Python module `entente` (docs/python.md): a thin front
// end over the library, like the CLI. It loads scenarios, runs ensembles into
// numpy arrays it allocates once, and hands tables to entente/__init__.py as
// columns; the package builds the xarray and pandas objects. Long calls
// release the GIL; the calling thread takes it back a few times a second to
// report progress and to see Ctrl-C (PyErr_CheckSignals).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "entente/model/model.hpp"
#include "entente/model/observable.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/run/ensemble_memory.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/sweep/analyze.hpp"
#include "entente/sweep/calibrate.hpp"
#include "entente/sweep/sweep.hpp"
#include "entente/util/date.hpp"
#include "entente/util/diagnostics.hpp"
#include "entente/workshop/compare.hpp"

namespace py = pybind11;

namespace entente::python {

namespace {

// A loaded scenario and what it was loaded from.
struct LoadedHandle {
  std::shared_ptr<const LoadedScenario> loaded;
  std::string path;
  std::vector<std::string> sets;
};

LoadedHandle load(const std::string& path, const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  for (const auto& s : sets) overrides.push_back(parse_override(s));
  LoadedHandle h;
  {
    py::gil_scoped_release release;
    h.loaded = std::make_shared<const LoadedScenario>(load_scenario(path, overrides));
  }
  h.path = path;
  h.sets = sets;
  return h;
}

// The scenario with the call's runs and seed (< 0: the scenario's), as
// `--runs` and `--seed` would set them.
Scenario with_runs_seed(const Scenario& base, long long runs, long long seed) {
  Scenario s = base;
  if (runs > 0) s.runs = static_cast<int>(runs);
  if (seed >= 0) s.seed = static_cast<std::uint64_t>(seed);
  return s;
}

// Progress and Ctrl-C for a call that runs with the GIL released. on_commit
// runs on the calling (committing) thread; at most every 0.1 s, and for the
// last run, it takes the GIL, calls the Python progress callback and checks
// for signals. A pending KeyboardInterrupt (or an exception of the callback)
// is kept and rethrown once the library has stopped and cleaned up.
class Watch {
 public:
  explicit Watch(py::object progress) : progress_(std::move(progress)) {}

  void on_commit(long long done, long long total) {
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    py::gil_scoped_acquire gil;
    if (error_) return;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!progress_.is_none()) progress_(done, total);
    } catch (py::error_already_set& e) {
      error_ = std::make_unique<py::error_already_set>(std::move(e));
    }
  }
  bool stop() const { return error_ != nullptr; }
  // Rethrows the kept Python exception, if any.
  void rethrow() {
    if (error_) {
      auto e = std::move(error_);
      throw std::move(*e);
    }
  }
  EnsembleControl control(int threads) {
    EnsembleControl c;
    c.threads = threads;
    c.progress = [this](int done, int total) { on_commit(done, total); };
    c.should_stop = [this] { return stop(); };
    return c;
  }

 private:
  py::object progress_;
  std::chrono::steady_clock::time_point last_{};
  std::unique_ptr<py::error_already_set> error_;
};

// Runs `f` with the GIL released; a stop requested through `watch` comes
// back as the Python exception that caused it.
template <class F>
auto released(Watch& watch, F&& f) -> decltype(f()) {
  try {
    py::gil_scoped_release release;
    return f();
  } catch (const Interrupted&) {
    watch.rethrow();
    throw;
  } catch (py::error_already_set&) {
    throw;
  } catch (...) {
    // A library error after a stop request: the request wins.
    if (watch.stop()) watch.rethrow();
    throw;
  }
}

template <class T>
py::array_t<T> array(std::vector<py::ssize_t> shape) {
  return py::array_t<T>(shape);
}

std::vector<std::string> ids_of_actors(const Scenario& s) {
  std::vector<std::string> out;
  for (const auto& a : s.actors) out.push_back(a.id);
  return out;
}

py::dict describe(const LoadedHandle& h) {
  const Scenario& s = h.loaded->scenario;
  py::dict d;
  d["name"] = s.name;
  d["description"] = s.description;
  d["steps"] = s.steps;
  d["runs"] = s.runs;
  d["seed"] = s.seed;
  d["step_unit"] = std::string(to_string(s.step_unit));
  d["start"] = s.start ? py::object(py::str(to_string(*s.start))) : py::object(py::none());
  d["actors"] = ids_of_actors(s);
  std::vector<std::string> actor_names, axes, issues;
  for (const auto& a : s.actors) actor_names.push_back(a.name);
  for (const auto& a : s.axes) axes.push_back(a.id);
  std::vector<std::vector<std::string>> options;
  for (const auto& q : s.issues) {
    issues.push_back(q.id);
    options.push_back(q.options);
  }
  std::vector<std::string> events, observables;
  for (const auto& e : s.events) events.push_back(e.id);
  for (const auto& o : s.output.observables) observables.push_back(to_string(o, s));
  d["actor_names"] = actor_names;
  d["axes"] = axes;
  d["issues"] = issues;
  d["options"] = options;
  d["events"] = events;
  d["observables"] = observables;
  d["blocs"] = s.output.blocs;
  std::vector<std::string> dates;
  if (s.start) {
    for (int t = 0; t <= s.steps; ++t) dates.push_back(step_date(*s.start, s.step_unit, t));
  }
  d["dates"] = dates;
  std::vector<std::string> warnings;
  for (const auto& w : h.loaded->warnings) warnings.push_back(to_string(w));
  d["warnings"] = warnings;
  std::vector<std::string> files;
  for (const auto& f : h.loaded->files) files.push_back(f.path);
  d["files"] = files;
  return d;
}

std::vector<std::string> date_labels(const Scenario& s) {
  std::vector<std::string> dates;
  if (s.start) {
    for (int t = 0; t <= s.steps; ++t) dates.push_back(step_date(*s.start, s.step_unit, t));
  }
  return dates;
}

// summary.csv and shares.csv of an accumulator, as columns.
py::dict summary_tables(const Scenario& s, const SummaryAccumulator& acc) {
  std::vector<int> step, share_step;
  std::vector<std::string> name, share_name, value;
  std::vector<double> mean, sd, share;
  std::vector<std::vector<double>> q(5);
  const auto& obs = s.output.observables;
  for (int t = 0; t <= s.steps; ++t) {
    for (std::size_t o = 0; o < obs.size(); ++o) {
      const std::string label = to_string(obs[o], s);
      if (obs[o].categorical()) {
        const auto cats = categories(obs[o], s);
        const auto sh = acc.shares(t, static_cast<int>(o), static_cast<int>(cats.size()));
        for (std::size_t k = 0; k < cats.size(); ++k) {
          share_step.push_back(t);
          share_name.push_back(label);
          value.push_back(cats[k]);
          share.push_back(sh[k]);
        }
      } else {
        const Stats st = acc.stats(t, static_cast<int>(o));
        step.push_back(t);
        name.push_back(label);
        mean.push_back(st.mean);
        sd.push_back(st.sd);
        for (std::size_t k = 0; k < 5; ++k) q[k].push_back(st.quantile[k]);
      }
    }
  }
  py::dict summary, shares;
  summary["step"] = py::array(py::cast(step));
  summary["observable"] = name;
  summary["mean"] = py::array(py::cast(mean));
  summary["sd"] = py::array(py::cast(sd));
  const char* qn[] = {"p05", "p25", "p50", "p75", "p95"};
  for (std::size_t k = 0; k < 5; ++k) summary[qn[k]] = py::array(py::cast(q[k]));
  shares["step"] = py::array(py::cast(share_step));
  shares["observable"] = share_name;
  shares["value"] = value;
  shares["share"] = py::array(py::cast(share));
  py::dict out;
  out["summary"] = summary;
  out["shares"] = shares;
  out["dates"] = date_labels(s);
  return out;
}

py::dict run(const LoadedHandle& h, long long runs, long long seed, int threads, bool drivers,
             bool trajectories, py::object progress) {
  const Scenario s = with_runs_seed(h.loaded->scenario, runs, seed);
  const Model model = compile(s);
  const auto R = static_cast<py::ssize_t>(s.runs), T = static_cast<py::ssize_t>(s.steps + 1),
             N = static_cast<py::ssize_t>(model.n), K = static_cast<py::ssize_t>(model.k),
             Q = static_cast<py::ssize_t>(model.q);
  py::dict out;
  EnsembleArrays arrays;
  if (trajectories) {
    auto position = array<double>({R, T, N, K});
    auto affinity = array<double>({R, T, N, N});
    auto regime = array<std::int32_t>({R, T, Q});
    arrays.position = position.mutable_data();
    arrays.affinity = affinity.mutable_data();
    arrays.regime = regime.mutable_data();
    out["position"] = position;
    out["affinity"] = affinity;
    out["regime"] = regime;
    if (s.output.blocs) {
      auto bloc = array<std::int32_t>({R, T, N});
      arrays.bloc = bloc.mutable_data();
      out["bloc"] = bloc;
    }
  }
  if (drivers) {
    const auto affinity_labels = affinity_driver_labels(s);
    const auto position_labels = position_driver_labels(s);
    auto ad = array<double>({R, T, N, N, static_cast<py::ssize_t>(affinity_labels.size())});
    auto pd = array<double>({R, T, N, K, static_cast<py::ssize_t>(position_labels.size())});
    arrays.affinity_drivers = ad.mutable_data();
    arrays.position_drivers = pd.mutable_data();
    out["affinity_driver"] = ad;
    out["position_driver"] = pd;
    out["affinity_driver_labels"] = affinity_labels;
    out["position_driver_labels"] = position_labels;
  }
  Watch watch(std::move(progress));
  const EnsembleResult result =
      released(watch, [&] { return run_into_memory(model, arrays, watch.control(threads)); });
  out["tables"] = summary_tables(s, result.summary);
  out["runs"] = s.runs;
  out["seed"] = s.seed;
  out["steps"] = s.steps;
  out["blocs_heuristic"] = result.blocs_heuristic;
  out["version"] = ENTENTE_VERSION;
  return out;
}

// One input of compare: a LoadedHandle, or a path (a scenario file or a
// directory written by `entente run`).
py::dict compare_inputs(const std::vector<py::object>& inputs, long long runs, long long seed,
                        int threads, py::object progress) {
  std::vector<Override> overrides;
  if (runs > 0) overrides.push_back(parse_override("scenario.runs=" + std::to_string(runs)));
  if (seed >= 0) overrides.push_back(parse_override("scenario.seed=" + std::to_string(seed)));
  struct Input {
    std::optional<Scenario> scenario;
    std::string source;
  };
  std::vector<Input> plan;
  std::vector<Trajectories> done;
  std::vector<std::string> warnings;
  for (const auto& in : inputs) {
    if (py::isinstance<LoadedHandle>(in)) {
      const auto& h = in.cast<const LoadedHandle&>();
      plan.push_back({with_runs_seed(h.loaded->scenario, runs, seed), h.path});
      continue;
    }
    const std::string path = in.cast<std::string>();
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      plan.push_back({std::nullopt, path});
    } else {
      LoadedScenario loaded;
      {
        py::gil_scoped_release release;
        loaded = load_scenario(path, overrides);
      }
      for (const auto& w : loaded.warnings) warnings.push_back(to_string(w));
      plan.push_back({std::move(loaded.scenario), path});
    }
  }
  long long total = 0;
  for (const auto& p : plan) total += p.scenario ? p.scenario->runs : 0;
  Watch watch(std::move(progress));
  const Comparison c = released(watch, [&] {
    long long before = 0;
    for (const auto& p : plan) {
      if (!p.scenario) {
        done.push_back(read_run_directory(p.source));
        continue;
      }
      EnsembleControl control = watch.control(threads);
      control.progress = [&](int d, int) { watch.on_commit(before + d, total); };
      done.push_back(simulate_trajectories(*p.scenario, p.source, control));
      before += p.scenario->runs;
    }
    return compare(done);
  });
  // compare.csv and compare_shares.csv, as columns.
  std::vector<int> step, share_step;
  std::vector<std::string> name, scenario, share_name, share_value, share_scenario;
  std::vector<std::vector<double>> num(9);
  std::vector<double> base_share, share, change;
  for (int t = 0; t <= c.steps; ++t) {
    for (std::size_t o = 0; o < c.names.size(); ++o) {
      for (std::size_t k = 1; k < c.labels.size(); ++k) {
        if (c.categories[o].empty()) {
          const PairedDifference& d = c.numeric[k - 1][o][static_cast<std::size_t>(t)];
          step.push_back(t);
          name.push_back(c.names[o]);
          scenario.push_back(c.labels[k]);
          const double v[9] = {d.base_mean, d.other_mean, d.mean, d.sd,        d.ci_low,
                               d.ci_high,   d.p05,        d.p95,  d.p_positive};
          for (std::size_t i = 0; i < 9; ++i) num[i].push_back(v[i]);
          continue;
        }
        for (std::size_t cat = 0; cat < c.categories[o].size(); ++cat) {
          const double a = c.shares[0][o][static_cast<std::size_t>(t)][cat];
          const double b = c.shares[k][o][static_cast<std::size_t>(t)][cat];
          share_step.push_back(t);
          share_name.push_back(c.names[o]);
          share_value.push_back(c.categories[o][cat]);
          share_scenario.push_back(c.labels[k]);
          base_share.push_back(a);
          share.push_back(b);
          change.push_back(b - a);
        }
      }
    }
  }
  py::dict numeric, shares;
  numeric["step"] = py::array(py::cast(step));
  numeric["observable"] = name;
  numeric["scenario"] = scenario;
  const char* cols[] = {"base_mean", "mean", "difference", "sd",        "ci05",
                        "ci95",      "p05",  "p95",        "p_positive"};
  for (std::size_t i = 0; i < 9; ++i) numeric[cols[i]] = py::array(py::cast(num[i]));
  shares["step"] = py::array(py::cast(share_step));
  shares["observable"] = share_name;
  shares["value"] = share_value;
  shares["scenario"] = share_scenario;
  shares["base_share"] = py::array(py::cast(base_share));
  shares["share"] = py::array(py::cast(share));
  shares["change"] = py::array(py::cast(change));
  py::dict out;
  out["compare"] = numeric;
  out["shares"] = shares;
  out["dates"] = date_labels(*c.scenario);
  out["labels"] = c.labels;
  out["warnings"] = warnings;
  return out;
}

py::dict sweep(const std::string& path, const std::string& dir, int threads, bool resume,
               py::object progress) {
  std::optional<Sweep> sw;
  {
    py::gil_scoped_release release;
    sw.emplace(load_sweep(path));
  }
  std::vector<std::string> warnings;
  for (const auto& w : sw->scenario.base().warnings) warnings.push_back(to_string(w));
  Watch watch(std::move(progress));
  SweepSettings settings;
  settings.threads = threads;
  settings.resume = resume;
  settings.command_line = {"python", "entente.sweep", path};
  settings.progress = [&](long long done, long long total) { watch.on_commit(done, total); };
  settings.should_stop = [&] { return watch.stop(); };
  const SweepReport report = released(watch, [&] { return run_sweep(*sw, dir, settings); });
  py::dict out;
  out["name"] = sw->name;
  out["points"] = report.points;
  out["runs"] = report.runs;
  out["resumed_from"] = report.resumed_from;
  out["files"] = report.files;
  out["warnings"] = warnings;
  return out;
}

// `entente calibrate`: fits the calibration file's parameters and writes its
// directory (best.toml, fit.csv, trace.csv, profile.csv, manifest.json) as
// the CLI does. A Ctrl-C keeps the best point found, writes it, and then
// comes back as KeyboardInterrupt.
py::dict calibrate_file(const std::string& path, const std::string& dir, int threads,
                        int profile_points, py::object progress) {
  std::optional<Calibration> cal;
  {
    py::gil_scoped_release release;
    cal.emplace(load_calibration(path));
  }
  std::vector<std::string> warnings;
  for (const auto& w : cal->scenario.base().warnings) warnings.push_back(to_string(w));
  Watch watch(std::move(progress));
  CalibrationSettings settings;
  settings.threads = threads;
  settings.profile_points = profile_points;
  const long long budget = cal->max_evaluations;
  settings.progress = [&](const CalibrationProgress& p) {
    watch.on_commit(std::min<long long>(p.evaluations, budget), budget);
  };
  settings.should_stop = [&] { return watch.stop(); };
  const CalibrationResult result = released(watch, [&] {
    CalibrationResult r = calibrate(*cal, settings);
    write_calibration(*cal, r, dir, {"python", "entente.calibrate", path});
    return r;
  });
  watch.rethrow();
  py::dict out;
  out["name"] = cal->name;
  std::vector<std::string> paths;
  for (const auto& p : cal->parameters) paths.push_back(p.path);
  out["parameters"] = paths;
  out["best"] = result.best;
  out["loss"] = result.loss;
  out["evaluations"] = result.evaluations;
  out["warnings"] = warnings;
  return out;
}

py::dict analyze_dir(const std::string& dir, const std::string& method, int bootstrap,
                     long long seed) {
  const SweepResults r = read_sweep_results(dir);
  const std::string m = method.empty() ? default_method(r) : method;
  Analysis a;
  {
    py::gil_scoped_release release;
    a = analyze(r, m, bootstrap, static_cast<std::uint64_t>(seed));
  }
  std::vector<std::string> output, parameter;
  std::vector<int> rank;
  std::vector<std::vector<double>> values(a.columns.size());
  std::string last;
  int k = 0;
  for (const auto& row : a.rows) {
    k = row.output == last ? k + 1 : 1;
    last = row.output;
    output.push_back(row.output);
    rank.push_back(k);
    parameter.push_back(row.parameter);
    for (std::size_t c = 0; c < a.columns.size(); ++c) values[c].push_back(row.values[c]);
  }
  py::dict table;
  table["output"] = output;
  table["rank"] = py::array(py::cast(rank));
  table["parameter"] = parameter;
  for (std::size_t c = 0; c < a.columns.size(); ++c)
    table[py::str(a.columns[c])] = py::array(py::cast(values[c]));
  py::dict out;
  out["method"] = m;
  out["table"] = table;
  out["columns"] = a.columns;
  out["points"] = static_cast<long long>(r.x.rows());
  return out;
}

}  // namespace

}  // namespace entente::python

PYBIND11_MODULE(_entente, m) {
  using namespace entente::python;
  namespace e = entente;
  m.doc() = "The C++ half of the entente package (see entente/__init__.py and docs/python.md)";

  // InputError → entente.ScenarioError (a ValueError) with file, line and
  // column; the message is the CLI's `FILE:LINE:COL: error: …`.
  static py::exception<e::InputError> scenario_error(m, "ScenarioError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const e::InputError& err) {
      py::object value = py::handle(scenario_error.ptr())(err.what());
      value.attr("file") = err.where().file;
      value.attr("line") = err.where().line;
      value.attr("column") = err.where().column;
      value.attr("message") = err.message();
      PyErr_SetObject(scenario_error.ptr(), value.ptr());
    } catch (const e::Interrupted& err) {
      PyErr_SetString(PyExc_KeyboardInterrupt, err.what());
    }
  });

  py::class_<LoadedHandle>(m, "LoadedScenario")
      .def_readonly("path", &LoadedHandle::path)
      .def_readonly("sets", &LoadedHandle::sets)
      .def("describe", &describe)
      .def("to_toml", [](const LoadedHandle& h) { return e::to_toml(h.loaded->scenario); });
  m.def("load", &load, py::arg("path"), py::arg("sets"));
  m.def("run", &run, py::arg("scenario"), py::arg("runs"), py::arg("seed"), py::arg("threads"),
        py::arg("drivers"), py::arg("trajectories"), py::arg("progress"));
  m.def("compare", &compare_inputs, py::arg("inputs"), py::arg("runs"), py::arg("seed"),
        py::arg("threads"), py::arg("progress"));
  m.def("sweep", &sweep, py::arg("path"), py::arg("directory"), py::arg("threads"),
        py::arg("resume"), py::arg("progress"));
  m.def("analyze", &analyze_dir, py::arg("directory"), py::arg("method"), py::arg("bootstrap"),
        py::arg("seed"));
  m.def("calibrate", &calibrate_file, py::arg("path"), py::arg("directory"), py::arg("threads"),
        py::arg("profile_points"), py::arg("progress"));
  m.def("default_threads", &e::default_threads);
  m.attr("version") = ENTENTE_VERSION;
}
