// Reading a calibration file (include/entente/sweep/calibrate.hpp): located errors
// as scenario files have them.
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "entente/sweep/calibrate.hpp"
#include "entente/util/date.hpp"
#include "entente/util/file.hpp"
#include "scenario/toml_schema.hpp"
#include "scenario/toml_tree.hpp"
#include "util/csv.hpp"
#include "util/sha256.hpp"

namespace entente {

namespace fs = std::filesystem;
using detail::fail;
using detail::TomlNode;

namespace {

std::string read_text(const fs::path& file) {
  std::string text, reason;
  if (!try_read_file(file, text, reason))
    throw InputError({file.string(), 0, 0}, "cannot read the file: " + reason);
  return text;
}

// Resolves a target's step from `step` or `date`; errors at `where`.
struct StepResolver {
  const Scenario& s;
  int step_of_date(const std::string& date, const SourceLocation& where) const {
    if (!s.start) {
      fail(where, "date '" + date +
                      "' needs a scenario with a start date ([scenario] start); give step instead");
    }
    for (int t = 0; t <= s.steps; ++t) {
      if (step_date(*s.start, s.step_unit, t) == date) return t;
    }
    fail(where, "date '" + date + "' is not a step of the run (its steps run from " +
                    step_date(*s.start, s.step_unit, 0) + " to " +
                    step_date(*s.start, s.step_unit, s.steps) + ", by " +
                    std::string(to_string(s.step_unit)) + ")");
  }
  void check_step(long long step, const SourceLocation& where) const {
    if (step < 0 || step > s.steps) {
      fail(where, "step " + std::to_string(step) + " is outside the run (steps 0 to " +
                      std::to_string(s.steps) + ")");
    }
  }
  std::string date_of(int step) const {
    return s.start ? step_date(*s.start, s.step_unit, step) : std::string();
  }
};

Observable numeric_observable(const std::string& text, const Scenario& s,
                              const SourceLocation& where, const std::string& what) {
  Observable o;
  try {
    o = parse_observable(text, s);
  } catch (const SyntaxError& e) {
    fail(SourceLocation{where.file, where.line, where.column},
         what + ": unknown observable '" + text + "': " + e.what());
  }
  if (o.categorical()) {
    fail(where, what + ": '" + text +
                    "' is categorical; a target needs a numeric observable (affinity, position, "
                    "membership, interdependence, weight, polarization, frustration)");
  }
  return o;
}

// Splits one CSV line into fields with their 1-based columns: commas inside
// double quotes or parentheses do not split (`affinity(ARM,RUS)` needs no
// quotes).
std::vector<std::pair<std::string, int>> split_csv(const std::string& line) {
  std::vector<std::pair<std::string, int>> out;
  std::string field;
  int start = 1, depth = 0;
  bool quoted = false;
  for (std::size_t k = 0; k < line.size(); ++k) {
    const char c = line[k];
    if (quoted) {
      if (c == '"' && k + 1 < line.size() && line[k + 1] == '"') {
        field += '"';
        ++k;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(') {
      ++depth;
      field += c;
    } else if (c == ')') {
      --depth;
      field += c;
    } else if (c == ',' && depth <= 0) {
      out.emplace_back(field, start);
      field.clear();
      start = static_cast<int>(k) + 2;
    } else if (c != '\r') {
      field += c;
    }
  }
  out.emplace_back(field, start);
  for (auto& [f, col] : out) {
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    if (b == std::string::npos) {
      f.clear();
    } else {
      col += static_cast<int>(b);
      f = f.substr(b, e - b + 1);
    }
  }
  return out;
}

double csv_number(const std::string& text, const SourceLocation& where, const std::string& what) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  fail(where, what + " must be a number (got '" + text + "')");
}

void read_target_csv(const fs::path& file, const SourceLocation& from, const Scenario& s,
                     const StepResolver& steps, std::vector<CalibrationTarget>& out,
                     std::vector<SourceFile>& files) {
  std::string text;
  try {
    text = read_text(file);
  } catch (const InputError&) {
    fail(from, "cannot read the targets file '" + file.string() + "'");
  }
  files.push_back(SourceFile{file.string(), detail::sha256_hex(text)});
  const std::string name = file.string();
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  std::vector<std::string> header;
  int c_step = -1, c_date = -1, c_obs = -1, c_value = -1, c_sd = -1;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') continue;
    const auto fields = split_csv(line);
    const SourceLocation at_line{name, line_no, 1};
    if (header.empty()) {
      for (std::size_t k = 0; k < fields.size(); ++k) {
        const auto& [f, col] = fields[k];
        const int idx = static_cast<int>(k);
        if (f == "step") {
          c_step = idx;
        } else if (f == "date") {
          c_date = idx;
        } else if (f == "observable") {
          c_obs = idx;
        } else if (f == "value") {
          c_value = idx;
        } else if (f == "sd") {
          c_sd = idx;
        } else {
          fail({name, line_no, col}, "unknown column '" + f +
                                         "' in the targets header (valid: step or date, "
                                         "observable, value, sd)");
        }
        header.push_back(f);
      }
      if ((c_step >= 0) == (c_date >= 0) || c_obs < 0 || c_value < 0) {
        fail(at_line,
             "the targets header needs 'step' or 'date' (one of them), 'observable' and 'value' "
             "(and optionally 'sd')");
      }
      continue;
    }
    if (fields.size() != header.size()) {
      fail(at_line, "this row has " + std::to_string(fields.size()) + " fields, the header " +
                        std::to_string(header.size()));
    }
    const auto at = [&](int c) {
      return SourceLocation{name, line_no, fields[static_cast<std::size_t>(c)].second};
    };
    const auto field = [&](int c) -> const std::string& {
      return fields[static_cast<std::size_t>(c)].first;
    };
    CalibrationTarget t;
    t.where = at_line;
    t.observable_text = field(c_obs);
    t.observable = numeric_observable(t.observable_text, s, at(c_obs), "target");
    if (c_step >= 0) {
      const double v = csv_number(field(c_step), at(c_step), "step");
      if (v != std::floor(v))
        fail(at(c_step), "step must be a whole number (got " + field(c_step) + ")");
      steps.check_step(static_cast<long long>(v), at(c_step));
      t.step = static_cast<int>(v);
    } else {
      t.step = steps.step_of_date(field(c_date), at(c_date));
    }
    t.date = steps.date_of(t.step);
    t.value = csv_number(field(c_value), at(c_value), "value");
    if (c_sd >= 0 && !field(c_sd).empty()) {
      t.sd = csv_number(field(c_sd), at(c_sd), "sd");
      if (!(t.sd > 0)) fail(at(c_sd), "sd must be > 0 (got " + field(c_sd) + ")");
    }
    out.push_back(std::move(t));
  }
  if (header.empty()) fail(from, "the targets file '" + name + "' has no header and no rows");
}

}  // namespace

Calibration load_calibration(const fs::path& file) {
  const std::string name = file.string();
  const std::string text = read_text(file);
  const TomlNode root = detail::parse_toml(text, name);
  detail::check_keys(root, {"calibration", "parameters", "targets"}, "");
  const TomlNode* cal_node = root.get("calibration");
  if (cal_node == nullptr) fail(root.where, "missing required table [calibration] (with scenario)");
  const TomlNode& ct = detail::expect_table(*cal_node, "calibration");
  detail::check_keys(ct, {"name", "description", "scenario", "runs", "seed", "max_evaluations"},
                     "calibration");
  const TomlNode& scenario_node = detail::require_key(ct, "scenario", "calibration");
  const fs::path scenario_path =
      (file.parent_path() / detail::string_value(scenario_node, "calibration.scenario"))
          .lexically_normal();
  ScenarioTemplate tmpl = [&] {
    try {
      return ScenarioTemplate(scenario_path);
    } catch (const InputError& e) {
      if (e.where().line != 0) throw;
      throw InputError(scenario_node.where,
                       "calibration.scenario '" + scenario_path.string() + "': " + e.message());
    }
  }();
  Calibration c{file, file.stem().string(), scenario_path, tmpl, 20, 1, 2000, {}, {}, {}};
  if (const TomlNode* v = ct.get("name")) c.name = detail::string_value(*v, "calibration.name");
  if (const TomlNode* v = ct.get("description"))
    (void)detail::string_value(*v, "calibration.description");
  if (const TomlNode* v = ct.get("runs"))
    c.runs = static_cast<int>(detail::integer_in(*v, "calibration.runs", 1, 1000000));
  if (const TomlNode* v = ct.get("seed"))
    c.seed = static_cast<std::uint64_t>(detail::integer_in(*v, "calibration.seed", 0, INT64_MAX));
  if (const TomlNode* v = ct.get("max_evaluations"))
    c.max_evaluations =
        static_cast<int>(detail::integer_in(*v, "calibration.max_evaluations", 10, 100000000));
  c.files.push_back(SourceFile{name, detail::sha256_hex(text)});
  const Scenario& base = tmpl.base().scenario;

  // [[parameters]]
  const TomlNode* params = root.get("parameters");
  if (params == nullptr || !params->is_array() || params->items.empty()) {
    fail(params != nullptr ? params->where : root.where,
         "a calibration needs at least one [[parameters]] table (path, min, max)");
  }
  std::set<std::string> seen;
  for (std::size_t k = 0; k < params->items.size(); ++k) {
    const TomlNode& t = params->items[k];
    const std::string where = "parameters[" + std::to_string(k) + "]";
    detail::expect_table(t, where);
    detail::check_keys(t, {"path", "min", "max"}, where);
    CalibrationParameter p;
    const TomlNode& path_node = detail::require_key(t, "path", where);
    p.path = detail::string_value(path_node, where + ".path");
    p.where = path_node.where;
    p.min = detail::number_value(detail::require_key(t, "min", where), where + ".min");
    const TomlNode& max_node = detail::require_key(t, "max", where);
    p.max = detail::number_value(max_node, where + ".max");
    if (!(p.min < p.max)) {
      fail(max_node.where, "parameter '" + p.path + "': min must be below max (got min " +
                               detail::format_number(p.min) + ", max " +
                               detail::format_number(p.max) + ")");
    }
    if (!seen.insert(p.path).second) fail(p.where, "parameter '" + p.path + "' is given twice");
    // The path, both ends and a point inside (not a round number: a path that
    // takes only integers, such as events.X.step, is refused here) must make a
    // valid scenario: the loader's own words.
    const ScenarioBinding one(tmpl, {p.path});
    for (double v : {p.min, p.max, p.min + (p.max - p.min) * 0.38196601125}) {
      const std::string value = detail::format_double(v);
      try {
        (void)one.make(std::span<const double>(&v, 1), std::span<const std::string>(&value, 1));
      } catch (const InputError& err) {
        fail(p.where, "parameter '" + p.path + "' at " + value + ": " + err.message());
      }
    }
    c.parameters.push_back(p);
  }

  // [[targets]]
  const StepResolver steps{base};
  const TomlNode* targets = root.get("targets");
  if (targets != nullptr && !targets->is_array()) {
    fail(targets->where, "targets must be an array of tables [[targets]]");
  }
  if (targets != nullptr) {
    for (std::size_t k = 0; k < targets->items.size(); ++k) {
      const TomlNode& t = targets->items[k];
      const std::string where = "targets[" + std::to_string(k) + "]";
      detail::expect_table(t, where);
      if (const TomlNode* f = t.get("file")) {
        detail::check_keys(t, {"file"}, where);
        const fs::path csv =
            (file.parent_path() / detail::string_value(*f, where + ".file")).lexically_normal();
        read_target_csv(csv, f->where, base, steps, c.targets, c.files);
        continue;
      }
      detail::check_keys(t, {"observable", "step", "date", "value", "sd"}, where);
      CalibrationTarget tg;
      tg.where = t.where;
      const TomlNode& obs = detail::require_key(t, "observable", where);
      tg.observable_text = detail::string_value(obs, where + ".observable");
      tg.observable = numeric_observable(tg.observable_text, base, obs.where, where);
      const TomlNode* st = t.get("step");
      const TomlNode* dt = t.get("date");
      if ((st != nullptr) == (dt != nullptr)) {
        fail(t.where, where + " needs exactly one of 'step' and 'date'");
      }
      if (st != nullptr) {
        const auto v = detail::integer_in(*st, where + ".step", INT32_MIN, INT32_MAX);
        steps.check_step(v, st->where);
        tg.step = static_cast<int>(v);
      } else {
        tg.step = steps.step_of_date(detail::string_value(*dt, where + ".date"), dt->where);
      }
      tg.date = steps.date_of(tg.step);
      tg.value = detail::number_value(detail::require_key(t, "value", where), where + ".value");
      if (const TomlNode* v = t.get("sd")) tg.sd = detail::number_positive(*v, where + ".sd");
      c.targets.push_back(std::move(tg));
    }
  }
  if (c.targets.empty()) {
    fail(targets != nullptr ? targets->where : root.where,
         "a calibration needs at least one target ([[targets]] with observable, step or date, "
         "value and optional sd; or [[targets]] file = \"targets.csv\")");
  }
  for (const SourceFile& f : tmpl.base().files) c.files.push_back(f);
  return c;
}

}  // namespace entente
