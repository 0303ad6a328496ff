// The workshop room under load (issue 13, item 9): `entente serve` started
// as a child process on loopback, every team's WebSocket, the facilitator's
// and 30 projectors' (Boost.Beast, one network thread with async reads), and
// a game of 20 turns played through them. Not a Google Benchmark: it times a
// server over sockets, wall clock, turn by turn.
//
//   room_load                                  # both rooms below, 20 turns of 1 step
//   room_load --teams ARM,AZE,TUR,RUS,EU,USA,IRN --projectors 30 --turns 20
//   room_load --urls URLS.json --pid PID       # a server already running (see --help)
//
// Each turn: every team reads its menu and budget from its view and submits
// an affordable order (up to two available moves); the facilitator closes
// the turn (the engine decides for the actors without a team), accepts every
// team's order (every --veto-every turns it vetoes one, with a reason), then
// advances. Between phases the program waits until every client has received
// one view per change (so no phase's pushes overlap the next one's timing,
// and a lost view would show) and pauses --pause-ms, as a facilitator would.
//
// Per turn, wall clock:
//   close    `close` sent → the last client has the closed-phase view
//            (with engine-played actors: their decisions are in it)
//   closing  the first `adjudicate` sent → the last client has the new turn's
//            view after `advance` (adjudication + advance + look-ahead + push;
//            the facilitator sends each request when the last one is answered)
//   advance  `advance` sent → the last client has the new turn's view;
//            `adv ok` is the reply's arrival (the room has played the moves and
//            the steps; the views, with the fan chart's look-ahead, are built
//            after it), `push` the rest
// and the server's resident set (VmRSS), its CPU time by thread (the network
// thread is the process's main thread; the worker owns the room), the bytes
// of views pushed to all clients during the turn and how many of them repeat
// the view the client already had. After the game, --drafts rounds in which
// every team drafts the same order again push views while nothing in the
// room grows: the resident set before and after shows whether a push leaks.
// The figures and what they showed: bench/README.md, "The workshop room".
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Options {
  std::string entente = ENTENTE_CLI;
  std::string scenario = ENTENTE_SOURCE_DIR "/scenarios/baseline.toml";
  std::vector<std::string> rooms;  // --teams, one room each
  int projectors = 30;
  int turns = 20;
  int turn_steps = 1;
  int lookahead = 40;
  int veto_every = 5;
  int pause_ms = 150;
  int drafts = 30;
  std::string urls;  // a running server instead of a child
  long pid = 0;
  std::string csv;
  std::string dir;                 // where the rooms' logs go (default: the temporary directory)
  std::vector<std::string> extra;  // --server-arg
};

// ---------------------------------------------------------------------------
// The server's process: start, resident set, CPU by thread

struct Server {
  pid_t pid = -1;
  bool child = false;
  fs::path dir;
  json::object links;

