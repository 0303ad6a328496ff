// The workshop room's logic (include/entente/room/room.hpp): roles and
// tokens, the turn (sealed orders, close, engine decisions, adjudication,
// advance), messages, and the audit log that restores it all.
#include "entente/room/room.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>

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

constexpr std::size_t kMaxMessage = 2000;  // characters of a message or reason
constexpr std::size_t kMaxMoves = 64;      // ids in one order

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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

std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// A string member of a request, or "" when absent; throws SessionError when
// it is there but not a string.
std::string string_member(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return "";
  if (!v->is_string()) throw SessionError(std::string("'") + key + "' must be a string");
  return std::string(v->as_string());
}

std::vector<std::string> id_list(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr)
    throw SessionError(std::string("'") + key + "' is missing (a list of move ids)");
  if (!v->is_array()) throw SessionError(std::string("'") + key + "' must be a list of move ids");
  const json::array& a = v->as_array();
  if (a.size() > kMaxMoves)
    throw SessionError("at most " + std::to_string(kMaxMoves) + " moves in one order");
  std::vector<std::string> out;
  for (const json::value& x : a) {
    if (!x.is_string())
      throw SessionError(std::string("'") + key + "' must hold move ids (strings)");
    out.emplace_back(x.as_string());
  }
  return out;
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
// Construction, the log, resume

Room::Room(Scenario base, RoomOptions options, const fs::path& log,
           std::map<std::string, std::string> tokens)
    : options_(std::move(options)), log_path_(log), tokens_(std::move(tokens)) {
  std::sort(options_.teams.begin(), options_.teams.end());
  play_ = options_.fog ? *options_.fog : base.play;
  session_ = std::make_unique<Session>(std::move(base), options_.turn_steps);
  live_ = session_.get();
  WorkshopOptions w;
  w.scenario_file = options_.scenario_file;
  w.lookahead_runs = 0;  // the room draws its own fan charts
  workshop_ = std::make_unique<Workshop>(*session_, w);
  std::error_code ec;
  if (fs::exists(log, ec) && fs::file_size(log, ec) > 0) {
    throw InputError({log.string(), 0, 0},
                     "the log exists; continue it with --resume or choose another --log");
  }
  log_ = std::make_unique<AuditLog>(log);
  ::chmod(log.c_str(), 0600);  // it holds the tokens
  WorkshopOptions start = w;
  start.lookahead_runs = options_.lookahead_runs;
  log_->start(options_.scenario_file, *session_, start);
  json::object room;
  room["kind"] = "room";
  room["time"] = utc_now();
  json::array teams;
  for (int a : options_.teams)
    teams.emplace_back(scenario().actors[static_cast<std::size_t>(a)].id);
  room["teams"] = std::move(teams);
  json::object t;
  for (const auto& [k, v] : tokens_) t[k] = v;
  room["tokens"] = std::move(t);
  room["turn_seconds"] = options_.turn_seconds;
  room["bot_horizon"] = options_.bots.horizon;
  room["bot_runs"] = options_.bots.runs;
  room["bot_max_moves"] = options_.bots.max_moves;
  if (play_.fog == PlaySpec::Fog::noisy) {
    room["fog"] = play_.fog_sigma;
  } else {
    room["fog"] = play_.fog == PlaySpec::Fog::none ? "none" : "hidden";
  }
  log_->write_entry(json::serialize(room));
  key_ = {session_->branch(), session_->step()};
  open_turn();
}

Room::~Room() = default;

std::unique_ptr<Room> Room::resume(const fs::path& log) {
  return std::unique_ptr<Room>(new Room(Resuming{}, log));
}

Room::Room(Resuming, const fs::path& log) : log_path_(log) {
  replaying_ = true;
  ResumedSession r = resume_session(log, [this, &log](int line, const json::object& e, Session& s) {
    live_ = &s;
    try {
      replay(e);
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& x) {
      // A missing key or a wrong type (boost::json's at() and as_*()), or a
      // replay that no longer holds.
      throw InputError({log.string(), line, 1},
                       std::string("cannot restore the room: ") + x.what());
    }
  });
  if (!configured_)
    throw InputError({log.string(), 1, 1},
                     "not a room log (no room entry): use entente play --resume");
  if (r.cut_last_line) fs::resize_file(log, r.good_bytes);
  session_ = std::move(r.session);
  live_ = session_.get();
  options_.scenario_file = r.options.scenario_file;
  options_.lookahead_runs = r.options.lookahead_runs;
  options_.turn_steps = session_->turn_steps();
  WorkshopOptions w = r.options;
  w.lookahead_runs = 0;
  workshop_ = std::make_unique<Workshop>(*session_, w);
  log_ = std::make_unique<AuditLog>(log);
  replaying_ = false;
  log_->note("resume", "room resumed");
  if (phase_ == Phase::orders && options_.turn_seconds > 0)
    deadline_ = std::chrono::system_clock::now() + std::chrono::seconds(options_.turn_seconds);
}

void Room::room_entry(json::object entry) {
  if (replaying_) return;
  json::object out;
  out["kind"] = entry["kind"];
  out["time"] = utc_now();
  out["turn"] = live_->turn();
  out["step"] = live_->step();
  out["branch"] = live_->branch();
  for (auto& kv : entry) {
    if (kv.key() != "kind") out[kv.key()] = std::move(kv.value());
  }
  log_->write_entry(json::serialize(out));
}

