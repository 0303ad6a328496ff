// `entente calibrate`: the loss, the optimiser (NLopt) and the profiles.
//
// The optimiser works on the unit cube (each parameter scaled to [0, 1] over
// its range), so that rates of different sizes weigh alike:
// 1. global stage: GN_CRS2_LM (controlled random search with local mutation,
//    Kaelo & Ali 2006), seeded with nlopt::srand(seed), half the budget;
// 2. local stage: LN_BOBYQA (Powell's bounded quadratic model) from the
//    best point so far, the rest of the budget (LN_COBYLA for one
//    parameter, which BOBYQA does not take).
// Both stop early once the loss is 0. The profile of parameter k fixes it at
// `profile_points` values over its range and re-optimises the others locally.
#include <nlopt.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "entente/model/model.hpp"
#include "entente/model/simulation.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/run/summary.hpp"
#include "entente/sweep/calibrate.hpp"
#include "util/csv.hpp"

namespace entente {

struct CalibrationEvaluator::Impl {
  const Calibration* cal = nullptr;
  ScenarioBinding binding;
  int threads = 1;
  int last_step = 0;
  bool needs_blocs = false;
  Impl(const Calibration& c, std::vector<std::string> paths)
      : cal(&c), binding(c.scenario, std::move(paths)) {}
};

CalibrationEvaluator::CalibrationEvaluator(const Calibration& calibration, int threads) {
  std::vector<std::string> paths;
  for (const auto& p : calibration.parameters) paths.push_back(p.path);
  impl_ = std::make_unique<Impl>(calibration, std::move(paths));
  impl_->threads = threads > 0 ? threads : default_threads();
  for (const auto& t : calibration.targets) {
    impl_->last_step = std::max(impl_->last_step, t.step);
    impl_->needs_blocs = impl_->needs_blocs || t.observable.needs_blocs();
  }
}

CalibrationEvaluator::~CalibrationEvaluator() = default;

Scenario CalibrationEvaluator::scenario(const std::vector<double>& values) const {
  std::vector<std::string> texts;
  for (double v : values) texts.push_back(detail::format_double(v));
  Scenario s = impl_->binding.make(values, texts);
  s.seed = impl_->cal->seed;
  s.runs = impl_->cal->runs;
  return s;
}

double CalibrationEvaluator::loss(const std::vector<double>& values,
                                  std::vector<TargetFit>* fit) const {
  const Calibration& cal = *impl_->cal;
  Model model = compile(scenario(values));
  model.needs_blocs = model.needs_blocs || impl_->needs_blocs;
  const int runs = cal.runs;
  const std::size_t nt = cal.targets.size();
  // observed[target][run]
  std::vector<std::vector<double>> observed(nt,
                                            std::vector<double>(static_cast<std::size_t>(runs)));
  const int last = impl_->last_step;
  // One simulation per slot of the ordered loop, restarted run after run.
  const int threads = std::min(impl_->threads, runs);
  std::vector<std::optional<Simulation>> sims(static_cast<std::size_t>(std::max(1, 2 * threads)));
  const auto work = [&](int run, int slot) {
    std::optional<Simulation>& reused = sims[static_cast<std::size_t>(slot)];
    if (reused) {
      reused->restart(static_cast<std::uint64_t>(run));
    } else {
      reused.emplace(model, static_cast<std::uint64_t>(run));
    }
    Simulation& sim = *reused;
    const auto record = [&] {
      for (std::size_t k = 0; k < nt; ++k) {
        if (cal.targets[k].step == sim.state().step) {
          observed[k][static_cast<std::size_t>(run)] =
              observe(model, sim.state(), cal.targets[k].observable);
        }
      }
    };
    record();
    for (int t = 0; t < last; ++t) {
      sim.advance();
      record();
    }
  };
  if (threads <= 1) {
    for (int r = 0; r < runs; ++r) work(r, 0);
  } else {
    for_each_run_ordered(runs, threads, 2 * threads, work, [](int, int) {});
  }
  double loss = 0.0;
  if (fit != nullptr) fit->assign(nt, TargetFit{});
  for (std::size_t k = 0; k < nt; ++k) {
    auto& v = observed[k];
    double sum = 0.0;
    for (double x : v) sum += x;  // in run order: the same bits on any threads
    const double mean = sum / runs;
    const double z = (mean - cal.targets[k].value) / cal.targets[k].sd;
    loss += z * z;
    if (fit != nullptr) {
      std::sort(v.begin(), v.end());
      (*fit)[k] = TargetFit{mean, quantile_sorted(v, 0.05), quantile_sorted(v, 0.95)};
    }
  }
  return loss;
}

namespace {

struct Stop {};  // unwinds NLopt when the user asked to stop

struct Search {
  const Calibration& cal;
  const CalibrationEvaluator& eval;
  const CalibrationSettings& settings;
  CalibrationResult& result;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  std::string stage;
  bool stopped = false;
  std::exception_ptr error;  // an evaluation failed: rethrown after the optimiser