  std::string output() const {
    std::ifstream in(dir / "stdout.txt");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  bool alive() const {
    if (pid <= 0) return true;
    if (child) {
      int status = 0;
      return ::waitpid(pid, &status, WNOHANG) == 0;
    }
    return ::kill(pid, 0) == 0;
  }
  // kB of VmRSS, VmHWM; 0 when unknown.
  long status_kb(const char* field) const {
    if (pid <= 0) return 0;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(in, line)) {
      if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
    }
    return 0;
  }
  // CPU ms (user + system) of the main thread (the network thread) and of the
  // other threads together (the worker; the signal waiter sleeps).
  std::pair<double, double> cpu_ms() const {
    if (pid <= 0) return {0.0, 0.0};
    const double tick = 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
    double main = 0.0, rest = 0.0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
      std::ifstream in(e.path() / "stat");
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const std::size_t close = text.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream fields(text.substr(close + 2));
      std::string f;
      double ticks = 0.0;
      for (int k = 3; k <= 15 && fields >> f; ++k) {
        if (k == 14 || k == 15) ticks += std::atof(f.c_str());  // utime, stime
      }
      (e.path().filename() == std::to_string(pid) ? main : rest) += ticks * tick;
    }
    return {main, rest};
  }
  ~Server() {
    if (child && pid > 0) {
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
    }
  }
  // SIGINT and the exit status (the server says it stopped cleanly with 0).
  int stop() {
    if (!child || pid <= 0) return 0;
    ::kill(pid, SIGINT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

std::unique_ptr<Server> start_server(const Options& o, const std::string& teams,
                                     const fs::path& dir) {
  auto s = std::make_unique<Server>();
  s->dir = dir;
  s->child = true;
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path urls = dir / "urls.json";
  std::vector<std::string> args = {o.entente,
                                   "serve",
                                   o.scenario,
                                   "--teams",
                                   teams,
                                   "--port",
                                   "0",
                                   "--urls",
                                   urls.string(),
                                   "--log",
                                   (dir / "room.jsonl").string(),
                                   "--lookahead",
                                   std::to_string(o.lookahead),
                                   "--turn-steps",
                                   std::to_string(o.turn_steps)};
  args.insert(args.end(), o.extra.begin(), o.extra.end());
  s->pid = ::fork();
  if (s->pid == 0) {
    std::FILE* f = std::fopen((dir / "stdout.txt").c_str(), "a");
    if (f != nullptr) {
      ::dup2(::fileno(f), 1);
      ::dup2(::fileno(f), 2);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  for (int i = 0; i < 600 && !fs::exists(urls); ++i) {
    if (!s->alive()) throw std::runtime_error("the server exited:\n" + s->output());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!fs::exists(urls)) throw std::runtime_error("the server wrote no --urls in 30 s");
  std::ifstream in(urls);
  std::stringstream text;
  text << in.rdbuf();
  s->links = json::parse(text.str()).as_object();
  return s;
}

// ---------------------------------------------------------------------------
// The clients

struct Arrival {
  Clock::time_point at;
  int turn = 0;
  bool closed = false;
  std::size_t bytes = 0;
  bool same = false;  // the same bytes as this client's previous view
};

struct Client {
  enum class Kind { facilitator, team, projector };
  Kind kind;
  std::string name;  // "facilitator", "ARM", "projector 7"
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  std::deque<std::string> out;  // the network thread's write queue
  // Guarded by Load::mu:
  std::vector<Arrival> views;
  std::string last_view;  // a team's latest view (JSON text)
  std::size_t last_hash = 0;
  std::deque<std::pair<Clock::time_point, std::string>> replies;
  // Views it should have had so far: its first, then one per change of what
  // it sees (the server pushes a role's view only when it changed).
  std::size_t expected = 1;
  bool gone = false;
  std::string error;
  Client(net::io_context& ioc, Kind k, std::string n) : kind(k), name(std::move(n)), ws(ioc) {}
};

// The top-level "turn" and "phase" of a view, without parsing it: a key can
// only appear as `"key":` outside strings (a quote inside a string is
// escaped), and the view's first such keys are its top-level ones (checked
// against a full parse on each client's first view).
int int_after(std::string_view text, std::string_view key) {
  const std::size_t at = text.find(key);
  if (at == std::string_view::npos) return -1;
  return std::atoi(std::string(text.substr(at + key.size(), 12)).c_str());
}
bool phase_closed(std::string_view text) {
  const std::size_t at = text.find("\"phase\":\"");
  return at != std::string_view::npos && text.substr(at + 9, 6) == "closed";
}

class Load {
 public:
  std::mutex mu;
  std::condition_variable cv;
  net::io_context ioc;
  std::vector<std::unique_ptr<Client>> clients;
  bool finishing = false;

  void connect(Client::Kind kind, const std::string& name, const std::string& url) {
    // http://127.0.0.1:PORT/r/TOKEN/
    const std::size_t host = url.find("//") + 2;
    const std::size_t colon = url.find(':', host);
    const std::size_t path = url.find('/', colon);
    const std::string h = url.substr(host, colon - host);
    const std::string port = url.substr(colon + 1, path - colon - 1);
    auto c = std::make_unique<Client>(ioc, kind, name);
    tcp::resolver resolver(ioc);
    beast::get_lowest_layer(c->ws).connect(resolver.resolve(h, port));
    c->ws.read_message_max(64 * 1024 * 1024);
    c->ws.handshake(h + ":" + port, url.substr(path) + "ws");
    clients.push_back(std::move(c));
  }

  void start_reading() {
    for (auto& c : clients) read(*c);
  }

  void send(Client& c, std::string text) {
    net::post(ioc, [this, &c, text = std::move(text)]() mutable {
      c.out.push_back(std::move(text));
      if (c.out.size() == 1) write(c);
    });
  }

 private:
  void write(Client& c) {
    c.ws.text(true);
    c.ws.async_write(net::buffer(c.out.front()), [this, &c](beast::error_code ec, std::size_t) {
      if (ec) return failed(c, "write: " + ec.message());
      c.out.pop_front();
      if (!c.out.empty()) write(c);
    });
  }

  void failed(Client& c, const std::string& why) {
    std::lock_guard<std::mutex> lock(mu);
    c.gone = true;
    if (!finishing) c.error = why;
    cv.notify_all();
  }

  void read(Client& c) {
    c.ws.async_read(c.buffer, [this, &c](beast::error_code ec, std::size_t) {
      const Clock::time_point at = Clock::now();
      if (ec) return failed(c, "read: " + ec.message());
      const auto data = c.buffer.cdata();
      const std::string_view text(static_cast<const char*>(data.data()), data.size());
      {
        std::lock_guard<std::mutex> lock(mu);
        if (text.substr(0, 15) == "{\"type\":\"view\",") {
          const std::size_t hash = std::hash<std::string_view>{}(text);
          Arrival a{at, int_after(text, "\"turn\":"), phase_closed(text), text.size(),
                    !c.views.empty() && hash == c.last_hash};
          c.last_hash = hash;
          if (c.views.empty() && !scan_agrees(text, a)) {
            c.gone = true;
            c.error = "the view scan disagrees with the view's JSON";
          }
          c.views.push_back(a);
          if (c.kind == Client::Kind::team) c.last_view.assign(text);
        } else {
          c.replies.emplace_back(at, std::string(text));
        }
      }
      cv.notify_all();
      c.buffer.consume(c.buffer.size());
      read(c);
    });
  }

  static bool scan_agrees(std::string_view text, const Arrival& a) {
    boost::system::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return false;
    const json::object& o = v.as_object();
    const json::value* turn = o.if_contains("turn");
    const json::value* phase = o.if_contains("phase");
    return turn != nullptr && phase != nullptr && turn->is_int64() && phase->is_string() &&
           turn->as_int64() == a.turn && (phase->as_string() == "closed") == a.closed;
  }
};

// ---------------------------------------------------------------------------
// A game

struct Turn {
  int turn = 0;
  double close = 0, close_ok = 0;
  double adjudicate = 0, advance_ok = 0, push = 0, closing = 0, advance = 0;
  std::size_t bytes = 0, same_bytes = 0;  // views pushed; of which the client's previous view again
  long rss_kb = 0;
  double net_cpu = 0, work_cpu = 0;
  int team_moves = 0;
  bool vetoed = false;
  // Bytes of the new turn's view: facilitator, team, projector.
  std::size_t new_view[3] = {0, 0, 0};
  // The last client of each kind (facilitator, team, projector): ms after
  // `close` was sent to its closed view, after `advance` to its new view.
  double close_by[3] = {0, 0, 0}, advance_by[3] = {0, 0, 0};
};

struct Result {
  std::string teams;
  int clients = 0, projectors = 0;
  std::vector<Turn> turns;
  long rss_start_kb = 0, hwm_kb = 0;
  std::size_t view_bytes[3] = {0, 0, 0}, view_count[3] = {0, 0, 0};
  std::vector<std::string> problems;
  int exit_status = 0;
  double client_cpu_ms = 0;  // this program's CPU during the room
  double seconds = 0;        // the room's wall time, connections to the end
  std::string note;
  // After the game: rounds in which every team drafts the same order again,
  // so that views are pushed while nothing in the room grows.
  int draft_broadcasts = 0;
  double draft_ms = 0;  // wall per broadcast
  long rss_drafts_before_kb = 0, rss_drafts_after_kb = 0;
};

double own_cpu_ms() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return 1000.0 * (static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                   1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec));
}

double quantile(std::vector<double> v, double p) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  if (p == 0.5) {
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }
  // Nearest rank: the 18th of 20 for p90.
  const std::size_t r = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size(), std::max<std::size_t>(r, 1)) - 1];
}

