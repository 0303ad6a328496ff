// Fog of war (engine/room/room_fog.hpp, docs/workshops.md "Fog of war"):
// the draws, and the state and observables as an observer sees them.
#include "room/room_fog.hpp"

#include <algorithm>

#include "entente/model/observable.hpp"
#include "entente/model/rng.hpp"

namespace entente {

namespace json = boost::json;

namespace {
// The counter's last word for fog draws (the dynamics use 0 and 1).
constexpr std::uint32_t kFogPosition = 2;
constexpr std::uint32_t kFogAffinity = 3;
}  // namespace

std::optional<double> fogged_value(const Scenario& s, const PlaySpec& fog, int observer, int step,
                                   int i, int j, int axis, double truth) {
  const bool own = observer >= 0 && (i == observer || j == observer);
  if (fog.fog == PlaySpec::Fog::none || own) return truth;
  if (fog.fog == PlaySpec::Fog::hidden) return std::nullopt;
  // Fixed by (seed, observer, step, i, j or axis): a reload shows the same.
  const Rng rng(
      run_seed(splitmix64(s.seed) ^ 0x666f67ULL, static_cast<std::uint64_t>(observer + 1)));
  const std::uint32_t a = noise_id(s.actors[static_cast<std::size_t>(i)].id);
  const std::uint32_t b = j >= 0 ? noise_id(s.actors[static_cast<std::size_t>(j)].id)
                                 : noise_id(s.axes[static_cast<std::size_t>(axis)].id);
  // The public's (the projector's) error is fixed per pair for the whole
  // game, so its history lines keep their shape; a team's is drawn afresh
  // each step.
  const std::uint32_t t = observer < 0 ? 0u : static_cast<std::uint32_t>(step);
  const double z = rng.pair(t, a, b, j >= 0 ? kFogAffinity : kFogPosition)[0];
  return std::clamp(truth + fog.fog_sigma * z, -1.0, 1.0);
}

namespace detail::fog {

std::optional<double> seen(const Scenario& s, const PlaySpec& fog, int observer, int step, int i,
                           int j, int axis, double truth) {
  if (observer == kTruth) return truth;
  return fogged_value(s, fog, observer, step, i, j, axis, truth);
}

// The state as `observer` sees it at `step`.
json::object state_json(const Session& session, const PlaySpec& fog, int observer, int step) {
  const Scenario& s = session.scenario();
  const State& st = session.state_at(step);
  const int N = static_cast<int>(s.actors.size());
  json::object out;
  json::array positions;
  for (int i = 0; i < N; ++i) {
    for (int k = 0; k < static_cast<int>(s.axes.size()); ++k) {
      const std::optional<double> v = seen(s, fog, observer, step, i, -1, k, st.x(i, k));
      if (!v) continue;
      json::object p;
      p["actor"] = s.actors[static_cast<std::size_t>(i)].id;
      p["axis"] = s.axes[static_cast<std::size_t>(k)].id;
      p["value"] = *v;
      p["exact"] = *v == st.x(i, k) &&
                   (observer == kTruth || fog.fog == PlaySpec::Fog::none || observer == i);
      positions.push_back(std::move(p));
    }
  }
  out["positions"] = std::move(positions);
  json::array relations;
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      if (i == j) continue;
      const std::optional<double> v = seen(s, fog, observer, step, i, j, -1, st.R(i, j));
      if (!v) continue;
      json::object r;
      r["from"] = s.actors[static_cast<std::size_t>(i)].id;
      r["to"] = s.actors[static_cast<std::size_t>(j)].id;
      r["value"] = *v;
      r["exact"] =
          observer == kTruth || fog.fog == PlaySpec::Fog::none || observer == i || observer == j;
      relations.push_back(std::move(r));
    }
  }
  out["relations"] = std::move(relations);
  json::array regimes;
  for (std::size_t q = 0; q < s.issues.size(); ++q) {
    json::object r;
    r["issue"] = s.issues[q].id;
    r["option"] = s.issues[q].options[static_cast<std::size_t>(st.regime[q])];
    regimes.push_back(std::move(r));
  }
  out["regimes"] = std::move(regimes);
  json::array memberships;
  for (std::size_t g = 0; g < s.institutions.size(); ++g) {
    for (int i = 0; i < N; ++i) {
      const double level = st.m(static_cast<int>(g), i);
      if (level == 0.0) continue;
      json::object m;
      m["institution"] = s.institutions[g].id;
      m["actor"] = s.actors[static_cast<std::size_t>(i)].id;
      m["level"] = level;
      memberships.push_back(std::move(m));
    }
  }
  out["memberships"] = std::move(memberships);
  return out;
}

Sight sight(const PlaySpec& fog, int observer, const Observable& o) {
  if (observer == kTruth || fog.fog == PlaySpec::Fog::none) return Sight::exact;
  const Sight third = fog.fog == PlaySpec::Fog::hidden ? Sight::hidden : Sight::fogged;
  switch (o.kind) {
    case Observable::Kind::affinity:
      return o.a == observer || o.b == observer ? Sight::exact : third;
    case Observable::Kind::position:
      return o.a == observer ? Sight::exact : third;
    case Observable::Kind::membership:
    case Observable::Kind::interdependence:
    case Observable::Kind::weight:
    case Observable::Kind::step:
    case Observable::Kind::regime:
      return Sight::exact;
    case Observable::Kind::polarization:
    case Observable::Kind::frustration:
    case Observable::Kind::bloc:
      return Sight::hidden;  // they need every position or relation
  }
  return Sight::hidden;
}

// The value of `o` as `observer` sees it at `step`, or none.
std::optional<double> seen_observable(const Session& session, const PlaySpec& fog, int observer,
                                      int step, const Observable& o) {
  const Scenario& s = session.scenario();
  const State& st = session.state_at(step);
  const double truth = observe(session.model(), st, o);
  switch (sight(fog, observer, o)) {
    case Sight::exact:
      return truth;
    case Sight::hidden:
      return std::nullopt;
    case Sight::fogged:
      break;
  }
  if (o.kind == Observable::Kind::affinity)
    return seen(s, fog, observer, step, o.a, o.b, -1, truth);
  return seen(s, fog, observer, step, o.a, -1, o.b, truth);
}

}  // namespace detail::fog

}  // namespace entente
