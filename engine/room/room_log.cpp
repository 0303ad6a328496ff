// The room's audit log and its restoration (include/entente/room/room.hpp):
// a new room's start and room entries, the room's own entries, --resume by
// replaying the log, and the roles of tokens.
#include <openssl/crypto.h>
#include <sys/stat.h>

#include <boost/json.hpp>

#include "entente/room/room.hpp"
#include "entente/util/diagnostics.hpp"
#include "room/room_json.hpp"

namespace entente {

namespace fs = std::filesystem;
namespace json = boost::json;

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
  room["time"] = detail::utc_now();
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
  out["time"] = detail::utc_now();
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

}  // namespace entente