class Game {
 public:
  Game(const Options& o, Server& server, Load& load) : o_(o), server_(server), load_(load) {}

  Result play() {
    Result res;
    const double cpu0 = own_cpu_ms();
    const Clock::time_point start = Clock::now();
    const json::object& links = server_.links;
    std::vector<std::string> team_ids;
    for (const auto& kv : links.at("teams").as_object()) team_ids.emplace_back(kv.key());
    load_.connect(Client::Kind::facilitator, "facilitator",
                  std::string(links.at("facilitator").as_string()));
    for (const std::string& t : team_ids) {
      load_.connect(Client::Kind::team, t, std::string(links.at("teams").at(t).as_string()));
      teams_.push_back(load_.clients.back().get());
    }
    for (int p = 0; p < o_.projectors; ++p) {
      load_.connect(Client::Kind::projector, "projector " + std::to_string(p + 1),
                    std::string(links.at("projector").as_string()));
    }
    fac_ = load_.clients.front().get();
    load_.start_reading();
    std::thread io([this] { load_.ioc.run(); });
    struct Join {
      Load& load;
      std::thread& t;
      ~Join() {
        load.ioc.stop();
        t.join();
      }
    } join{load_, io};
    for (std::size_t i = 0; i < team_ids.size(); ++i) {
      res.teams += (i > 0 ? "," : "") + team_ids[i];
    }
    res.clients = static_cast<int>(load_.clients.size());
    res.projectors = o_.projectors;
    quiet("the first views");
    res.rss_start_kb = server_.status_kb("VmRSS");
    int steps_left = 0;
    {
      const json::object v = view_of(*fac_);
      steps_left = static_cast<int>(v.at("steps_left").as_int64());
    }
    int turns = o_.turns;
    const int possible = (steps_left + o_.turn_steps - 1) / o_.turn_steps;
    if (turns > possible) {
      res.note = "only " + std::to_string(possible) + " turns of " + std::to_string(o_.turn_steps) +
                 " step(s) fit in the scenario's " + std::to_string(steps_left) + " steps left";
      turns = possible;
    }
    for (int k = 1; k <= turns; ++k) res.turns.push_back(one_turn(k));
    if (o_.drafts > 0 && !teams_.empty()) steady(res, turns + 1);
    // Every client had one view per change: none lost, none closed.
    {
      std::lock_guard<std::mutex> lock(load_.mu);
      for (const auto& c : load_.clients) {
        const int kind = static_cast<int>(c->kind);
        for (const Arrival& a : c->views) {
          res.view_bytes[kind] += a.bytes;
          ++res.view_count[kind];
        }
        if (c->gone) res.problems.push_back(c->name + " was disconnected: " + c->error);
        if (c->views.size() != c->expected)
          res.problems.push_back(c->name + " received " + std::to_string(c->views.size()) +
                                 " views for " + std::to_string(c->expected) + " expected");
      }
      load_.finishing = true;
    }
    res.hwm_kb = server_.status_kb("VmHWM");
    res.client_cpu_ms = own_cpu_ms() - cpu0;
    res.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    res.exit_status = server_.stop();
    if (res.exit_status != 0)
      res.problems.push_back("the server exited with status " + std::to_string(res.exit_status));
    return res;
  }

