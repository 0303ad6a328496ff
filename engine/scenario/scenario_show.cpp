// `to_toml`: the resolved scenario as canonical TOML (for `entente show`).
// Sections come in the order of MODEL.md §4; scalar defaults are written
// out; maps list the entries that differ from their default (the header
// comment says which), except [affinity], which lists both directions of
// every pair so that no symmetric fill is involved on reading it back.
// Numbers use the shortest form that reads back to the same double.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "entente/scenario/scenario_io.hpp"
#include "scenario/toml_schema.hpp"
#include "workshop/session_toml.hpp"

namespace entente {

namespace {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if ((c >= 0 && c < 0x20) || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A TOML float: the shortest round-trip form, with ".0" when it would
// otherwise read as an integer.
std::string num(double v) {
  std::string s = detail::format_number(v);
  if (s.find_first_of(".eEni") == std::string::npos) s += ".0";
  return s;
}

std::string pad(int v, int width) {
  std::string s = std::to_string(v);
  return std::string(s.size() < static_cast<std::size_t>(width) ? width - s.size() : 0, '0') + s;
}

// `{ a = 1.0, b = 2.0 }`, or `{}`.
std::string inline_table(const std::vector<std::pair<std::string, std::string>>& items) {
  if (items.empty()) return "{}";
  std::string out = "{ ";
  for (std::size_t k = 0; k < items.size(); ++k) {
    out += (k > 0 ? ", " : "") + items[k].first + " = " + items[k].second;
  }
  return out + " }";
}

// `key = [x]` on one line for one item, one item per line otherwise.
std::string array_lines(std::string_view key, const std::vector<std::string>& items) {
  std::string out = std::string(key) + " = [";
  if (items.size() == 1) return out + items[0] + "]\n";
  out += "\n";
  for (const auto& item : items) out += "  " + item + ",\n";
  return out + "]\n";
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The entries of `values` (one per id) that differ from `fallback`.
Pairs sparse(const std::vector<std::string>& ids, const std::vector<double>& values,
             double fallback, int skip = -1) {
  Pairs out;
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (static_cast<int>(k) != skip && values[k] != fallback)
      out.emplace_back(ids[k], num(values[k]));
  }
  return out;
}

void write_scenario(std::string& out, const Scenario& s) {
  out += "[scenario]\n";
  out += "name = " + quote(s.name) + "\n";
  out += "description = " + quote(s.description) + "\n";
  out += "steps = " + std::to_string(s.steps) + "\n";
  out += "step_unit = " + quote(to_string(s.step_unit)) + "\n";
  if (s.start) {
    std::string d = pad(s.start->year, 4);
    if (s.start->month > 0) d += "-" + pad(s.start->month, 2);
    if (s.start->day > 0) d += "-" + pad(s.start->day, 2);
    out += "start = " + quote(d) + "\n";
  }
  out += "seed = " + std::to_string(s.seed) + "\n";
  out += "runs = " + std::to_string(s.runs) + "\n";
  out += "\n[model]\n";
  for (const RateInfo& r : rate_table())
    out += std::string(r.name) + " = " + num(s.rates.*r.member) + "\n";
  out += "anchor = " + quote(to_string(s.anchor)) + "\n";
}

// An actor's `objective` (observables quoted, as they hold parentheses) and
// `brief`, when given.
void write_objective_and_brief(std::string& out, const Actor& a, const Scenario& s) {
  if (!a.objective.empty()) {
    Pairs terms;
    for (const ObjectiveTerm& term : a.objective)
      terms.emplace_back(quote(to_string(term.observable, s)), num(term.weight));
    out += "objective = " + inline_table(terms) + "\n";
  }
  if (!a.brief.empty()) out += "brief = " + quote(a.brief) + "\n";
}

void write_actors(std::string& out, const Scenario& s) {
  const std::vector<std::string> axes = detail::ids_of(s.axes);
  for (const Axis& a : s.axes) {
    out += "\n[[axes]]\nid = " + quote(a.id) + "\nlow = " + quote(a.low) +
           "\nhigh = " + quote(a.high) + "\n";
  }
  for (const Actor& a : s.actors) {
    out += "\n[[actors]]\n";
    out += "id = " + quote(a.id) + "\n";
    out += "name = " + quote(a.name) + "\n";
    out += "power = " + num(a.power) + "\n";
    out += "stubbornness = " + num(a.stubbornness) + "\n";
    Pairs position, ideal;
    for (std::size_t k = 0; k < axes.size(); ++k) {
      position.emplace_back(axes[k], num(a.position[k]));
      ideal.emplace_back(axes[k], num(a.ideal[k]));
    }
    out += "position = " + inline_table(position) + "\n";
    // Under anchor = "equilibrium" the ideals are solved at load (§2.5), and
    // giving them is an error.
    if (s.anchor == AnchorMode::initial) out += "ideal = " + inline_table(ideal) + "\n";
    if (a.noise) out += "noise = " + num(*a.noise) + "\n";
    if (a.budget) out += "budget = " + num(*a.budget) + "\n";
    write_objective_and_brief(out, a, s);
  }
}

void write_matrices(std::string& out, const Scenario& s) {
  const std::vector<std::string> actors = detail::ids_of(s.actors);
  const int n = s.actor_count();
  out += "\n[affinity]  # R0: both directions of every pair\n";
  for (int i = 0; i < n; ++i) {
    Pairs row;
    for (int j = 0; j < n; ++j) {
      if (j != i)
        row.emplace_back(actors[static_cast<std::size_t>(j)],
                         num(s.affinity[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]));
    }
    if (!row.empty()) out += actors[static_cast<std::size_t>(i)] + " = " + inline_table(row) + "\n";
  }
  const auto directed = [&](std::string_view key, std::string_view comment, const Matrix& m,
                            double fallback) {
    out += "\n[" + std::string(key) + "]  # " + std::string(comment) + "\n";
    for (int i = 0; i < n; ++i) {
      const Pairs row = sparse(actors, m[static_cast<std::size_t>(i)], fallback, i);
      if (!row.empty())
        out += actors[static_cast<std::size_t>(i)] + " = " + inline_table(row) + "\n";
    }
  };
  directed("weights", "W, directed; pairs not listed are 1", s.weights, 1.0);
  directed("interdependence", "T, directed; pairs not listed are 0", s.interdependence, 0.0);
}

void write_institutions_and_issues(std::string& out, const Scenario& s) {
  const std::vector<std::string> actors = detail::ids_of(s.actors);
  for (const Institution& g : s.institutions) {
    out += "\n[[institutions]]\n";
    out += "id = " + quote(g.id) + "\nname = " + quote(g.name) + "\n";
    out += "cohesion = " + num(g.cohesion) + "\n";
    out += "members = " + inline_table(sparse(actors, g.members, 0.0)) + "\n";
  }
  for (const Issue& q : s.issues) {
    out += "\n[[issues]]\n";
    out += "id = " + quote(q.id) + "\nname = " + quote(q.name) + "\n";
    std::string options;
    for (std::size_t k = 0; k < q.options.size(); ++k)
      options += (k > 0 ? ", " : "") + quote(q.options[k]);
    out += "options = [" + options + "]\n";
    out += "regime = " + quote(q.options[static_cast<std::size_t>(q.regime)]) + "\n";
    out += "salience = " + inline_table(sparse(actors, q.salience, 1.0)) + "\n";
    out += "[issues.utility]\n";
    for (std::size_t i = 0; i < actors.size(); ++i) {
      const Pairs row = sparse(q.options, q.utility[i], 0.0);
      if (!row.empty()) out += actors[i] + " = " + inline_table(row) + "\n";
    }
  }
}

std::string mode_value(EffectMode mode, double value) {
  switch (mode) {
    case EffectMode::set:
      return "set = " + num(value);
    case EffectMode::delta:
      return "delta = " + num(value);
    case EffectMode::scale:
      return "scale = " + num(value);
  }
  return "";
}

void write_effects(std::string& out, const Effects& fx, const Scenario& s) {
  const auto id = [](const auto& v, int k) { return quote(v[static_cast<std::size_t>(k)].id); };
  const auto list = [&](std::string_view key, const std::vector<std::string>& items) {
    if (!items.empty()) out += array_lines(key, items);
  };
  std::vector<std::string> items;
  for (const auto& e : fx.membership) {
    items.push_back("{ institution = " + id(s.institutions, e.institution) +
                    ", actor = " + id(s.actors, e.actor) + ", level = " + num(e.level) + " }");
  }
  list("membership", std::exchange(items, {}));
  for (const auto& e : fx.affinity) {
    items.push_back("{ from = " + id(s.actors, e.from) + ", to = " + id(s.actors, e.to) + ", " +
                    mode_value(e.mode, e.value) + ", mutual = " + (e.mutual ? "true" : "false") +
                    " }");
  }
  list("affinity", std::exchange(items, {}));
  for (const auto& e : fx.anchor) {
    items.push_back("{ from = " + id(s.actors, e.from) + ", to = " + id(s.actors, e.to) + ", " +
                    mode_value(e.mode, e.value) + ", mutual = " + (e.mutual ? "true" : "false") +
                    " }");
  }
  list("anchor", std::exchange(items, {}));
  for (const auto& e : fx.position) {
    items.push_back("{ actor = " + id(s.actors, e.actor) + ", axis = " + id(s.axes, e.axis) + ", " +
                    mode_value(e.mode, e.value) + " }");
  }
  list("position", std::exchange(items, {}));
  for (const auto& e : fx.regime) {
    const Issue& q = s.issues[static_cast<std::size_t>(e.issue)];
    items.push_back("{ issue = " + quote(q.id) +
                    ", option = " + quote(q.options[static_cast<std::size_t>(e.option)]) + " }");
  }
  list("regime", std::exchange(items, {}));
  const auto links = [&](std::string_view key, const std::vector<LinkEffect>& v) {
    for (const auto& e : v) {
      items.push_back("{ from = " + id(s.actors, e.from) + ", to = " + id(s.actors, e.to) + ", " +
                      mode_value(e.mode, e.value) + ", mutual = " + (e.mutual ? "true" : "false") +
                      " }");
    }
    list(key, std::exchange(items, {}));
  };
  links("interdependence", fx.interdependence);
  links("weights", fx.weights);
  for (const auto& e : fx.parameter) {
    items.push_back("{ name = " + quote(rate_table()[static_cast<std::size_t>(e.rate)].name) +
                    ", value = " + num(e.value) + " }");
  }
  list("parameter", std::exchange(items, {}));
}

void write_event(std::string& out, const Event& e, const Scenario& s) {
  out += "\n[[events]]\n";
  out += "id = " + quote(e.id) + "\nname = " + quote(e.name) + "\n";
  out += "description = " + quote(e.description) + "\n";
  if (e.step) {
    out += "step = " + std::to_string(*e.step) + "\n";
  } else {
    out += "when = " + quote(e.when_text) + "\n";
    out += std::string("repeat = ") + (e.repeat ? "true" : "false") + "\n";
  }
  out += std::string("enabled = ") + (e.enabled ? "true" : "false") + "\n";
  write_effects(out, e.effects, s);
}

void write_moves(std::string& out, const Scenario& s) {
  for (const Move& m : s.moves) {
    out += "\n[[moves]]\n";
    out += "id = " + quote(m.id) + "\nname = " + quote(m.name) + "\n";
    out += "description = " + quote(m.description) + "\n";
    out += "actor = " + quote(s.actors[static_cast<std::size_t>(m.actor)].id) + "\n";
    if (!m.available_when_text.empty())
      out += "available_when = " + quote(m.available_when_text) + "\n";
    out += "cost = " + num(m.cost) + "\n";
    write_effects(out, m.effects, s);
  }
}

void write_events_and_output(std::string& out, const Scenario& s) {
  for (const Event& e : s.events) write_event(out, e, s);
  out += "\n[output]\n";
  if (s.output.observables_given) {
    std::vector<std::string> items;
    for (const Observable& o : s.output.observables) items.push_back(quote(to_string(o, s)));
    out += array_lines("observables", items);
  } else {
    out += "# observables: the default, every position and affinity\n";
  }
  out += std::string("blocs = ") + (s.output.blocs ? "true" : "false") + "\n";
  out +=
      "bloc_anchor = " + quote(s.actors[static_cast<std::size_t>(s.output.bloc_anchor)].id) + "\n";
  out += "every = " + std::to_string(s.output.every) + "\n";
  if (s.output.relations_all || s.output.relations.empty()) {
    out += std::string("relations = ") + (s.output.relations_all ? "\"all\"" : "\"none\"") + "\n";
  } else {
    std::vector<std::string> items;
    for (const auto& [i, j] : s.output.relations) {
      items.push_back("[" + quote(s.actors[static_cast<std::size_t>(i)].id) + ", " +
                      quote(s.actors[static_cast<std::size_t>(j)].id) + "]");
    }
    out += array_lines("relations", items);
  }
  out += std::string("format = ") +
         (s.output.format == OutputSpec::Format::netcdf ? "\"netcdf\"" : "\"csv\"") + "\n";
}

}  // namespace

std::string to_toml(const Scenario& scenario) {
  std::string out =
      "# The resolved scenario (extends and overrides applied, defaults written out).\n"
      "# Maps list the entries that differ from their default: weights 1,\n"
      "# interdependence 0, members 0, salience 1, utility 0.\n\n";
  write_scenario(out, scenario);
  write_actors(out, scenario);
  write_matrices(out, scenario);
  write_institutions_and_issues(out, scenario);
  write_events_and_output(out, scenario);
  write_moves(out, scenario);
  out += "\n[play]\nfog = ";
  switch (scenario.play.fog) {
    case PlaySpec::Fog::none:
      out += "\"none\"\n";
      break;
    case PlaySpec::Fog::hidden:
      out += "\"hidden\"\n";
      break;
    case PlaySpec::Fog::noisy:
      out += num(scenario.play.fog_sigma) + "\n";
      break;
  }
  return out;
}

namespace detail {

std::string events_to_toml(const std::vector<Event>& events, const Scenario& scenario) {
  std::string out;
  for (const Event& e : events) write_event(out, e, scenario);
  return out;
}

std::string quote_toml(std::string_view text) {
  return quote(text);
}

}  // namespace detail

}  // namespace entente
