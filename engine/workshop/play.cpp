// The session of `entente play` (include/entente/workshop/play.hpp): its actions per
// branch, and the trajectory recomputed from them.
#include <algorithm>
#include <cmath>

#include "entente/model/events.hpp"
#include "entente/model/simulation.hpp"
#include "entente/util/diagnostics.hpp"
#include "entente/workshop/play.hpp"
#include "util/suggest.hpp"
#include "workshop/session_inject.hpp"

namespace entente {

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

bool move_available(const Model& model, const State& state, const Move& m) {
  if (m.available_when.empty()) return true;
  return evaluate(m.available_when, m.available_when.root(),
                  [&](const Observable& o) { return observe(model, state, o); });
}

Session::Session(Scenario base, int turn_steps)
    : base_(std::make_shared<const Scenario>(std::move(base))), turn_steps_(turn_steps) {
  if (turn_steps_ < 1) throw SessionError("a turn must be at least one step");
  branches_.push_back(SessionBranch{"main", "", {}});
  current_ = "main";
  rebuild();
}

SessionBranch& Session::current_branch() {
  for (auto& b : branches_) {
    if (b.name == current_) return b;
  }
  return branches_.front();
}

const SessionBranch& Session::current_branch() const {
  for (const auto& b : branches_) {
    if (b.name == current_) return b;
  }
  return branches_.front();
}

const std::vector<SessionAction>& Session::actions() const {
  return current_branch().actions;
}

int Session::turn() const {
  int turn = 1;
  for (const auto& a : actions()) turn += a.kind == SessionAction::Kind::advance ? 1 : 0;
  return turn;
}

int Session::last_turn_start() const {
  const auto& acts = actions();
  for (auto it = acts.rbegin(); it != acts.rend(); ++it) {
    if (it->kind == SessionAction::Kind::advance) return it->step;
  }
  return -1;
}

double Session::spent(int actor) const {
  double sum = 0.0;
  const auto& acts = actions();
  for (auto it = acts.rbegin(); it != acts.rend(); ++it) {
    if (it->kind == SessionAction::Kind::advance) break;
    if (it->kind != SessionAction::Kind::moves) continue;
    for (int m : it->moves) {
      const Move& move = base_->moves[static_cast<std::size_t>(m)];
      if (move.actor == actor) sum += move.cost;
    }
  }
  return sum;
}

void Session::rebuild() {
  auto sc = std::make_shared<Scenario>(*base_);
  int total = 0;
  for (const SessionAction& a : actions()) {
    const auto add = [&](const std::string& id, std::string name, std::string description,
                         const Effects& fx) {
      Event ev;
      ev.id = id;
      ev.name = std::move(name);
      ev.description = std::move(description);
      ev.step = a.step + 1;
      ev.effects = fx;
      sc->events.push_back(std::move(ev));
    };
    switch (a.kind) {
      case SessionAction::Kind::advance:
        total += a.steps;
        break;
      case SessionAction::Kind::moves:
        for (std::size_t k = 0; k < a.moves.size(); ++k) {
          const Move& m = base_->moves[static_cast<std::size_t>(a.moves[k])];
          add(a.events[k], "Move: " + m.name, m.description, m.effects);
        }
        break;
      case SessionAction::Kind::inject:
        add(a.events[0], "Inject: " + (a.label.empty() ? a.text : a.label), a.reason, a.effects);
        break;
      case SessionAction::Kind::set:
        add(a.events[0], "Override: " + (a.label.empty() ? a.text : a.label + " (" + a.text + ")"),
            a.reason, a.effects);
        break;
    }
  }
  scenario_ = sc;
  model_ = std::make_unique<Model>(compile(*sc));
  Simulation sim(*model_, 0);
  states_.assign(1, sim.state());
  fired_.assign(1, {});
  for (int t = 1; t <= total; ++t) {
    sim.advance();
    states_.push_back(sim.state());
    std::vector<std::string> ids;
    for (int e : sim.fired()) ids.push_back(sc->events[static_cast<std::size_t>(e)].id);
    fired_.push_back(std::move(ids));
  }
}

// Applies `change` to the actions, rebuilds, and restores everything when
// either throws.
template <class Change>
void Session::transact(Change change) {
  const std::vector<SessionBranch> saved = branches_;
  const std::string saved_current = current_;
  try {
    change();
    rebuild();
  } catch (...) {
    branches_ = saved;
    current_ = saved_current;
    rebuild();
    throw;
  }
}

std::string Session::event_id(const std::string& stem, int step) const {
  const std::string base_id = "s" + std::to_string(step) + "_" + stem;
  std::string id = base_id;
  for (int k = 2;; ++k) {
    bool taken = scenario_->find_event(id) >= 0;
    if (!taken) return id;
    id = base_id + "_" + std::to_string(k);
  }
}

int Session::steps_ahead(int steps, std::string_view what) const {
  const int left = steps_left();
  if (left <= 0) {
    throw SessionError("the scenario ends at step " + std::to_string(base_->steps) + "; " +
                       std::string(what));
  }
  if (steps == 0) return std::min(turn_steps_, left);
  if (steps > left) {
    throw SessionError("only " + std::to_string(left) + " step" + (left == 1 ? "" : "s") +
                       " remain (the scenario ends at step " + std::to_string(base_->steps) + ")");
  }
  return steps;
}

void Session::advance(int steps) {
  if (steps < 1)
    throw SessionError("advance needs a number of steps ≥ 1 (got " + std::to_string(steps) + ")");
  steps_ahead(steps, "save the session or undo");
  SessionAction a;
  a.kind = SessionAction::Kind::advance;
  a.turn = turn();
  a.step = step();
  a.steps = steps;
  transact([&] { current_branch().actions.push_back(std::move(a)); });
}

namespace {
void require_steps_left(const Scenario& base, int step, std::string_view what) {
  if (step >= base.steps) {
    throw SessionError("the scenario ends at step " + std::to_string(base.steps) + "; no " +
                       std::string(what) + " can take effect any more");
  }
}

// A label names an inject or override in one short line.
void check_label(const std::string& label) {
  std::size_t characters = 0;
  for (const char c : label) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (characters > 40) {
    throw SessionError("a label is a short name of at most 40 characters (got " +
                       std::to_string(characters) + "); put the rest in --reason");
  }
  if (label.find_first_of("\n\r") != std::string::npos) throw SessionError("a label is one line");
}
}  // namespace

void Session::play(const std::vector<std::string>& ids) {
  require_steps_left(*base_, step(), "move");
  if (ids.empty()) throw SessionError("move needs at least one move id (type `move` to list them)");
  std::vector<std::string> all;
  for (const Move& m : base_->moves) all.push_back(m.id);
  if (all.empty()) throw SessionError("this scenario has no [[moves]]; use inject instead");
  SessionAction a;
  a.kind = SessionAction::Kind::moves;
  a.turn = turn();
  a.step = step();
  std::vector<double> cost(base_->actors.size(), 0.0);
  for (const std::string& id : ids) {
    const int k = base_->find_move(id);
    if (k < 0) throw SessionError("unknown move '" + id + "'" + detail::suggestion(id, all));
    if (std::find(a.moves.begin(), a.moves.end(), k) != a.moves.end())
      throw SessionError("move '" + id + "' is given twice");
    const Move& m = base_->moves[static_cast<std::size_t>(k)];
    for (const SessionAction& before : actions()) {
      if (before.turn == a.turn && before.kind == SessionAction::Kind::moves &&
          std::find(before.moves.begin(), before.moves.end(), k) != before.moves.end()) {
        throw SessionError("move '" + id + "' was already played this turn");
      }
    }
    if (!move_available(*model_, state(), m)) {
      throw SessionError("move '" + id + "' is not available now: " + m.available_when_text +
                         " does not hold at step " + std::to_string(step()));
    }
    const Actor& actor = base_->actors[static_cast<std::size_t>(m.actor)];
    cost[static_cast<std::size_t>(m.actor)] += m.cost;
    const double total = spent(m.actor) + cost[static_cast<std::size_t>(m.actor)];
    if (actor.budget && total > *actor.budget + 1e-12) {
      throw SessionError("move '" + id + "' costs " + fmt(m.cost) + " but " + actor.id + " has " +
                         fmt(*actor.budget - (total - m.cost)) + " of its budget of " +
                         fmt(*actor.budget) + " left this turn" +
                         (ids.size() > 1 ? " (after the moves before it on this line)" : ""));
    }
    a.moves.push_back(k);
  }
  transact([&] {
    for (int k : a.moves)
      a.events.push_back(event_id(base_->moves[static_cast<std::size_t>(k)].id, a.step + 1));
    // Ids must also differ from each other within the action.
    for (std::size_t x = 1; x < a.events.size(); ++x) {
      for (std::size_t y = 0; y < x; ++y) {
        if (a.events[x] == a.events[y]) a.events[x] += "_" + std::to_string(x + 1);
      }
    }
    current_branch().actions.push_back(std::move(a));
  });
}

void Session::inject(const std::string& text, int column, const std::string& label,
                     const std::string& reason) {
  require_steps_left(*base_, step(), "inject");
  check_label(label);
  SessionAction a;
  a.kind = SessionAction::Kind::inject;
  a.turn = turn();
  a.step = step();
  a.text = text;
  a.label = label;
  a.reason = reason;
  a.effects = detail::parse_inject(text, column, *base_);  // InputError: inject:1:COL: …
  int n = 1;
  for (const auto& b : actions()) n += b.kind == SessionAction::Kind::inject ? 1 : 0;
  transact([&] {
    a.events.push_back(event_id("inject" + std::to_string(n), a.step + 1));
    current_branch().actions.push_back(std::move(a));
  });
}

Effects Session::set_effects(const std::string& path, const std::string& value) const {
  return detail::override_effects(path, value, *base_);
}

void Session::set(const std::string& path, const std::string& value, const std::string& reason,
                  const std::string& label) {
  require_steps_left(*base_, step(), "override");
  check_label(label);
  if (reason.find_first_not_of(" \t") == std::string::npos) {
    throw SessionError("set needs a reason: set " + path + " " + value +
                       " --reason \"why the model is overruled\"");
  }
  SessionAction a;
  a.kind = SessionAction::Kind::set;
  a.turn = turn();
  a.step = step();
  a.text = path + " " + value;
  a.reason = reason;
  a.label = label;
  a.effects = set_effects(path, value);
  int n = 1;
  for (const auto& b : actions()) n += b.kind == SessionAction::Kind::set ? 1 : 0;
  transact([&] {
    a.events.push_back(event_id("override" + std::to_string(n), a.step + 1));
    current_branch().actions.push_back(std::move(a));
  });
}

void Session::undo() {
  if (actions().empty()) throw SessionError("nothing to undo on branch '" + current_ + "'");
  transact([&] { current_branch().actions.pop_back(); });
}

void Session::fork(const std::string& name) {
  if (!detail::is_session_name(name)) {
    throw SessionError("a branch name must look like an id ([A-Za-z][A-Za-z0-9_-]*), not '" + name +
                       "'");
  }
  for (const auto& b : branches_) {
    if (b.name == name) throw SessionError("branch '" + name + "' exists; checkout " + name);
  }
  SessionBranch b = current_branch();
  b.parent = current_;
  b.name = name;
  transact([&] {
    branches_.push_back(std::move(b));
    current_ = name;
  });
}

void Session::checkout(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& b : branches_) names.push_back(b.name);
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    throw SessionError("unknown branch '" + name + "'" + detail::suggestion(name, names));
  }
  transact([&] { current_ = name; });
}