  std::vector<double> to_values(const std::vector<double>& u) const {
    std::vector<double> x(u.size());
    for (std::size_t k = 0; k < u.size(); ++k) {
      const auto& p = cal.parameters[k];
      x[k] = std::clamp(p.min + std::clamp(u[k], 0.0, 1.0) * (p.max - p.min), p.min, p.max);
    }
    return x;
  }

  double evaluate(const std::vector<double>& values) {
    if (settings.should_stop && settings.should_stop()) {
      stopped = true;
      throw Stop{};
    }
    double loss = 0.0;
    try {
      loss = eval.loss(values);
    } catch (...) {
      error = std::current_exception();
      stopped = true;
      throw Stop{};
    }
    ++result.evaluations;
    result.trace.push_back(TraceRow{result.evaluations, stage, values, loss});
    if (result.best.empty() || loss < result.loss) {
      result.best = values;
      result.loss = loss;
    }
    if (settings.progress) {
      settings.progress(CalibrationProgress{
          result.evaluations, result.loss,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), stage});
    }
    return loss;
  }
};

// Minimises f over the unit cube of `dims` dimensions from `u0` with at
// most `budget` evaluations; returns false when stopped by the user.
using Objective = std::function<double(const std::vector<double>&)>;

bool minimise(nlopt::algorithm algorithm, unsigned dims, std::vector<double>& u0, int budget,
              const Objective& f, bool& stopped) {
  if (budget <= 0 || dims == 0) return true;
  nlopt::opt opt(algorithm, dims);
  opt.set_lower_bounds(std::vector<double>(dims, 0.0));
  opt.set_upper_bounds(std::vector<double>(dims, 1.0));
  opt.set_maxeval(budget);
  opt.set_stopval(0.0);
  if (algorithm != nlopt::GN_CRS2_LM) {
    opt.set_xtol_rel(1e-12);
    opt.set_ftol_abs(1e-24);
    opt.set_initial_step(0.05);
  }
  opt.set_min_objective(
      [](unsigned n, const double* u, double*, void* d) -> double {
        return (*static_cast<const Objective*>(d))(std::vector<double>(u, u + n));
      },
      const_cast<Objective*>(&f));
  for (double& v : u0) v = std::clamp(v, 0.0, 1.0);
  double value = 0.0;
  // NLopt's C++ wrapper turns an exception in the objective (Stop, or an
  // error kept in Search::error) into a forced stop and throws its own.
  try {
    opt.optimize(u0, value);
  } catch (const Stop&) {
    return false;
  } catch (...) {
    // roundoff_limited and kin: the best point so far is kept by the caller.
    return !stopped;
  }
  return !stopped;
}

}  // namespace

