// Running a sweep into a directory (include/entente/sweep/sweep.hpp): design.csv,
// results.csv streamed in design order through for_each_run_ordered, the
// journal that makes --resume exact, and manifest.json.
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <ctime>

#include "entente/model/simulation.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/sweep/sweep.hpp"
#include "sweep/sweep_items.hpp"
#include "sweep/sweep_journal.hpp"
#include "util/atomic_file.hpp"
#include "util/csv.hpp"
#include "util/format.hpp"
#include "util/sha256.hpp"

namespace entente {

namespace {

namespace fs = std::filesystem;

using detail::utc_now;

std::string design_csv(const Sweep& sw) {
  std::string out = "point,seed";
  for (const auto& p : sw.design.parameters) {
    out += ',';
    detail::append_field(out, p.path);
  }
  out += '\n';
  for (int i = 0; i < sw.design.points(); ++i) {
    detail::append_int(out, i);
    out += ',';
    out += std::to_string(point_seed(sw.seed, static_cast<std::uint64_t>(i)));
    for (std::size_t k = 0; k < sw.design.parameters.size(); ++k) {
      out += ',';
      detail::append_field(out, parameter_label(sw.design.parameters[k],
                                                sw.design.values[static_cast<std::size_t>(i)][k]));
    }
    out += '\n';
  }
  return out;
}

std::string results_header(const Sweep& sw) {
  std::string out = "point,replicate,seed";
  for (const auto& p : sw.design.parameters) {
    out += ',';
    detail::append_field(out, p.path);
  }
  for (const auto& o : sw.outputs) out += "," + o.name;
  return out + '\n';
}

std::string outputs_text(const Sweep& sw) {
  std::string out;
  for (const auto& o : sw.outputs) {
    out += o.name + "|" + to_string(o.reducer) + "|" + o.text + "|" + std::to_string(o.at) + "|" +
           detail::format_double(o.never) + "\n";
  }
  return out;
}

// A parameter as the sweep file gave it, in the file's own terms (for the
// manifest and the report; a table design's parameters are just paths).
boost::json::object parameter_json(const ParameterSpec& p, DesignSpec::Kind design) {
  using K = ParameterSpec::Kind;
  boost::json::object o{{"path", p.path}};
  if (design == DesignSpec::Kind::table) return o;
  switch (p.kind) {
    case K::values: {
      boost::json::array v;
      for (const auto& l : p.labels) v.push_back(boost::json::value(l));
      o["values"] = std::move(v);
      break;
    }
    case K::range:
      o["range"] = boost::json::array{p.lo, p.hi};
      o["scale"] = p.log ? "log" : "linear";
      break;
    case K::normal:
      o["distribution"] = "normal";
      o["mean"] = p.mean;
      o["sd"] = p.sd;
      if (std::isfinite(p.lo) || std::isfinite(p.hi)) {
        o["bounds"] = boost::json::array{std::isfinite(p.lo) ? boost::json::value(p.lo) : nullptr,
                                         std::isfinite(p.hi) ? boost::json::value(p.hi) : nullptr};
      }
      break;
    case K::triangular:
      o["distribution"] = "triangular";
      o["min"] = p.lo;
      o["mode"] = p.mode;
      o["max"] = p.hi;
      break;
  }
  return o;
}

}  // namespace

SweepReport run_sweep(const Sweep& sw, const fs::path& dir, const SweepSettings& settings) {
  const std::string started = utc_now();
  const std::string design = design_csv(sw);
  const std::string header = results_header(sw);
  detail::SweepIdentity identity{
      {"engine_version", ENTENTE_VERSION},
      {"seed", std::to_string(sw.seed)},
      {"runs", std::to_string(sw.runs)},
      {"design_sha256", detail::sha256_hex(design)},
      {"scenario_sha256", detail::sha256_hex(to_toml(sw.scenario.base().scenario))},
      {"outputs_sha256", detail::sha256_hex(header + outputs_text(sw))},
  };
  const bool sharded = settings.shards > 0;
  if (sharded)
    identity.emplace_back("shard",
                          std::to_string(settings.shard) + "/" + std::to_string(settings.shards));
  detail::SweepJournal journal(dir, identity, header, settings.resume);

  const int points = sw.design.points();
  // This shard's design points [p0, p1) and work items [begin, end).
  const long long p0 =
      sharded ? static_cast<long long>(settings.shard) * points / settings.shards : 0;
  const long long p1 =
      sharded ? static_cast<long long>(settings.shard + 1) * points / settings.shards : points;
  const int per_point = detail::items_per_point(sw);
  const long long begin = p0 * per_point, end = p1 * per_point;
  const long long total_runs = (p1 - p0) * sw.runs;
  // Runs of this shard before global work item `item`.
  const auto runs_before = [&](long long item) {
    const long long point = item / per_point, chunk = item % per_point;
    return point * sw.runs + std::min<long long>(chunk * detail::kItemRuns, sw.runs) - p0 * sw.runs;
  };
  SweepReport report;
  report.points = p1 - p0;
  report.runs = total_runs;
  report.resumed_from = journal.resumed() ? runs_before(begin + journal.items_done()) : 0;
  if (journal.complete() && !journal.resumed()) {
    report.resumed_from = total_runs;
    report.files = {"design.csv", "results.csv", "manifest.json"};
    return report;
  }

  if (!journal.complete()) {
    detail::write_file_atomically(dir / "design.csv", design);
    const long long first = begin + journal.items_done();
    auto last = std::chrono::steady_clock::now();
    // Commits global item `item`'s rows (called in item order).
    const auto commit = [&](long long item, const std::string& rows) {
      journal.append(rows);
      const auto now = std::chrono::steady_clock::now();
      if (std::chrono::duration<double>(now - last).count() >= settings.checkpoint_seconds) {
        journal.checkpoint(item + 1 - begin);
        last = now;
      }
      if (settings.progress) settings.progress(runs_before(item + 1), total_runs);
    };
    long long done = first;
    if (settings.mpi) {
      done = detail::mpi_dispatch(sw, first, end, commit, settings.should_stop);
    } else {
      const int threads = settings.threads > 0 ? settings.threads : default_threads();
      const int window = 4 * threads;
      std::vector<std::string> buffers(static_cast<std::size_t>(window));
      const ScenarioBinding binding = detail::sweep_binding(sw);
      const long long todo = end - first;
      if (todo > static_cast<long long>(INT32_MAX))
        throw std::runtime_error("sweep has too many work items");
      done += for_each_run_ordered(
          static_cast<int>(todo), threads, window,
          [&](int i, int slot) {
            detail::item_rows(sw, binding, first + i, buffers[static_cast<std::size_t>(slot)]);
          },
          [&](int i, int slot) { commit(first + i, buffers[static_cast<std::size_t>(slot)]); },
          settings.should_stop);
    }
    if (done < end) {
      journal.checkpoint(done - begin);
      throw Interrupted("interrupted after " + std::to_string(runs_before(done)) + " of " +
                        std::to_string(total_runs) + " runs; continue with --resume");
    }
    journal.finish(end - begin);
  }

  boost::json::object m;
  m["engine"] = "entente";
  m["version"] = ENTENTE_VERSION;
  m["kind"] = "sweep";
  boost::json::array command;
  for (const auto& a : settings.command_line) command.push_back(boost::json::value(a));
  m["command"] = std::move(command);
  m["sweep"] = sw.name;
  if (!sw.description.empty()) m["description"] = sw.description;
  m["sweep_file"] = sw.file.string();
  m["scenario"] = sw.scenario.base().scenario.name;
  m["scenario_file"] = sw.scenario.file().string();
  m["seed"] = sw.seed;
  m["runs"] = sw.runs;
  m["points"] = points;
  m["total_runs"] = static_cast<long long>(points) * sw.runs;
  m["steps"] = sw.scenario.base().scenario.steps;
  m["design"] = to_string(sw.design.kind);
  m["saltelli"] = sw.design.saltelli;
  boost::json::array params;
  for (const auto& p : sw.design.parameters) params.push_back(boost::json::value(p.path));
  m["parameters"] = std::move(params);
  boost::json::array specs;
  for (const auto& p : sw.design.parameters) specs.push_back(parameter_json(p, sw.design.kind));
  m["parameter_specs"] = std::move(specs);
  boost::json::array outs;
  for (const auto& o : sw.outputs) {
    outs.push_back(
        boost::json::object{{"name", o.name}, {"reducer", to_string(o.reducer)}, {"of", o.text}});
  }
  m["outputs"] = std::move(outs);
  m["seeding"] =
      "design point p runs with scenario.seed = splitmix64(splitmix64(seed) ^ splitmix64(p + 1)) "
      ">> 1; "
      "replicate r of it with run_seed(that, r)";
  boost::json::object id;
  for (const auto& [k, v] : identity) id[k] = v;
  m["identity"] = std::move(id);
  boost::json::array inputs;
  for (const auto& f : sw.files)
    inputs.push_back(boost::json::object{{"path", f.path}, {"sha256", f.sha256}});
  m["inputs"] = std::move(inputs);
  // The record of what was swept: the sweep file as read and the scenario
  // resolved (every point's scenario is this one with the point's overrides).
  m["sweep_text"] = sw.text;
  m["base_scenario"] = to_toml(sw.scenario.base().scenario);
  if (sharded) {
    std::error_code ec;
    const auto bytes = fs::file_size(dir / "results.csv", ec);
    if (ec) throw std::runtime_error((dir / "results.csv").string() + ": " + ec.message());
    m["shard"] = boost::json::object{{"index", settings.shard},
                                     {"count", settings.shards},
                                     {"first_point", p0},
                                     {"end_point", p1},
                                     {"results_bytes", bytes}};
  }
  m["resumed"] = journal.resumed();
  m["started"] = started;
  m["finished"] = utc_now();
  m["files"] = boost::json::array{"design.csv", "results.csv", "manifest.json"};
  detail::write_file_atomically(dir / "manifest.json", boost::json::serialize(m) + "\n");
  journal.close();
  report.files = {"design.csv", "results.csv", "manifest.json"};
  return report;
}

}  // namespace entente
