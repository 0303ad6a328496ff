// What the room's fuzzer checks (tests/fuzz/fuzz_room.cpp), shared with the
// regression test (tests/cli/test_fuzz_regressions.cpp): bytes as a sequence
// of requests to a fresh room (one per line; the first byte of a line picks
// the role: f facilitator, p projector, a team ARM, z team AZE; the rest is
// the request's JSON as a client would send it). Every request is answered
// with 200, 400, 403 or 409 and an ok or error body; nothing throws; no view
// of a team ever holds the other team's brief, nor the projector's a brief.
#pragma once

#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>

#include "entente/room/room.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "fuzz/fuzz_bodies.hpp"

namespace entente::fuzz {

inline void room_bytes(std::string_view bytes, const std::string& scenario_file) {
  static const Scenario base = load_scenario(scenario_file).scenario;
  static std::atomic<int> counter{0};
  const std::filesystem::path dir = std::filesystem::exists("/dev/shm")
                                        ? std::filesystem::path("/dev/shm")
                                        : std::filesystem::temp_directory_path();
  const std::filesystem::path log = dir / ("entente-fuzz-room-" + std::to_string(::getpid()) + "-" +
                                           std::to_string(counter++) + ".jsonl");
  std::filesystem::remove(log);
  RoomOptions o;
  o.scenario_file = scenario_file;
  o.teams = {base.find_actor("ARM"), base.find_actor("AZE")};
  o.lookahead_runs = 2;
  o.bots.runs = 1;
  o.bots.horizon = 1;
  PlaySpec fog;
  fog.fog = PlaySpec::Fog::noisy;
  fog.fog_sigma = 0.1;
  o.fog = fog;
  {
    Room room(base, o, log,
              {{"facilitator", "f"}, {"projector", "p"}, {"team:ARM", "a"}, {"team:AZE", "z"}});
    const std::string arm_brief = base.actors[static_cast<std::size_t>(o.teams[0])].brief;
    const std::string aze_brief = base.actors[static_cast<std::size_t>(o.teams[1])].brief;
    std::size_t pos = 0;
    for (int k = 0; k < 8 && pos < bytes.size(); ++k) {
      std::size_t nl = bytes.find('\n', pos);
      if (nl == std::string_view::npos) nl = bytes.size();
      const std::string_view line = bytes.substr(pos, nl - pos);
      pos = nl + 1;
      if (line.empty()) continue;
      RoomRole role;
      switch (line[0]) {
        case 'f':
          role.kind = RoomRole::Kind::facilitator;
          break;
        case 'a':
          role = {RoomRole::Kind::team, o.teams[0]};
          break;
        case 'z':
          role = {RoomRole::Kind::team, o.teams[1]};
          break;
        default:
          role.kind = RoomRole::Kind::projector;
          break;
      }
      boost::system::error_code ec;
      boost::json::parse_options po;
      po.max_depth = 16;
      const boost::json::value request = boost::json::parse(line.substr(1), ec, {}, po);
      if (ec) continue;  // the server answers "not JSON" before the room sees it
      const RoomReply r = room.handle(role, request);
      require(r.status == 200 || r.status == 400 || r.status == 403 || r.status == 409,
              "a reply's status is 200, 400, 403 or 409");
      require(r.ok == (r.status == 200), "ok exactly when 200");
      require(r.body.contains("type"), "a reply has a type");
    }
    const std::string arm = boost::json::serialize(room.view({RoomRole::Kind::team, o.teams[0]}));
    const std::string aze = boost::json::serialize(room.view({RoomRole::Kind::team, o.teams[1]}));
    const std::string projector =
        boost::json::serialize(room.view({RoomRole::Kind::projector, -1}));
    require(arm.find(aze_brief) == std::string::npos, "ARM never sees AZE's brief");
    require(aze.find(arm_brief) == std::string::npos, "AZE never sees ARM's brief");
    require(projector.find(arm_brief) == std::string::npos &&
                projector.find(aze_brief) == std::string::npos,
            "the projector shows no brief");
  }
  std::filesystem::remove(log);
}

}  // namespace entente::fuzz