CalibrationResult calibrate(const Calibration& cal, const CalibrationSettings& settings) {
  CalibrationResult result;
  const CalibrationEvaluator eval(cal, settings.threads);
  Search search{cal, eval, settings, result, std::chrono::steady_clock::now(), "", false, {}};
  const auto P = static_cast<unsigned>(cal.parameters.size());
  const Objective objective = [&](const std::vector<double>& u) {
    return search.evaluate(search.to_values(u));
  };
  const auto unit_of = [&](const std::vector<double>& x) {
    std::vector<double> u(x.size());
    for (std::size_t k = 0; k < x.size(); ++k) {
      const auto& p = cal.parameters[k];
      u[k] = (x[k] - p.min) / (p.max - p.min);
    }
    return u;
  };
  const nlopt::algorithm local = P >= 2 ? nlopt::LN_BOBYQA : nlopt::LN_COBYLA;
  nlopt::srand(cal.seed);
  bool ok = true;
  // The centre first: a valid best.toml exists from the first evaluation on.
  std::vector<double> u(P, 0.5);
  search.stage = "global";
  try {
    objective(u);
  } catch (const Stop&) {
    ok = false;
  }
  const int global_budget = cal.max_evaluations / 2 - 1;
  if (ok && result.loss > 0)
    ok = minimise(nlopt::GN_CRS2_LM, P, u, global_budget, objective, search.stopped);
  if (ok && result.loss > 0) {
    search.stage = "local";
    u = unit_of(result.best);
    ok = minimise(local, P, u, cal.max_evaluations - result.evaluations, objective, search.stopped);
  }
  if (search.error) std::rethrow_exception(search.error);
  result.interrupted = !ok;
  const std::vector<double> best = result.best;
  const double best_loss = result.loss;

  // Profiles: parameter k fixed on a grid, the others re-optimised.
  result.summaries.assign(P, ProfileSummary{});
  if (ok && settings.profile_points >= 2) {
    search.stage = "profile";
    for (unsigned k = 0; k < P && ok; ++k) {
      const auto& p = cal.parameters[k];
      for (int g = 0; g < settings.profile_points && ok; ++g) {
        const double v = p.min + (p.max - p.min) * g / (settings.profile_points - 1);
        double point_best = std::numeric_limits<double>::infinity();
        const Objective sub = [&](const std::vector<double>& w) {
          std::vector<double> full_u(P);
          for (unsigned j = 0, m = 0; j < P; ++j) full_u[j] = j == k ? 0.0 : w[m++];
          std::vector<double> x = search.to_values(full_u);
          x[k] = v;
          const double l = search.evaluate(x);
          point_best = std::min(point_best, l);
          return l;
        };
        std::vector<double> w;
        const std::vector<double> bu = unit_of(best);
        for (unsigned j = 0; j < P; ++j) {
          if (j != k) w.push_back(bu[j]);
        }
        try {
          if (P == 1) {
            sub(w);
          } else {
            sub(w);  // from the best point, then locally
            ok = minimise(P - 1 >= 2 ? nlopt::LN_BOBYQA : nlopt::LN_COBYLA, P - 1, w,
                          settings.profile_evaluations, sub, search.stopped);
          }
        } catch (const Stop&) {
          ok = false;
        }
        if (std::isfinite(point_best))
          result.profile.push_back(ProfilePoint{static_cast<int>(k), v, point_best});
      }
    }
    if (ok) {
      for (unsigned k = 0; k < P; ++k) {
        ProfileSummary s;
        double lowest = best_loss;
        for (const auto& pt : result.profile) {
          if (pt.parameter == static_cast<int>(k)) lowest = std::min(lowest, pt.loss);
        }
        bool any = false;
        for (const auto& pt : result.profile) {
          if (pt.parameter != static_cast<int>(k) || pt.loss > lowest + 3.84) continue;
          s.lo = any ? std::min(s.lo, pt.value) : pt.value;
          s.hi = any ? std::max(s.hi, pt.value) : pt.value;
          any = true;
        }
        const auto& p = cal.parameters[k];
        s.computed = any;
        s.identified = any && !(s.lo <= p.min && s.hi >= p.max);
        result.summaries[k] = s;
      }
    }
    if (search.error) std::rethrow_exception(search.error);
    result.interrupted = !ok;
  }
  // The profile may have found a lower point than the optimiser.
  if (result.loss < best_loss) {
    // keep it: result.best was updated by evaluate()
  } else {
    result.best = best;
    result.loss = best_loss;
  }
  if (!result.best.empty()) eval.loss(result.best, &result.fit);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - search.start).count();
  return result;
}

}  // namespace entente
