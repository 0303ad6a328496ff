// `entente compare` (include/entente/workshop/compare.hpp): trajectories of scenario
// files and the paired differences between inputs.
#include "entente/workshop/compare.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

#include "entente/model/simulation.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/run/summary.hpp"
#include "entente/util/diagnostics.hpp"

namespace entente {

std::vector<Observable> compared_observables(const Scenario& s) {
  std::vector<Observable> out;
  const auto add = [&](const Observable& o) {
    if (o.kind == Observable::Kind::step) return;
    if (std::find(out.begin(), out.end(), o) == out.end()) out.push_back(o);
  };
  for (const Observable& o : s.output.observables) add(o);
  for (const Observable& o : default_observables(s)) add(o);
  if (s.output.blocs) {
    for (int i = 0; i < s.actor_count(); ++i) add(Observable{Observable::Kind::bloc, i, -1});
  }
  return out;
}

Trajectories simulate_trajectories(const Scenario& scenario, const std::string& source,
                                   int threads) {
  EnsembleControl control;
  control.threads = threads;
  return simulate_trajectories(scenario, source, control);
}

Trajectories simulate_trajectories(const Scenario& scenario, const std::string& source,
                                   const EnsembleControl& control) {
  Trajectories tr;
  tr.label = scenario.name;
  tr.source = source;
  tr.scenario = std::make_shared<const Scenario>(scenario);
  tr.seed = scenario.seed;
  tr.runs = scenario.runs;
  tr.steps = scenario.steps;
  tr.observables = compared_observables(scenario);
  for (const Observable& o : tr.observables) tr.names.push_back(to_string(o, scenario));
  const std::size_t n_obs = tr.observables.size(), T = static_cast<std::size_t>(tr.steps + 1),
                    R = static_cast<std::size_t>(tr.runs);
  tr.values.assign(n_obs * T * R, 0.0);
  const Model model = compile(scenario);
  const int threads = control.threads > 0 ? control.threads : default_threads();
  // Each run writes only its own cells; the commit only reports progress.
  const int completed = for_each_run_ordered(
      tr.runs, threads, 4 * threads,
      [&](int run, int) {
        Simulation sim(model, static_cast<std::uint64_t>(run));
        const auto r = static_cast<std::size_t>(run);
        for (int t = 0; t <= tr.steps; ++t) {
          if (t > 0) sim.advance();
          for (std::size_t o = 0; o < n_obs; ++o) {
            tr.values[(o * T + static_cast<std::size_t>(t)) * R + r] =
                observe(model, sim.state(), tr.observables[o]);
          }
        }
      },
      [&](int run, int) {
        if (control.progress) control.progress(run + 1, tr.runs);
      },
      control.should_stop);
  if (completed < tr.runs) {
    throw Interrupted("interrupted after " + std::to_string(completed) + " of " +
                      std::to_string(tr.runs) + " runs");
  }
  return tr;
}

bool PairedDifference::same_in_every_run() const {
  return high - low <= 1e-12 * std::max(1.0, std::max(std::abs(low), std::abs(high)));
}

PairedDifference paired_difference(const std::vector<double>& base,
                                   const std::vector<double>& other) {
  PairedDifference d;
  const std::size_t n = base.size();
  std::vector<double> diff(n);
  double sum_base = 0.0, sum_other = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    diff[r] = other[r] - base[r];
    sum_base += base[r];
    sum_other += other[r];
    d.p_positive += diff[r] > 0.0 ? 1.0 : 0.0;
    d.p_negative += diff[r] < 0.0 ? 1.0 : 0.0;
  }
  d.p_positive /= static_cast<double>(n);
  d.p_negative /= static_cast<double>(n);
  if (n > 0) {
    d.low = *std::min_element(diff.begin(), diff.end());
    d.high = *std::max_element(diff.begin(), diff.end());
  }
  d.base_mean = sum_base / static_cast<double>(n);
  d.other_mean = sum_other / static_cast<double>(n);
  const bool constant =
      std::all_of(diff.begin(), diff.end(), [&](double x) { return x == diff[0]; });
  const Stats st = compute_stats(diff);
  // The same difference in every run is exact: no rounding from the sums.
  d.mean = constant && n > 0 ? diff[0] : st.mean;
  d.sd = constant ? 0.0 : st.sd;
  d.p05 = st.quantile[0];
  d.p95 = st.quantile[4];
  double half = 0.0;
  if (n > 1 && d.sd > 0.0) {
    const boost::math::students_t t(static_cast<double>(n - 1));
    half = boost::math::quantile(t, 0.95) * d.sd / std::sqrt(static_cast<double>(n));
  }
  d.ci_low = d.mean - half;
  d.ci_high = d.mean + half;
  return d;
}

