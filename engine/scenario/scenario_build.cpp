// Builds a Scenario from the merged TOML tree: every section of MODEL.md §4
// except [[events]] (scenario_events.cpp).
#include <algorithm>
#include <climits>
#include <cstdint>

#include "scenario/scenario_effects.hpp"
#include "scenario/toml_schema.hpp"
#include "util/suggest.hpp"

namespace entente::detail {

namespace {

constexpr std::int64_t kIntMax = INT_MAX;

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// "YYYY", "YYYY-MM" or "YYYY-MM-DD" (digits only); false otherwise.
bool parse_date_text(const std::string& t, StartDate& d) {
  const auto digits = [&](std::size_t from, std::size_t n, int& out) {
    out = 0;
    for (std::size_t k = from; k < from + n; ++k) {
      if (t[k] < '0' || t[k] > '9') return false;
      out = out * 10 + (t[k] - '0');
    }
    return true;
  };
  if (t.size() != 4 && t.size() != 7 && t.size() != 10) return false;
  if (!digits(0, 4, d.year)) return false;
  if (t.size() >= 7 && (t[4] != '-' || !digits(5, 2, d.month))) return false;
  if (t.size() == 10 && (t[7] != '-' || !digits(8, 2, d.day))) return false;
  return true;
}

StartDate read_start(const TomlNode& node) {
  StartDate d;
  if (node.type == TomlNode::Type::date) {
    d = StartDate{node.year, node.month, node.day};
  } else if (node.is_string()) {
    if (!parse_date_text(node.string, d)) {
      fail(node.where,
           "scenario.start must be a date \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\" (got \"" +
               node.string + "\")");
    }
  } else {
    fail(node.where,
         "scenario.start must be a date (\"YYYY\", \"YYYY-MM\", \"YYYY-MM-DD\" or a "
         "TOML local date), not " +
             std::string(describe(node.type)));
  }
  const bool ok = d.year >= 1 && (d.month == 0 ? d.day == 0 : d.month <= 12) &&
                  (d.day == 0 || d.day <= days_in_month(d.year, d.month));
  if (!ok) {
    const std::string shown = node.is_string() ? " (got \"" + node.string + "\")" : "";
    fail(node.where, "scenario.start is not a real date" + shown);
  }
  return d;
}

void read_scenario(const TomlNode& t, Scenario& s) {
  check_keys(t, {"name", "description", "extends", "steps", "step_unit", "start", "seed", "runs"},
             "scenario");
  const TomlNode& name = require_key(t, "name", "scenario");
  s.name = string_value(name, "scenario.name");
  if (s.name.empty()) fail(name.where, "scenario.name must not be empty");
  if (const TomlNode* v = t.get("description"))
    s.description = string_value(*v, "scenario.description");
  if (const TomlNode* v = t.get("extends")) string_value(*v, "scenario.extends");
  s.steps = static_cast<int>(
      integer_in(require_key(t, "steps", "scenario"), "scenario.steps", 1, kIntMax));
  if (const TomlNode* v = t.get("step_unit")) {
    static const std::vector<std::string> units = {"day",     "week", "month",
                                                   "quarter", "year", "step"};
    const std::string unit = string_value(*v, "scenario.step_unit");
    const int k = resolve_id(unit, units, "step_unit", "scenario.step_unit", v->where);
    s.step_unit = static_cast<StepUnit>(k);
  }
  if (const TomlNode* v = t.get("start")) {
    s.start = read_start(*v);
    if (s.step_unit == StepUnit::step) {
      fail(v->where,
           "scenario.start needs a calendar step_unit (day, week, month, quarter or year), "
           "but step_unit is 'step'");
    }
  }
  if (const TomlNode* v = t.get("seed")) {
    s.seed = static_cast<std::uint64_t>(integer_in(*v, "scenario.seed", 0, INT64_MAX));
  }
  if (const TomlNode* v = t.get("runs")) {
    s.runs = static_cast<int>(integer_in(*v, "scenario.runs", 1, kIntMax));
  }
}

void read_model(const TomlNode& t, Scenario& s) {
  Rates& rates = s.rates;
  std::vector<std::string> names;
  for (const RateInfo& r : rate_table()) names.emplace_back(r.name);
  names.emplace_back("anchor");
  check_keys(t, names, "model");
  for (const RateInfo& r : rate_table()) {
    if (const TomlNode* v = t.get(r.name)) {
      rates.*r.member = number_in(*v, "model." + std::string(r.name), r.min, r.max);
    }
  }
  // MODEL.md §2.5: what memory and anchoring pull toward.
  if (const TomlNode* v = t.get("anchor")) {
    const std::vector<std::string> modes{"initial", "equilibrium"};
    s.anchor = static_cast<AnchorMode>(
        resolve_id(string_value(*v, "model.anchor"), modes, "anchor", "model.anchor", v->where));
    if (s.anchor == AnchorMode::equilibrium && rates.memory <= 0) {
      fail(v->where,
           "model.anchor = \"equilibrium\" needs model.memory > 0 (memory pulls toward the "
           "solved resting point); set memory or use anchor = \"initial\"");
    }
  }
}

// A table keyed by axis id (position, ideal) into `out` (one per axis); the
// axes not given are left as they are, or are an error when `all_required`.
void read_axis_values(const TomlNode& t, const Scenario& s, const std::string& path,
                      bool all_required, std::vector<double>& out) {
  expect_table(t, path);
  const std::vector<std::string> axes = ids_of(s.axes);
  for (const TomlEntry& e : t.entries) {
    const int a = resolve_id(e.key, axes, "axis", path, e.key_where);
    out[static_cast<std::size_t>(a)] = number_in(e.value, path + "." + e.key, -1.0, 1.0);
  }
  if (!all_required) return;
  for (const std::string& axis : axes) {
    if (t.get(axis) == nullptr) {
      fail(t.where, "missing axis '" + axis + "' in " + path + " (every axis needs a value)");
    }
  }
}

void read_actors(const TomlNode* array, const TomlNode& root, Scenario& s) {
  const auto list = elements(array, "actors", "actor",
                             {"id", "name", "power", "stubbornness", "position", "ideal", "noise",
                              "budget", "objective", "brief"});
  if (list.empty()) {
    fail(array != nullptr ? array->where : root.where,
         "a scenario needs at least one actor ([[actors]] with id, power and position)");
  }
  for (const Element& e : list) {
    const TomlNode& t = *e.table;
    Actor a;
    a.id = e.id;
    a.name = e.id;
    if (const TomlNode* v = t.get("name")) a.name = string_value(*v, e.path + ".name");
    a.power = number_positive(require_key(t, "power", e.path), e.path + ".power");
    if (const TomlNode* v = t.get("stubbornness")) {
      a.stubbornness = number_in(*v, e.path + ".stubbornness", 0.0, 1.0);
    }
    a.position.assign(s.axes.size(), 0.0);
    const TomlNode* position = t.get("position");
    if (position == nullptr && !s.axes.empty()) require_key(t, "position", e.path);
    if (position != nullptr) read_axis_values(*position, s, e.path + ".position", true, a.position);
    a.ideal = a.position;
    if (const TomlNode* v = t.get("ideal")) {
      if (s.anchor == AnchorMode::equilibrium) {
        fail(t.find("ideal")->key_where,
             e.path +
                 ".ideal cannot be given with model.anchor = \"equilibrium\" (the ideal "
                 "positions are solved at load); remove it or use anchor = \"initial\"");
      }
      read_axis_values(*v, s, e.path + ".ideal", false, a.ideal);
    }
    if (const TomlNode* v = t.get("noise")) a.noise = number_in(*v, e.path + ".noise", 0.0, 1.0);
    if (const TomlNode* v = t.get("budget")) a.budget = number_nonnegative(*v, e.path + ".budget");
    if (const TomlNode* v = t.get("brief")) a.brief = string_value(*v, e.path + ".brief");
    s.actors.push_back(std::move(a));
  }
}

enum class MatrixKind { affinity, weights, interdependence };

// [affinity], [weights], [interdependence]: from-id → { to-id = value }.
Matrix read_matrix(const TomlNode* node, const Scenario& s, MatrixKind kind) {
  const std::size_t n = s.actors.size();
  const double missing = kind == MatrixKind::weights ? 1.0 : 0.0;
  const double diagonal = kind == MatrixKind::interdependence ? 0.0 : 1.0;
  const std::string key = kind == MatrixKind::affinity  ? "affinity"
                          : kind == MatrixKind::weights ? "weights"
                                                        : "interdependence";
  Matrix m(n, std::vector<double>(n, missing));
  std::vector<std::vector<bool>> given(n, std::vector<bool>(n, false));
  if (node != nullptr) {
    expect_table(*node, key);
    const std::vector<std::string> actors = ids_of(s.actors);
    for (const TomlEntry& row : node->entries) {
      const auto i = static_cast<std::size_t>(
          resolve_id(row.key, actors, "actor", "[" + key + "]", row.key_where));
      const std::string row_path = key + "." + row.key;
      if (!row.value.is_table()) {
        fail(row.value.where, row_path + " must be a table of actor id = value, not " +
                                  std::string(describe(row.value.type)));
      }
      for (const TomlEntry& cell : row.value.entries) {
        const auto j = static_cast<std::size_t>(
            resolve_id(cell.key, actors, "actor", row_path, cell.key_where));
        const std::string path = row_path + "." + cell.key;
        if (i == j) {
          fail(cell.key_where,
               "self pair '" + path + "' is not allowed; give pairs of two different actors");
        }
        switch (kind) {
          case MatrixKind::affinity:
            m[i][j] = number_in(cell.value, path, -1.0, 1.0);
            break;
          case MatrixKind::weights:
            m[i][j] = number_in(cell.value, path, 0.0, kMaxWeight);
            break;
          case MatrixKind::interdependence:
            m[i][j] = number_in(cell.value, path, 0.0, 1.0);
            break;
        }
        given[i][j] = true;
      }
    }
  }
  // A pair given one way holds both ways unless the other way is given too.
  if (kind == MatrixKind::affinity) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        if (given[i][j] && !given[j][i]) m[j][i] = m[i][j];
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) m[i][i] = diagonal;
  return m;
}

// A table actor-id → value in [0, 1] into `out` (one per actor).
void read_actor_values(const TomlNode& t, const Scenario& s, const std::string& path,
                       std::vector<double>& out) {
  expect_table(t, path);
  const std::vector<std::string> actors = ids_of(s.actors);
  for (const TomlEntry& e : t.entries) {
    const int i = resolve_id(e.key, actors, "actor", path, e.key_where);
    out[static_cast<std::size_t>(i)] = number_in(e.value, path + "." + e.key, 0.0, 1.0);
  }
}

void read_institutions(const TomlNode* array, Scenario& s) {
  for (const Element& e :
       elements(array, "institutions", "institution", {"id", "name", "cohesion", "members"})) {
    const TomlNode& t = *e.table;
    Institution g;
    g.id = e.id;
    g.name = e.id;
    if (const TomlNode* v = t.get("name")) g.name = string_value(*v, e.path + ".name");
    if (const TomlNode* v = t.get("cohesion"))
      g.cohesion = number_nonnegative(*v, e.path + ".cohesion");
    g.members.assign(s.actors.size(), 0.0);
    if (const TomlNode* v = t.get("members"))
      read_actor_values(*v, s, e.path + ".members", g.members);
    s.institutions.push_back(std::move(g));
  }
}

std::vector<std::string> read_options(const TomlNode& t, const std::string& path) {
  const TomlNode& node = require_key(t, "options", path);
  const std::string opath = path + ".options";
  if (!node.is_array())
    fail(node.where,
         opath + " must be an array of option ids, not " + std::string(describe(node.type)));
  if (node.items.empty()) fail(node.where, opath + " must list at least one option");
  std::vector<std::string> options;
  for (std::size_t k = 0; k < node.items.size(); ++k) {
    const TomlNode& item = node.items[k];
    std::string id = id_value(item, opath + "[" + std::to_string(k) + "]", "option");
    for (const auto& o : options) {
      if (o == id) fail(item.where, "duplicate option '" + id + "' in " + opath);
    }
    options.push_back(std::move(id));
  }
  return options;
}

void read_issues(const TomlNode* array, Scenario& s) {
  const auto list = elements(array, "issues", "issue",
                             {"id", "name", "options", "regime", "salience", "utility"});
  const std::vector<std::string> actors = ids_of(s.actors);
  for (const Element& e : list) {
    const TomlNode& t = *e.table;
    Issue q;
    q.id = e.id;
    q.name = e.id;
    if (const TomlNode* v = t.get("name")) q.name = string_value(*v, e.path + ".name");
    q.options = read_options(t, e.path);
    if (const TomlNode* v = t.get("regime")) {
      const std::string path = e.path + ".regime";
      q.regime = resolve_id(string_value(*v, path), q.options, "option", path, v->where);
    }
    q.salience.assign(s.actors.size(), 1.0);
    if (const TomlNode* v = t.get("salience"))
      read_actor_values(*v, s, e.path + ".salience", q.salience);
    q.utility.assign(s.actors.size(), std::vector<double>(q.options.size(), 0.0));
    if (const TomlNode* u = t.get("utility")) {
      const std::string upath = e.path + ".utility";
      expect_table(*u, upath);
      for (const TomlEntry& row : u->entries) {
        const auto i =
            static_cast<std::size_t>(resolve_id(row.key, actors, "actor", upath, row.key_where));
        const std::string row_path = upath + "." + row.key;
        expect_table(row.value, row_path);
        for (const TomlEntry& cell : row.value.entries) {
          const auto o = static_cast<std::size_t>(
              resolve_id(cell.key, q.options, "option", row_path, cell.key_where));
          q.utility[i][o] = number_in(cell.value, row_path + "." + cell.key, -1.0, 1.0);
        }
      }
    }
    s.issues.push_back(std::move(q));
  }
}

// Every actor's `objective` (MODEL.md §7): a table of numeric observable =
// weight. Read once institutions and issues are known (the observables may
// name them).
void read_objectives(const TomlNode* array, Scenario& s) {
  if (array == nullptr || !array->is_array()) return;
  for (const TomlNode& t : array->items) {
    const TomlNode* id = t.is_table() ? t.get("id") : nullptr;
    const TomlNode* node = t.is_table() ? t.get("objective") : nullptr;
    if (id == nullptr || node == nullptr) continue;
    const int i = s.find_actor(id->string);
    Actor& actor = s.actors[static_cast<std::size_t>(i)];
    const std::string path = "actors." + actor.id + ".objective";
    if (!node->is_table()) {
      fail(node->where, path + " must be a table of observable = weight (e.g. { \"affinity(" +
                            actor.id + ",X)\" = 1.0 }), not " + std::string(describe(node->type)));
    }
    for (const TomlEntry& e : node->entries) {
      Observable o;
      try {
        o = parse_observable(e.key, s);
      } catch (const SyntaxError& err) {
        fail(e.key_where, path + ": " + err.what());
      }
      if (o.categorical()) {
        fail(e.key_where, path + ": '" + to_string(o, s) +
                              "' is categorical; an objective weighs numeric observables "
                              "(affinity, position, membership, interdependence, weight, "
                              "polarization, frustration, step)");
      }
      for (const ObjectiveTerm& before : actor.objective) {
        if (before.observable == o)
          fail(e.key_where, path + " lists '" + to_string(o, s) + "' twice");
      }
      actor.objective.push_back({o, number_value(e.value, path + ".\"" + e.key + "\"")});
    }
  }
}

// output.relations: "all", "none" or an array of [from, to] actor ids
// (directed, from ≠ to, each pair once), kept in file order of pairs.
void read_relations(const TomlNode& v, const Scenario& s, OutputSpec& out) {
  if (v.is_string()) {
    static const std::vector<std::string> modes = {"all", "none"};
    const int k = resolve_id(v.string, modes, "relations value", "output.relations", v.where);
    out.relations_all = k == 0;
    out.relations.clear();
    return;
  }
  if (!v.is_array()) {
    fail(v.where,
         "output.relations must be \"all\", \"none\" or an array of [from, to] actor id "
         "pairs, not " +
             std::string(describe(v.type)));
  }
  if (v.items.empty()) {
    fail(v.where, "output.relations must not be empty (write \"none\" for no relations)");
  }
  const std::vector<std::string> actors = ids_of(s.actors);
  std::vector<std::pair<int, int>> pairs;
  for (std::size_t k = 0; k < v.items.size(); ++k) {
    const TomlNode& item = v.items[k];
    const std::string path = "output.relations[" + std::to_string(k) + "]";
    if (!item.is_array() || item.items.size() != 2) {
      fail(item.where, path + " must be a pair of actor ids [from, to], not " +
                           (item.is_array() ? "an array of " + std::to_string(item.items.size())
                                            : std::string(describe(item.type))));
    }
    const int i = resolve_id(string_value(item.items[0], path + "[0]"), actors, "actor",
                             path + "[0]", item.items[0].where);
    const int j = resolve_id(string_value(item.items[1], path + "[1]"), actors, "actor",
                             path + "[1]", item.items[1].where);
    if (i == j) {
      fail(item.where, path + " pairs " + actors[static_cast<std::size_t>(i)] +
                           " with itself (relations are between two actors)");
    }
    for (const auto& before : pairs) {
      if (before == std::pair{i, j}) {
        fail(item.where, "output.relations lists [" + actors[static_cast<std::size_t>(i)] + ", " +
                             actors[static_cast<std::size_t>(j)] + "] twice");
      }
    }
    pairs.emplace_back(i, j);
  }
  std::sort(pairs.begin(), pairs.end());
  out.relations_all = false;
  out.relations = std::move(pairs);
}

void read_output(const TomlNode* node, Scenario& s) {
  OutputSpec& out = s.output;
  if (node != nullptr) {
    check_keys(*node, {"observables", "blocs", "bloc_anchor", "every", "relations", "format"},
               "output");
    if (const TomlNode* v = node->get("every"))
      out.every = static_cast<int>(integer_in(*v, "output.every", 1, kIntMax));
    if (const TomlNode* v = node->get("format")) {
      static const std::vector<std::string> formats = {"csv", "netcdf"};
      out.format = static_cast<OutputSpec::Format>(resolve_id(
          string_value(*v, "output.format"), formats, "format", "output.format", v->where));
    }
    if (const TomlNode* v = node->get("relations")) read_relations(*v, s, out);
    if (const TomlNode* v = node->get("observables")) {
      if (!v->is_array())
        fail(v->where, "output.observables must be an array of strings, not " +
                           std::string(describe(v->type)));
      if (v->items.empty()) {
        fail(v->where,
             "output.observables must not be empty (leave it out for the default: every position "
             "and affinity)");
      }
      for (std::size_t k = 0; k < v->items.size(); ++k) {
        const TomlNode& item = v->items[k];
        const std::string text =
            string_value(item, "output.observables[" + std::to_string(k) + "]");
        Observable o;
        try {
          o = parse_observable(text, s);
        } catch (const SyntaxError& e) {
          fail(inside_string(item, e.offset()), e.what());
        }
        for (const Observable& before : out.observables) {
          if (before == o)
            fail(item.where, "output.observables lists '" + to_string(o, s) + "' twice");
        }
        out.observables.push_back(o);
      }
      out.observables_given = true;
    }
    if (const TomlNode* v = node->get("blocs")) out.blocs = bool_value(*v, "output.blocs");
    if (const TomlNode* v = node->get("bloc_anchor")) {
      out.bloc_anchor = resolve_id(string_value(*v, "output.bloc_anchor"), ids_of(s.actors),
                                   "actor", "output.bloc_anchor", v->where);
    }
  }
  if (!out.observables_given) out.observables = default_observables(s);
}

// [play] fog = "none" | σ > 0 | "hidden".
void read_play(const TomlNode* node, Scenario& s) {
  if (node == nullptr) return;
  check_keys(expect_table(*node, "play"), {"fog"}, "play");
  const TomlNode* v = node->get("fog");
  if (v == nullptr) return;
  if (v->is_number()) {
    const double sigma = number_value(*v, "play.fog");
    if (!(sigma > 0.0) || sigma > 10.0) {
      fail(v->where,
           "play.fog as a number is the error σ a team sees other actors with and must "
           "be in (0, 10] (or write \"none\" or \"hidden\")");
    }
    s.play.fog = PlaySpec::Fog::noisy;
    s.play.fog_sigma = sigma;
    return;
  }
  if (!v->is_string()) {
    fail(v->where, "play.fog must be \"none\", \"hidden\" or a number σ > 0, not " +
                       std::string(describe(v->type)));
  }
  static const std::vector<std::string> kinds = {"none", "hidden"};
  const int k = resolve_id(v->string, kinds, "fog", "play.fog", v->where);
  s.play.fog = k == 0 ? PlaySpec::Fog::none : PlaySpec::Fog::hidden;
}

}  // namespace

