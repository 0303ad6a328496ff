// Reading a sweep file (docs/sweeps.md): [sweep], [design], [[parameters]],
// [[outputs]]; the only part of sweeps that knows TOML.
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "entente/sweep/sweep.hpp"
#include "entente/util/file.hpp"
#include "scenario/toml_schema.hpp"
#include "scenario/toml_tree.hpp"
#include "util/csv.hpp"
#include "util/sha256.hpp"
#include "util/suggest.hpp"

namespace entente {

namespace {

namespace fs = std::filesystem;
using detail::fail;
using detail::TomlNode;

constexpr double kInf = std::numeric_limits<double>::infinity();

// A [lo, hi] pair of numbers with lo < hi (lo ≤ hi when `equal_ok`).
std::pair<double, double> pair_of(const TomlNode& node, const std::string& path) {
  if (!node.is_array() || node.items.size() != 2) {
    fail(node.where, path + " must be an array of two numbers [lo, hi]");
  }
  const double lo = detail::number_value(node.items[0], path + "[0]");
  const double hi = detail::number_value(node.items[1], path + "[1]");
  if (!(lo < hi)) {
    fail(node.where, path + " is empty: lo must be below hi (got [" + detail::format_number(lo) +
                         ", " + detail::format_number(hi) + "])");
  }
  return {lo, hi};
}

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

ParameterSpec read_parameter(const detail::Element& e) {
  const TomlNode& t = *e.table;
  ParameterSpec p;
  p.where = t.where;
  p.path = detail::string_value(detail::require_key(t, "path", e.path), e.path + ".path");
  const char* shapes = "give one of values = [...], range = [lo, hi] or distribution = \"...\"";
  const int given = (t.get("values") != nullptr) + (t.get("range") != nullptr) +
                    (t.get("distribution") != nullptr);
  if (given != 1) fail(t.where, "parameter '" + p.path + "': " + shapes);
  if (const TomlNode* v = t.get("levels"))
    p.levels = static_cast<int>(detail::integer_in(*v, e.path + ".levels", 2, 1000000));
  if (const TomlNode* v = t.get("values")) {
    p.kind = ParameterSpec::Kind::values;
    if (!v->is_array() || v->items.empty())
      fail(v->where, "parameter '" + p.path + "': values must be a non-empty array");
    for (const TomlNode& item : v->items) {
      if (item.is_number()) {
        const double x = detail::number_value(item, p.path);
        p.numbers.push_back(x);
        p.labels.push_back(detail::format_double(x));
        p.texts.push_back(detail::format_double(x));
      } else if (item.is_string()) {
        p.categorical = true;
        p.labels.push_back(item.string);
        p.texts.push_back(toml_string(item.string));
      } else if (item.type == TomlNode::Type::boolean) {
        p.categorical = true;
        p.labels.push_back(item.boolean ? "true" : "false");
        p.texts.push_back(p.labels.back());
      } else {
        fail(item.where, "parameter '" + p.path + "': values must be numbers, strings or booleans");
      }
    }
    for (std::size_t i = 0; i < p.labels.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (p.labels[i] == p.labels[j])
          fail(v->items[i].where,
               "parameter '" + p.path + "': value " + p.labels[i] + " is listed twice");
      }
    }
    return p;
  }
  if (const TomlNode* v = t.get("range")) {
    std::tie(p.lo, p.hi) = pair_of(*v, "parameter '" + p.path + "': range");
    if (const TomlNode* s = t.get("scale")) {
      const std::string scale = detail::string_value(*s, e.path + ".scale");
      if (scale != "linear" && scale != "log")
        fail(s->where, "scale must be \"linear\" or \"log\" (got \"" + scale + "\")");
      p.log = scale == "log";
      if (p.log && !(p.lo > 0))
        fail(v->where, "parameter '" + p.path + "': a log range needs lo > 0");
    }
    return p;
  }
  const TomlNode& dist = *t.get("distribution");
  const std::string name = detail::string_value(dist, e.path + ".distribution");
  const auto number = [&](const char* key) {
    return detail::number_value(detail::require_key(t, key, e.path), e.path + "." + key);
  };
  if (name == "uniform") {
    p.kind = ParameterSpec::Kind::range;
    p.lo = number("min");
    p.hi = number("max");
    if (!(p.lo < p.hi)) fail(t.where, "parameter '" + p.path + "': uniform needs min < max");
  } else if (name == "normal") {
    p.kind = ParameterSpec::Kind::normal;
    p.mean = number("mean");
    p.sd = number("sd");
    if (!(p.sd > 0)) fail(t.get("sd")->where, "parameter '" + p.path + "': sd must be > 0");
    p.lo = -kInf;
    p.hi = kInf;
    if (const TomlNode* b = t.get("bounds"))
      std::tie(p.lo, p.hi) = pair_of(*b, "parameter '" + p.path + "': bounds");
  } else if (name == "triangular") {
    p.kind = ParameterSpec::Kind::triangular;
    p.lo = number("min");
    p.mode = number("mode");
    p.hi = number("max");
    if (!(p.lo <= p.mode && p.mode <= p.hi && p.lo < p.hi))
      fail(t.where,
           "parameter '" + p.path + "': triangular needs min <= mode <= max and min < max");
  } else {
    fail(dist.where, "unknown distribution '" + name + "'" +
                         detail::suggestion(name, {"uniform", "normal", "triangular"}) +
                         "; valid: uniform, normal, triangular");
  }
  return p;
}

SweepOutput read_output(const detail::Element& e, const Scenario& s) {
  const TomlNode& t = *e.table;
  SweepOutput o;
  o.where = t.where;
  const TomlNode& name = detail::require_key(t, "name", e.path);
  o.name = detail::string_value(name, e.path + ".name");
  if (!detail::is_valid_id(o.name))
    fail(name.where, "output name '" + o.name + "' must be an id ([A-Za-z][A-Za-z0-9_]*)");
  const TomlNode* obs = t.get("observable");
  const TomlNode* when = t.get("first_step_when");
  const TomlNode* prob = t.get("probability");
  if ((obs != nullptr) + (when != nullptr) + (prob != nullptr) != 1) {
    fail(t.where, "output '" + o.name +
                      "' needs exactly one of observable = \"...\", first_step_when = \"...\" "
                      "or probability = \"...\"");
  }
  const TomlNode& text = obs != nullptr ? *obs : when != nullptr ? *when : *prob;
  o.text = detail::string_value(text, e.path);
  try {
    if (obs != nullptr) {
      o.observable = parse_observable(o.text, s);
    } else {
      o.condition = parse_condition(o.text, s);
    }
  } catch (const SyntaxError& err) {
    fail(detail::inside_string(text, err.offset()), err.what());
  }
  if (when != nullptr) {
    o.reducer = SweepOutput::Reducer::first_step_when;
    if (const TomlNode* v = t.get("never")) o.never = detail::number_value(*v, e.path + ".never");
  } else if (prob != nullptr) {
    o.reducer = SweepOutput::Reducer::probability;
  } else if (const TomlNode* at = t.get("at")) {
    o.reducer = SweepOutput::Reducer::at;
    o.at = static_cast<int>(detail::integer_in(*at, e.path + ".at", 0, s.steps));
  } else if (const TomlNode* r = t.get("reducer")) {
    const std::string red = detail::string_value(*r, e.path + ".reducer");
    const std::vector<std::string> names{"final", "mean", "min", "max"};
    const int k = detail::resolve_id(red, names, "reducer", e.path + ".reducer", r->where);
    o.reducer = static_cast<SweepOutput::Reducer>(k);
  }
  if (obs != nullptr && o.observable.categorical()) {
    fail(obs->where, "output '" + o.name + "': " + o.text +
                         " is categorical; record it as probability = \"" + o.text +
                         " == ...\" or first_step_when = \"...\"");
  }
  return o;
}

// Rethrows a scenario error caused by parameter `p` at the parameter: inside
// its path when the error points into the path of the `--set` text.
[[noreturn]] void relocate(const InputError& err, const ParameterSpec& p, const TomlNode& path_node,
                           const TomlNode* value_node, int point) {
  SourceLocation at = value_node != nullptr ? value_node->where : p.where;
  if (err.where().file == "--set" && err.where().column >= 1 &&
      static_cast<std::size_t>(err.where().column - 1) < p.path.size()) {
    at = detail::inside_string(path_node, static_cast<std::size_t>(err.where().column - 1));
  }
  const std::string where_in_design =
      point >= 0 ? " (design point " + std::to_string(point) + ")" : "";
  throw InputError(at, "parameter '" + p.path + "'" + where_in_design + ": " + err.message());
}

}  // namespace

