#include "entente/model/model.hpp"

#include <cmath>
#include <limits>

namespace entente {

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
