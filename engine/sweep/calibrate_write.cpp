// What `entente calibrate` writes: best.toml, fit.csv, trace.csv,
// profile.csv and manifest.json, staged and swapped in whole.
#include <boost/json.hpp>
#include <map>

#include "entente/sweep/calibrate.hpp"
#include "util/atomic_file.hpp"
#include "util/csv.hpp"
#include "util/format.hpp"
#include "util/manifest.hpp"

namespace entente {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> split_dots(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

bool is_id_array(const std::string& key) {
  return key == "axes" || key == "actors" || key == "institutions" || key == "issues" ||
         key == "events" || key == "moves";
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A value as TOML: `events.X.step` and `scenario.*` integers stay integers.
std::string toml_number(const std::string& path, double v) {
  const bool integer = path.ends_with(".step") || path == "scenario.steps" ||
                       path == "scenario.runs" || path == "scenario.seed";
  if (integer) return std::to_string(static_cast<long long>(std::llround(v)));
  std::string s = detail::format_double(v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

}  // namespace

std::string best_toml(const Calibration& cal, const CalibrationResult& r,
                      const fs::path& directory) {
  std::string out;
  out += "# Calibrated by `entente calibrate " + cal.file.generic_string() + "` (entente " +
         ENTENTE_VERSION + ", " + detail::utc_now() + ")\n";
  out += "# calibration: " + cal.name + "; " + std::to_string(cal.targets.size()) +
         " targets, runs " + std::to_string(cal.runs) + " per evaluation, seed " +
         std::to_string(cal.seed) + "\n";
  out += "# loss " + detail::format_double(r.loss) +
         " (sum of squared standardised residuals) after " + std::to_string(r.evaluations) +
         " evaluations (NLopt GN_CRS2_LM, then LN_BOBYQA)" +
         (r.interrupted ? "; INTERRUPTED: the best point so far" : "") + "\n";
  for (std::size_t k = 0; k < cal.parameters.size(); ++k) {
    const auto& p = cal.parameters[k];
    out += "# " + p.path + " in [" + detail::format_double(p.min) + ", " +
           detail::format_double(p.max) + "]: ";
    const ProfileSummary s = k < r.summaries.size() ? r.summaries[k] : ProfileSummary{};
    if (!s.computed) {
      out += "profile not computed\n";
    } else if (!s.identified) {
      out += "not identified by these targets (flat profile)\n";
    } else {
      out += "profile interval (loss within 3.84 of its minimum) [" + detail::format_double(s.lo) +
             ", " + detail::format_double(s.hi) + "]\n";
    }
  }
  const fs::path rel = fs::absolute(cal.scenario_path)
                           .lexically_relative(fs::absolute(directory).lexically_normal());
  out += "\n[scenario]\nextends = " + quoted(rel.generic_string()) + "\n";
  // Group the fitted values by table, in parameter order.
  std::vector<std::string> headers;
  std::map<std::string, std::string> body;
  for (std::size_t k = 0; k < cal.parameters.size() && k < r.best.size(); ++k) {
    const auto& p = cal.parameters[k];
    const auto seg = split_dots(p.path);
    std::string header, key;
    std::size_t rest = 1;
    if (is_id_array(seg[0]) && seg.size() >= 3) {
      header = "[[" + seg[0] + "]]\nid = " + quoted(seg[1]);
      rest = 2;
    } else {
      header = "[" + seg[0] + "]";
    }
    for (std::size_t j = rest; j < seg.size(); ++j) key += (j > rest ? "." : "") + seg[j];
    if (seg[0] == "scenario") header = "[scenario]";
    if (!body.contains(header)) headers.push_back(header);
    body[header] += key + " = " + toml_number(p.path, r.best[k]) + "\n";
  }
  for (const auto& h : headers) {
    if (h == "[scenario]") {
      out.insert(out.find("extends = "), body[h]);
      continue;
    }
    out += "\n" + h + "\n" + body[h];
  }
  return out;
}

void write_calibration(const Calibration& cal, const CalibrationResult& r,
                       const fs::path& directory, const std::vector<std::string>& command_line) {
  detail::StagedDirectory staged(directory);
  const fs::path& dir = staged.staging();
  boost::json::array written;
  const auto put = [&](const std::string& name, const std::string& bytes) {
    detail::write_file_atomically(dir / name, bytes);
    written.push_back(boost::json::object{{"name", name}, {"bytes", bytes.size()}});
  };
  put("best.toml", best_toml(cal, r, directory));

  const bool dated = !cal.targets.empty() && !cal.targets[0].date.empty();
  std::string fit = dated ? "observable,step,date,value,sd,mean,p05,p95,residual\n"
                          : "observable,step,value,sd,mean,p05,p95,residual\n";
  for (std::size_t k = 0; k < cal.targets.size() && k < r.fit.size(); ++k) {
    const auto& t = cal.targets[k];
    const auto& f = r.fit[k];
    detail::append_field(fit, t.observable_text);
    fit += ',';
    detail::append_int(fit, t.step);
    if (dated) fit += "," + t.date;
    for (double v : {t.value, t.sd, f.mean, f.p05, f.p95, (f.mean - t.value) / t.sd}) {
      fit += ',';
      detail::append_double(fit, v);
    }
    fit += '\n';
  }
  put("fit.csv", fit);

  std::string trace = "evaluation,stage";
  for (const auto& p : cal.parameters) {
    trace += ',';
    detail::append_field(trace, p.path);
  }
  trace += ",loss\n";
  for (const auto& row : r.trace) {
    detail::append_int(trace, row.evaluation);
    trace += "," + row.stage;
    for (double v : row.values) {
      trace += ',';
      detail::append_double(trace, v);
    }
    trace += ',';
    detail::append_double(trace, row.loss);
    trace += '\n';
  }
  put("trace.csv", trace);

  std::string profile = "parameter,value,loss,delta_loss\n";
  double lowest = r.loss;
  for (const auto& pt : r.profile) lowest = std::min(lowest, pt.loss);
  for (const auto& pt : r.profile) {
    detail::append_field(profile, cal.parameters[static_cast<std::size_t>(pt.parameter)].path);
    for (double v : {pt.value, pt.loss, pt.loss - lowest}) {
      profile += ',';
      detail::append_double(profile, v);
    }
    profile += '\n';
  }
  put("profile.csv", profile);

  boost::json::object m = detail::start_manifest(command_line);
  m["kind"] = "calibration";  // after the command, as calibrations always had it
  m["calibration"] = cal.name;
  m["scenario"] = cal.scenario_path.generic_string();
  m["runs"] = cal.runs;
  m["seed"] = cal.seed;
  m["max_evaluations"] = cal.max_evaluations;
  m["optimiser"] =
      "NLopt GN_CRS2_LM (nlopt::srand(seed), half the budget) then LN_BOBYQA (LN_COBYLA for one "
      "parameter) on the unit cube; profiles: each parameter on a grid, the others re-optimised "
      "locally";
  m["evaluations"] = r.evaluations;
  m["loss"] = r.loss;
  m["interrupted"] = r.interrupted;
  m["seconds"] = r.seconds;
  boost::json::array params;
  for (std::size_t k = 0; k < cal.parameters.size(); ++k) {
    const auto& p = cal.parameters[k];
    boost::json::object o{{"path", p.path}, {"min", p.min}, {"max", p.max}};
    if (k < r.best.size()) o["best"] = r.best[k];
    if (k < r.summaries.size() && r.summaries[k].computed) {
      o["identified"] = r.summaries[k].identified;
      o["interval"] = boost::json::array{r.summaries[k].lo, r.summaries[k].hi};
    }
    params.push_back(std::move(o));
  }
  m["parameters"] = std::move(params);
  boost::json::array inputs;
  for (const auto& f : cal.files)
    inputs.push_back(boost::json::object{{"path", f.path}, {"sha256", f.sha256}});
  m["inputs"] = std::move(inputs);
  m["finished"] = detail::utc_now();
  written.push_back(boost::json::object{{"name", "manifest.json"}});
  m["files"] = std::move(written);
  detail::write_file_atomically(dir / "manifest.json", boost::json::serialize(m) + "\n");
  staged.commit();
}

}  // namespace entente
