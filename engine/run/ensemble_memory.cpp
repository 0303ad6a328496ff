// An ensemble run into caller-owned arrays (include/entente/run/ensemble_memory.hpp).
// Workers simulate runs and write each state straight into the run's slice of
// the arrays; the calling thread only records the observables for the
// summary, in run order, as run_to_directory does.
#include "entente/run/ensemble_memory.hpp"

#include <cmath>
#include <limits>
#include <optional>

#include "entente/model/simulation.hpp"
#include "entente/model/step.hpp"
#include "entente/run/ensemble.hpp"
#include "entente/util/diagnostics.hpp"

namespace entente {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Slot {
  std::vector<double> observed;  // (steps + 1) × observables
  bool heuristic = false;
  std::optional<Simulation> sim;  // restarted for each run (its memory reused)
};

struct Sizes {
  std::size_t T, N, K, Q, D, P;
};

void record_state(const Model& model, const Sizes& z, const EnsembleArrays& out, std::size_t run,
                  const State& st, Slot& slot) {
  const auto t = static_cast<std::size_t>(st.step);
  const std::size_t rt = run * z.T + t;
  if (out.position) {
    double* p = out.position + rt * z.N * z.K;
    for (std::size_t i = 0; i < z.N; ++i) {
      for (std::size_t a = 0; a < z.K; ++a) {
        *p++ = st.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(a));
      }
    }
  }
  if (out.affinity) {
    double* p = out.affinity + rt * z.N * z.N;
    for (std::size_t i = 0; i < z.N; ++i) {
      for (std::size_t j = 0; j < z.N; ++j) {
        *p++ = i == j ? kNaN : st.R(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
      }
    }
  }
  if (out.regime) {
    for (std::size_t q = 0; q < z.Q; ++q) out.regime[rt * z.Q + q] = st.regime[q];
  }
  if (out.bloc) {
    for (std::size_t i = 0; i < z.N; ++i) out.bloc[rt * z.N + i] = st.bloc[i];
  }
  const auto& obs = model.scenario->output.observables;
  for (std::size_t o = 0; o < obs.size(); ++o) {
    slot.observed[t * obs.size() + o] = observe(model, st, obs[o]);
  }
  slot.heuristic = slot.heuristic || st.blocs_heuristic;
}

// Step 0 has no drivers: zeros, with the NaNs of the cells that never have one.
void clear_affinity_drivers(const Sizes& z, const EnsembleArrays& out, std::size_t rt) {
  if (out.affinity_drivers) {
    double* p = out.affinity_drivers + rt * z.N * z.N * z.D;
    for (std::size_t i = 0; i < z.N; ++i) {
      for (std::size_t j = 0; j < z.N; ++j) {
        for (std::size_t d = 0; d < z.D; ++d) *p++ = i == j ? kNaN : 0.0;
      }
    }
  }
}

void record_drivers(const Model& model, const Sizes& z, const EnsembleArrays& out, std::size_t run,
                    const Simulation& sim) {
  const std::size_t rt = run * z.T + static_cast<std::size_t>(sim.state().step);
  const StepDrivers& d = *sim.drivers();
  const auto E = model.scenario->events.size();
  const auto affinity_slots = static_cast<std::size_t>(d.affinity.cols());
  const auto position_slots = static_cast<std::size_t>(d.position.cols());
  if (out.affinity_drivers) {
    double* base = out.affinity_drivers + rt * z.N * z.N * z.D;
    for (std::size_t i = 0; i < z.N; ++i) {
      for (std::size_t j = 0; j < z.N; ++j) {
        double* p = base + (i * z.N + j) * z.D;
        if (i == j) {
          for (std::size_t k = 0; k < z.D; ++k) p[k] = kNaN;
          continue;
        }
        for (std::size_t e = 0; e < E; ++e) p[e] = 0.0;
        const auto ii = static_cast<Eigen::Index>(i), jj = static_cast<Eigen::Index>(j);
        for (const auto& ev : sim.event_changes()) {
          p[static_cast<std::size_t>(ev.event)] += ev.affinity(ii, jj);
        }
        const auto r = static_cast<Eigen::Index>(i * z.N + j);
        for (std::size_t s = 0; s < affinity_slots; ++s) {
          p[E + s] = d.affinity(r, static_cast<Eigen::Index>(s));
        }
      }
    }
  }
  if (out.position_drivers) {
    double* base = out.position_drivers + rt * z.N * z.K * z.P;
    for (std::size_t i = 0; i < z.N; ++i) {
      for (std::size_t a = 0; a < z.K; ++a) {
        double* p = base + (i * z.K + a) * z.P;
        for (std::size_t e = 0; e < E; ++e) p[e] = 0.0;
        const auto ii = static_cast<Eigen::Index>(i), aa = static_cast<Eigen::Index>(a);
        for (const auto& ev : sim.event_changes()) {
          p[static_cast<std::size_t>(ev.event)] += ev.position(ii, aa);
        }
        const auto r = static_cast<Eigen::Index>(i * z.K + a);
        for (std::size_t s = 0; s < position_slots; ++s) {
          // An actor is not its own source of influence.
          p[E + s] = s == i ? kNaN : d.position(r, static_cast<Eigen::Index>(s));
        }
      }
    }
  }
}

void clear_position_drivers(const Sizes& z, const EnsembleArrays& out, std::size_t rt) {
  if (!out.position_drivers) return;
  const std::size_t E = z.P - (z.N + 3);
  double* p = out.position_drivers + rt * z.N * z.K * z.P;
  for (std::size_t i = 0; i < z.N; ++i) {
    for (std::size_t a = 0; a < z.K; ++a) {
      for (std::size_t d = 0; d < z.P; ++d) *p++ = d == E + i ? kNaN : 0.0;
    }
  }
}

std::vector<std::string> with_events(const Scenario& s, std::vector<std::string> slots) {
  std::vector<std::string> out;
  for (const auto& e : s.events) out.push_back("event:" + e.id);
  out.insert(out.end(), slots.begin(), slots.end());
  return out;
}

void stopped(int completed, int runs) {
  throw Interrupted("interrupted after " + std::to_string(completed) + " of " +
                    std::to_string(runs) + " runs");
}

}  // namespace

