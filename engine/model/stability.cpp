#include "entente/model/stability.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "entente/model/model.hpp"
#include "util/csv.hpp"

namespace entente {

namespace {
Diagnostic warning(const std::string& file, std::string message) {
  Diagnostic d;
  d.severity = Diagnostic::Severity::warning;
  d.where.file = file;
  d.message = std::move(message);
  return d;
}

// MODEL.md §2.5: solved memory targets outside [−1, 1] (naming the pairs, the
// strongest first, at most five) and actors with λ = 0 that are not at rest.
void anchor_warnings(const Scenario& scenario, const Model& model, const State& s,
                     const std::string& file, std::vector<Diagnostic>& out) {
  const int N = model.n;
  const auto id = [&](int i) -> const std::string& {
    return scenario.actors[static_cast<std::size_t>(i)].id;
  };
  std::vector<std::pair<double, std::pair<int, int>>> outside;
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      if (i != j && std::abs(model.memory_target(i, j)) > 1.0)
        outside.push_back({-std::abs(model.memory_target(i, j)), {i, j}});
    }
  }
  std::stable_sort(outside.begin(), outside.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (!outside.empty()) {
    std::string list;
    for (std::size_t k = 0; k < outside.size() && k < 5; ++k) {
      const auto [i, j] = outside[k].second;
      if (!list.empty()) list += ", ";
      list += id(i) + "→" + id(j) + " " + detail::format_double(model.memory_target(i, j));
    }
    if (outside.size() > 5) list += ", and " + std::to_string(outside.size() - 5) + " more";
    out.push_back(warning(file, std::to_string(outside.size()) +
                                    " resting affinities solved by anchor = \"equilibrium\" lie "
                                    "outside [-1, 1] (" +
                                    list +
                                    "): the other lenses push these pairs hard (MODEL.md §2.5)"));
  }
  const Rates& r = s.rates;
  for (int i = 0; i < N; ++i) {
    if (model.stubbornness(i) > 0) continue;
    double denom = 0.0;
    for (int k = 0; k < N; ++k) {
      if (k != i) denom += s.W(i, k) * s.w(k);
    }
    double worst = 0.0;
    for (int a = 0; a < model.k; ++a) {
      double pull = 0.0;
      for (int j = 0; j < N; ++j) {
        if (j == i || !(denom > 0)) continue;
        const double sg = s.R(i, j) > 0 ? 1.0 : (s.R(i, j) < 0 ? -1.0 : 0.0);
        pull += r.influence * s.W(i, j) * s.w(j) / denom * std::abs(s.R(i, j)) *
                (sg * s.x(j, a) - s.x(i, a));
      }
      worst = std::max(worst, std::abs(pull));
    }
    if (worst > 1e-12) {
      out.push_back(warning(file, "actor " + id(i) +
                                      " has stubbornness 0 and is not at rest under anchor = "
                                      "\"equilibrium\" (its position moves by up to " +
                                      detail::format_double(worst) +
                                      " in the first step); give it a stubbornness > 0 "
                                      "(MODEL.md §2.5)"));
    }
  }
}

}  // namespace

// MODEL.md §2.4: the raw (unnormalised) weight sums on the initial state.
std::vector<Diagnostic> stability_warnings(const Scenario& scenario, const std::string& file) {
  std::vector<Diagnostic> out;
  if (scenario.actors.empty()) return out;
  const Model model = compile(scenario);
  const State s = initial_state(model);
  const int N = model.n;
  const Rates& r = s.rates;

  double worst_position = 1.0;
  int worst_actor = -1;
  for (int i = 0; i < N; ++i) {
    double denom = 0.0;
    for (int k = 0; k < N; ++k) {
      if (k != i) denom += s.W(i, k) * s.w(k);
    }
    double total = model.stubbornness(i);
    for (int j = 0; j < N; ++j) {
      if (j != i && denom > 0)
        total += r.influence * s.W(i, j) * s.w(j) / denom * std::abs(s.R(i, j));
    }
    if (total > worst_position) {
      worst_position = total;
      worst_actor = i;
    }
  }
  if (worst_actor >= 0) {
    out.push_back(warning(
        file, "position weights of " + scenario.actors[static_cast<std::size_t>(worst_actor)].id +
                  " sum to " + detail::format_double(worst_position) +
                  " (> 1) on the initial state; they are normalised each step (MODEL.md §2.4)"));
  }

  double worst_pair = 1.0;
  int wi = -1, wj = -1;
  double w_total = 0.0;
  for (int k = 0; k < N; ++k) w_total += s.w(k);
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      if (i == j) continue;
      double total = 0.0;
      if (N >= 3) {
        double b_abs = 0.0;
        for (int k = 0; k < N; ++k) {
          if (k != i && k != j) b_abs += s.w(k) * std::abs(s.R(i, k) * s.R(k, j));
        }
        const double third = w_total - s.w(i) - s.w(j);
        if (third > 0) total += r.balance * b_abs / third;
      }
      if (model.k >= 1) total += r.similarity;
      for (int g = 0; g < model.g; ++g)
        total += r.institutions * model.cohesion(g) * s.m(g, i) * s.m(g, j);
      total += r.interdependence * s.T(i, j);
      for (int q = 0; q < model.q; ++q) {
        const int o = s.regime[static_cast<std::size_t>(q)];
        total += r.stakes * model.salience(q, i) * model.salience(q, j) *
                 std::abs(model.utility[static_cast<std::size_t>(q)](i, o) *
                          model.utility[static_cast<std::size_t>(q)](j, o));
      }
      total += r.memory;
      if (total > worst_pair) {
        worst_pair = total;
        wi = i;
        wj = j;
      }
    }
  }
  if (wi >= 0) {
    out.push_back(warning(
        file, "affinity weights of " + scenario.actors[static_cast<std::size_t>(wi)].id + "→" +
                  scenario.actors[static_cast<std::size_t>(wj)].id + " sum to " +
                  detail::format_double(worst_pair) +
                  " (> 1) on the initial state; they are normalised each step (MODEL.md §2.4)"));
  }
  if (scenario.anchor == AnchorMode::equilibrium) anchor_warnings(scenario, model, s, file, out);
  return out;
}

}  // namespace entente
