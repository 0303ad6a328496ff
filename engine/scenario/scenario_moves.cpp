// [[moves]]: the workshop menu of levers per actor (docs/scenario-format.md).
#include <string>
#include <utility>

#include "scenario/scenario_effects.hpp"
#include "scenario/toml_schema.hpp"

namespace entente::detail {

void build_moves(const TomlNode* array, Scenario& s, std::vector<Diagnostic>& warnings) {
  const auto list = elements(
      array, "moves", "move",
      {"id", "name", "description", "actor", "available_when", "cost", "membership", "affinity",
       "anchor", "position", "regime", "interdependence", "weights", "parameter"});
  for (const Element& el : list) {
    const TomlNode& t = *el.table;
    Move m;
    m.id = el.id;
    m.name = el.id;
    if (const TomlNode* v = t.get("name")) m.name = string_value(*v, el.path + ".name");
    if (const TomlNode* v = t.get("description"))
      m.description = string_value(*v, el.path + ".description");
    m.actor = id_ref(t, "actor", ids_of(s.actors), "actor", el.path);
    if (const TomlNode* v = t.get("available_when")) {
      m.available_when_text = string_value(*v, el.path + ".available_when");
      try {
        m.available_when = parse_condition(m.available_when_text, s);
      } catch (const SyntaxError& e) {
        fail(inside_string(*v, e.offset()), e.what());
      }
    }
    if (const TomlNode* v = t.get("cost")) m.cost = number_nonnegative(*v, el.path + ".cost");
    m.effects = read_effects(t, el.path, s);
    if (empty(m.effects)) {
      warnings.push_back(
          Diagnostic{Diagnostic::Severity::warning, t.where, "move '" + m.id + "' has no effects"});
    }
    s.moves.push_back(std::move(m));
  }
}

}  // namespace entente::detail