 private:
  // Waits (at most 120 s) until `done` holds; throws with what it waited for.
  template <class Pred>
  void wait(std::unique_lock<std::mutex>& lock, const std::string& what, Pred done) {
    const auto until = Clock::now() + std::chrono::seconds(120);
    while (!done()) {
      for (const auto& c : load_.clients) {
        if (c->gone)
          throw std::runtime_error(c->name + " was disconnected (" + c->error +
                                   ") while waiting for " + what);
      }
      if (load_.cv.wait_until(lock, until) == std::cv_status::timeout && !done())
        throw std::runtime_error("timed out waiting for " + what);
      if (!server_.alive()) throw std::runtime_error("the server died while waiting for " + what);
    }
  }

  // Every client has one view per change so far.
  void quiet(const std::string& what) {
    std::unique_lock<std::mutex> lock(load_.mu);
    wait(lock, what + " to reach every client", [this] {
      for (const auto& c : load_.clients) {
        if (c->views.size() < c->expected) return false;
      }
      return true;
    });
  }

  // Sends one request and waits for its reply: the arrival time; throws on error.
  // `seen_by`: the clients whose view the request changes (none given: all).
  Clock::time_point request(Client& c, const json::object& body,
                            std::vector<Client*> seen_by = {}) {
    load_.send(c, json::serialize(body));
    std::unique_lock<std::mutex> lock(load_.mu);
    wait(lock, "the reply to " + c.name + "'s " + std::string(body.at("type").as_string()),
         [&] { return !c.replies.empty(); });
    auto [at, text] = std::move(c.replies.front());
    c.replies.pop_front();
    if (text.rfind("{\"type\":\"ok\"", 0) != 0)
      throw std::runtime_error(c.name + "'s " + std::string(body.at("type").as_string()) +
                               " failed: " + text);
    if (seen_by.empty()) {
      for (const auto& x : load_.clients) ++x->expected;
    } else {
      for (Client* x : seen_by) ++x->expected;
    }
    return at;
  }

  // Waits for one reply from every team (to requests already sent), checks
  // each is ok, and calls `after` for each team.
  template <class After>
  void teams_ok(const std::string& what, After after) {
    std::unique_lock<std::mutex> lock(load_.mu);
    wait(lock, "the teams' " + what + " replies", [this] {
      for (Client* c : teams_) {
        if (c->replies.empty()) return false;
      }
      return true;
    });
    for (Client* c : teams_) {
      const std::string text = std::move(c->replies.front().second);
      c->replies.pop_front();
      if (text.rfind("{\"type\":\"ok\"", 0) != 0)
        throw std::runtime_error(c->name + "'s " + what + " failed: " + text);
      after(*c);
    }
  }

  json::object view_of(Client& c) {
    json::object req{{"type", "view"}};
    load_.send(c, json::serialize(req));
    std::unique_lock<std::mutex> lock(load_.mu);
    wait(lock, "a view", [&] { return !c.replies.empty(); });
    const std::string text = std::move(c.replies.front().second);
    c.replies.pop_front();
    return json::parse(text).as_object().at("view").as_object();
  }

  // Up to two available moves the team can afford, from its view's menu,
  // starting at a different move each turn.
  json::array choose(Client& team, int k, int index) {
    std::string text;
    {
      std::lock_guard<std::mutex> lock(load_.mu);
      text = team.last_view;
    }
    const json::object v = json::parse(text).as_object();
    const json::value& left_v = v.at("budget").at("left");
    double left = left_v.is_null() ? 1e9 : left_v.to_number<double>();
    const json::array& menu = v.at("menu").as_array();
    json::array out;
    const std::size_t n = menu.size();
    for (std::size_t i = 0; i < n && out.size() < 2; ++i) {
      const json::object& m = menu[(static_cast<std::size_t>(k + index) + i) % n].as_object();
      const double cost = m.at("cost").to_number<double>();
      if (!m.at("available").as_bool() || cost > left + 1e-9) continue;
      out.push_back(m.at("id"));
      left -= cost;
    }
    return out;
  }

