// Running a sweep into a directory (include/entente/sweep/sweep.hpp): design.csv,
// results.csv streamed in design order through for_each_run_ordered, the
// journal that makes --resume exact, and manifest.json.
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <functional>

#include "entente/model/simulation.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/sweep/sweep.hpp"
#include "sweep/sweep_items.hpp"
#include "sweep/sweep_journal.hpp"
#include "util/atomic_file.hpp"
#include "util/csv.hpp"
#include "util/format.hpp"
#include "util/manifest.hpp"
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

namespace {

// What makes two runs of a sweep the same sweep (resume and merge check it).
detail::SweepIdentity sweep_identity(const Sweep& sw, const SweepSettings& settings,
                                     const std::string& design, const std::string& header) {
  detail::SweepIdentity identity{
      {"engine_version", ENTENTE_VERSION},
      {"seed", std::to_string(sw.seed)},
      {"runs", std::to_string(sw.runs)},
      {"design_sha256", detail::sha256_hex(design)},
      {"scenario_sha256", detail::sha256_hex(to_toml(sw.scenario.base().scenario))},
      {"outputs_sha256", detail::sha256_hex(header + outputs_text(sw))},
  };
  if (settings.shards > 0)
    identity.emplace_back("shard",
                          std::to_string(settings.shard) + "/" + std::to_string(settings.shards));
  return identity;
}

// This process's share of the sweep: design points [p0, p1) and global work
// items [begin, end) (all of them unless it is one shard of several).
struct ShardRange {
  long long p0 = 0, p1 = 0;
  long long begin = 0, end = 0;
  int per_point = 1;
  int runs = 1;
  long long total_runs() const { return (p1 - p0) * runs; }
  // Runs of this shard before global work item `item`.
  long long runs_before(long long item) const {
    const long long point = item / per_point, chunk = item % per_point;
    return point * runs + std::min<long long>(chunk * detail::kItemRuns, runs) - p0 * runs;
  }
};

ShardRange shard_range(const Sweep& sw, const SweepSettings& settings) {
  const long long points = sw.design.points();
  ShardRange r;
  r.p0 = settings.shards > 0 ? settings.shard * points / settings.shards : 0;
  r.p1 = settings.shards > 0 ? (settings.shard + 1) * points / settings.shards : points;
  r.per_point = detail::items_per_point(sw);
  r.runs = sw.runs;
  r.begin = r.p0 * r.per_point;
  r.end = r.p1 * r.per_point;
  return r;
}

// Runs work items [first, end) and hands their rows to `commit` in item
// order, on threads or MPI ranks; returns the item reached (end unless stopped).
long long run_items(const Sweep& sw, const SweepSettings& settings, long long first, long long end,
                    const std::function<void(long long, const std::string&)>& commit) {
  if (settings.mpi) return detail::mpi_dispatch(sw, first, end, commit, settings.should_stop);
  const int threads = settings.threads > 0 ? settings.threads : default_threads();
  const int window = 4 * threads;
  std::vector<std::string> buffers(static_cast<std::size_t>(window));
  const ScenarioBinding binding = detail::sweep_binding(sw);
  const long long todo = end - first;
  if (todo > static_cast<long long>(INT32_MAX))
    throw std::runtime_error("sweep has too many work items");
  return first +
         for_each_run_ordered(
             static_cast<int>(todo), threads, window,
             [&](int i, int slot) {
               detail::item_rows(sw, binding, first + i, buffers[static_cast<std::size_t>(slot)]);
             },
             [&](int i, int slot) { commit(first + i, buffers[static_cast<std::size_t>(slot)]); },
             settings.should_stop);
}

// The sweep's manifest.json: provenance, the design, the outputs, the
// identity and, for a shard, its place in the whole.
boost::json::object sweep_manifest(const Sweep& sw, const SweepSettings& settings,
                                   const detail::SweepIdentity& identity, const ShardRange& range,
                                   std::uintmax_t results_bytes, bool resumed,
                                   const std::string& started) {
  const int points = sw.design.points();
  boost::json::object m = detail::start_manifest(settings.command_line, "sweep");
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
  if (settings.shards > 0) {
    m["shard"] = boost::json::object{{"index", settings.shard},
                                     {"count", settings.shards},
                                     {"first_point", range.p0},
                                     {"end_point", range.p1},
                                     {"results_bytes", results_bytes}};
  }
  m["resumed"] = resumed;
  m["started"] = started;
  m["finished"] = utc_now();
  m["files"] = boost::json::array{"design.csv", "results.csv", "manifest.json"};
  return m;
}

}  // namespace

SweepReport run_sweep(const Sweep& sw, const fs::path& dir, const SweepSettings& settings) {
  const std::string started = utc_now();
  const std::string design = design_csv(sw);
  const std::string header = results_header(sw);
  const detail::SweepIdentity identity = sweep_identity(sw, settings, design, header);
  detail::SweepJournal journal(dir, identity, header, settings.resume);
  const ShardRange range = shard_range(sw, settings);

  SweepReport report;
  report.points = range.p1 - range.p0;
  report.runs = range.total_runs();
  report.resumed_from =
      journal.resumed() ? range.runs_before(range.begin + journal.items_done()) : 0;
  report.files = {"design.csv", "results.csv", "manifest.json"};
  if (journal.complete() && !journal.resumed()) {
    report.resumed_from = range.total_runs();
    return report;
  }

  if (!journal.complete()) {
    detail::write_file_atomically(dir / "design.csv", design);
    auto last = std::chrono::steady_clock::now();
    // Commits global item `item`'s rows (called in item order).
    const auto commit = [&](long long item, const std::string& rows) {
      journal.append(rows);
      const auto now = std::chrono::steady_clock::now();
      if (std::chrono::duration<double>(now - last).count() >= settings.checkpoint_seconds) {
        journal.checkpoint(item + 1 - range.begin);
        last = now;
      }
      if (settings.progress) settings.progress(range.runs_before(item + 1), range.total_runs());
    };
    const long long done =
        run_items(sw, settings, range.begin + journal.items_done(), range.end, commit);
    if (done < range.end) {
      journal.checkpoint(done - range.begin);
      throw Interrupted("interrupted after " + std::to_string(range.runs_before(done)) + " of " +
                        std::to_string(range.total_runs()) + " runs; continue with --resume");
    }
    journal.finish(range.end - range.begin);
  }

  std::uintmax_t results_bytes = 0;
  if (settings.shards > 0) {
    std::error_code ec;
    results_bytes = fs::file_size(dir / "results.csv", ec);
    if (ec) throw std::runtime_error((dir / "results.csv").string() + ": " + ec.message());
  }
  const boost::json::object m =
      sweep_manifest(sw, settings, identity, range, results_bytes, journal.resumed(), started);
  detail::write_file_atomically(dir / "manifest.json", boost::json::serialize(m) + "\n");
  journal.close();
  return report;
}

}  // namespace entente
