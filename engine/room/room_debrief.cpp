// The room's part of the debrief: what the log of `entente serve` holds
// beyond a `play` session — each turn's sealed orders, the engine's choices,
// control's adjudications with their reasons, the messages, the restarts.
#include <boost/json.hpp>

#include "entente/room/room.hpp"
#include "entente/util/file.hpp"
#include "entente/workshop/review.hpp"
#include "room/room_json.hpp"

namespace entente {

namespace json = boost::json;

namespace {

std::string str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : "";
}

std::string moves_text(const json::object& o) {
  const json::value* v = o.if_contains("moves");
  if (v == nullptr || !v->is_array() || v->as_array().empty()) return "no move";
  std::vector<std::string> ids;
  for (const auto& m : v->as_array())
    if (m.is_string()) ids.emplace_back("`" + std::string(m.as_string()) + "`");
  return join(ids);
}

std::int64_t integer(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : 0;
}

}  // namespace

std::string room_record_markdown(const std::filesystem::path& log) {
  std::string text, reason;
  if (!try_read_file(log, text, reason)) return "";
  std::string out;
  std::string heading;                           // the turn being written
  std::map<std::string, std::string> submitted;  // actor → its last submitted orders this turn
  const auto flush_orders = [&] {
    for (const auto& [actor, moves] : submitted) out += "- " + actor + " submitted " + moves + "\n";
    submitted.clear();
  };
  std::size_t pos = 0;
  int restarts = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    boost::system::error_code ec;
    const json::value v = json::parse(std::string_view(text).substr(pos, nl - pos), ec);
    pos = nl + 1;
    if (ec || !v.is_object()) continue;
    const json::object& e = v.as_object();
    const std::string kind = str(e, "kind");
    if (kind == "room") {
      out += "\n## The room\n\n";
      std::vector<std::string> teams;
      for (const auto& t : e.at("teams").as_array()) teams.emplace_back(t.as_string());
      out += "Teams: " + (teams.empty() ? std::string("none") : join(teams)) +
             "; every other actor with moves was played by the engine (the mean of its objective " +
             std::to_string(integer(e, "bot_horizon")) + " steps ahead over " +
             std::to_string(integer(e, "bot_runs")) + " runs). Fog: ";
      const json::value& fog = e.at("fog");
      out += fog.is_string() ? std::string(fog.as_string())
                             : "σ = " + detail_number(fog.to_number<double>());
      out += ".\n";
      continue;
    }
    const bool room_kind = kind == "order" || kind == "close" || kind == "bot" ||
                           kind == "adjudication" || kind == "message" || kind == "end";
    if (kind == "note" || (kind == "resume")) {
      if (str(e, "note").find("room resumed") != std::string::npos) {
        ++restarts;
        out += "- *the server restarted at " + str(e, "time") + " and resumed from the log*\n";
      }
      continue;
    }
    if (!room_kind) continue;
    const std::string h = "### Turn " + std::to_string(integer(e, "turn")) + " (step " +
                          std::to_string(integer(e, "step")) + ", branch " + str(e, "branch") + ")";
    if (h != heading) {
      flush_orders();
      heading = h;
      out += "\n" + h + "\n\n";
    }
    const std::string actor = str(e, "actor");
    if (kind == "order") {
      if (str(e, "op") == "submit") submitted[actor] = moves_text(e);
    } else if (kind == "close") {
      flush_orders();
      out += "- the turn was closed by the " + str(e, "by") + "\n";
    } else if (kind == "bot") {
      out += "- " + actor + " (engine) chose " + moves_text(e) + "\n";
    } else if (kind == "adjudication") {
      const std::string d = str(e, "decision");
      out += "- control " +
             std::string(d == "accept" ? "accepted"
                         : d == "veto" ? "vetoed"
                                       : "modified") +
             " " + actor + "'s orders" + (d == "modify" ? " to " + moves_text(e) : "") +
             (str(e, "reason").empty() ? "" : ": " + str(e, "reason")) + "\n";
    } else if (kind == "message") {
      out += "- message " + str(e, "from") + " → " + str(e, "to") + ": " + str(e, "text") + "\n";
    } else if (kind == "end") {
      flush_orders();
      out += "- the facilitator ended the game\n";
    }
  }
  flush_orders();
  (void)restarts;
  return out;
}

std::string Room::debrief() const {
  return review_markdown(*session_, log_path_.string()) + room_record_markdown(log_path_);
}

}  // namespace entente