std::vector<std::string> affinity_driver_labels(const Scenario& scenario) {
  return with_events(scenario, affinity_driver_names(scenario));
}

std::vector<std::string> position_driver_labels(const Scenario& scenario) {
  return with_events(scenario, position_driver_names(scenario));
}

EnsembleResult run_into_memory(const Model& model, const EnsembleArrays& out,
                               const EnsembleControl& control) {
  const Scenario& s = *model.scenario;
  const bool drivers = out.affinity_drivers != nullptr || out.position_drivers != nullptr;
  const Sizes z{static_cast<std::size_t>(s.steps + 1), static_cast<std::size_t>(model.n),
                static_cast<std::size_t>(model.k),     static_cast<std::size_t>(model.q),
                affinity_driver_labels(s).size(),      position_driver_labels(s).size()};
  EnsembleArrays o = out;
  if (!model.needs_blocs) o.bloc = nullptr;
  EnsembleResult result{SummaryAccumulator(s.output.observables, s.steps, s.runs), false};

  const int threads = control.threads > 0 ? control.threads : default_threads();
  const int window = 4 * threads;
  std::vector<Slot> slots(static_cast<std::size_t>(window));
  for (auto& slot : slots) slot.observed.assign(z.T * s.output.observables.size(), 0.0);

  const int completed = for_each_run_ordered(
      s.runs, threads, window,
      [&](int run, int index) {
        Slot& slot = slots[static_cast<std::size_t>(index)];
        slot.heuristic = false;
        const auto r = static_cast<std::size_t>(run);
        if (slot.sim) {
          slot.sim->restart(static_cast<std::uint64_t>(run));
        } else {
          slot.sim.emplace(model, static_cast<std::uint64_t>(run), drivers);
        }
        Simulation& sim = *slot.sim;
        record_state(model, z, o, r, sim.state(), slot);
        clear_affinity_drivers(z, o, r * z.T);
        clear_position_drivers(z, o, r * z.T);
        for (int t = 1; t <= s.steps; ++t) {
          sim.advance();
          record_state(model, z, o, r, sim.state(), slot);
          if (drivers) record_drivers(model, z, o, r, sim);
        }
      },
      [&](int run, int index) {
        const Slot& slot = slots[static_cast<std::size_t>(index)];
        const std::size_t n_obs = s.output.observables.size();
        for (std::size_t t = 0; t < z.T; ++t) {
          result.summary.record(run, static_cast<int>(t), slot.observed.data() + t * n_obs);
        }
        result.blocs_heuristic = result.blocs_heuristic || slot.heuristic;
        if (control.progress) control.progress(run + 1, s.runs);
      },
      control.should_stop);
  if (completed < s.runs) stopped(completed, s.runs);
  result.summary.finish();
  return result;
}

}  // namespace entente
