// `entente serve`: the workshop room over HTTP and WebSocket
// (docs/workshops.md "Running a room").
#include <arpa/inet.h>
#include <signal.h>

#include <boost/json.hpp>
#include <charconv>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "entente/room/server.hpp"
#include "entente/run/output.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "util/atomic_file.hpp"
#include "util/suggest.hpp"

namespace entente::cli {

namespace {

namespace fs = std::filesystem;

struct ServeOptions {
  std::string scenario;
  std::string teams;
  std::string host = "127.0.0.1";
  int port = 8080;
  bool port_given = false;
  std::string log;
  bool resume = false;
  std::string urls;
  int turn_seconds = 0;
  int turn_steps = 3;
  long long seed = -1;
  int lookahead = 40;
  int bot_horizon = 6;
  int bot_runs = 20;
  std::string fog;
  int max_connections = 128;
};

PlaySpec parse_fog(const std::string& text) {
  PlaySpec p;
  if (text == "none") return p;
  if (text == "hidden") {
    p.fog = PlaySpec::Fog::hidden;
    return p;
  }
  double sigma = 0.0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), sigma);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !(sigma > 0.0) || sigma > 10.0) {
    throw InputError({"--fog", 0, 0},
                     "must be none, hidden or a number σ in (0, 10] (got '" + text + "')");
  }
  p.fog = PlaySpec::Fog::noisy;
  p.fog_sigma = sigma;
  return p;
}

std::vector<int> parse_teams(const Scenario& s, const std::string& text) {
  std::vector<int> out;
  std::vector<std::string> ids;
  for (const auto& a : s.actors) ids.push_back(a.id);
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string id =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const int a = s.find_actor(id);
    if (a < 0) {
      throw InputError({"--teams", 0, 0},
                       "unknown actor '" + id + "'" + detail::suggestion(id, ids) +
                           " (give actor ids separated by commas, e.g. --teams ARM,AZE)");
    }
    if (std::find(out.begin(), out.end(), a) != out.end())
      throw InputError({"--teams", 0, 0}, "'" + id + "' is named twice");
    out.push_back(a);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (out.size() > 7) throw InputError({"--teams", 0, 0}, "a room has at most seven teams");
  return out;
}

