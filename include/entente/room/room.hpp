// The workshop room (`entente serve`, docs/workshops.md "Running a room"):
// a facilitator, teams that each play one actor and send sealed orders, a
// projector for the room's screen, and the engine playing every actor
// without a team. This is the room's logic without any network: every
// request arrives as a JSON object from a role, every answer and every view
// leaves as a JSON object, and the server (room/server.hpp) only carries
// them. What a role may see is decided here, never by a page.
//
// A turn: the phase is `orders` while teams draft and submit; the
// facilitator (or the timer) closes it; the engine decides for its actors;
// the facilitator adjudicates every order (accept, modify, veto, with a
// reason) and advances, which plays the accepted moves and one turn of
// steps, and opens the next turn. Injects, overrides, branches and undo go
// through the same commands as `entente play`, so the audit log is a `play`
// log with the room's entries added: `entente review` and `--resume` read it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "entente/workshop/bots.hpp"
#include "entente/workshop/play.hpp"

namespace entente {

// Who is asking: the facilitator, the room's screen, or the team of an actor.
struct RoomRole {
  enum class Kind { facilitator, projector, team };
  Kind kind = Kind::projector;
  int actor = -1;                             // team: the actor's index
  std::string name(const Scenario& s) const;  // "facilitator", "projector", "team ARM"
};

struct RoomOptions {
  std::filesystem::path scenario_file;  // the base scenario (for the log, save, review)
  std::vector<int> teams;               // actors played by people, file order
  int turn_steps = 3;
  int turn_seconds = 0;         // 0: no timer; else the turn closes itself after this long
  int lookahead_runs = 40;      // the projector's and facilitator's fan charts
  BotOptions bots;              // how the engine plays the other actors
  std::optional<PlaySpec> fog;  // --fog: instead of the scenario's [play] fog
};

// One team's (or the engine's) orders for the current turn.
struct RoomOrder {
  enum class Status { none, draft, submitted, accepted, modified, vetoed };
  Status status = Status::none;
  std::vector<int> draft;      // indices into Scenario::moves
  std::vector<int> submitted;  // what was sent sealed
  std::vector<int> applied;  // accepted: = submitted; modified: what control decided; vetoed: none
  std::string reason;        // the facilitator's reason for modify or veto
  bool engine = false;       // decided by the engine
  std::string table;         // engine: bot_table_text
};

// Control's decision on an actor's orders, kept for the whole game.
struct RoomRuling {
  int actor = 0;
  int turn = 1;
  int step = 0;
  std::string decision;  // accept, modify, veto
  std::vector<int> moves;
  std::string reason;
};

struct RoomMessage {
  std::string time;  // UTC, ISO 8601
  int turn = 1;
  std::string from;  // "facilitator", "ARM", …
  std::string to;    // "facilitator", "ARM", …, or "all"
  std::string text;
};

// The room's answer to a request: JSON to send back to the client that
// asked, and whether every view changed (then the server pushes new views).
struct RoomReply {
  bool ok = true;
  int status = 200;          // 400 bad request, 403 not this role's to do, 409 not now
  boost::json::object body;  // {"type":"ok", …} or {"type":"error","message":…}
  bool changed = false;
};

class Room {
 public:
  // Starts a new room: `log` is created (0600) with the start entry and the
  // room entry holding the role tokens.
  Room(Scenario base, RoomOptions options, const std::filesystem::path& log,
       std::map<std::string, std::string> tokens);
  // Restores a room from its log (--resume): the session as `play --resume`
  // restores it, then every room entry replayed (orders, adjudications,
  // messages, closes), so unadjudicated orders and drafts come back.
  static std::unique_ptr<Room> resume(const std::filesystem::path& log);
  ~Room();

  const Scenario& scenario() const { return session_->base(); }
  const Session& session() const { return *session_; }
  const RoomOptions& options() const { return options_; }
  // The fog in force: --fog, else the scenario's [play] fog.
  const PlaySpec& play() const { return play_; }
  // "facilitator", "projector", "team:ARM" → token (as written in the log).
  const std::map<std::string, std::string>& tokens() const { return tokens_; }
  // The role whose token this is (constant-time comparison), or none.
  std::optional<RoomRole> role_of(std::string_view token) const;

