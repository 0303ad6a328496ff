#include "entente/model/model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace entente {

std::string_view to_string(AnchorMode a) {
  return a == AnchorMode::equilibrium ? "equilibrium" : "initial";
}

namespace {

// A bound on the solved targets: only a rate near 0 (μ or λ of 1e-300) can
// reach it; it keeps every term of the step finite (the state is clipped).
constexpr double kMaxSolved = 1e6;

double sign_of(double v) {
  return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
}

// MODEL.md §2.5: the memory target Rstar and the ideals xhat that make the
// initial state S(0) a fixed point of the noiseless step. The lenses are
// written out as in reference_step, with their un-normalised weights
// (normalisation scales a pair's weights alike and does not move the point).
void solve_equilibrium(Model& m, const State& s0) {
  const int N = m.n, K = m.k;
  const Rates& r = s0.rates;
  const RowMatrix& R = s0.R;
  const RowMatrix& x = s0.x;
  if (r.memory > 0) {
    for (int i = 0; i < N; ++i) {
      for (int j = 0; j < N; ++j) {
        if (i == j) continue;
        double pull = 0.0;  // Σ_{m ≠ memory} ω_m (τ_m − R0[i][j])
        if (N >= 3) {
          double b = 0.0, b_abs = 0.0, wk = 0.0;
          for (int k = 0; k < N; ++k) {
            if (k == i || k == j) continue;
            b += s0.w(k) * R(i, k) * R(k, j);
            b_abs += s0.w(k) * std::abs(R(i, k) * R(k, j));
            wk += s0.w(k);
          }
          const double mean = wk > 0 ? b / wk : 0.0;
          const double mean_abs = wk > 0 ? b_abs / wk : 0.0;
          pull += r.balance * mean_abs * ((mean_abs > 0 ? mean / mean_abs : 0.0) - R(i, j));
        }
        if (K >= 1) {
          double d = 0.0;
          for (int a = 0; a < K; ++a) d += std::abs(x(i, a) - x(j, a));
          pull += r.similarity * (1.0 - d / K - R(i, j));
        }
        double shared = 0.0;
        for (int g = 0; g < m.g; ++g) shared += m.cohesion(g) * s0.m(g, i) * s0.m(g, j);
        pull += r.institutions * shared * (1.0 - R(i, j));
        pull += r.interdependence * s0.T(i, j) * (1.0 - R(i, j));
        for (int q = 0; q < m.q; ++q) {
          const int o = s0.regime[static_cast<std::size_t>(q)];
          const double ui = m.utility[static_cast<std::size_t>(q)](i, o);
          const double uj = m.utility[static_cast<std::size_t>(q)](j, o);
          pull += r.stakes * m.salience(q, i) * m.salience(q, j) * std::abs(ui * uj) *
                  (sign_of(ui * uj) - R(i, j));
        }
        m.memory_target(i, j) = std::clamp(R(i, j) - pull / r.memory, -kMaxSolved, kMaxSolved);
      }
    }
  }
  for (int i = 0; i < N; ++i) {
    const double lambda = m.stubbornness(i);
    if (lambda <= 0) continue;  // keeps its drift (validate warns)
    double denom = 0.0;
    for (int k = 0; k < N; ++k) {
      if (k != i) denom += s0.W(i, k) * s0.w(k);
    }
    for (int a = 0; a < K; ++a) {
      double pull = 0.0;  // Σ_j v[i][j] (sign(R0[i][j]) x[j] − x[i])
      for (int j = 0; j < N; ++j) {
        if (j == i) continue;
        const double a_hat = denom > 0 ? s0.W(i, j) * s0.w(j) / denom : 0.0;
        pull += r.influence * a_hat * std::abs(R(i, j)) * (sign_of(R(i, j)) * x(j, a) - x(i, a));
      }
      m.ideal(i, a) = std::clamp(x(i, a) - pull / lambda, -kMaxSolved, kMaxSolved);
    }
  }
}

}  // namespace

