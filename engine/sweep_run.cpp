// Running a sweep into a directory (include/entente/sweep.hpp): design.csv,
// results.csv streamed in design order through for_each_run_ordered, the
// journal that makes --resume exact, and manifest.json.
#include <boost/json.hpp>
#include <chrono>
#include <ctime>

#include "detail/atomic_file.hpp"
#include "detail/csv.hpp"
#include "detail/sha256.hpp"
#include "detail/sweep_journal.hpp"
#include "entente/ensemble.hpp"
#include "entente/simulation.hpp"
#include "entente/sweep.hpp"

namespace entente {

namespace {

namespace fs = std::filesystem;

// Replicates per work item: a point's runs are split so that one item never
// holds more than this many rows in memory.
constexpr int kItemRuns = 64;

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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

}  // namespace

SweepReport run_sweep(const Sweep& sw, const fs::path& dir, const SweepSettings& settings) {
  const std::string started = utc_now();
  const std::string design = design_csv(sw);
  const std::string header = results_header(sw);
  const detail::SweepIdentity identity{
      {"engine_version", ENTENTE_VERSION},
      {"seed", std::to_string(sw.seed)},
      {"runs", std::to_string(sw.runs)},
      {"design_sha256", detail::sha256_hex(design)},
      {"scenario_sha256", detail::sha256_hex(to_toml(sw.scenario.base().scenario))},
      {"outputs_sha256", detail::sha256_hex(header + outputs_text(sw))},
  };
  detail::SweepJournal journal(dir, identity, header, settings.resume);

  const int points = sw.design.points();
  const int per_point = (sw.runs + kItemRuns - 1) / kItemRuns;
  const long long items = static_cast<long long>(points) * per_point;
  const long long total_runs = static_cast<long long>(points) * sw.runs;
  const auto runs_before = [&](long long item) {
    const long long point = item / per_point, chunk = item % per_point;
    return point * sw.runs + std::min<long long>(chunk * kItemRuns, sw.runs);
  };
  SweepReport report;
  report.points = points;
  report.runs = total_runs;
  report.resumed_from = journal.resumed() ? runs_before(journal.items_done()) : 0;
  if (journal.complete() && !journal.resumed()) {
    report.resumed_from = total_runs;
    report.files = {"design.csv", "results.csv", "manifest.json"};
    return report;
  }

  if (!journal.complete()) {
    detail::write_file_atomically(dir / "design.csv", design);
    const long long first = journal.items_done();
    const int threads = settings.threads > 0 ? settings.threads : default_threads();
    const int window = 4 * threads;
    std::vector<std::string> buffers(static_cast<std::size_t>(window));
    const ScenarioBinding binding(sw.scenario, [&] {
      std::vector<std::string> paths;
      for (const auto& p : sw.design.parameters) paths.push_back(p.path);
      return paths;
    }());
    auto last = std::chrono::steady_clock::now();
    const long long todo = items - first;
    if (todo > static_cast<long long>(INT32_MAX))
      throw std::runtime_error("sweep has too many work items");
    const int committed = for_each_run_ordered(
        static_cast<int>(todo), threads, window,
        [&](int i, int slot) {
          const long long item = first + i;
          const int point = static_cast<int>(item / per_point);
          const int r0 = static_cast<int>(item % per_point) * kItemRuns;
          const int r1 = std::min(sw.runs, r0 + kItemRuns);
          const Model model = point_model(sw, binding, point);
          std::string& out = buffers[static_cast<std::size_t>(slot)];
          out.clear();
          std::string labels;
          for (std::size_t k = 0; k < sw.design.parameters.size(); ++k) {
            labels += ',';
            detail::append_field(
                labels, parameter_label(sw.design.parameters[k],
                                        sw.design.values[static_cast<std::size_t>(point)][k]));
          }
          std::vector<double> values;
          for (int r = r0; r < r1; ++r) {
            run_outputs(sw, model, r, values);
            detail::append_int(out, point);
            out += ',';
            detail::append_int(out, r);
            out += ',';
            out += std::to_string(run_seed(model.scenario->seed, static_cast<std::uint64_t>(r)));
            out += labels;
            for (double v : values) {
              out += ',';
              detail::append_double(out, v);
            }
            out += '\n';
          }
        },
        [&](int i, int slot) {
          journal.append(buffers[static_cast<std::size_t>(slot)]);
          const long long item = first + i;
          const auto now = std::chrono::steady_clock::now();
          if (std::chrono::duration<double>(now - last).count() >= settings.checkpoint_seconds) {
            journal.checkpoint(item + 1);
            last = now;
          }
          if (settings.progress) settings.progress(runs_before(item + 1), total_runs);
        },
        settings.should_stop);
    if (first + committed < items) {
      journal.checkpoint(first + committed);
      throw Interrupted("interrupted after " + std::to_string(runs_before(first + committed)) +
                        " of " + std::to_string(total_runs) + " runs; continue with --resume");
    }
    journal.finish(items);
  }

  boost::json::object m;
  m["engine"] = "entente";
  m["version"] = ENTENTE_VERSION;
  boost::json::array command;
  for (const auto& a : settings.command_line) command.push_back(boost::json::value(a));
  m["command"] = std::move(command);
  m["sweep"] = sw.name;
  m["sweep_file"] = sw.file.string();
  m["scenario"] = sw.scenario.base().scenario.name;
  m["scenario_file"] = sw.scenario.file().string();
  m["seed"] = sw.seed;
  m["runs"] = sw.runs;
  m["points"] = points;
  m["total_runs"] = total_runs;
  m["steps"] = sw.scenario.base().scenario.steps;
  m["design"] = to_string(sw.design.kind);
  m["saltelli"] = sw.design.saltelli;
  boost::json::array params;
  for (const auto& p : sw.design.parameters) params.push_back(boost::json::value(p.path));
  m["parameters"] = std::move(params);
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