int serve(const ServeOptions& o) {
  {
    unsigned char buf[sizeof(in6_addr)];
    if (::inet_pton(AF_INET, o.host.c_str(), buf) != 1 &&
        ::inet_pton(AF_INET6, o.host.c_str(), buf) != 1) {
      throw InputError({"--host", 0, 0}, "'" + o.host +
                                             "' is not an IP address (e.g. 127.0.0.1, the default, "
                                             "or this machine's address on the room's network)");
    }
  }
  std::unique_ptr<Room> room;
  if (o.resume) {
    if (o.log.empty())
      throw InputError({"--resume", 0, 0}, "--resume needs --log FILE (the room's log)");
    if (!o.scenario.empty() || !o.teams.empty() || !o.fog.empty())
      std::cerr << "note: --resume restores the scenario, teams and fog from the log\n";
    room = Room::resume(o.log);
    std::cout << "resumed the room of " << o.log << " at turn " << room->session().turn()
              << ", step " << room->session().step() << '\n';
  } else {
    if (o.scenario.empty())
      throw InputError({"serve", 0, 0}, "give a scenario file, or --resume --log FILE");
    const LoadedScenario loaded = load_scenario(o.scenario);
    Scenario base = loaded.scenario;
    if (o.seed >= 0) base.seed = static_cast<std::uint64_t>(o.seed);
    if (base.moves.empty())
      throw InputError({o.scenario, 0, 0},
                       "the scenario has no [[moves]]: teams would have nothing to play");
    RoomOptions ro;
    ro.scenario_file = o.scenario;
    ro.teams = o.teams.empty() ? std::vector<int>{} : parse_teams(base, o.teams);
    ro.turn_steps = o.turn_steps;
    ro.turn_seconds = o.turn_seconds;
    ro.lookahead_runs = o.lookahead;
    ro.bots.horizon = o.bot_horizon;
    ro.bots.runs = o.bot_runs;
    if (!o.fog.empty()) ro.fog = parse_fog(o.fog);
    std::map<std::string, std::string> tokens;
    tokens["facilitator"] = new_room_token();
    tokens["projector"] = new_room_token();
    for (int a : ro.teams)
      tokens["team:" + base.actors[static_cast<std::size_t>(a)].id] = new_room_token();
    fs::path log = o.log;
    if (log.empty()) {
      fs::create_directories("out/rooms");
      log = fs::path("out/rooms") / (default_output_directory(base).filename().string() + "-" +
                                     std::to_string(std::time(nullptr)) + ".jsonl");
    }
    room = std::make_unique<Room>(std::move(base), ro, log, tokens);
  }
  ServerOptions so;
  so.host = o.host;
  so.port = o.port;
  so.max_connections = o.max_connections;
  if (o.resume && !o.port_given && room->address_port() > 0) so.port = room->address_port();
  if (o.resume && o.host == "127.0.0.1" && !room->address_host().empty())
    so.host = room->address_host();
  if (so.host != "127.0.0.1" && so.host != "::1") {
    std::cerr << "warning: listening on " << so.host
              << ": anyone on that network who has a link can join in its role\n";
  }
  // Ctrl-C and SIGTERM are waited for by a thread of their own; every other
  // thread (the server's, created below, inherit the mask) blocks them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::unique_ptr<RoomServer> listening;
  try {
    listening = std::make_unique<RoomServer>(*room, so);
  } catch (const std::runtime_error& e) {
    // A new room that never served leaves no log behind.
    if (!o.resume) {
      const fs::path log = room->log_path();
      room.reset();
      fs::remove(log);
    }
    throw InputError(
        {"--port", 0, 0},
        std::string(e.what()) + " (choose another --port, or --port 0 for any free one)");
  }
  RoomServer& server = *listening;
  std::cout << "log: " << room->log_path().string() << '\n';
  std::cout << "facilitator: " << server.url("facilitator") << '\n';
  std::cout << "projector: " << server.url("projector") << '\n';
  boost::json::object teams;
  for (const auto& [key, token] : room->tokens()) {
    if (key.rfind("team:", 0) != 0) continue;
    std::cout << "team " << key.substr(5) << ": " << server.url(key) << '\n';
    teams[key.substr(5)] = server.url(key);
  }
  std::cout << "Ctrl-C stops the server; --resume --log " << room->log_path().string()
            << " serves the same links again\n"
            << std::flush;
  if (!o.urls.empty()) {
    boost::json::object urls{{"facilitator", server.url("facilitator")},
                             {"projector", server.url("projector")},
                             {"teams", std::move(teams)}};
    detail::write_file_atomically(o.urls, boost::json::serialize(urls) + "\n");
  }
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    if (sig != 0) server.stop();
  });
  server.run();
  // Wake the waiter when the server stopped by itself.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cout << "stopped; the log is complete: " << room->log_path().string() << '\n';
  return 0;
}

}  // namespace

Command add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  auto* cmd = app.add_subcommand(
      "serve", "Serve a workshop room: facilitator, teams and projector in browsers");
  cmd->add_option("scenario", o->scenario, "Scenario file (TOML) with [[moves]]");
  cmd->add_option("--teams", o->teams,
                  "Actors played by teams, e.g. ARM,AZE (the others are engine-played)");
  cmd->add_option("--host", o->host, "Address to listen on (default 127.0.0.1: this machine only)");
  cmd->add_option("--port", o->port, "Port (0: any free port; default 8080)")
      ->check(CLI::Range(0, 65535))
      ->each([o](const std::string&) { o->port_given = true; });
  cmd->add_option("--log", o->log, "The audit log (JSON Lines; default out/rooms/NAME-TIME.jsonl)");
  cmd->add_flag("--resume", o->resume,
                "Restore the room of --log (same links, same port) and continue it");
  cmd->add_option("--urls", o->urls, "Write the links as JSON to FILE");
  cmd->add_option("--turn-seconds", o->turn_seconds,
                  "Close each turn after N seconds (0: the facilitator closes it)")
      ->check(CLI::Range(0, 86400));
  cmd->add_option("--turn-steps", o->turn_steps, "Steps per turn (default 3)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", o->seed, "Seed (overrides scenario.seed)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option(
      "--fog", o->fog,
      "What a team sees of others: none, hidden or σ (default: the scenario's [play] fog)");
  cmd->add_option("--lookahead", o->lookahead,
                  "Runs of the fan charts' look-ahead (0: none; default 40)")
      ->check(CLI::Range(0, 10000));
  cmd->add_option("--bot-horizon", o->bot_horizon,
                  "Steps an engine-played actor looks ahead (default 6)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--bot-runs", o->bot_runs,
                  "Look-ahead runs of an engine-played actor (default 20)")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--max-connections", o->max_connections,
                  "Connections served at once, HTTP and WebSocket (default 128); more get 503")
      ->check(CLI::Range(1, 10000));
  return {cmd, [o] { return serve(*o); }};
}

}  // namespace entente::cli
