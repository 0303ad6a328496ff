// [[events]] and their effects (MODEL.md §3, §4).
#include <climits>
#include <tuple>
#include <utility>

#include "scenario/scenario_effects.hpp"
#include "scenario/toml_schema.hpp"

namespace entente::detail {

namespace {

// One effect table of an event, with the scenario's id lists at hand.
struct EffectReader {
  const TomlNode& t;
  const std::string& path;  // "events.x.affinity[0]"
  const Scenario& s;

  const TomlNode& need(std::string_view key) const { return require_key(t, key, path); }
  std::string sub(std::string_view key) const { return path + "." + std::string(key); }
  int actor(std::string_view key) const { return id_ref(t, key, ids_of(s.actors), "actor", path); }

  // The one of `a` and `b` that is given; an error unless exactly one is.
  std::string_view one_of(std::string_view a, std::string_view b) const {
    const TomlEntry* ea = t.find(a);
    const TomlEntry* eb = t.find(b);
    if (ea != nullptr && eb != nullptr) {
      fail(eb->key_where, path + " has both '" + std::string(a) + "' and '" + std::string(b) +
                              "'; give exactly one");
    }
    if (ea == nullptr && eb == nullptr) {
      fail(t.where, path + " needs '" + std::string(a) + "' or '" + std::string(b) + "'");
    }
    return ea != nullptr ? a : b;
  }

  bool mutual() const {
    const TomlNode* v = t.get("mutual");
    return v != nullptr && bool_value(*v, sub("mutual"));
  }

