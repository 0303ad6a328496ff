// The reference step: MODEL.md §2 written out in plain loops, one line per
// formula, for obviousness. It allocates freely and is slow; it is the oracle
// the tests hold the fast step to.
#include <algorithm>
#include <cmath>

#include "entente/model/step.hpp"

namespace entente {

namespace {
double sign(double v) {
  return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
}
double clip(double v) {
  return std::clamp(v, -1.0, 1.0);
}
double sigma_x(const Model& model, const State& state, int i) {
  const double own = model.actor_noise(i);
  return std::isnan(own) ? state.rates.noise_position : own;
}
}  // namespace

void reference_step(const Model& model, State& state, const Rng& rng, StepDrivers* drivers) {
  const int N = model.n, K = model.k, G = model.g, Q = model.q;
  // §2.3: ξ of step t for the ids of what it perturbs (include/entente/model/rng.hpp).
  const auto t = static_cast<std::uint32_t>(state.step + 1);
  const auto actor_id = [&](int i) {
    return noise_id(model.scenario->actors[static_cast<std::size_t>(i)].id);
  };
  const auto axis_id = [&](int a) {
    return noise_id(model.scenario->axes[static_cast<std::size_t>(a)].id);
  };
  const Rates& r = state.rates;
  const auto& x = state.x;
  const auto& R = state.R;
  RowMatrix x_next = x;
  RowMatrix R_next = R;

  // §2.1 positions.
  for (int i = 0; i < N; ++i) {
    double denom = 0.0;
    for (int k = 0; k < N; ++k) {
      if (k != i) denom += state.W(i, k) * state.w(k);
    }
    std::vector<double> v(static_cast<std::size_t>(N), 0.0);
    double total = 0.0;
    for (int j = 0; j < N; ++j) {
      if (j == i) continue;
      const double a_hat = denom > 0 ? state.W(i, j) * state.w(j) / denom : 0.0;
      v[static_cast<std::size_t>(j)] = r.influence * a_hat * std::abs(R(i, j));
      total += v[static_cast<std::size_t>(j)];
    }
    double v_anchor = model.stubbornness(i);
    total += v_anchor;
    if (total > 1.0) {
      for (double& vj : v) vj /= total;
      v_anchor /= total;
    }
    for (int a = 0; a < K; ++a) {
      double value = x(i, a);
      for (int j = 0; j < N; ++j) {
        if (j == i) continue;
        const double term = v[static_cast<std::size_t>(j)] * (sign(R(i, j)) * x(j, a) - x(i, a));
        value += term;
        if (drivers) drivers->position(i * K + a, j) = term;
      }
      const double anchor = v_anchor * (model.ideal(i, a) - x(i, a));
      value += anchor;
      if (drivers) drivers->position(i * K + a, drivers->position_anchor_slot()) = anchor;
      x_next(i, a) = value;
    }
  }
  // §2.3 noise on positions, where σx > 0.
  for (int i = 0; i < N; ++i) {
    const double s = sigma_x(model, state, i);
    for (int a = 0; a < K; ++a) {
      const double noise = s > 0 ? s * rng.position(t, actor_id(i), axis_id(a)) : 0.0;
      const double before_clip = x_next(i, a) + noise;
      x_next(i, a) = clip(before_clip);
      if (drivers) {
        drivers->position(i * K + a, drivers->position_noise_slot()) = noise;
        drivers->position(i * K + a, drivers->position_clip_slot()) = x_next(i, a) - before_clip;
      }
    }
  }

  // §2.2 affinities.
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      if (i == j) continue;
      std::vector<double> omega, tau;
      // balance (N ≥ 3): means over third parties weighted by w_k.
      if (N >= 3) {
        double b = 0.0, b_abs = 0.0, wk = 0.0;
        for (int k = 0; k < N; ++k) {
          if (k == i || k == j) continue;
          b += state.w(k) * R(i, k) * R(k, j);
          b_abs += state.w(k) * std::abs(R(i, k) * R(k, j));
          wk += state.w(k);
        }
        const double mean = wk > 0 ? b / wk : 0.0;
        const double mean_abs = wk > 0 ? b_abs / wk : 0.0;
        omega.push_back(r.balance * mean_abs);
        tau.push_back(mean_abs > 0 ? mean / mean_abs : 0.0);
      } else {
        omega.push_back(0.0);
        tau.push_back(0.0);
      }
      // similarity (K ≥ 1)
      if (K >= 1) {
        double d = 0.0;
        for (int a = 0; a < K; ++a) d += std::abs(x(i, a) - x(j, a));
        omega.push_back(r.similarity);
        tau.push_back(1.0 - d / K);
      } else {
        omega.push_back(0.0);
        tau.push_back(0.0);
      }
      // institutions
      double shared = 0.0;
      for (int g = 0; g < G; ++g) shared += model.cohesion(g) * state.m(g, i) * state.m(g, j);
      omega.push_back(r.institutions * shared);
      tau.push_back(1.0);
      // interdependence
      omega.push_back(r.interdependence * state.T(i, j));
      tau.push_back(1.0);
      // stakes, one term per issue
      for (int q = 0; q < Q; ++q) {
        const int o = state.regime[static_cast<std::size_t>(q)];
        const double ui = model.utility[static_cast<std::size_t>(q)](i, o);
        const double uj = model.utility[static_cast<std::size_t>(q)](j, o);
        omega.push_back(r.stakes * model.salience(q, i) * model.salience(q, j) * std::abs(ui * uj));
        tau.push_back(sign(ui * uj));
      }
      // memory
      omega.push_back(r.memory);
      tau.push_back(state.anchor(i, j));  // R0, or Rstar (§2.5), as `anchor` effects left it
      double total = 0.0;
      for (double om : omega) total += om;
      if (total > 1.0) {
        for (double& om : omega) om /= total;
      }
      double value = R(i, j);
      for (std::size_t m = 0; m < omega.size(); ++m) {
        const double term = omega[m] * (tau[m] - R(i, j));
        value += term;
        if (drivers) drivers->affinity(i * N + j, static_cast<int>(m)) = term;
      }
      R_next(i, j) = value;
    }
  }
  // §2.3 noise on affinities, where σR > 0.
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      if (i == j) continue;
      const double noise =
          r.noise_affinity > 0 ? r.noise_affinity * rng.affinity(t, actor_id(i), actor_id(j)) : 0.0;
      const double before_clip = R_next(i, j) + noise;
      R_next(i, j) = clip(before_clip);
      if (drivers) {
        drivers->affinity(i * N + j, drivers->affinity_noise_slot()) = noise;
        drivers->affinity(i * N + j, drivers->affinity_clip_slot()) = R_next(i, j) - before_clip;
      }
    }
    R_next(i, i) = 1.0;
  }
  state.x = x_next;
  state.R = R_next;
  state.step += 1;
}

}  // namespace entente