  Turn one_turn(int k) {
    Turn t;
    int turn = 0;
    {
      std::lock_guard<std::mutex> lock(load_.mu);
      turn = fac_->views.back().turn;
    }
    t.turn = turn;
    const auto cpu0 = server_.cpu_ms();
    std::vector<std::size_t> mark0;
    {
      std::lock_guard<std::mutex> lock(load_.mu);
      for (const auto& c : load_.clients) mark0.push_back(c->views.size());
    }
    // Orders: every team at once.
    for (std::size_t i = 0; i < teams_.size(); ++i) {
      json::array moves = choose(*teams_[i], k, static_cast<int>(i));
      t.team_moves += static_cast<int>(moves.size());
      load_.send(*teams_[i], json::serialize(json::object{
                                 {"type", "submit"}, {"moves", std::move(moves)}, {"id", k}}));
    }
    teams_ok("submit", [this](Client& c) {
      ++c.expected;  // its orders; and the facilitator's table of orders
      ++fac_->expected;
    });
    quiet("the submitted orders' views");
    pause();

    // Close.
    std::vector<std::size_t> mark = marks();
    Clock::time_point t0 = Clock::now();
    t.close_ok = ms(request(*fac_, json::object{{"type", "close"}}) - t0);
    quiet("the closed turn's views");
    t.close = ms(last_arrival(
                     mark, [](const Arrival& a) { return a.closed; }, t0, t.close_by) -
                 t0);
    pause();

    // Adjudicate every team's order, then advance.
    mark = marks();
    t0 = Clock::now();
    const bool veto = o_.veto_every > 0 && k % o_.veto_every == 0 && !teams_.empty();
    const std::size_t vetoed = static_cast<std::size_t>(k / std::max(o_.veto_every, 1)) %
                               std::max<std::size_t>(teams_.size(), 1);
    Clock::time_point last_ok = t0;
    for (std::size_t i = 0; i < teams_.size(); ++i) {
      json::object a{{"type", "adjudicate"}, {"actor", teams_[i]->name}, {"id", k}};
      if (veto && i == vetoed) {
        a["decision"] = "veto";
        a["reason"] = "room_load: a veto now and then, as control would";
        t.vetoed = true;
      } else {
        a["decision"] = "accept";
      }
      last_ok = request(*fac_, a, {teams_[i], fac_});  // the team is told; no one else
    }
    t.adjudicate = ms(last_ok - t0);
    const Clock::time_point a0 = Clock::now();
    t.advance_ok = ms(request(*fac_, json::object{{"type", "advance"}, {"id", k}}) - a0);
    quiet("the new turn's views");
    const Clock::time_point done = last_arrival(
        mark, [turn](const Arrival& a) { return a.turn > turn; }, a0, t.advance_by);
    t.closing = ms(done - t0);
    t.advance = ms(done - a0);
    t.push = t.advance - t.advance_ok;
    {
      std::lock_guard<std::mutex> lock(load_.mu);
      for (std::size_t c = 0; c < load_.clients.size(); ++c) {
        const auto& views = load_.clients[c]->views;
        for (std::size_t v = mark0[c]; v < views.size(); ++v) {
          t.bytes += views[v].bytes;
          if (views[v].same) t.same_bytes += views[v].bytes;
        }
      }
    }
    {
      std::lock_guard<std::mutex> lock(load_.mu);
      for (const auto& c : load_.clients) {
        std::size_t& size = t.new_view[static_cast<int>(c->kind)];
        if (size == 0) size = c->views.back().bytes;
      }
    }
    t.rss_kb = server_.status_kb("VmRSS");
    const auto cpu1 = server_.cpu_ms();
    t.net_cpu = cpu1.first - cpu0.first;
    t.work_cpu = cpu1.second - cpu0.second;
    pause();
    return t;
  }

  // Rounds of drafts: every team drafts the same moves again (one broadcast
  // each); RSS after the first round and after the last.
  void steady(Result& res, int k) {
    if (view_of(*fac_).at("steps_left").as_int64() == 0) {
      res.note += std::string(res.note.empty() ? "" : "; ") +
                  "no drafts after the game: the scenario has reached its last step";
      return;
    }
    // Each round changes every team's draft (its moves, then none), so that
    // each is one push to that team: an unchanged view is not pushed.
    std::vector<std::string> drafts, empty;
    for (std::size_t i = 0; i < teams_.size(); ++i) {
      drafts.push_back(json::serialize(
          json::object{{"type", "draft"}, {"moves", choose(*teams_[i], k, static_cast<int>(i))}}));
      empty.push_back(json::serialize(json::object{{"type", "draft"}, {"moves", json::array{}}}));
    }
    int parity = 0;
    const auto round = [&] {
      const auto& now = parity++ % 2 == 0 ? drafts : empty;
      for (std::size_t i = 0; i < teams_.size(); ++i) load_.send(*teams_[i], now[i]);
      teams_ok("draft", [&](Client& c) {
        ++c.expected;  // a draft's moves are the team's alone;
        // its first one also shows the facilitator that the team has a draft
        if (parity == 1) ++fac_->expected;
      });
    };
    round();
    quiet("the drafts' views");
    res.rss_drafts_before_kb = server_.status_kb("VmRSS");
    double wall = 0.0;
    for (int r = 1; r < o_.drafts; ++r) {
      const Clock::time_point t0 = Clock::now();
      round();
      quiet("the drafts' views");
      wall += ms(Clock::now() - t0);
      res.draft_broadcasts += static_cast<int>(teams_.size());
      // Within the rate limit of a connection (20 requests a second).
      std::this_thread::sleep_for(std::chrono::milliseconds(60));
    }
    res.draft_ms = res.draft_broadcasts > 0 ? wall / res.draft_broadcasts : 0.0;
    res.rss_drafts_after_kb = server_.status_kb("VmRSS");
  }