  // `from` and `to`, which must differ.
  std::pair<int, int> pair() const {
    const int from = actor("from");
    const int to = actor("to");
    if (from == to) {
      fail(t.get("to")->where, path + ": from and to are both '" +
                                   s.actors[static_cast<std::size_t>(from)].id +
                                   "'; an effect needs two different actors");
    }
    return {from, to};
  }
};

// Calls `read(reader)` for every table of the effect list `key` of an event.
template <class Read>
void each_effect(const TomlNode& event, const std::string& event_path, std::string_view key,
                 std::initializer_list<std::string_view> allowed, const Scenario& s, Read read) {
  const TomlNode* list = event.get(key);
  if (list == nullptr) return;
  const std::string list_path = event_path + "." + std::string(key);
  if (!list->is_array()) {
    // The spellings valid where the list is: [[events.affinity]] under an
    // event, [[moves.affinity]] under a move; an inject is one line.
    const std::string inline_form = std::string(key) + " = [ {…} ]";
    const std::string table = event_path.substr(0, event_path.find_first_of(".["));
    const std::string forms = table == event_path
                                  ? inline_form
                                  : "[[" + table + "." + std::string(key) + "]] or " + inline_form;
    fail(list->where, list_path + " must be an array of tables (" + forms + "), not " +
                          std::string(describe(list->type)));
  }
  for (std::size_t k = 0; k < list->items.size(); ++k) {
    const std::string path = list_path + "[" + std::to_string(k) + "]";
    const TomlNode& t = list->items[k];
    check_keys(t, allowed, path);
    read(EffectReader{t, path, s});
  }
}

}  // namespace

Effects read_effects(const TomlNode& event, const std::string& path, const Scenario& s) {
  Effects fx;
  each_effect(
      event, path, "membership", {"institution", "actor", "level"}, s, [&](const EffectReader& r) {
        MembershipEffect e;
        e.institution = id_ref(r.t, "institution", ids_of(s.institutions), "institution", r.path);
        e.actor = r.actor("actor");
        e.level = number_in(r.need("level"), r.sub("level"), 0.0, 1.0);
        fx.membership.push_back(e);
      });
  // `affinity` and, MODEL.md §3 (v1.1), `anchor` (memory's resting point for
  // R[from][to]) read alike: a pair, delta or set, mutual.
  const auto pair_effect = [&](const char* name, std::vector<AffinityEffect>& out) {
    each_effect(event, path, name, {"from", "to", "delta", "set", "mutual"}, s,
                [&](const EffectReader& r) {
                  AffinityEffect e;
                  std::tie(e.from, e.to) = r.pair();
                  const std::string_view key = r.one_of("delta", "set");
                  e.mode = key == "set" ? EffectMode::set : EffectMode::delta;
                  e.value = key == "set" ? number_in(r.need(key), r.sub(key), -1.0, 1.0)
                                         : number_in(r.need(key), r.sub(key), -2.0, 2.0);
                  e.mutual = r.mutual();
                  out.push_back(e);
                });
  };
  pair_effect("affinity", fx.affinity);
  pair_effect("anchor", fx.anchor);
  each_effect(event, path, "position", {"actor", "axis", "delta", "set"}, s,
              [&](const EffectReader& r) {
                PositionEffect e;
                e.actor = r.actor("actor");
                e.axis = id_ref(r.t, "axis", ids_of(s.axes), "axis", r.path);
                const std::string_view key = r.one_of("delta", "set");
                e.mode = key == "set" ? EffectMode::set : EffectMode::delta;
                e.value = key == "set" ? number_in(r.need(key), r.sub(key), -1.0, 1.0)
                                       : number_in(r.need(key), r.sub(key), -2.0, 2.0);
                fx.position.push_back(e);
              });
  each_effect(event, path, "regime", {"issue", "option"}, s, [&](const EffectReader& r) {
    RegimeEffect e;
    e.issue = id_ref(r.t, "issue", ids_of(s.issues), "issue", r.path);
    e.option = id_ref(r.t, "option", s.issues[static_cast<std::size_t>(e.issue)].options, "option",
                      r.path);
    fx.regime.push_back(e);
  });
  const auto link = [&](std::string_view key, bool is_weights, std::vector<LinkEffect>& out) {
    each_effect(event, path, key, {"from", "to", "scale", "set", "mutual"}, s,
                [&](const EffectReader& r) {
                  LinkEffect e;
                  std::tie(e.from, e.to) = r.pair();
                  const std::string_view which = r.one_of("scale", "set");
                  e.mode = which == "set" ? EffectMode::set : EffectMode::scale;
                  e.value = which == "scale" ? number_nonnegative(r.need(which), r.sub(which))
                            : is_weights ? number_in(r.need(which), r.sub(which), 0.0, kMaxWeight)
                                         : number_in(r.need(which), r.sub(which), 0.0, 1.0);
                  e.mutual = r.mutual();
                  out.push_back(e);
                });
  };
  link("interdependence", false, fx.interdependence);
  link("weights", true, fx.weights);
  each_effect(event, path, "parameter", {"name", "value"}, s, [&](const EffectReader& r) {
    std::vector<std::string> names;
    for (const RateInfo& info : rate_table()) names.emplace_back(info.name);
    ParameterEffect e;
    const TomlNode& name = r.need("name");
    e.rate = resolve_id(string_value(name, r.sub("name")), names, "[model] key", r.sub("name"),
                        name.where);
    const RateInfo& info = rate_table()[static_cast<std::size_t>(e.rate)];
    e.value = number_in(r.need("value"), r.sub("value"), info.min, info.max);
    fx.parameter.push_back(e);
  });
  return fx;
}

bool empty(const Effects& fx) {
  return fx.membership.empty() && fx.affinity.empty() && fx.anchor.empty() && fx.position.empty() &&
         fx.regime.empty() && fx.interdependence.empty() && fx.weights.empty() &&
         fx.parameter.empty();
}

namespace {

Diagnostic warning(const SourceLocation& where, const std::string& message) {
  return Diagnostic{Diagnostic::Severity::warning, where, message};
}

}  // namespace

void build_events(const TomlNode* array, Scenario& s, std::vector<Diagnostic>& warnings) {
  const auto list = elements(
      array, "events", "event",
      {"id", "name", "description", "step", "when", "repeat", "enabled", "membership", "affinity",
       "anchor", "position", "regime", "interdependence", "weights", "parameter"});
  for (const Element& el : list) {
    const TomlNode& t = *el.table;
    Event ev;
    ev.id = el.id;
    ev.name = el.id;
    if (const TomlNode* v = t.get("name")) ev.name = string_value(*v, el.path + ".name");
    if (const TomlNode* v = t.get("description"))
      ev.description = string_value(*v, el.path + ".description");
    const TomlNode* step = t.get("step");
    const TomlNode* when = t.get("when");
    if (step != nullptr && when != nullptr) {
      fail(t.find("when")->key_where, el.path + " has both 'step' and 'when'; give exactly one");
    }
    if (step == nullptr && when == nullptr) {
      fail(t.where, el.path + " needs 'step' (the step it fires at) or 'when' (a condition)");
    }
    if (step != nullptr)
      ev.step = static_cast<int>(integer_in(*step, el.path + ".step", 1, INT_MAX));
    if (when != nullptr) {
      ev.when_text = string_value(*when, el.path + ".when");
      try {
        ev.when = parse_condition(ev.when_text, s);
      } catch (const SyntaxError& e) {
        fail(inside_string(*when, e.offset()), e.what());
      }
    }
    if (const TomlNode* v = t.get("repeat")) {
      ev.repeat = bool_value(*v, el.path + ".repeat");
      if (ev.repeat && step != nullptr) {
        fail(v->where, el.path + ".repeat = true needs 'when'; an event with 'step' fires once");
      }
    }
    if (const TomlNode* v = t.get("enabled")) ev.enabled = bool_value(*v, el.path + ".enabled");
    ev.effects = read_effects(t, el.path, s);
    if (ev.enabled && ev.step && *ev.step > s.steps) {
      warnings.push_back(warning(step->where, "event '" + ev.id + "' is at step " +
                                                  std::to_string(*ev.step) +
                                                  ", after the last step (" +
                                                  std::to_string(s.steps) + "); it never fires"));
    }
    if (ev.enabled && empty(ev.effects)) {
      warnings.push_back(warning(t.where, "event '" + ev.id + "' has no effects"));
    }
    s.events.push_back(std::move(ev));
  }
}

}  // namespace entente::detail
