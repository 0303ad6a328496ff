// What each role of the room sees (docs/room-protocol.md): the views, built
// from the session's state and filtered here by role and fog of war. A view
// never holds what its role may not see; the pages only draw it.
#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "entente/model/blocs.hpp"
#include "entente/model/objective.hpp"
#include "entente/model/observable.hpp"
#include "entente/model/rng.hpp"
#include "entente/room/room.hpp"
#include "entente/run/summary.hpp"
#include "entente/util/date.hpp"
#include "room/room_fog.hpp"
#include "room/room_json.hpp"

namespace entente {

namespace json = boost::json;
using namespace detail::fog;

namespace {

const char* phase_name(Room::Phase p) {
  switch (p) {
    case Room::Phase::orders:
      return "orders";
    case Room::Phase::closed:
      return "closed";
    case Room::Phase::ended:
      return "ended";
  }
  return "orders";
}

const char* status_name(RoomOrder::Status s) {
  switch (s) {
    case RoomOrder::Status::none:
      return "none";
    case RoomOrder::Status::draft:
      return "draft";
    case RoomOrder::Status::submitted:
      return "submitted";
    case RoomOrder::Status::accepted:
      return "accepted";
    case RoomOrder::Status::modified:
      return "modified";
    case RoomOrder::Status::vetoed:
      return "vetoed";
  }
  return "none";
}

std::string iso(std::chrono::system_clock::time_point t) {
  return detail::utc_iso(std::chrono::system_clock::to_time_t(t));
}

json::array move_ids(const Scenario& s, const std::vector<int>& moves) {
  json::array a;
  for (int k : moves) a.emplace_back(s.moves[static_cast<std::size_t>(k)].id);
  return a;
}

// The headline observables of the fan charts: the scenario's numeric output
// observables when it names them (at most eight), else every actor's
// position on the first axis.
std::vector<Observable> headline(const Session& session) {
  const Scenario& s = session.scenario();
  std::vector<Observable> out;
  if (s.output.observables_given) {
    for (const Observable& o : s.output.observables) {
      if (o.categorical() || o.kind == Observable::Kind::step) continue;
      if (o.needs_blocs() && !session.model().needs_blocs) continue;
      out.push_back(o);
      if (out.size() == 8) break;
    }
    if (!out.empty()) return out;
  }
  for (int i = 0; i < static_cast<int>(s.actors.size()) && !s.axes.empty(); ++i) {
    Observable o;
    o.kind = Observable::Kind::position;
    o.a = i;
    o.b = 0;
    out.push_back(o);
  }
  return out;
}

json::object ruling_json(const Scenario& s, const RoomRuling& r) {
  return json::object{{"actor", s.actors[static_cast<std::size_t>(r.actor)].id},
                      {"turn", r.turn},
                      {"step", r.step},
                      {"decision", r.decision},
                      {"moves", move_ids(s, r.moves)},
                      {"reason", r.reason}};
}

}  // namespace
json::object Room::common_view(const RoomRole& role) const {
  const Session& session = *live_;
  const Scenario& s = session.base();
  json::object v;
  v["type"] = "view";
  v["role"] = role.kind == RoomRole::Kind::facilitator ? "facilitator"
              : role.kind == RoomRole::Kind::team      ? "team"
                                                       : "projector";
  if (role.kind == RoomRole::Kind::team)
    v["team"] = s.actors[static_cast<std::size_t>(role.actor)].id;
  json::object sc;
  sc["name"] = s.name;
  sc["description"] = s.description;
  sc["steps"] = s.steps;
  sc["step_unit"] = std::string(to_string(s.step_unit));
  if (play_.fog == PlaySpec::Fog::noisy) {
    sc["fog"] = play_.fog_sigma;
  } else {
    sc["fog"] = play_.fog == PlaySpec::Fog::none ? "none" : "hidden";
  }
  json::array actors, axes, teams, issues, institutions;
  for (const Actor& a : s.actors) actors.push_back(json::object{{"id", a.id}, {"name", a.name}});
  for (const Axis& a : s.axes)
    axes.push_back(json::object{{"id", a.id}, {"low", a.low}, {"high", a.high}});
  for (int a : options_.teams) teams.emplace_back(s.actors[static_cast<std::size_t>(a)].id);
  for (const Issue& q : s.issues) {
    json::array options;
    for (const auto& o : q.options) options.emplace_back(o);
    issues.push_back(json::object{{"id", q.id}, {"name", q.name}, {"options", std::move(options)}});
  }
  for (const Institution& g : s.institutions)
    institutions.push_back(json::object{{"id", g.id}, {"name", g.name}});
  sc["actors"] = std::move(actors);
  sc["axes"] = std::move(axes);
  sc["teams"] = std::move(teams);
  sc["issues"] = std::move(issues);
  sc["institutions"] = std::move(institutions);
  v["scenario"] = std::move(sc);
  v["turn"] = session.turn();
  v["step"] = session.step();
  v["steps_left"] = session.steps_left();
  v["branch"] = session.branch();
  if (s.start) {
    v["date"] = step_date(*s.start, s.step_unit, session.step());
  } else {
    v["date"] = nullptr;
  }
  v["phase"] = phase_name(phase_);
  if (deadline_) {
    v["deadline"] = iso(*deadline_);
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(
        *deadline_ - std::chrono::system_clock::now());
    v["seconds_left"] = std::max<std::int64_t>(0, left.count());
  } else {
    v["deadline"] = nullptr;
    v["seconds_left"] = nullptr;
  }
  const int observer = role.kind == RoomRole::Kind::facilitator ? kTruth
                       : role.kind == RoomRole::Kind::team      ? role.actor
                                                                : kPublic;
  v["state"] = state_json(session, play_, observer, session.step());
  // The public feed: what fired, step by step (events are public), and
  // where each turn began.
  json::array feed;
  const Scenario& now = session.scenario();
  const auto fired = [&](int turn, int from, int to) {
    for (int t = from; t <= to && t <= session.step(); ++t) {
      for (const std::string& id : session.fired_at(t)) {
        const int e = now.find_event(id);
        json::object f;
        f["turn"] = turn;
        f["step"] = t;
        f["kind"] = "event";
        f["text"] = e >= 0 && !now.events[static_cast<std::size_t>(e)].name.empty()
                        ? now.events[static_cast<std::size_t>(e)].name
                        : id;
        feed.push_back(std::move(f));
      }
    }
  };
  int done = 0;
  for (const SessionAction& a : session.actions()) {
    if (a.kind != SessionAction::Kind::advance) continue;
    fired(a.turn, a.step + 1, a.step + a.steps);
    done = a.step + a.steps;
    feed.push_back(json::object{{"turn", a.turn + 1},
                                {"step", done},
                                {"kind", "turn"},
                                {"text", "turn " + std::to_string(a.turn + 1) + " begins at step " +
                                             std::to_string(done)}});
  }
  fired(session.turn(), done + 1, session.step());
  if (feed.size() > 200) feed.erase(feed.begin(), feed.end() - 200);
  v["feed"] = std::move(feed);
  return v;
}

json::object Room::team_view(int actor) const {
  RoomRole role;
  role.kind = RoomRole::Kind::team;
  role.actor = actor;
  json::object v = common_view(role);
  const Session& session = *live_;
  const Scenario& s = session.base();
  const Actor& a = s.actors[static_cast<std::size_t>(actor)];
  v["brief"] = a.brief;
  json::array objective;
  double score = 0.0;
  bool estimated = false;
  std::vector<std::string> unseen;
  for (const ObjectiveTerm& term : a.objective) {
    objective.push_back(
        json::object{{"observable", to_string(term.observable, s)}, {"weight", term.weight}});
    const std::optional<double> x =
        seen_observable(session, play_, actor, session.step(), term.observable);
    if (!x) {
      unseen.push_back(to_string(term.observable, s));
      continue;
    }
    estimated = estimated || sight(play_, actor, term.observable) == Sight::fogged;
    score += term.weight * *x;
  }
  v["objective"] = std::move(objective);
  if (a.objective.empty()) {
    v["score"] = nullptr;
    v["score_note"] = "no objective is set for " + a.id;
  } else if (!unseen.empty()) {
    v["score"] = nullptr;
    v["score_note"] = "it depends on what you cannot see: " + join(unseen);
  } else {
    v["score"] = score;
    v["score_note"] = estimated ? "an estimate: some terms are seen through the fog" : "";
  }
  const double spent = session.spent(actor);
  json::object budget;
  if (a.budget) {
    budget["total"] = *a.budget;
    budget["left"] = *a.budget - spent;
  } else {
    budget["total"] = nullptr;
    budget["left"] = nullptr;
  }
  budget["spent"] = spent;
  v["budget"] = std::move(budget);
  json::array menu;
  for (const Move& m : s.moves) {
    if (m.actor != actor) continue;
    const bool available = move_available(session.model(), session.state(), m);
    menu.push_back(json::object{{"id", m.id},
                                {"name", m.name},
                                {"description", m.description},
                                {"cost", m.cost},
                                {"available", available},
                                {"why", available ? "" : "needs " + m.available_when_text}});
  }
  v["menu"] = std::move(menu);
  json::object orders;
  const auto it = orders_.find(actor);
  const RoomOrder none;
  const RoomOrder& o = it == orders_.end() ? none : it->second;
  orders["status"] = status_name(o.status);
  orders["draft"] = move_ids(s, o.draft);
  orders["submitted"] = move_ids(s, o.submitted);
  // What control decided is told once it has decided.
  const bool decided = o.status == RoomOrder::Status::accepted ||
                       o.status == RoomOrder::Status::modified ||
                       o.status == RoomOrder::Status::vetoed;
  orders["applied"] = decided ? move_ids(s, o.applied) : json::array{};
  orders["reason"] = decided ? o.reason : "";
  v["orders"] = std::move(orders);
  json::array messages;
  for (const RoomMessage& m : messages_) {
    if (m.from != a.id && m.to != a.id && m.to != "all") continue;
    messages.push_back(json::object{
        {"time", m.time}, {"turn", m.turn}, {"from", m.from}, {"to", m.to}, {"text", m.text}});
  }
  v["messages"] = std::move(messages);
  json::array rulings;
  for (const RoomRuling& r : rulings_) {
    if (r.actor == actor) rulings.push_back(ruling_json(s, r));
  }
  v["rulings"] = std::move(rulings);
  return v;
}

json::object Room::fan_json(int observer) const {
  // Computed once per state (every projector shares it).
  const Session& session = *live_;
  const std::string key = session.branch() + "/" + std::to_string(session.step()) + "/" +
                          std::to_string(session.actions().size()) + "/" + std::to_string(observer);
  if (const auto hit = fan_cache_.find(observer);
      hit != fan_cache_.end() && hit->second.first == key)
    return hit->second.second;
  const Scenario& s = session.scenario();
  const std::vector<Observable> obs = headline(session);
  const int ahead = std::min(std::max(session.turn_steps(), 6), session.steps_left());
  LookAhead la;
  const bool band = observer == kTruth || play_.fog == PlaySpec::Fog::none;
  if (band && ahead > 0 && options_.lookahead_runs > 0)
    la = session.look_ahead(options_.lookahead_runs, ahead, obs, true);
  json::array series;
  for (std::size_t k = 0; k < obs.size(); ++k) {
    json::object f;
    f["observable"] = to_string(obs[k], s);
    f["label"] = to_string(obs[k], s);
    json::array history;
    for (int t = 0; t <= session.step(); ++t) {
      const std::optional<double> x = seen_observable(session, play_, observer, t, obs[k]);
      if (x) history.push_back(json::object{{"step", t}, {"value", *x}});
    }
    f["history"] = std::move(history);
    if (la.runs > 0) {
      json::object b;
      json::array steps, q[5];
      for (int t = 1; t <= ahead; ++t) {
        std::vector<double> v = la.by_step[static_cast<std::size_t>(t - 1)][k];
        std::sort(v.begin(), v.end());
        steps.emplace_back(session.step() + t);
        const double ps[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
        for (int p = 0; p < 5; ++p) q[p].emplace_back(quantile_sorted(v, ps[p]));
      }
      b["steps"] = std::move(steps);
      b["p05"] = std::move(q[0]);
      b["p25"] = std::move(q[1]);
      b["p50"] = std::move(q[2]);
      b["p75"] = std::move(q[3]);
      b["p95"] = std::move(q[4]);
      b["runs"] = la.runs;
      f["band"] = std::move(b);
    } else {
      f["band"] = nullptr;
    }
    series.push_back(std::move(f));
  }
  json::object out;
  out["series"] = std::move(series);
  fan_cache_[observer] = {key, out};
  return out;
}

json::object Room::projector_view() const {
  RoomRole role;
  role.kind = RoomRole::Kind::projector;
  json::object v = common_view(role);
  const Session& session = *live_;
  const Scenario& s = session.base();
  // The blocs need every relation: shown without fog only.
  if (play_.fog == PlaySpec::Fog::none && !s.actors.empty()) {
    const int N = static_cast<int>(s.actors.size());
    BlocWorkspace work = make_bloc_workspace(N);
    BlocPartition blocs;
    find_blocs(session.state().R, session.model().power_share, s.output.bloc_anchor, work, blocs);
    json::array groups, links;
    for (int i = 0; i < N; ++i) {
      groups.push_back(
          json::object{{"actor", s.actors[static_cast<std::size_t>(i)].id},
                       {"bloc", blocs.group[static_cast<std::size_t>(i)] == 0 ? "A" : "B"}});
      for (int j = i + 1; j < N; ++j) {
        links.push_back(
            json::object{{"from", s.actors[static_cast<std::size_t>(i)].id},
                         {"to", s.actors[static_cast<std::size_t>(j)].id},
                         {"value", 0.5 * (session.state().R(i, j) + session.state().R(j, i))}});
      }
    }
    v["blocs"] = json::object{{"groups", std::move(groups)},
                              {"links", std::move(links)},
                              {"frustration", blocs.frustration}};
  } else {
    v["blocs"] = nullptr;
  }
  v["fan"] = fan_json(kPublic)["series"];
  return v;
}

json::object Room::facilitator_view(const std::map<int, json::object>* teams) const {
  RoomRole role;
  role.kind = RoomRole::Kind::facilitator;
  json::object v = common_view(role);
  const Session& session = *live_;
  const Scenario& s = session.base();
  v["truth"] = v["state"];
  json::object team_views;
  for (int a : options_.teams) {
    const auto given =
        teams != nullptr ? teams->find(a) : std::map<int, json::object>::const_iterator{};
    json::object tv = teams != nullptr && given != teams->end() ? given->second : team_view(a);
    tv["orders"].as_object().erase("draft");  // a draft is the team's alone
    team_views[s.actors[static_cast<std::size_t>(a)].id] = std::move(tv);
  }
  v["team_views"] = std::move(team_views);
  json::array orders;
  for (int a = 0; a < static_cast<int>(s.actors.size()); ++a) {
    const bool team =
        std::find(options_.teams.begin(), options_.teams.end(), a) != options_.teams.end();
    const auto it = orders_.find(a);
    if (!team && it == orders_.end()) continue;
    const RoomOrder none;
    const RoomOrder& o = it == orders_.end() ? none : it->second;
    orders.push_back(json::object{{"actor", s.actors[static_cast<std::size_t>(a)].id},
                                  {"team", team},
                                  {"engine", o.engine},
                                  {"status", status_name(o.status)},
                                  {"submitted", move_ids(s, o.submitted)},
                                  {"applied", move_ids(s, o.applied)},
                                  {"reason", o.reason},
                                  {"table", o.table}});
  }
  v["orders"] = std::move(orders);
  json::array messages;
  for (const RoomMessage& m : messages_) {
    messages.push_back(json::object{
        {"time", m.time}, {"turn", m.turn}, {"from", m.from}, {"to", m.to}, {"text", m.text}});
  }
  v["messages"] = std::move(messages);
  json::array history;
  for (const SessionAction& a : session.actions()) {
    std::string line = "turn " + std::to_string(a.turn) + ", step " + std::to_string(a.step) + ": ";
    switch (a.kind) {
      case SessionAction::Kind::advance:
        line += "advance " + std::to_string(a.steps);
        break;
      case SessionAction::Kind::moves: {
        line += "move";
        for (int k : a.moves) line += " " + s.moves[static_cast<std::size_t>(k)].id;
        break;
      }
      case SessionAction::Kind::inject:
        line += "inject " + a.text;
        break;
      case SessionAction::Kind::set:
        line += "set " + a.text;
        break;
    }
    if (!a.label.empty()) line += " [" + a.label + "]";
    if (!a.reason.empty()) line += " because " + a.reason;
    history.emplace_back(line);
  }
  v["history"] = std::move(history);
  json::array rulings;
  for (const RoomRuling& r : rulings_) rulings.push_back(ruling_json(s, r));
  v["rulings"] = std::move(rulings);
  json::array branches;
  for (const SessionBranch& b : session.branches()) branches.emplace_back(b.name);
  v["branches"] = std::move(branches);
  json::array scores;
  for (int a = 0; a < static_cast<int>(s.actors.size()); ++a) {
    if (s.actors[static_cast<std::size_t>(a)].objective.empty()) continue;
    scores.push_back(json::object{{"actor", s.actors[static_cast<std::size_t>(a)].id},
                                  {"score", actor_score(session.model(), session.state(), a)}});
  }
  v["scores"] = std::move(scores);
  v["fan"] = fan_json(kTruth)["series"];
  return v;
}

std::map<std::string, std::string> Room::views() const {
  // Each team's view once, reused in the facilitator's.
  std::map<int, json::object> teams;
  std::map<std::string, std::string> out;
  for (int a : options_.teams) {
    teams[a] = team_view(a);
    out["team:" + scenario().actors[static_cast<std::size_t>(a)].id] = json::serialize(teams[a]);
  }
  out["facilitator"] = json::serialize(facilitator_view(&teams));
  out["projector"] = json::serialize(projector_view());
  return out;
}

json::object Room::view(const RoomRole& role) const {
  switch (role.kind) {
    case RoomRole::Kind::facilitator:
      return facilitator_view();
    case RoomRole::Kind::projector:
      return projector_view();
    case RoomRole::Kind::team:
      return team_view(role.actor);
  }
  return projector_view();
}

}  // namespace entente