  std::vector<std::size_t> marks() {
    std::lock_guard<std::mutex> lock(load_.mu);
    std::vector<std::size_t> m;
    for (const auto& c : load_.clients) m.push_back(c->views.size());
    return m;
  }

  // The latest, over clients, of each client's first view since `mark` that
  // satisfies `pred`.
  template <class Pred>
  Clock::time_point last_arrival(const std::vector<std::size_t>& mark, Pred pred,
                                 Clock::time_point t0, double* by_kind) {
    std::lock_guard<std::mutex> lock(load_.mu);
    Clock::time_point last{};
    for (std::size_t c = 0; c < load_.clients.size(); ++c) {
      const auto& views = load_.clients[c]->views;
      std::size_t v = mark[c];
      while (v < views.size() && !pred(views[v])) ++v;
      if (v == views.size())
        throw std::runtime_error(load_.clients[c]->name + " never received the expected view (" +
                                 std::to_string(views.size() - mark[c]) + " views since, turn " +
                                 (views.empty() ? "-" : std::to_string(views.back().turn)) +
                                 (views.empty() || !views.back().closed ? ", open)" : ", closed)"));
      last = std::max(last, views[v].at);
      double& k = by_kind[static_cast<int>(load_.clients[c]->kind)];
      k = std::max(k, ms(views[v].at - t0));
    }
    return last;
  }

  void pause() { std::this_thread::sleep_for(std::chrono::milliseconds(o_.pause_ms)); }

  const Options& o_;
  Server& server_;
  Load& load_;
  Client* fac_ = nullptr;
  std::vector<Client*> teams_;
};

// ---------------------------------------------------------------------------
// Output

std::string loadavg() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "?";
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