namespace {

// [sweep]: the scenario (loaded once as a template), name, description, runs, seed.
Sweep read_sweep_table(const TomlNode& root, const fs::path& file, const std::string& text) {
  const TomlNode* sweep_node = root.get("sweep");
  if (sweep_node == nullptr) fail(root.where, "missing required table [sweep] (with scenario)");
  const TomlNode& st = detail::expect_table(*sweep_node, "sweep");
  detail::check_keys(st, {"name", "description", "scenario", "runs", "seed"}, "sweep");

  const TomlNode& scenario_node = detail::require_key(st, "scenario", "sweep");
  const fs::path scenario_path =
      (file.parent_path() / detail::string_value(scenario_node, "sweep.scenario"))
          .lexically_normal();
  ScenarioTemplate tmpl = [&] {
    try {
      return ScenarioTemplate(scenario_path);
    } catch (const InputError& e) {
      if (e.where().line != 0) throw;
      throw InputError(scenario_node.where,
                       "sweep.scenario '" + scenario_path.string() + "': " + e.message());
    }
  }();
  Sweep sw{file, "", tmpl, 1, 0, {}, {}, {}, {}, {}, text};
  sw.name = file.stem().string();
  if (const TomlNode* v = st.get("name")) sw.name = detail::string_value(*v, "sweep.name");
  if (const TomlNode* v = st.get("description"))
    sw.description = detail::string_value(*v, "sweep.description");
  if (const TomlNode* v = st.get("runs"))
    sw.runs = static_cast<int>(detail::integer_in(*v, "sweep.runs", 1, 100000000));
  if (const TomlNode* v = st.get("seed"))
    sw.seed = static_cast<std::uint64_t>(detail::integer_in(*v, "sweep.seed", 0, INT64_MAX));
  sw.files.push_back(SourceFile{file.string(), detail::sha256_hex(text)});
  for (const SourceFile& f : tmpl.base().files) sw.files.push_back(f);
  return sw;
}

// [design]: the kind and the keys that apply to it.
DesignSpec read_design_spec(const TomlNode& root, const fs::path& file) {
  const TomlNode* design_node = root.get("design");
  if (design_node == nullptr) fail(root.where, "missing required table [design] (with kind)");
  const TomlNode& dt = detail::expect_table(*design_node, "design");
  detail::check_keys(dt, {"kind", "points", "levels", "trajectories", "saltelli", "file"},
                     "design");
  DesignSpec spec;
  spec.where = dt.where;
  const std::vector<std::string> kinds{"grid", "random", "lhs", "sobol", "morris", "table"};
  const TomlNode& kind_node = detail::require_key(dt, "kind", "design");
  spec.kind = static_cast<DesignSpec::Kind>(
      detail::resolve_id(detail::string_value(kind_node, "design.kind"), kinds, "design",
                         "design.kind", kind_node.where));
  using K = DesignSpec::Kind;
  const auto needs = [&](const char* key, bool allowed) {
    const detail::TomlEntry* entry = dt.find(key);
    if (entry != nullptr && !allowed) {
      fail(entry->key_where, std::string("design.") + key + " does not apply to a " +
                                 kinds[static_cast<std::size_t>(spec.kind)] + " design");
    }
    return entry != nullptr ? &entry->value : nullptr;
  };
  if (const TomlNode* v = needs("points", spec.kind != K::grid && spec.kind != K::table))
    spec.points = static_cast<int>(detail::integer_in(*v, "design.points", 0, 100000000));
  if (const TomlNode* v = needs("levels", spec.kind == K::grid || spec.kind == K::morris))
    spec.levels = static_cast<int>(detail::integer_in(*v, "design.levels", 2, 1000000));
  if (const TomlNode* v = needs("trajectories", spec.kind == K::morris))
    spec.trajectories =
        static_cast<int>(detail::integer_in(*v, "design.trajectories", 1, 10000000));
  if (const TomlNode* v = needs("saltelli", spec.kind == K::sobol))
    spec.saltelli = detail::bool_value(*v, "design.saltelli");
  if (const TomlNode* v = needs("file", spec.kind == K::table)) {
    spec.table = (file.parent_path() / detail::string_value(*v, "design.file")).lexically_normal();
  } else if (spec.kind == K::table) {
    fail(dt.where, "a table design needs file = \"DESIGN.csv\" (header: parameter paths)");
  }
  if (spec.kind == K::morris && spec.levels == 0) spec.levels = 4;
  const bool sized =
      spec.kind == K::grid || spec.kind == K::table ||
      (spec.kind == K::morris ? spec.trajectories > 0 || spec.points > 0 : spec.points > 0);
  if (!sized) {
    fail(dt.where, std::string("a ") + kinds[static_cast<std::size_t>(spec.kind)] +
                       " design needs " +
                       (spec.kind == K::morris ? "trajectories = N" : "points = N"));
  }
  return spec;
}

// [[parameters]], with the nodes of each one's path and values (for messages).
struct ParameterNodes {
  std::vector<ParameterSpec> params;
  std::vector<const TomlNode*> path_nodes, value_nodes;
};

ParameterNodes read_parameters(const TomlNode& root, DesignSpec::Kind kind) {
  ParameterNodes out;
  if (const TomlNode* list = root.get("parameters")) {
    if (!list->is_array())
      fail(list->where, "parameters must be an array of tables [[parameters]]");
    for (std::size_t k = 0; k < list->items.size(); ++k) {
      const TomlNode& item = list->items[k];
      const std::string path = "parameters[" + std::to_string(k) + "]";
      detail::check_keys(item,
                         {"path", "values", "range", "scale", "distribution", "min", "max", "mode",
                          "mean", "sd", "bounds", "levels"},
                         path);
      out.params.push_back(read_parameter(detail::Element{&item, path, ""}));
      out.path_nodes.push_back(item.get("path"));
      const TomlNode* value = item.get("values");
      if (value == nullptr) value = item.get("range");
      if (value == nullptr) value = item.get("distribution");
      out.value_nodes.push_back(value);
      for (std::size_t j = 0; j + 1 < out.params.size(); ++j) {
        if (out.params[j].path == out.params.back().path)
          fail(out.path_nodes.back()->where,
               "parameter '" + out.params.back().path + "' is given twice");
      }
    }
  }
  if (kind == DesignSpec::Kind::table && !out.params.empty())
    fail(root.get("parameters")->where,
         "a table design takes its parameters from the CSV header; "
         "remove [[parameters]]");
  if (kind != DesignSpec::Kind::table && out.params.empty())
    fail(
        root.where,
        "a sweep needs at least one [[parameters]] entry (path and values, range or distribution)");
  return out;
}

// [[outputs]]: names unique.
std::vector<SweepOutput> read_outputs(const TomlNode& root, const Scenario& base) {
  const TomlNode* outputs = root.get("outputs");
  if (outputs == nullptr || !outputs->is_array() || outputs->items.empty())
    fail(outputs != nullptr ? outputs->where : root.where,
         "a sweep needs at least one [[outputs]] entry (name and observable or condition)");
  std::vector<SweepOutput> out;
  for (std::size_t k = 0; k < outputs->items.size(); ++k) {
    const std::string path = "outputs[" + std::to_string(k) + "]";
    detail::check_keys(
        outputs->items[k],
        {"name", "observable", "reducer", "at", "first_step_when", "never", "probability"}, path);
    out.push_back(read_output(detail::Element{&outputs->items[k], path, ""}, base));
    for (std::size_t j = 0; j + 1 < out.size(); ++j) {
      if (out[j].name == out.back().name)
        fail(outputs->items[k].where, "output name '" + out.back().name + "' is used twice");
    }
  }
  return out;
}

// Output names that clash with a parameter path or a results.csv column.
void check_output_names(const Sweep& sw) {
  for (const SweepOutput& o : sw.outputs) {
    for (const ParameterSpec& p : sw.design.parameters) {
      if (o.name == p.path) fail(o.where, "output name '" + o.name + "' is also a parameter path");
    }
    if (o.name == "point" || o.name == "replicate" || o.name == "seed")
      fail(o.where, "output name '" + o.name + "' is reserved (a results.csv column)");
  }
}

// Every parameter alone at its extreme (or every listed) value, on the
// scenario: a bad path or value is reported now, at the parameter.
void try_every_parameter(const Sweep& sw, const ParameterNodes& nodes) {
  for (std::size_t j = 0; j < sw.design.parameters.size(); ++j) {
    const ParameterSpec& p = sw.design.parameters[j];
    const ScenarioBinding one(sw.scenario, {p.path});
    std::vector<double> tried;
    double lo = kInf, hi = -kInf;
    for (const auto& row : sw.design.values) {
      lo = std::min(lo, row[j]);
      hi = std::max(hi, row[j]);
    }
    if (p.categorical) {
      for (double v = lo; v <= hi; v += 1.0) tried.push_back(v);
    } else {
      tried = {lo, hi};
    }
    for (double v : tried) {
      const double number = p.categorical ? std::numeric_limits<double>::quiet_NaN() : v;
      const std::string value = parameter_text(p, v);
      try {
        (void)one.make(std::span<const double>(&number, 1),
                       std::span<const std::string>(&value, 1));
      } catch (const InputError& err) {
        if (sw.design_spec.kind == DesignSpec::Kind::table)
          throw InputError(p.where, "column '" + p.path + "': " + err.message());
        relocate(err, p, *nodes.path_nodes[j], nodes.value_nodes[j], -1);
      }
    }
  }
}

}  // namespace

Sweep load_sweep(const fs::path& file) {
  const std::string text = read_file(file, "a sweep file");
  const TomlNode root = detail::parse_toml(text, file.string());
  detail::check_keys(root, {"sweep", "design", "parameters", "outputs"}, "");
  Sweep sw = read_sweep_table(root, file, text);
  sw.design_spec = read_design_spec(root, file);
  const ParameterNodes nodes = read_parameters(root, sw.design_spec.kind);
  sw.outputs = read_outputs(root, sw.scenario.base().scenario);
  sw.design = make_design(sw.design_spec, nodes.params, sw.seed);
  if (sw.design_spec.kind == DesignSpec::Kind::table) {
    sw.files.push_back(
        SourceFile{sw.design_spec.table.string(),
                   detail::sha256_hex(read_file(sw.design_spec.table, "a design table"))});
  }
  check_output_names(sw);
  try_every_parameter(sw, nodes);
  return sw;
}

}  // namespace entente
