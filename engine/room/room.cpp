// The workshop room's requests (include/entente/room/room.hpp): the turn
// (sealed orders, close, engine decisions, adjudication, advance), the
// facilitator's commands and messages. The log and resume: room_log.cpp.
#include "entente/room/room.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <ctime>

#include "entente/util/diagnostics.hpp"
#include "entente/workshop/review.hpp"
#include "room/room_json.hpp"
#include "util/suggest.hpp"

namespace entente {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

RoomReply error(int status, std::string message) {
  RoomReply r;
  r.ok = false;
  r.status = status;
  r.body["type"] = "error";
  r.body["message"] = std::move(message);
  return r;
}

RoomReply ok(bool changed, std::string output = "") {
  RoomReply r;
  r.changed = changed;
  r.body["type"] = "ok";
  if (!output.empty()) r.body["output"] = std::move(output);
  return r;
}

bool adjudicated(RoomOrder::Status s) {
  return s == RoomOrder::Status::accepted || s == RoomOrder::Status::modified ||
         s == RoomOrder::Status::vetoed;
}

}  // namespace

std::string RoomRole::name(const Scenario& s) const {
  switch (kind) {
    case Kind::facilitator:
      return "facilitator";
    case Kind::projector:
      return "projector";
    case Kind::team:
      return "team " + s.actors[static_cast<std::size_t>(actor)].id;
  }
  return "projector";
}