Model compile(const Scenario& s) {
  Model m;
  m.scenario = std::make_shared<const Scenario>(s);
  m.n = s.actor_count();
  m.k = s.axis_count();
  m.g = static_cast<int>(s.institutions.size());
  m.q = static_cast<int>(s.issues.size());
  const auto N = static_cast<Eigen::Index>(m.n), K = static_cast<Eigen::Index>(m.k);

  double power_sum = 0.0;
  for (const auto& a : s.actors) power_sum += a.power;
  m.power_share.resize(N);
  m.stubbornness.resize(N);
  m.ideal.resize(N, K);
  m.actor_noise.resize(N);
  for (Eigen::Index i = 0; i < N; ++i) {
    const Actor& a = s.actors[static_cast<std::size_t>(i)];
    m.power_share(i) = a.power / power_sum;
    m.stubbornness(i) = a.stubbornness;
    for (Eigen::Index k = 0; k < K; ++k) m.ideal(i, k) = a.ideal[static_cast<std::size_t>(k)];
    m.actor_noise(i) = a.noise ? *a.noise : std::numeric_limits<double>::quiet_NaN();
  }
  m.affinity0.resize(N, N);
  for (Eigen::Index i = 0; i < N; ++i) {
    for (Eigen::Index j = 0; j < N; ++j) {
      m.affinity0(i, j) =
          i == j ? 1.0 : s.affinity[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
    }
  }
  m.cohesion.resize(m.g);
  for (int g = 0; g < m.g; ++g)
    m.cohesion(g) = s.institutions[static_cast<std::size_t>(g)].cohesion;
  m.salience.resize(m.q, N);
  for (int q = 0; q < m.q; ++q) {
    const Issue& issue = s.issues[static_cast<std::size_t>(q)];
    const auto options = static_cast<Eigen::Index>(issue.options.size());
    RowMatrix u(N, options);
    for (Eigen::Index i = 0; i < N; ++i) {
      m.salience(q, i) = issue.salience[static_cast<std::size_t>(i)];
      for (Eigen::Index o = 0; o < options; ++o) {
        u(i, o) = issue.utility[static_cast<std::size_t>(i)][static_cast<std::size_t>(o)];
      }
    }
    m.utility.push_back(std::move(u));
  }
  m.memory_target = m.affinity0;
  // μ = 0 with equilibrium is a load error; a scenario built without the
  // loader (a sweep point) keeps R0 and the given ideals then.
  if (s.anchor == AnchorMode::equilibrium) solve_equilibrium(m, initial_state(m));
  m.needs_blocs = s.output.blocs;
  for (const auto& o : s.output.observables) m.needs_blocs = m.needs_blocs || o.needs_blocs();
  for (const auto& e : s.events)
    m.needs_blocs = m.needs_blocs || (e.enabled && e.when.needs_blocs());
  return m;
}

void update_source_weights(const Model& model, State& state) {
  const double rho = state.rates.power_exponent;
  for (int i = 0; i < model.n; ++i) {
    // pbar^0 = 1 for every actor, as MODEL.md §1 says ("all actors count alike").
    state.w(i) = rho == 0.0 ? 1.0 : std::pow(model.power_share(i), rho);
  }
}

State initial_state(const Model& model) {
  const Scenario& s = *model.scenario;
  const auto N = static_cast<Eigen::Index>(model.n);
  State st;
  st.step = 0;
  st.rates = s.rates;
  st.w.resize(N);
  update_source_weights(model, st);
  st.x.resize(N, model.k);
  for (Eigen::Index i = 0; i < N; ++i) {
    for (int a = 0; a < model.k; ++a) {
      st.x(i, a) = s.actors[static_cast<std::size_t>(i)].position[static_cast<std::size_t>(a)];
    }
  }
  st.R = model.affinity0;
  st.anchor = model.memory_target;
  st.m.resize(model.g, N);
  for (int g = 0; g < model.g; ++g) {
    for (Eigen::Index i = 0; i < N; ++i) {
      st.m(g, i) = s.institutions[static_cast<std::size_t>(g)].members[static_cast<std::size_t>(i)];
    }
  }
  st.T.resize(N, N);
  st.W.resize(N, N);
  for (Eigen::Index i = 0; i < N; ++i) {
    for (Eigen::Index j = 0; j < N; ++j) {
      const auto si = static_cast<std::size_t>(i), sj = static_cast<std::size_t>(j);
      st.T(i, j) = i == j ? 0.0 : s.interdependence[si][sj];
      st.W(i, j) = i == j ? 1.0 : s.weights[si][sj];
    }
  }
  for (const auto& issue : s.issues) st.regime.push_back(issue.regime);
  st.fired.assign(s.events.size(), 0);
  st.bloc.assign(static_cast<std::size_t>(model.n), 0);
  return st;
}

double observe(const Model& model, const State& st, const Observable& o) {
  using K = Observable::Kind;
  switch (o.kind) {
    case K::affinity:
      return st.R(o.a, o.b);
    case K::position:
      return st.x(o.a, o.b);
    case K::membership:
      return st.m(o.b, o.a);
    case K::interdependence:
      return st.T(o.a, o.b);
    case K::weight:
      return st.W(o.a, o.b);
    case K::polarization: {
      if (model.n < 2) return 0.0;
      double sum = 0.0;
      for (int i = 0; i < model.n; ++i) {
        for (int j = 0; j < model.n; ++j) {
          if (i != j) sum += std::abs(st.x(i, o.a) - st.x(j, o.a));
        }
      }
      return sum / (static_cast<double>(model.n) * (model.n - 1));
    }
    case K::frustration:
      return st.frustration;
    case K::step:
      return st.step;
    case K::regime:
      return st.regime[static_cast<std::size_t>(o.a)];
    case K::bloc:
      return st.bloc[static_cast<std::size_t>(o.a)];
  }
  return 0.0;
}

}  // namespace entente