// Orders belong to a turn: a branch and a step. A command that moves the
// session elsewhere (advance, undo of an advance, checkout) starts afresh.
void Room::sync_turn() {
  const std::pair<std::string, int> now{live_->branch(), live_->step()};
  if (now != key_) {
    key_ = now;
    open_turn();
  }
}

void Room::open_turn() {
  orders_.clear();
  if (phase_ != Phase::ended) phase_ = Phase::orders;
  deadline_.reset();
  if (!replaying_ && phase_ == Phase::orders && options_.turn_seconds > 0)
    deadline_ = std::chrono::system_clock::now() + std::chrono::seconds(options_.turn_seconds);
}

void Room::replay(const json::object& e) {
  const std::string kind = string_member(e, "kind");
  const Scenario& s = live_->base();
  const auto actor = [&]() {
    const int a = s.find_actor(string_member(e, "actor"));
    if (a < 0) throw SessionError("an entry names an unknown actor");
    return a;
  };
  const auto moves = [&](const char* key) {
    std::vector<int> out;
    for (const std::string& id : id_list(e, key)) {
      const int k = s.find_move(id);
      if (k < 0) throw SessionError("an entry names an unknown move '" + id + "'");
      out.push_back(k);
    }
    return out;
  };
  if (kind == "room") {
    for (const json::value& t : e.at("teams").as_array()) {
      const int a = s.find_actor(std::string(t.as_string()));
      if (a < 0) throw SessionError("the room's teams name an unknown actor");
      options_.teams.push_back(a);
    }
    for (const auto& kv : e.at("tokens").as_object())
      tokens_[std::string(kv.key())] = std::string(kv.value().as_string());
    options_.turn_seconds = static_cast<int>(e.at("turn_seconds").to_number<std::int64_t>());
    options_.bots.horizon = static_cast<int>(e.at("bot_horizon").to_number<std::int64_t>());
    options_.bots.runs = static_cast<int>(e.at("bot_runs").to_number<std::int64_t>());
    options_.bots.max_moves = static_cast<int>(e.at("bot_max_moves").to_number<std::int64_t>());
    const json::value& fog = e.at("fog");
    if (fog.is_number()) {
      play_.fog = PlaySpec::Fog::noisy;
      play_.fog_sigma = fog.to_number<double>();
    } else {
      play_.fog = fog.as_string() == "hidden" ? PlaySpec::Fog::hidden : PlaySpec::Fog::none;
    }
    options_.fog = play_;
    configured_ = true;
    key_ = {live_->branch(), live_->step()};
    open_turn();
    return;
  }
  if (kind == "address") {
    address_host_ = string_member(e, "host");
    address_port_ = static_cast<int>(e.at("port").to_number<std::int64_t>());
    return;
  }
  if (kind == "command") {
    sync_turn();
    return;
  }
  if (kind == "order") {
    RoomOrder& o = orders_[actor()];
    if (string_member(e, "op") == "draft") {
      o.draft = moves("moves");
      if (o.status == RoomOrder::Status::none) o.status = RoomOrder::Status::draft;
    } else {
      o.submitted = moves("moves");
      o.draft = o.submitted;
      o.status = RoomOrder::Status::submitted;
    }
  } else if (kind == "close") {
    close_phase();
  } else if (kind == "bot") {
    RoomOrder& o = orders_[actor()];
    o.engine = true;
    o.submitted = moves("moves");
    o.applied = o.submitted;
    o.status = RoomOrder::Status::accepted;
    o.table = string_member(e, "table");
  } else if (kind == "adjudication") {
    RoomOrder& o = orders_[actor()];
    const std::string d = string_member(e, "decision");
    o.applied = d == "veto" ? std::vector<int>{} : moves("moves");
    o.status = d == "accept"   ? RoomOrder::Status::accepted
               : d == "modify" ? RoomOrder::Status::modified
                               : RoomOrder::Status::vetoed;
    o.reason = string_member(e, "reason");
    rulings_.push_back({actor(), live_->turn(), live_->step(), d, o.applied, o.reason});
  } else if (kind == "message") {
    messages_.push_back(
        {string_member(e, "time"), static_cast<int>(e.at("turn").to_number<std::int64_t>()),
         string_member(e, "from"), string_member(e, "to"), string_member(e, "text")});
  } else if (kind == "end") {
    phase_ = Phase::ended;
    deadline_.reset();
  }
}

void Room::note_address(const std::string& host, int port) {
  address_host_ = host;
  address_port_ = port;
  json::object e;
  e["kind"] = "address";
  e["host"] = host;
  e["port"] = port;
  room_entry(std::move(e));
}

std::optional<RoomRole> Room::role_of(std::string_view token) const {
  std::optional<RoomRole> found;
  for (const auto& [name, t] : tokens_) {
    // Constant time in the token's bytes: every stored token is compared in
    // full, whatever matched before.
    const bool same =
        t.size() == token.size() && CRYPTO_memcmp(t.data(), token.data(), t.size()) == 0;
    if (!same) continue;
    RoomRole r;
    if (name == "facilitator") {
      r.kind = RoomRole::Kind::facilitator;
    } else if (name == "projector") {
      r.kind = RoomRole::Kind::projector;
    } else {
      r.kind = RoomRole::Kind::team;
      r.actor = scenario().find_actor(name.substr(5));  // "team:ARM"
    }
    found = r;
  }
  return found;
}

void Room::connection(const RoomRole& role, bool connected) {
  json::object e;
  e["kind"] = "connection";
  e["role"] = role.name(scenario());
  e["connected"] = connected;
  room_entry(std::move(e));
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
  RoomMessage m{utc_now(), live_->turn(), from, to, text};
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