  // One request from a client: {"type": …, …} (docs/workshops.md, the
  // protocol). Never throws for bad input.
  RoomReply handle(const RoomRole& role, const boost::json::value& request);
  // What this role may see now. Built from the state; holds nothing the role
  // may not see (fog, other teams' orders and messages, briefs).
  boost::json::object view(const RoomRole& role) const;
  // Every role's view, serialised, by role key of tokens() ("facilitator",
  // "projector", "team:ARM", …): what the server pushes after a change.
  std::map<std::string, std::string> views() const;

  enum class Phase { orders, closed, ended };
  Phase phase() const { return phase_; }
  // The turn's timer: when the phase is `orders` and a timer is set.
  std::optional<std::chrono::system_clock::time_point> deadline() const { return deadline_; }
  // The timer ran out: close the turn as the facilitator would.
  RoomReply timer_expired();
  // A role connected or left (logged).
  void connection(const RoomRole& role, bool connected);
  // The debrief (`entente review` of this log) and the log itself.
  std::string debrief() const;
  // The session as a scenario (`save` of play), its `extends` relative to the
  // log's folder. Throws SessionError before the first advance.
  std::string saved_scenario() const;
  const std::filesystem::path& log_path() const { return log_path_; }

  // The address the server listens on (logged, for --resume on the same port);
  // from the log after resume (port 0 when none was logged).
  void note_address(const std::string& host, int port);
  const std::string& address_host() const { return address_host_; }
  int address_port() const { return address_port_; }

 private:
  struct Resuming {};
  Room(Resuming, const std::filesystem::path& log);
  RoomReply team_request(int actor, const std::string& type, const boost::json::object& o);
  RoomReply facilitator_request(const std::string& type, const boost::json::object& o);
  RoomReply close_turn(const std::string& by);
  void close_phase();
  RoomReply adjudicate(const boost::json::object& o);
  RoomReply advance();
  RoomReply command(const std::string& line);
  RoomReply command_line(const std::string& line);
  RoomReply message(const std::string& from, const boost::json::object& o);
  std::vector<int> check_order(int actor, const std::vector<std::string>& ids,
                               bool forbid_other) const;
  void sync_turn();
  void open_turn();
  void room_entry(boost::json::object entry);  // writes to the log (not when replaying)
  void replay(const boost::json::object& entry);
  boost::json::object common_view(const RoomRole& role) const;
  boost::json::object team_view(int actor) const;
  // `teams`: the teams' views when already built (by actor).
  boost::json::object facilitator_view(
      const std::map<int, boost::json::object>* teams = nullptr) const;
  boost::json::object projector_view() const;
  boost::json::object fan_json(int observer) const;

  RoomOptions options_;
  PlaySpec play_;
  std::unique_ptr<Session> session_;
  Session* live_ = nullptr;  // the session (also while the log is being replayed)
  std::unique_ptr<Workshop> workshop_;
  std::unique_ptr<AuditLog> log_;
  std::filesystem::path log_path_;
  std::map<std::string, std::string> tokens_;
  Phase phase_ = Phase::orders;
  std::optional<std::chrono::system_clock::time_point> deadline_;
  std::pair<std::string, int> key_;  // the turn's branch and step
  std::map<int, RoomOrder> orders_;  // by actor, this turn
  std::vector<RoomMessage> messages_;
  std::vector<RoomRuling> rulings_;
  bool replaying_ = false;
  bool configured_ = false;
  std::string address_host_;
  int address_port_ = 0;
  // The fan charts by observer, with the state they were computed for.
  mutable std::map<int, std::pair<std::string, boost::json::object>> fan_cache_;
};

// Fog of war (docs/workshops.md): the value team `observer` sees, under `fog`, of
// R[i][j] (axis < 0) or of x[i][axis], at `step`: exact for its own actor
// and its own relations, exact for everyone with fog "none", the truth plus
// σ·z with fog σ (z standard normal, fixed by seed, observer, step, i, j,
// axis; clipped to [-1, 1]), nothing with fog "hidden". observer = -1 is
// the public (the projector): every actor is a third party to it.
std::optional<double> fogged_value(const Scenario& s, const PlaySpec& fog, int observer, int step,
                                   int i, int j, int axis, double truth);

// The room's part of a debrief, from its log: each turn's sealed orders, the
// engine's choices, control's adjudications with their reasons, messages and
// restarts (Markdown; "" for a log of `entente play`).
std::string room_record_markdown(const std::filesystem::path& log);

// A new random token: 128 bits from OpenSSL's CSPRNG, as 32 hex digits.
std::string new_room_token();

}  // namespace entente
