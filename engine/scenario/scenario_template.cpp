// ScenarioTemplate and ScenarioBinding (include/entente/scenario/scenario_template.hpp):
// the merged tree kept in memory, and direct setters for the override paths
// that name one number of a Scenario.
#include "scenario/scenario_template.hpp"

#include <climits>
#include <cmath>
#include <utility>

#include "entente/model/stability.hpp"
#include "entente/scenario/scenario_template.hpp"
#include "scenario/overrides.hpp"
#include "scenario/toml_schema.hpp"

namespace entente {

struct ScenarioTemplate::Impl {
  std::filesystem::path file;
  detail::TomlNode tree;  // merged, before overrides
  LoadedScenario base;
};

ScenarioTemplate::ScenarioTemplate(const std::filesystem::path& file) {
  auto impl = std::make_shared<Impl>();
  impl->file = file;
  impl->tree = detail::load_merged_file(file, impl->base.files);
  impl->base.scenario = detail::build_scenario(impl->tree, impl->base.warnings);
  for (Diagnostic& d : stability_warnings(impl->base.scenario, file.string()))
    impl->base.warnings.push_back(std::move(d));
  impl_ = std::move(impl);
}

const LoadedScenario& ScenarioTemplate::base() const {
  return impl_->base;
}
const std::filesystem::path& ScenarioTemplate::file() const {
  return impl_->file;
}

Scenario ScenarioTemplate::instantiate(std::span<const Override> overrides) const {
  if (overrides.empty()) return impl_->base.scenario;
  detail::TomlNode root = impl_->tree;
  for (const Override& o : overrides) detail::apply_override(root, o);
  std::vector<Diagnostic> ignored;
  return detail::build_scenario(root, ignored);
}

struct ScenarioBinding::Setter {
  enum class Kind {
    tree,  // through instantiate()
    rate,
    power,
    stubbornness,
    noise,
    position,
    ideal,
    affinity,
    weights,
    interdependence,
    cohesion,
    membership,
    regime,
    salience,
    utility,
    event_step
  };
  Kind kind = Kind::tree;
  int a = -1, b = -1, c = -1;
  bool implied = false;  // position: also the ideal; affinity: also the reverse pair
};

namespace {

using Setter = ScenarioBinding::Setter;
using Kind = Setter::Kind;
using detail::TomlNode;

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    out.push_back(path.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

const TomlNode* element(const TomlNode& root, const std::string& array, const std::string& id) {
  const TomlNode* list = root.get(array);
  if (list == nullptr || !list->is_array()) return nullptr;
  for (const TomlNode& item : list->items) {
    if (item.id() != nullptr && *item.id() == id) return &item;
  }
  return nullptr;
}

const TomlNode* child(const TomlNode* table, const std::string& key) {
  return table != nullptr && table->is_table() ? table->get(key) : nullptr;
}

Setter classify(const std::vector<std::string>& seg, const Scenario& s) {
  Setter out;
  const std::size_t n = seg.size();
  if (n < 2) return out;
  const std::string& top = seg[0];
  if (top == "model" && n == 2) {
    out.a = find_rate(seg[1]);
    if (out.a >= 0) out.kind = Kind::rate;
  } else if (top == "actors" && (n == 3 || n == 4)) {
    out.a = s.find_actor(seg[1]);
    if (out.a < 0) return out;
    if (n == 3) {
      if (seg[2] == "power") out.kind = Kind::power;
      if (seg[2] == "stubbornness") out.kind = Kind::stubbornness;
      if (seg[2] == "noise") out.kind = Kind::noise;
    } else if ((out.b = s.find_axis(seg[3])) >= 0) {
      if (seg[2] == "position") out.kind = Kind::position;
      if (seg[2] == "ideal") out.kind = Kind::ideal;
    }
  } else if ((top == "affinity" || top == "weights" || top == "interdependence") && n == 3) {
    out.a = s.find_actor(seg[1]);
    out.b = s.find_actor(seg[2]);
    if (out.a < 0 || out.b < 0 || out.a == out.b) return out;
    out.kind = top == "affinity"  ? Kind::affinity
               : top == "weights" ? Kind::weights
                                  : Kind::interdependence;
  } else if (top == "institutions" && (n == 3 || n == 4)) {
    out.a = s.find_institution(seg[1]);
    if (out.a < 0) return out;
    if (n == 3 && seg[2] == "cohesion") out.kind = Kind::cohesion;
    if (n == 4 && seg[2] == "members" && (out.b = s.find_actor(seg[3])) >= 0)
      out.kind = Kind::membership;
  } else if (top == "issues" && n >= 3) {
    out.a = s.find_issue(seg[1]);
    if (out.a < 0) return out;
    const Issue& q = s.issues[static_cast<std::size_t>(out.a)];
    if (n == 3 && seg[2] == "regime") out.kind = Kind::regime;
    if (n == 4 && seg[2] == "salience" && (out.b = s.find_actor(seg[3])) >= 0)
      out.kind = Kind::salience;
    if (n == 5 && seg[2] == "utility" && (out.b = s.find_actor(seg[3])) >= 0) {
      for (std::size_t o = 0; o < q.options.size(); ++o) {
        if (q.options[o] == seg[4]) out.c = static_cast<int>(o);
      }
      if (out.c >= 0) out.kind = Kind::utility;
    }
  } else if (top == "events" && n == 3 && seg[2] == "step") {
    out.a = s.find_event(seg[1]);
    if (out.a >= 0 && s.events[static_cast<std::size_t>(out.a)].step) out.kind = Kind::event_step;
  }
  return out;
}

bool in(double v, double lo, double hi) {
  return v >= lo && v <= hi;
}

// Applies one direct setter; false when the value fails the loader's check
// (the caller then takes the tree path, which reports it).
bool apply(const Setter& st, double v, const std::string& text, Scenario& s) {
  const auto A = static_cast<std::size_t>(st.a);
  const auto B = static_cast<std::size_t>(st.b);
  if (st.kind != Kind::regime && !std::isfinite(v)) return false;
  switch (st.kind) {
    case Kind::tree:
      return false;
    case Kind::rate: {
      const RateInfo& r = rate_table()[A];
      if (!in(v, r.min, r.max)) return false;
      // The loader refuses μ = 0 under anchor = "equilibrium" (§2.5).
      if (r.member == &Rates::memory && !(v > 0) && s.anchor == AnchorMode::equilibrium)
        return false;
      s.rates.*r.member = v;
      return true;
    }
    case Kind::power:
      if (!(v > 0)) return false;
      s.actors[A].power = v;
      return true;
    case Kind::stubbornness:
      if (!in(v, 0, 1)) return false;
      s.actors[A].stubbornness = v;
      return true;
    case Kind::noise:
      if (!in(v, 0, 1)) return false;
      s.actors[A].noise = v;
      return true;
    case Kind::position:
      if (!in(v, -1, 1)) return false;
      s.actors[A].position[B] = v;
      if (st.implied) s.actors[A].ideal[B] = v;
      return true;
    case Kind::ideal:
      if (!in(v, -1, 1) || s.anchor == AnchorMode::equilibrium) return false;
      s.actors[A].ideal[B] = v;
      return true;
    case Kind::affinity:
      if (!in(v, -1, 1)) return false;
      s.affinity[A][B] = v;
      if (st.implied) s.affinity[B][A] = v;
      return true;
    case Kind::weights:
      if (!in(v, 0, kMaxWeight)) return false;
      s.weights[A][B] = v;
      return true;
    case Kind::interdependence:
      if (!in(v, 0, 1)) return false;
      s.interdependence[A][B] = v;
      return true;
    case Kind::cohesion:
      if (!(v >= 0)) return false;
      s.institutions[A].cohesion = v;
      return true;
    case Kind::membership:
      if (!in(v, 0, 1)) return false;
      s.institutions[A].members[B] = v;
      return true;
    case Kind::salience:
      if (!in(v, 0, 1)) return false;
      s.issues[A].salience[B] = v;
      return true;
    case Kind::utility:
      if (!in(v, -1, 1)) return false;
      s.issues[A].utility[B][static_cast<std::size_t>(st.c)] = v;
      return true;
    case Kind::event_step:
      if (!(v >= 1 && v <= INT_MAX) || v != std::floor(v)) return false;
      s.events[A].step = static_cast<int>(v);
      return true;
    case Kind::regime: {
      // A quoted option id (ids need no escapes), or the bare word.
      std::string id = text;
      if (id.size() >= 2 && id.front() == '"' && id.back() == '"') id = id.substr(1, id.size() - 2);
      auto& options = s.issues[A].options;
      for (std::size_t o = 0; o < options.size(); ++o) {
        if (options[o] == id) {
          s.issues[A].regime = static_cast<int>(o);
          return true;
        }
      }
      return false;
    }
  }
  return false;
}

}  // namespace

ScenarioBinding::ScenarioBinding(ScenarioTemplate base, std::vector<std::string> paths)
    : base_(std::move(base)), paths_(std::move(paths)) {
  const Scenario& s = base_.base().scenario;
  const TomlNode& tree = base_.impl_->tree;
  const auto named = [&](const std::string& path) {
    for (const auto& p : paths_) {
      if (p == path) return true;
    }
    return false;
  };
  for (const std::string& path : paths_) {
    const std::vector<std::string> seg = split(path);
    Setter st = classify(seg, s);
    if (st.kind == Kind::position) {
      // read_actors: the ideal defaults to the position axis by axis.
      const TomlNode* ideal = child(element(tree, "actors", seg[1]), "ideal");
      st.implied =
          child(ideal, seg[3]) == nullptr && !named("actors." + seg[1] + ".ideal." + seg[3]);
    } else if (st.kind == Kind::affinity) {
      // read_matrix: a pair given one way holds both ways.
      const TomlNode* reverse = child(child(child(&tree, "affinity"), seg[2]), seg[1]);
      st.implied = reverse == nullptr && !named("affinity." + seg[2] + "." + seg[1]);
    }
    setters_.push_back(st);
  }
}

ScenarioBinding::~ScenarioBinding() = default;
ScenarioBinding::ScenarioBinding(ScenarioBinding&&) noexcept = default;
ScenarioBinding& ScenarioBinding::operator=(ScenarioBinding&&) noexcept = default;

bool ScenarioBinding::direct() const {
  for (const Setter& st : setters_) {
    if (st.kind == Kind::tree) return false;
  }
  return true;
}

const std::vector<std::string>& ScenarioBinding::paths() const {
  return paths_;
}
const ScenarioTemplate& ScenarioBinding::base() const {
  return base_;
}

Scenario ScenarioBinding::make(std::span<const double> numbers,
                               std::span<const std::string> texts) const {
  if (direct()) {
    Scenario s = base_.base().scenario;
    bool ok = true;
    for (std::size_t k = 0; k < setters_.size() && ok; ++k)
      ok = apply(setters_[k], numbers[k], texts[k], s);
    if (ok) return s;
  }
  std::vector<Override> overrides;
  overrides.reserve(paths_.size());
  for (std::size_t k = 0; k < paths_.size(); ++k) {
    const std::string text = paths_[k] + "=" + texts[k];
    overrides.push_back(Override{text, paths_[k], texts[k]});
  }
  return base_.instantiate(overrides);
}

}  // namespace entente