Scenario build_scenario(const TomlNode& root, std::vector<Diagnostic>& warnings) {
  check_keys(root,
             {"scenario", "model", "axes", "actors", "affinity", "weights", "interdependence",
              "institutions", "issues", "events", "output", "moves", "play"},
             "");
  Scenario s;
  const TomlNode* scenario = root.get("scenario");
  if (scenario == nullptr)
    fail(root.where, "missing required table [scenario] (with name and steps)");
  read_scenario(expect_table(*scenario, "scenario"), s);
  if (const TomlNode* v = root.get("model")) read_model(*v, s);
  for (const Element& e : elements(root.get("axes"), "axes", "axis", {"id", "low", "high"})) {
    Axis a;
    a.id = e.id;
    if (const TomlNode* v = e.table->get("low")) a.low = string_value(*v, e.path + ".low");
    if (const TomlNode* v = e.table->get("high")) a.high = string_value(*v, e.path + ".high");
    s.axes.push_back(std::move(a));
  }
  read_actors(root.get("actors"), root, s);
  s.affinity = read_matrix(root.get("affinity"), s, MatrixKind::affinity);
  s.weights = read_matrix(root.get("weights"), s, MatrixKind::weights);
  s.interdependence = read_matrix(root.get("interdependence"), s, MatrixKind::interdependence);
  read_institutions(root.get("institutions"), s);
  read_issues(root.get("issues"), s);
  read_objectives(root.get("actors"), s);
  build_events(root.get("events"), s, warnings);
  read_output(root.get("output"), s);
  build_moves(root.get("moves"), s, warnings);
  read_play(root.get("play"), s);
  return s;
}

}  // namespace entente::detail