std::string new_room_token() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("the CSPRNG failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

// ---------------------------------------------------------------------------
// Requests

RoomReply Room::handle(const RoomRole& role, const json::value& request) {
  try {
    if (!request.is_object()) return error(400, "a request is a JSON object with a \"type\"");
    const json::object& o = request.as_object();
    const std::string type = string_member(o, "type");
    if (type.empty()) return error(400, "a request needs a \"type\"");
    RoomReply r;
    if (type == "view") {
      r = ok(false);
      r.body["view"] = view(role);
    } else if (role.kind == RoomRole::Kind::team) {
      r = team_request(role.actor, type, o);
    } else if (role.kind == RoomRole::Kind::facilitator) {
      r = facilitator_request(type, o);
    } else {
      r = error(403, "the projector only shows the room (requests: view)");
    }
    if (const json::value* id = o.if_contains("id");
        id != nullptr && (id->is_string() || id->is_number()))
      r.body["id"] = *id;
    return r;
  } catch (const SessionError& e) {
    return error(400, e.what());
  } catch (const InputError& e) {
    return error(400, e.what());
  }
}

std::vector<int> Room::check_order(int actor, const std::vector<std::string>& ids,
                                   bool forbid_other) const {
  const Scenario& s = scenario();
  std::vector<std::string> mine;
  for (const Move& m : s.moves) {
    if (m.actor == actor) mine.push_back(m.id);
  }
  std::vector<int> out;
  double cost = 0.0;
  const Actor& a = s.actors[static_cast<std::size_t>(actor)];
  for (const std::string& id : ids) {
    const int k = s.find_move(id);
    if (k < 0) throw SessionError("unknown move '" + id + "'" + detail::suggestion(id, mine));
    const Move& m = s.moves[static_cast<std::size_t>(k)];
    if (m.actor != actor) {
      if (forbid_other)
        throw OtherActor("move '" + id + "' belongs to " +
                         s.actors[static_cast<std::size_t>(m.actor)].id + ", not " + a.id);
      throw SessionError("move '" + id + "' belongs to " +
                         s.actors[static_cast<std::size_t>(m.actor)].id);
    }
    if (std::find(out.begin(), out.end(), k) != out.end())
      throw SessionError("move '" + id + "' is given twice");
    if (!move_available(live_->model(), live_->state(), m)) {
      throw SessionError("move '" + id + "' is not available now: " + m.available_when_text +
                         " does not hold at step " + std::to_string(live_->step()));
    }
    cost += m.cost;
    out.push_back(k);
  }
  if (a.budget && cost > *a.budget - live_->spent(actor) + 1e-12) {
    throw SessionError("these moves cost " + detail_number(cost) + " but " + a.id + " has " +
                       detail_number(*a.budget - live_->spent(actor)) +
                       " of its budget left this turn");
  }
  std::sort(out.begin(), out.end());
  return out;
}

RoomReply Room::team_request(int actor, const std::string& type, const json::object& o) {
  const Scenario& s = scenario();
  const std::string& id = s.actors[static_cast<std::size_t>(actor)].id;
  if (type == "message") return message(id, o);
  if (type == "close" || type == "adjudicate" || type == "advance" || type == "command" ||
      type == "end") {
    return error(403, "only the facilitator may " + type);
  }
  if (type != "draft" && type != "submit") {
    return error(400,
                 "unknown request '" + type + "' (a team may send: view, draft, submit, message)");
  }
  if (const json::value* who = o.if_contains("actor"); who != nullptr) {
    if (!who->is_string() || who->as_string() != id)
      return error(403, "a team acts only for its own actor (" + id + ")");
  }
  if (phase_ != Phase::orders)
    return error(409, phase_ == Phase::ended ? "the game has ended"
                                             : "the turn is closed: orders are being adjudicated");
  if (live_->steps_left() == 0)
    return error(409, "the scenario has reached its last step; no move can take effect");
  std::vector<int> moves;
  try {
    moves = check_order(actor, id_list(o, "moves"), true);
  } catch (const OtherActor& e) {
    return error(403, e.what());
  }
  RoomOrder& order = orders_[actor];
  json::object e;
  e["kind"] = "order";
  e["actor"] = id;
  e["op"] = type;
  json::array list;
  for (int k : moves) list.emplace_back(s.moves[static_cast<std::size_t>(k)].id);
  e["moves"] = std::move(list);
  room_entry(std::move(e));
  if (type == "draft") {
    order.draft = moves;
    if (order.status == RoomOrder::Status::none) order.status = RoomOrder::Status::draft;
    return ok(true, "draft saved");
  }
  order.submitted = moves;
  order.draft = moves;
  order.status = RoomOrder::Status::submitted;
  return ok(true, "orders submitted (" + std::to_string(moves.size()) +
                      " move(s)); you may change them until the turn closes");
}

RoomReply Room::message(const std::string& from, const json::object& o) {
  const std::string to = string_member(o, "to");
  const std::string text = string_member(o, "text");
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return error(400, "a message needs a text");
  if (characters(text) > kMaxMessage)
    return error(400, "a message is at most " + std::to_string(kMaxMessage) + " characters");
  std::vector<std::string> valid = {"facilitator", "all"};
  for (int a : options_.teams) valid.push_back(scenario().actors[static_cast<std::size_t>(a)].id);
  if (std::find(valid.begin(), valid.end(), to) == valid.end())
    return error(400, "'to' must be one of: " + join(valid) + " (got '" + to + "')");
  if (to == from) return error(400, "a message goes to someone else");
  RoomMessage m{detail::utc_now(), live_->turn(), from, to, text};
  json::object e;
  e["kind"] = "message";
  e["from"] = from;
  e["to"] = to;
  e["text"] = text;
  room_entry(std::move(e));
  messages_.push_back(std::move(m));
  return ok(true, "message sent");
}

RoomReply Room::facilitator_request(const std::string& type, const json::object& o) {
  if (type == "message") return message("facilitator", o);
  if (type == "close") return close_turn("facilitator");
  if (type == "adjudicate") return adjudicate(o);
  if (type == "advance") return advance();
  if (type == "command") return command(string_member(o, "line"));
  if (type == "end") {
    if (phase_ == Phase::ended) return error(409, "the game has already ended");
    json::object e;
    e["kind"] = "end";
    room_entry(std::move(e));
    phase_ = Phase::ended;
    deadline_.reset();
    return ok(true, "the game has ended; download the debrief and the log");
  }
  return error(
      400,
      "unknown request '" + type +
          "' (the facilitator may send: view, close, adjudicate, advance, command, message, end)");
}

void Room::close_phase() {
  phase_ = Phase::closed;
  deadline_.reset();
  for (auto& [actor, order] : orders_) {
    if (order.status == RoomOrder::Status::draft) order.status = RoomOrder::Status::none;
  }
}

RoomReply Room::close_turn(const std::string& by) {
  if (phase_ != Phase::orders)
    return error(409, phase_ == Phase::ended ? "the game has ended" : "the turn is already closed");
  json::object e;
  e["kind"] = "close";
  e["by"] = by;
  room_entry(std::move(e));
  close_phase();
  // The engine decides for every actor without a team, holding the teams'
  // submitted orders (other engine-played actors: none).
  std::vector<int> held;
  for (const auto& [actor, order] : orders_) {
    if (order.status == RoomOrder::Status::submitted)
      held.insert(held.end(), order.submitted.begin(), order.submitted.end());
  }
  std::string out = "turn " + std::to_string(live_->turn()) + " closed";
  const Scenario& s = scenario();
  for (int a = 0; a < static_cast<int>(s.actors.size()); ++a) {
    if (std::find(options_.teams.begin(), options_.teams.end(), a) != options_.teams.end())
      continue;
    bool has_moves = false;
    for (const Move& m : s.moves) has_moves = has_moves || m.actor == a;
    if (!has_moves) continue;
    const BotDecision d = choose_moves(*live_, a, held, options_.bots);
    RoomOrder& o = orders_[a];
    o.engine = true;
    o.submitted = d.moves;
    o.applied = d.moves;
    o.status = RoomOrder::Status::accepted;
    o.table = bot_table_text(d, s);
    json::object b;
    b["kind"] = "bot";
    b["actor"] = s.actors[static_cast<std::size_t>(a)].id;
    json::array list;
    for (int k : d.moves) list.emplace_back(s.moves[static_cast<std::size_t>(k)].id);
    b["moves"] = std::move(list);
    b["table"] = o.table;
    room_entry(std::move(b));
    const std::string line = d.line(s);
    out += "\nengine " + s.actors[static_cast<std::size_t>(a)].id + ": " +
           (line.empty() ? "no move" : line.substr(5));
  }
  return ok(true, out);
}

RoomReply Room::adjudicate(const json::object& o) {
  if (phase_ != Phase::closed)
    return error(
        409, phase_ == Phase::orders ? "close the turn before adjudicating" : "the game has ended");
  const Scenario& s = scenario();
  const std::string id = string_member(o, "actor");
  const int actor = s.find_actor(id);
  if (actor < 0) {
    std::vector<std::string> ids;
    for (const auto& [a, order] : orders_) ids.push_back(s.actors[static_cast<std::size_t>(a)].id);
    return error(400, "unknown actor '" + id + "'" + detail::suggestion(id, ids));
  }
  auto it = orders_.find(actor);
  if (it == orders_.end() || it->second.status == RoomOrder::Status::none)
    return error(409, id + " has no orders this turn");
  RoomOrder& order = it->second;
  const std::string decision = string_member(o, "decision");
  const std::string reason = string_member(o, "reason");
  if (characters(reason) > kMaxMessage)
    return error(400, "a reason is at most " + std::to_string(kMaxMessage) + " characters");
  std::vector<int> applied;
  if (decision == "accept") {
    applied = order.submitted;
  } else if (decision == "modify" || decision == "veto") {
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
      return error(400, decision + " needs a reason (it is told to the team and kept in the log)");
    if (decision == "modify") applied = check_order(actor, id_list(o, "moves"), false);
  } else {
    return error(400, "'decision' must be accept, modify or veto (got '" + decision + "')");
  }
  json::object e;
  e["kind"] = "adjudication";
  e["actor"] = id;
  e["decision"] = decision;
  json::array list;
  for (int k : applied) list.emplace_back(s.moves[static_cast<std::size_t>(k)].id);
  e["moves"] = std::move(list);
  e["reason"] = reason;
  room_entry(std::move(e));
  rulings_.push_back({actor, live_->turn(), live_->step(), decision, applied, reason});
  order.applied = applied;
  order.reason = reason;
  order.status = decision == "accept"   ? RoomOrder::Status::accepted
                 : decision == "modify" ? RoomOrder::Status::modified
                                        : RoomOrder::Status::vetoed;
  return ok(true, id + ": " + decision +
                      (decision == "accept" ? "ed"
                       : decision == "veto" ? "ed"
                                            : "d"));
}

RoomReply Room::advance() {
  if (phase_ != Phase::closed)
    return error(409, phase_ == Phase::orders ? "close the turn first" : "the game has ended");
  const Scenario& s = scenario();
  std::vector<std::string> pending;
  for (const auto& [actor, order] : orders_) {
    if (order.status == RoomOrder::Status::submitted)
      pending.push_back(s.actors[static_cast<std::size_t>(actor)].id);
  }
  if (!pending.empty()) return error(409, "adjudicate the orders of " + join(pending) + " first");
  try {
    live_->steps_ahead(0, "advance");
  } catch (const SessionError& e) {
    return error(409, e.what());
  }
  std::string moves;
  for (const auto& [actor, order] : orders_) {
    if (!adjudicated(order.status)) continue;
    for (int k : order.applied) moves += " " + s.moves[static_cast<std::size_t>(k)].id;
  }
  std::string out;
  if (!moves.empty()) {
    RoomReply r = command_line("move" + moves);
    if (!r.ok) return r;
  }
  RoomReply r = command_line("advance");
  if (!r.ok) return r;
  return ok(true, "advanced to turn " + std::to_string(live_->turn()) + ", step " +
                      std::to_string(live_->step()));
}

// A line through the `play` command layer, logged as `play` logs it.
RoomReply Room::command_line(const std::string& line) {
  const SessionPoint before = live_->point();
  const CommandResult r = workshop_->execute(line);
  if (!replaying_) log_->record(before, line, r);
  sync_turn();
  if (!r.ok) {
    std::string message = r.output;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return error(400, message);
  }
  return ok(r.changes_state, r.output);
}

RoomReply Room::command(const std::string& line) {
  const std::size_t start = line.find_first_not_of(" \t");
  if (start == std::string::npos)
    return error(400, "'line' holds the command, e.g. \"why ARM RUS\"");
  if (line.size() > 8192) return error(400, "a command line is at most 8192 characters");
  const std::string word = line.substr(start, line.find_first_of(" \t", start) - start);
  static const std::vector<std::string> allowed = {"inject", "set",  "branch",    "checkout",
                                                   "undo",   "why",  "ensemble",  "history",
                                                   "status", "help", "dashboard", "moves"};
  if (word == "advance" || word == "move")
    return error(400,
                 "in the room, moves are orders and advance is its own request (close, adjudicate, "
                 "advance)");
  if (word == "quit")
    return error(400, "to stop, end the game (request end) and stop the server with Ctrl-C");
  if (word == "save") {
    // A client never names a path on the server: the saved session is a
    // download (session.toml) instead.
    return error(400, "in the room, download the session as a scenario (session.toml) instead");
  }
  if (std::find(allowed.begin(), allowed.end(), word) == allowed.end())
    return error(400, "unknown command '" + word + "'" + detail::suggestion(word, allowed));
  if (phase_ == Phase::ended && (word == "inject" || word == "set" || word == "branch" ||
                                 word == "checkout" || word == "undo"))
    return error(409, "the game has ended");
  return command_line(line);
}

std::string Room::saved_scenario() const {
  // `extends` is written relative to the log's folder: save the download
  // beside the log (or edit the path).
  return live_->saved_scenario(options_.scenario_file, log_path_.parent_path() / "session.toml");
}

RoomReply Room::timer_expired() {
  if (phase_ != Phase::orders || !deadline_ || std::chrono::system_clock::now() < *deadline_)
    return ok(false);
  return close_turn("timer");
}

}  // namespace entente