namespace {

int find_name(const Trajectories& t, const std::string& name) {
  for (std::size_t o = 0; o < t.names.size(); ++o) {
    if (t.names[o] == name) return static_cast<int>(o);
  }
  return -1;
}

std::vector<std::string> categories_of(const Trajectories& t, int o) {
  const Observable& obs = t.observables[static_cast<std::size_t>(o)];
  return obs.categorical() ? categories(obs, *t.scenario) : std::vector<std::string>{};
}

}  // namespace

Comparison compare(const std::vector<Trajectories>& in) {
  if (in.size() < 2) throw InputError({"compare", 0, 0}, "compare needs at least two inputs");
  const Trajectories& first = in[0];
  for (std::size_t k = 1; k < in.size(); ++k) {
    const Trajectories& t = in[k];
    if (t.seed != first.seed || t.runs != first.runs) {
      throw InputError(
          {t.source, 0, 0},
          "common random numbers need the same seed and runs in every input, but " + first.source +
              " has seed " + std::to_string(first.seed) + " and " + std::to_string(first.runs) +
              " runs while " + t.source + " has seed " + std::to_string(t.seed) + " and " +
              std::to_string(t.runs) +
              " runs (give --seed and --runs for scenario files; rerun a directory with `entente "
              "run … --seed S --runs N`)");
    }
    if (t.steps != first.steps) {
      throw InputError({t.source, 0, 0}, "the inputs must have the same steps, but " +
                                             first.source + " has " + std::to_string(first.steps) +
                                             " and " + t.source + " has " +
                                             std::to_string(t.steps));
    }
  }
  Comparison c;
  c.seed = first.seed;
  c.runs = first.runs;
  c.steps = first.steps;
  c.scenario = first.scenario;
  for (const auto& t : in) {
    c.labels.push_back(t.label);
    c.sources.push_back(t.source);
    c.scenarios.push_back(t.scenario);
  }
  std::vector<std::vector<int>> index(in.size());  // per input, per common observable
  for (std::size_t o = 0; o < first.names.size(); ++o) {
    const auto cats = categories_of(first, static_cast<int>(o));
    bool everywhere = true;
    std::vector<int> where;
    for (const auto& t : in) {
      const int k = find_name(t, first.names[o]);
      if (k < 0 || categories_of(t, k) != cats) everywhere = false;
      where.push_back(k);
    }
    if (!everywhere) continue;
    c.names.push_back(first.names[o]);
    c.categories.push_back(cats);
    for (std::size_t k = 0; k < in.size(); ++k) index[k].push_back(where[k]);
  }
  if (c.names.empty())
    throw InputError({in[1].source, 0, 0}, "the inputs have no observable in common");
  const auto R = static_cast<std::size_t>(c.runs);
  c.numeric.resize(in.size() - 1);
  c.shares.resize(in.size());
  std::vector<double> base(R), other(R);
  for (std::size_t o = 0; o < c.names.size(); ++o) {
    for (std::size_t k = 0; k < in.size(); ++k) {
      c.shares[k].emplace_back();
      if (k > 0) c.numeric[k - 1].emplace_back();
    }
    for (int t = 0; t <= c.steps; ++t) {
      for (std::size_t r = 0; r < R; ++r)
        base[r] = first.value(index[0][o], t, static_cast<int>(r));
      for (std::size_t k = 0; k < in.size(); ++k) {
        const std::vector<double>* v = &base;
        if (k > 0) {
          for (std::size_t r = 0; r < R; ++r)
            other[r] = in[k].value(index[k][o], t, static_cast<int>(r));
          v = &other;
        }
        if (c.categories[o].empty()) {
          if (k > 0) c.numeric[k - 1][o].push_back(paired_difference(base, other));
          continue;
        }
        std::vector<double> share(c.categories[o].size(), 0.0);
        for (double x : *v) share[static_cast<std::size_t>(x)] += 1.0;
        for (double& x : share) x /= static_cast<double>(R);
        c.shares[k][o].push_back(std::move(share));
      }
    }
  }
  return c;
}

}  // namespace entente
