// One design point and one run of a sweep (include/entente/sweep/sweep.hpp): the
// point's model and the run's outputs.
#include "entente/sweep/sweep.hpp"

#include <cmath>
#include <limits>

#include "entente/model/simulation.hpp"
#include "sweep/sweep_items.hpp"
#include "util/csv.hpp"

namespace entente {

const char* to_string(SweepOutput::Reducer r) {
  switch (r) {
    case SweepOutput::Reducer::final:
      return "final";
    case SweepOutput::Reducer::mean:
      return "mean";
    case SweepOutput::Reducer::min:
      return "min";
    case SweepOutput::Reducer::max:
      return "max";
    case SweepOutput::Reducer::at:
      return "at";
    case SweepOutput::Reducer::first_step_when:
      return "first_step_when";
    case SweepOutput::Reducer::probability:
      return "probability";
  }
  return "?";
}

std::uint64_t point_seed(std::uint64_t seed, std::uint64_t point) {
  return splitmix64(splitmix64(seed) ^ splitmix64(point + 1)) >> 1;
}

Model point_model(const Sweep& sweep, const ScenarioBinding& binding, int point) {
  const auto& params = sweep.design.parameters;
  const auto& row = sweep.design.values[static_cast<std::size_t>(point)];
  std::vector<double> numbers(params.size());
  std::vector<std::string> texts(params.size());
  for (std::size_t k = 0; k < params.size(); ++k) {
    numbers[k] = params[k].categorical ? std::numeric_limits<double>::quiet_NaN() : row[k];
    texts[k] = parameter_text(params[k], row[k]);
  }
  Scenario s;
  try {
    s = binding.make(numbers, texts);
  } catch (const InputError& e) {
    std::string values;
    for (std::size_t k = 0; k < params.size(); ++k)
      values += (k ? ", " : "") + params[k].path + "=" + texts[k];
    throw InputError(sweep.design_spec.where,
                     "design point " + std::to_string(point) + " (" + values + "): " + e.message());
  }
  s.seed = point_seed(sweep.seed, static_cast<std::uint64_t>(point));
  s.runs = sweep.runs;
  Model m = compile(s);
  // Blocs every step only where something reads them every step: an event's
  // `when`, or an output reduced over the steps. An output read at one step
  // gets them at that step (run_outputs); the scenario's own [output] is not
  // written by a sweep. Blocs never feed back into the dynamics, so the
  // values are the same either way.
  using R = SweepOutput::Reducer;
  m.needs_blocs = false;
  for (const auto& e : s.events)
    m.needs_blocs = m.needs_blocs || (e.enabled && e.when.needs_blocs());
  for (const SweepOutput& o : sweep.outputs) {
    const bool once = o.reducer == R::final || o.reducer == R::at || o.reducer == R::probability;
    if (!once) {
      m.needs_blocs = m.needs_blocs || o.observable.needs_blocs() || o.condition.needs_blocs();
    }
  }
  return m;
}

void run_outputs(const Sweep& sweep, const Model& model, int replicate, std::vector<double>& out) {
  Simulation sim(model, static_cast<std::uint64_t>(replicate));
  run_outputs(sweep, sim, replicate, out);
}

void run_outputs(const Sweep& sweep, Simulation& sim, int replicate, std::vector<double>& out) {
  const Model& model = sim.model();
  sim.restart(static_cast<std::uint64_t>(replicate));
  using R = SweepOutput::Reducer;
  const auto& outputs = sweep.outputs;
  const int steps = model.scenario->steps;
  out.assign(outputs.size(), 0.0);
  // Per output: the running sum, min or max; or the first step found (−1: none).
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (outputs[k].reducer == R::min) out[k] = std::numeric_limits<double>::infinity();
    if (outputs[k].reducer == R::max) out[k] = -std::numeric_limits<double>::infinity();
    if (outputs[k].reducer == R::first_step_when) out[k] = -1.0;
  }
  // The steps at which an output read once needs blocs the model does not
  // compute every step (point_model).
  const auto needs_blocs_at = [&](int t) {
    if (model.needs_blocs) return false;
    for (const SweepOutput& o : outputs) {
      if (!o.observable.needs_blocs() && !o.condition.needs_blocs()) continue;
      if ((o.reducer == R::at && t == o.at) || (o.reducer != R::at && t == steps)) return true;
    }
    return false;
  };
  for (int t = 0;; ++t) {
    if (needs_blocs_at(t)) sim.compute_blocs();
    const State& st = sim.state();
    const auto value_of = [&](const Observable& o) { return observe(model, st, o); };
    for (std::size_t k = 0; k < outputs.size(); ++k) {
      const SweepOutput& o = outputs[k];
      switch (o.reducer) {
        case R::final:
          if (t == steps) out[k] = observe(model, st, o.observable);
          break;
        case R::at:
          if (t == o.at) out[k] = observe(model, st, o.observable);
          break;
        case R::mean:
          out[k] += observe(model, st, o.observable);
          break;
        case R::min:
          out[k] = std::min(out[k], observe(model, st, o.observable));
          break;
        case R::max:
          out[k] = std::max(out[k], observe(model, st, o.observable));
          break;
        case R::first_step_when:
          if (out[k] < 0 && evaluate(o.condition, o.condition.root(), value_of)) out[k] = t;
          break;
        case R::probability:
          if (t == steps) out[k] = evaluate(o.condition, o.condition.root(), value_of) ? 1.0 : 0.0;
          break;
      }
    }
    if (t == steps) break;
    sim.advance();
  }
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (outputs[k].reducer == R::mean) out[k] /= steps + 1;
    if (outputs[k].reducer == R::first_step_when && out[k] < 0)
      out[k] = std::isnan(outputs[k].never) ? steps + 1 : outputs[k].never;
  }
}

namespace detail {

ScenarioBinding sweep_binding(const Sweep& sw) {
  std::vector<std::string> paths;
  for (const auto& p : sw.design.parameters) paths.push_back(p.path);
  return ScenarioBinding(sw.scenario, paths);
}

void item_rows(const Sweep& sw, const ScenarioBinding& binding, long long item, std::string& out) {
  const int per_point = items_per_point(sw);
  const int point = static_cast<int>(item / per_point);
  const int r0 = static_cast<int>(item % per_point) * kItemRuns;
  const int r1 = std::min(sw.runs, r0 + kItemRuns);
  const Model model = point_model(sw, binding, point);
  out.clear();
  std::string labels;
  for (std::size_t k = 0; k < sw.design.parameters.size(); ++k) {
    labels += ',';
    append_field(labels, parameter_label(sw.design.parameters[k],
                                         sw.design.values[static_cast<std::size_t>(point)][k]));
  }
  std::vector<double> values;
  Simulation sim(model, static_cast<std::uint64_t>(r0));
  for (int r = r0; r < r1; ++r) {
    run_outputs(sw, sim, r, values);
    append_int(out, point);
    out += ',';
    append_int(out, r);
    out += ',';
    out += std::to_string(run_seed(model.scenario->seed, static_cast<std::uint64_t>(r)));
    out += labels;
    for (double v : values) {
      out += ',';
      append_double(out, v);
    }
    out += '\n';
  }
}

}  // namespace detail

}  // namespace entente