void print(const Options& o, const Result& r, const std::string& load_before,
           const std::string& load_after) {
  const int n_teams =
      r.teams.empty() ? 0 : static_cast<int>(std::count(r.teams.begin(), r.teams.end(), ',')) + 1;
  std::printf(
      "\n== room: teams %s (%d), the facilitator, %d projectors = %d WebSockets; %zu turns of %d "
      "step(s); look-ahead %d runs\n",
      r.teams.c_str(), n_teams, r.projectors, r.clients, r.turns.size(), o.turn_steps, o.lookahead);
  std::printf("   load average before %s, after %s\n", load_before.c_str(), load_after.c_str());
  if (!r.note.empty()) std::printf("   note: %s\n", r.note.c_str());
  std::printf(
      "\n turn  moves  close  (ok)  adjud  adv ok   push  closing  advance   KiB pushed   RSS "
      "MiB  CPU net  CPU work\n");
  for (const Turn& t : r.turns) {
    std::printf(
        " %4d  %3d%s  %5.0f %5.0f  %5.0f  %6.0f  %5.0f  %7.0f  %7.0f  %11.0f  %8.1f  %7.0f  "
        "%8.0f\n",
        t.turn, t.team_moves, t.vetoed ? "v" : " ", t.close, t.close_ok, t.adjudicate, t.advance_ok,
        t.push, t.closing, t.advance, static_cast<double>(t.bytes) / 1024.0,
        static_cast<double>(t.rss_kb) / 1024.0, t.net_cpu, t.work_cpu);
  }
  const auto col = [&](double Turn::*f) {
    std::vector<double> v;
    for (const Turn& t : r.turns) v.push_back(t.*f);
    return v;
  };
  std::printf("\n ms over %zu turns                                    median     p90     max\n",
              r.turns.size());
  const auto row = [&](const char* what, double Turn::*f) {
    const std::vector<double> v = col(f);
    std::printf(" %-50s %7.0f %7.0f %7.0f\n", what, quantile(v, 0.5), quantile(v, 0.9),
                quantile(v, 1.0));
  };
  row("close → last client's closed view", &Turn::close);
  row("  the close's reply (engine decisions)", &Turn::close_ok);
  row("closing a turn: first adjudicate → last new view", &Turn::closing);
  row("  adjudications (first sent → last reply)", &Turn::adjudicate);
  row("  advance → its reply (moves and steps played)", &Turn::advance_ok);
  row("  advance reply → last new view (views, push)", &Turn::push);
  row("advance → last client's new view", &Turn::advance);
  const char* kinds3[3] = {"facilitator", "teams", "projectors"};
  for (int k = 0; k < 3; ++k) {
    std::vector<double> c, a;
    for (const Turn& t : r.turns) {
      c.push_back(t.close_by[k]);
      a.push_back(t.advance_by[k]);
    }
    if (k == 1 && r.teams.empty()) continue;
    if (k == 2 && r.projectors == 0) continue;
    const std::string w1 = std::string("  close → the last of the ") + kinds3[k];
    const std::string w2 = std::string("  advance → the last of the ") + kinds3[k];
    std::printf(" %-50s %7.0f %7.0f %7.0f\n", w1.c_str(), quantile(c, 0.5), quantile(c, 0.9),
                quantile(c, 1.0));
    std::printf(" %-50s %7.0f %7.0f %7.0f\n", w2.c_str(), quantile(a, 0.5), quantile(a, 0.9),
                quantile(a, 1.0));
  }
  row("server CPU, network thread, per turn", &Turn::net_cpu);
  row("server CPU, worker thread, per turn", &Turn::work_cpu);
  std::vector<double> bytes;
  for (const Turn& t : r.turns) bytes.push_back(static_cast<double>(t.bytes) / 1024.0);
  std::printf(" %-50s %7.0f %7.0f %7.0f\n", "KiB of views pushed per turn", quantile(bytes, 0.5),
              quantile(bytes, 0.9), quantile(bytes, 1.0));
  std::vector<double> same;
  for (const Turn& t : r.turns) same.push_back(static_cast<double>(t.same_bytes) / 1024.0);
  std::printf(" %-50s %7.0f %7.0f %7.0f\n", "  of which a client's previous view again",
              quantile(same, 0.5), quantile(same, 0.9), quantile(same, 1.0));
  const char* kinds[3] = {"facilitator", "team", "projector"};
  std::printf(" mean view: ");
  for (int k = 0; k < 3; ++k) {
    if (r.view_count[k] == 0) continue;
    std::printf(
        "%s %.1f KiB  ", kinds[k],
        static_cast<double>(r.view_bytes[k]) / static_cast<double>(r.view_count[k]) / 1024.0);
  }
  std::printf("\n server RSS (VmRSS): connected %.1f MiB",
              static_cast<double>(r.rss_start_kb) / 1024.0);
  for (const Turn& t : r.turns) {
    const std::size_t i = static_cast<std::size_t>(&t - r.turns.data()) + 1;
    if (i == 1 || i == 5 || i == 10 || i == 20 || i == r.turns.size())
      std::printf(", after turn %zu %.1f MiB", i, static_cast<double>(t.rss_kb) / 1024.0);
  }
  std::printf("; peak (VmHWM) %.1f MiB\n", static_cast<double>(r.hwm_kb) / 1024.0);
  if (!r.turns.empty()) {
    const Turn& a = r.turns.front();
    const Turn& b = r.turns.back();
    std::printf(
        " a view after turn %d → after turn %d: facilitator %.1f → %.1f KiB, team %.1f → %.1f KiB, "
        "projector %.1f → %.1f KiB\n",
        a.turn, b.turn, a.new_view[0] / 1024.0, b.new_view[0] / 1024.0, a.new_view[1] / 1024.0,
        b.new_view[1] / 1024.0, a.new_view[2] / 1024.0, b.new_view[2] / 1024.0);
  }
  if (r.draft_broadcasts > 0) {
    std::printf(
        " then %d drafts (a push of every view each, nothing growing): %.1f ms each; RSS %.1f → "
        "%.1f MiB\n",
        r.draft_broadcasts, r.draft_ms, static_cast<double>(r.rss_drafts_before_kb) / 1024.0,
        static_cast<double>(r.rss_drafts_after_kb) / 1024.0);
  }
  std::printf(" this program's CPU: %.0f ms in %.0f s\n", r.client_cpu_ms, r.seconds);
  if (r.problems.empty()) {
    std::printf(" every client received every view (one per change); the server stopped with 0\n");
  } else {
    for (const std::string& p : r.problems) std::printf(" PROBLEM: %s\n", p.c_str());
  }
  std::fflush(stdout);
}

void write_csv(const std::string& path, const std::vector<Result>& rs) {
  std::ofstream out(path);
  out << "teams,turn,team_moves,vetoed,close_ms,close_ok_ms,adjudicate_ms,advance_ok_ms,push_ms,"
         "closing_ms,advance_ms,bytes,same_bytes,rss_kb,net_cpu_ms,work_cpu_ms\n";
  for (const Result& r : rs) {
    for (const Turn& t : r.turns) {
      out << '"' << r.teams << "\"," << t.turn << ',' << t.team_moves << ',' << t.vetoed << ','
          << t.close << ',' << t.close_ok << ',' << t.adjudicate << ',' << t.advance_ok << ','
          << t.push << ',' << t.closing << ',' << t.advance << ',' << t.bytes << ',' << t.same_bytes
          << ',' << t.rss_kb << ',' << t.net_cpu << ',' << t.work_cpu << '\n';
    }
  }
}

