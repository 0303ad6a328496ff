// What a session can tell about itself: the look-ahead ensemble, the drivers
// of every step, and the session written back as a scenario file.
#include <algorithm>

#include "entente/model/blocs.hpp"
#include "entente/model/events.hpp"
#include "entente/model/simulation.hpp"
#include "entente/util/date.hpp"
#include "entente/workshop/play.hpp"
#include "workshop/session_toml.hpp"

namespace entente {

namespace fs = std::filesystem;

LookAhead Session::look_ahead(int runs, int steps, const std::vector<Observable>& obs,
                              bool every_step) const {
  if (runs < 1 || runs > 100000) throw SessionError("ensemble: N must be in [1, 100000]");
  if (steps < 1 || steps > 100000) throw SessionError("ensemble: K must be in [1, 100000]");
  LookAhead out;
  out.runs = runs;
  out.steps = steps;
  out.observables = obs;
  out.values.assign(obs.size(), std::vector<double>(static_cast<std::size_t>(runs), 0.0));
  if (every_step) out.by_step.assign(static_cast<std::size_t>(steps), out.values);
  const Model& model = *model_;
  Workspace work = make_workspace(model);
  BlocWorkspace bloc_work = make_bloc_workspace(model.n);
  BlocPartition blocs;
  std::vector<int> fired;
  const std::uint64_t seed = scenario_->seed;
  // Run r ≥ 1 of the session's seed continues from the current state; the
  // session itself is run 0, whose generator is never touched here.
  for (int r = 1; r <= runs; ++r) {
    State st = state();
    Rng rng(run_seed(seed, static_cast<std::uint64_t>(r)));
    for (int t = 0; t < steps; ++t) {
      due_events(model, st, fired);
      for (int e : fired) {
        apply_effects(model, st, scenario_->events[static_cast<std::size_t>(e)].effects);
        st.fired[static_cast<std::size_t>(e)] = 1;
      }
      entente::step(model, st, work, rng);
      if (model.needs_blocs && model.n > 0) {
        find_blocs(st.R, model.power_share, scenario_->output.bloc_anchor, bloc_work, blocs);
        st.bloc = blocs.group;
        st.frustration = blocs.frustration;
      }
      if (every_step) {
        for (std::size_t o = 0; o < obs.size(); ++o) {
          out.by_step[static_cast<std::size_t>(t)][o][static_cast<std::size_t>(r - 1)] =
              observe(model, st, obs[o]);
        }
      }
    }
    for (std::size_t o = 0; o < obs.size(); ++o)
      out.values[o][static_cast<std::size_t>(r - 1)] = observe(model, st, obs[o]);
  }
  return out;
}

std::vector<RecordedStep> record_drivers(const Model& model, int steps) {
  std::vector<RecordedStep> out(static_cast<std::size_t>(steps) + 1);
  Simulation sim(model, 0, true);
  for (int t = 1; t <= steps; ++t) {
    sim.advance();
    RecordedStep& r = out[static_cast<std::size_t>(t)];
    r.drivers = *sim.drivers();
    for (const auto& ev : sim.event_changes()) {
      r.event_affinity.emplace_back(ev.event, ev.affinity);
      r.event_position.emplace_back(ev.event, ev.position);
    }
  }
  return out;
}

std::string driver_words(const std::string& name, const Scenario& s) {
  if (name.rfind("event:", 0) == 0) {
    const int e = s.find_event(name.substr(6));
    return e < 0 ? name : s.events[static_cast<std::size_t>(e)].name;
  }
  if (name.rfind("stakes:", 0) == 0) {
    return "stakes: shared or opposed interest in the " + name.substr(7) + " regime";
  }
  if (name.rfind("influence:", 0) == 0) return "influence of " + name.substr(10);
  if (name == "balance") return "balance: what the triads imply (the enemy of my enemy)";
  if (name == "similarity") return "similarity of positions";
  if (name == "institutions") return "institutions: shared membership";
  if (name == "interdependence") return "interdependence: trade dependence";
  if (name == "memory") return "memory: the pull back toward the structural affinity";
  if (name == "anchoring") return "anchoring: the pull toward the ideal position";
  if (name == "noise") return "noise: random shocks";
  if (name == "clip") return "clipping to [-1, 1]";
  return name;
}

std::string Session::saved_scenario(const fs::path& base_file, const fs::path& out_file) const {
  if (step() < 1) throw SessionError("nothing to save yet: advance at least one step");
  std::error_code ec;
  const fs::path from = fs::absolute(out_file, ec).parent_path();
  fs::path relative =
      fs::absolute(base_file, ec).lexically_normal().lexically_relative(from.lexically_normal());
  if (relative.empty()) relative = fs::absolute(base_file, ec);
  std::vector<Event> events;
  int pending = 0;
  for (const Event& e : scenario_->events) {
    if (base_->find_event(e.id) >= 0) continue;
    if (*e.step <= step()) {
      events.push_back(e);
    } else {
      ++pending;
    }
  }
  const Scenario& b = *base_;
  std::string out;
  out += "# Saved by `entente play`: branch " + current_ + ", turn " + std::to_string(turn()) +
         ", step " + std::to_string(step()) + ".\n";
  out += "# `entente run` on this file reproduces the session's trajectory byte for byte:\n";
  out += "# the session is run 0 of the seed below, and everything played at step t is an\n";
  out += "# event at step t + 1.";
  if (pending > 0) {
    out += " " + std::to_string(pending) +
           " action(s) made since the last advance are not saved: they take\n# effect only at "
           "the next step.";
  }
  out += "\n\n[scenario]\n";
  out += "name = " + detail::quote_toml(b.name + " (session " + current_ + ")") + "\n";
  out += "description = " +
         detail::quote_toml("Workshop session on " + b.name + ", branch " + current_) + "\n";
  out += "extends = " + detail::quote_toml(relative.generic_string()) + "\n";
  out += "steps = " + std::to_string(step()) + "\n";
  out += "seed = " + std::to_string(b.seed) + "\n";
  out += "runs = 1\n";
  // Each turn's actions, in the order they were made.
  for (const SessionAction& a : actions()) {
    if (a.kind == SessionAction::Kind::advance || a.step + 1 > step()) continue;
    std::vector<Event> mine;
    for (const std::string& id : a.events) {
      for (const Event& e : events) {
        if (e.id == id) mine.push_back(e);
      }
    }
    out += "\n# turn " + std::to_string(a.turn) + ", step " + std::to_string(a.step);
    if (b.start) out += " (" + step_date(*b.start, b.step_unit, a.step) + ")";
    if (a.kind == SessionAction::Kind::set || a.kind == SessionAction::Kind::inject) {
      out += a.kind == SessionAction::Kind::set ? ": override" : ": inject";
      if (!a.label.empty()) out += " \"" + a.label + "\"";
      if (!a.reason.empty()) out += ", because " + a.reason;
    }
    out += "\n";
    std::string text = detail::events_to_toml(mine, *scenario_);
    out += text.substr(text.empty() ? 0 : 1);  // no blank line after the comment
  }
  return out;
}

}  // namespace entente
