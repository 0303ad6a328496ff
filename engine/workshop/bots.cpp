// Engine-played actors (include/entente/workshop/bots.hpp): the candidates,
// their look-ahead with common random numbers, the choice and its table.
#include "entente/workshop/bots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "entente/model/blocs.hpp"
#include "entente/model/events.hpp"
#include "entente/model/objective.hpp"
#include "util/suggest.hpp"

namespace entente {

namespace {

constexpr double kTie = 1e-12;

bool available_now(const Session& session, const Move& m) {
  if (m.available_when.empty()) return true;
  return evaluate(m.available_when, m.available_when.root(), [&](const Observable& o) {
    return observe(session.model(), session.state(), o);
  });
}

bool played_this_turn(const Session& session, int move) {
  const int turn = session.turn();
  for (const SessionAction& a : session.actions()) {
    if (a.turn == turn && a.kind == SessionAction::Kind::moves &&
        std::find(a.moves.begin(), a.moves.end(), move) != a.moves.end()) {
      return true;
    }
  }
  return false;
}

std::string fmt(const char* format, double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// Every subset of `moves` (menu indices, ascending) whose cost fits `left`,
// by size, then lexicographically: the empty one first.
std::vector<BotCandidate> candidates(const Scenario& s, const std::vector<int>& moves,
                                     double left) {
  std::vector<BotCandidate> out;
  const int k = static_cast<int>(moves.size());
  std::vector<int> pick;  // positions into `moves`
  for (int size = 0; size <= k; ++size) {
    pick.resize(static_cast<std::size_t>(size));
    for (int p = 0; p < size; ++p) pick[static_cast<std::size_t>(p)] = p;
    while (true) {
      BotCandidate c;
      for (int p : pick) {
        const int m = moves[static_cast<std::size_t>(p)];
        c.moves.push_back(m);
        c.cost += s.moves[static_cast<std::size_t>(m)].cost;
      }
      if (c.cost <= left + kTie) out.push_back(std::move(c));
      // The next combination of `size` positions in lexicographic order.
      int p = size - 1;
      while (p >= 0 && pick[static_cast<std::size_t>(p)] == k - size + p) --p;
      if (p < 0) break;
      ++pick[static_cast<std::size_t>(p)];
      for (int q = p + 1; q < size; ++q)
        pick[static_cast<std::size_t>(q)] = pick[static_cast<std::size_t>(q - 1)] + 1;
    }
  }
  return out;
}

}  // namespace

std::string BotDecision::line(const Scenario& s) const {
  if (moves.empty()) return "";
  std::string out = "move";
  for (int m : moves) out += " " + s.moves[static_cast<std::size_t>(m)].id;
  return out;
}

BotDecision choose_moves(const Session& session, int actor, const std::vector<int>& held,
                         const BotOptions& options) {
  const Scenario& base = session.base();
  if (actor < 0 || actor >= base.actor_count()) {
    throw SessionError("no actor " + std::to_string(actor) + " (the scenario has " +
                       std::to_string(base.actor_count()) + " actors)");
  }
  const std::string& id = base.actors[static_cast<std::size_t>(actor)].id;
  if (options.horizon < 1)
    throw SessionError("a bot's horizon must be at least 1 step (got " +
                       std::to_string(options.horizon) + ")");
  if (options.runs < 1 || options.runs > 100000)
    throw SessionError("a bot's runs must be in [1, 100000] (got " + std::to_string(options.runs) +
                       ")");
  if (options.max_moves < 0) throw SessionError("a bot's max_moves must be at least 0");
  for (int m : held) {
    if (m < 0 || m >= static_cast<int>(base.moves.size()))
      throw SessionError("no move " + std::to_string(m) + " (the scenario has " +
                         std::to_string(base.moves.size()) + " moves)");
    if (base.moves[static_cast<std::size_t>(m)].actor == actor)
      throw SessionError("held move '" + base.moves[static_cast<std::size_t>(m)].id + "' is " + id +
                         "'s own; the engine decides " + id + "'s moves");
  }

  BotDecision d;
  d.actor = actor;
  d.runs = options.runs;
  d.horizon = std::min(options.horizon, session.steps_left());
  if (d.horizon <= 0) {
    d.horizon = 0;
    return d;
  }

  std::vector<int> menu;
  for (std::size_t k = 0; k < base.moves.size(); ++k) {
    const Move& m = base.moves[k];
    if (m.actor != actor || played_this_turn(session, static_cast<int>(k))) continue;
    if (!available_now(session, m)) continue;
    menu.push_back(static_cast<int>(k));
  }
  if (static_cast<int>(menu.size()) > options.max_moves) {
    throw SessionError(id + " has " + std::to_string(menu.size()) +
                       " moves it could play now; the engine plays an actor with at most " +
                       std::to_string(options.max_moves) + " (every combination is tried)");
  }
  const auto& budget = base.actors[static_cast<std::size_t>(actor)].budget;
  const double left = budget ? *budget - session.spent(actor) : HUGE_VAL;
  d.table = candidates(base, menu, left);

  const Model& model = session.model();
  const Scenario& sc = session.scenario();
  Workspace work = make_workspace(model);
  BlocWorkspace bloc_work = make_bloc_workspace(model.n);
  BlocPartition blocs;
  std::vector<int> first;  // the events due at the first step: the same for every run
  due_events(model, session.state(), first);
  std::vector<int> fired;
  const std::uint64_t seed = sc.seed;
  for (BotCandidate& c : d.table) {
    double sum = 0.0;
    for (int r = 1; r <= options.runs; ++r) {
      State st = session.state();
      Rng rng(run_seed(seed, static_cast<std::uint64_t>(r)));
      for (int t = 0; t < d.horizon; ++t) {
        if (t == 0) {
          fired = first;
        } else {
          due_events(model, st, fired);
        }
        for (int e : fired) {
          apply_effects(model, st, sc.events[static_cast<std::size_t>(e)].effects);
          st.fired[static_cast<std::size_t>(e)] = 1;
        }
        if (t == 0) {
          // As if played: after the scenario's events, in the order given.
          for (int m : held)
            apply_effects(model, st, base.moves[static_cast<std::size_t>(m)].effects);
          for (int m : c.moves)
            apply_effects(model, st, base.moves[static_cast<std::size_t>(m)].effects);
        }
        entente::step(model, st, work, rng);
        if (model.needs_blocs && model.n > 0) {
          find_blocs(st.R, model.power_share, sc.output.bloc_anchor, bloc_work, blocs);
          st.bloc = blocs.group;
          st.frustration = blocs.frustration;
        }
      }
      sum += actor_score(model, st, actor);
    }
    c.mean_score = sum / options.runs;
  }

  // The highest mean; among the candidates within kTie of it, the cheapest,
  // then the first.
  double best = -HUGE_VAL;
  for (const BotCandidate& c : d.table) best = std::max(best, c.mean_score);
  const BotCandidate* chosen = nullptr;
  for (const BotCandidate& c : d.table) {
    if (best - c.mean_score > kTie) continue;
    if (chosen == nullptr || c.cost < chosen->cost - kTie) chosen = &c;
  }
  if (chosen != nullptr) d.moves = chosen->moves;
  return d;
}

std::string bot_table_text(const BotDecision& d, const Scenario& s) {
  std::vector<std::string> names, costs;
  std::size_t width = 0, cost_width = 0;
  for (const BotCandidate& c : d.table) {
    std::string name;
    for (int m : c.moves)
      name += (name.empty() ? "" : " + ") + s.moves[static_cast<std::size_t>(m)].id;
    if (name.empty()) name = "none";
    width = std::max(width, name.size());
    names.push_back(std::move(name));
    costs.push_back(fmt("%g", c.cost));
    cost_width = std::max(cost_width, costs.back().size());
  }
  std::string out;
  for (std::size_t k = 0; k < d.table.size(); ++k) {
    out += d.table[k].moves == d.moves ? "* " : "  ";
    out += names[k] + std::string(width - names[k].size(), ' ');
    out += "  cost " + costs[k] + std::string(cost_width - costs[k].size(), ' ');
    out += "  expected score " + fmt("%+.6f", d.table[k].mean_score) + "\n";
  }
  return out;
}

std::vector<int> parse_bots(const Scenario& s, std::string_view spec,
                            const std::vector<int>& teams) {
  std::vector<std::string> ids;
  for (const Actor& a : s.actors) ids.push_back(a.id);
  const auto is_team = [&](int i) {
    return std::find(teams.begin(), teams.end(), i) != teams.end();
  };
  const auto trimmed = [](std::string_view w) {
    const std::size_t b = w.find_first_not_of(" \t");
    if (b == std::string_view::npos) return std::string_view{};
    return w.substr(b, w.find_last_not_of(" \t") - b + 1);
  };
  const std::string_view all = trimmed(spec);
  if (all.empty())
    throw SessionError("name the engine-played actors: a list of actor ids (e.g. " +
                       (ids.empty() ? std::string("ARM,RUS") : ids.front()) + ") or rest");
  std::vector<int> out;
  if (all == "rest") {
    for (int i = 0; i < s.actor_count(); ++i) {
      if (!is_team(i)) out.push_back(i);
    }
    if (out.empty()) throw SessionError("rest names no actor: every actor is a team");
    return out;
  }
  std::size_t pos = 0;
  while (true) {
    const std::size_t comma = all.find(',', pos);
    const std::string_view word = trimmed(
        all.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    if (word.empty())
      throw SessionError("an empty actor id in '" + std::string(all) +
                         "' (ids are separated by single commas)");
    const std::string w(word);
    const int i = s.find_actor(w);
    if (i < 0) throw SessionError("unknown actor '" + w + "'" + detail::suggestion(w, ids));
    if (std::find(out.begin(), out.end(), i) != out.end())
      throw SessionError("actor '" + w + "' is named twice");
    if (is_team(i))
      throw SessionError("actor '" + w +
                         "' is a team (played by people); it cannot also be engine-played");
    out.push_back(i);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace entente