const char* const kUsage =
    "usage: room_load [options]\n"
    "  --teams LIST        one room with these teams (repeat for several rooms; default: two "
    "rooms,\n"
    "                      ARM,AZE,TUR,RUS,EU,USA,IRN and ARM,AZE with the other five "
    "engine-played)\n"
    "  --projectors N      projector WebSockets (default 30)\n"
    "  --turns N           turns to play (default 20)\n"
    "  --turn-steps N      steps per turn (default 1: the baseline's 36 steps hold 20 turns)\n"
    "  --lookahead N       the fan charts' look-ahead runs (default 40)\n"
    "  --veto-every N      veto one team's order every N turns (default 5; 0: never)\n"
    "  --pause-ms N        pause between phases, untimed (default 150)\n"
    "  --drafts N          after the game, N rounds of every team drafting the same order\n"
    "                      (views pushed while nothing grows: memory; default 30)\n"
    "  --entente PATH      the binary (default: this build's)\n"
    "  --scenario FILE     (default scenarios/baseline.toml)\n"
    "  --server-arg ARG    one more argument for `entente serve` (repeatable)\n"
    "  --urls FILE [--pid PID]  a server already running (its --urls file; PID for its memory)\n"
    "  --csv FILE          every turn's figures\n"
    "  --dir DIR           where the rooms' logs go (default: the temporary directory; the log\n"
    "                      is fsynced at every entry, so its file system matters)\n";

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "room_load: %s needs a value\n%s", a.c_str(), kUsage);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--teams") {
      o.rooms.push_back(value());
    } else if (a == "--projectors") {
      o.projectors = std::atoi(value().c_str());
    } else if (a == "--turns") {
      o.turns = std::atoi(value().c_str());
    } else if (a == "--turn-steps") {
      o.turn_steps = std::atoi(value().c_str());
    } else if (a == "--lookahead") {
      o.lookahead = std::atoi(value().c_str());
    } else if (a == "--veto-every") {
      o.veto_every = std::atoi(value().c_str());
    } else if (a == "--drafts") {
      o.drafts = std::atoi(value().c_str());
    } else if (a == "--pause-ms") {
      o.pause_ms = std::atoi(value().c_str());
    } else if (a == "--entente") {
      o.entente = value();
    } else if (a == "--scenario") {
      o.scenario = value();
    } else if (a == "--server-arg") {
      o.extra.push_back(value());
    } else if (a == "--urls") {
      o.urls = value();
    } else if (a == "--pid") {
      o.pid = std::atol(value().c_str());
    } else if (a == "--dir") {
      o.dir = value();
    } else if (a == "--csv") {
      o.csv = value();
    } else {
      const bool help = a == "--help" || a == "-h";
      std::fprintf(help ? stdout : stderr, "%s", kUsage);
      return help ? 0 : 2;
    }
  }
  if (o.turn_steps < 1 || o.turns < 1 || o.projectors < 0) {
    std::fprintf(stderr, "room_load: --turns and --turn-steps must be at least 1\n");
    return 2;
  }
  if (o.rooms.empty()) o.rooms = {"ARM,AZE,TUR,RUS,EU,USA,IRN", "ARM,AZE"};
  if (!o.urls.empty()) o.rooms = {"(from --urls)"};
  std::printf("room_load: %s, %ld cores (%s), entente %s\n", utc_now().c_str(),
              ::sysconf(_SC_NPROCESSORS_ONLN), cpu_model().c_str(), o.entente.c_str());
  std::vector<Result> results;
  const fs::path base = (o.dir.empty() ? fs::temp_directory_path() : fs::path(o.dir)) /
                        ("entente-room-load-" + std::to_string(::getpid()));
  int status = 0;
  for (std::size_t r = 0; r < o.rooms.size(); ++r) {
    try {
      std::unique_ptr<Server> server;
      if (!o.urls.empty()) {
        server = std::make_unique<Server>();
        std::ifstream in(o.urls);
        std::stringstream text;
        text << in.rdbuf();
        server->links = json::parse(text.str()).as_object();
        server->pid = static_cast<pid_t>(o.pid);
      } else {
        server = start_server(o, o.rooms[r], base / ("room" + std::to_string(r + 1)));
        std::printf("server pid %d: %s serve … --teams %s\n", static_cast<int>(server->pid),
                    o.entente.c_str(), o.rooms[r].c_str());
        std::fflush(stdout);
      }
      const std::string before = loadavg();
      Load load;
      Game game(o, *server, load);
      Result res = game.play();
      print(o, res, before, loadavg());
      if (!res.problems.empty()) status = 1;
      results.push_back(std::move(res));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "room_load: room %s: %s\n", o.rooms[r].c_str(), e.what());
      status = 1;
    }
  }
  if (!o.csv.empty()) write_csv(o.csv, results);
  if (status == 0) fs::remove_all(base);
  return status;
}
