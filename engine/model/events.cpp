#include "entente/model/events.hpp"

#include <algorithm>

#include "util/csv.hpp"

namespace entente {

namespace {
double clip(double v, double lo, double hi) {
  return std::clamp(v, lo, hi);
}

void apply_link(RowMatrix& M, const LinkEffect& e, double hi) {
  const auto one = [&](int from, int to) {
    double& v = M(from, to);
    v = e.mode == EffectMode::set ? e.value : clip(v * e.value, 0.0, hi);
  };
  one(e.from, e.to);
  if (e.mutual) one(e.to, e.from);
}
}  // namespace

void apply_effects(const Model& model, State& s, const Effects& fx) {
  for (const auto& e : fx.membership) s.m(e.institution, e.actor) = e.level;
  for (const auto& e : fx.affinity) {
    const auto one = [&](int from, int to) {
      double& v = s.R(from, to);
      v = e.mode == EffectMode::set ? e.value : clip(v + e.value, -1.0, 1.0);
    };
    one(e.from, e.to);
    if (e.mutual) one(e.to, e.from);
  }
  for (const auto& e : fx.anchor) {  // MODEL.md §3: memory's target, not clipped
    const auto one = [&](int from, int to) {
      double& v = s.anchor(from, to);
      v = e.mode == EffectMode::set ? e.value : v + e.value;
    };
    one(e.from, e.to);
    if (e.mutual) one(e.to, e.from);
  }
  for (const auto& e : fx.position) {
    double& v = s.x(e.actor, e.axis);
    v = e.mode == EffectMode::set ? e.value : clip(v + e.value, -1.0, 1.0);
  }
  for (const auto& e : fx.regime) s.regime[static_cast<std::size_t>(e.issue)] = e.option;
  for (const auto& e : fx.interdependence) apply_link(s.T, e, 1.0);
  for (const auto& e : fx.weights) apply_link(s.W, e, kMaxWeight);
  for (const auto& e : fx.parameter) {
    const RateInfo& info = rate_table()[static_cast<std::size_t>(e.rate)];
    s.rates.*info.member = e.value;
    if (info.member == &Rates::power_exponent) update_source_weights(model, s);
  }
}

void due_events(const Model& model, const State& state, std::vector<int>& out) {
  out.clear();
  const Scenario& sc = *model.scenario;
  const int t = state.step + 1;
  for (std::size_t e = 0; e < sc.events.size(); ++e) {
    const Event& ev = sc.events[e];
    if (!ev.enabled) continue;
    bool fires = false;
    if (ev.step) {
      fires = *ev.step == t;
    } else if (!ev.when.empty() && (ev.repeat || !state.fired[e])) {
      fires = evaluate(ev.when, ev.when.root(),
                       [&](const Observable& o) { return observe(model, state, o); });
    }
    if (fires) out.push_back(static_cast<int>(e));
  }
}

std::string describe(const Effects& fx, const Scenario& s) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on chains of operator+.
  std::string out;
  const auto begin = [&](std::string_view kind) {
    if (!out.empty()) out += "; ";
    out += kind;
    out += '(';
  };
  const auto actor = [&](int i) -> const std::string& {
    return s.actors[static_cast<std::size_t>(i)].id;
  };
  const auto pair = [&](std::string_view kind, const std::string& a, const std::string& b) {
    begin(kind);
    out += a;
    out += ',';
    out += b;
    out += ')';
  };
  const auto change = [&](EffectMode m, double v, bool mutual) {
    out += m == EffectMode::set ? "=" : (m == EffectMode::delta ? "+=" : "*=");
    detail::append_double(out, v);
    if (mutual) out += " mutual";
  };
  for (const auto& e : fx.membership) {
    pair("membership", actor(e.actor), s.institutions[static_cast<std::size_t>(e.institution)].id);
    change(EffectMode::set, e.level, false);
  }
  for (const auto& e : fx.affinity) {
    pair("affinity", actor(e.from), actor(e.to));
    change(e.mode, e.value, e.mutual);
  }
  for (const auto& e : fx.anchor) {
    pair("anchor", actor(e.from), actor(e.to));
    change(e.mode, e.value, e.mutual);
  }
  for (const auto& e : fx.position) {
    pair("position", actor(e.actor), s.axes[static_cast<std::size_t>(e.axis)].id);
    change(e.mode, e.value, false);
  }
  for (const auto& e : fx.regime) {
    const Issue& q = s.issues[static_cast<std::size_t>(e.issue)];
    begin("regime");
    out += q.id;
    out += ")=";
    out += q.options[static_cast<std::size_t>(e.option)];
  }
  for (const auto& e : fx.interdependence) {
    pair("interdependence", actor(e.from), actor(e.to));
    change(e.mode, e.value, e.mutual);
  }
  for (const auto& e : fx.weights) {
    pair("weight", actor(e.from), actor(e.to));
    change(e.mode, e.value, e.mutual);
  }
  for (const auto& e : fx.parameter) {
    if (!out.empty()) out += "; ";
    out += "model.";
    out += rate_table()[static_cast<std::size_t>(e.rate)].name;
    change(EffectMode::set, e.value, false);
  }
  return out;
}

}  // namespace entente