std::vector<DriverSum> Session::why(int i, int j) const {
  const int t0 = last_turn_start();
  if (t0 < 0) throw SessionError("no turn has been played yet; advance first");
  const Scenario& s = *scenario_;
  std::vector<DriverSum> sums;
  const auto add = [&](const std::string& name, double v) {
    if (v == 0.0) return;
    for (auto& d : sums) {
      if (d.name == name) {
        d.value += v;
        return;
      }
    }
    sums.push_back({name, v});
  };
  const int N = model_->n;
  Simulation sim(*model_, 0, true);
  const std::vector<std::string> names = affinity_driver_names(s);
  for (int t = 1; t <= step(); ++t) {
    sim.advance();
    if (t <= t0) continue;
    for (const auto& ev : sim.event_changes())
      add("event:" + s.events[static_cast<std::size_t>(ev.event)].id, ev.affinity(i, j));
    const StepDrivers& d = *sim.drivers();
    for (int slot = 0; slot < d.affinity.cols(); ++slot) {
      add(names[static_cast<std::size_t>(slot)], d.affinity(i * N + j, slot));
    }
  }
  std::stable_sort(sums.begin(), sums.end(), [](const DriverSum& a, const DriverSum& b) {
    return std::abs(a.value) > std::abs(b.value);
  });
  return sums;
}

}  // namespace entente
