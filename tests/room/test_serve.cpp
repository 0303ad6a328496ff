// `entente serve` over real sockets on loopback: the binary started as a
// facilitator starts it, real HTTP and WebSocket clients (Boost.Beast), wrong
// tokens, a team acting for another actor, oversized bodies and messages,
// rates, reconnecting, kill -9 then --resume, Ctrl-C.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "entente/util/file.hpp"

namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;

fs::path temp_dir(const std::string& name) {
  const fs::path d =
      fs::temp_directory_path() / ("entente-serve-" + std::to_string(::getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// The server as a child process; its stdout goes to a file.
struct Server {
  pid_t pid = -1;
  fs::path dir, log, urls, out;
  json::object links;
  int port = 0;

  Server(const fs::path& d, std::vector<std::string> args) : dir(d) {
    log = dir / "room.jsonl";
    urls = dir / "urls.json";
    out = dir / "stdout.txt";
    fs::remove(urls);
    args.insert(args.begin(), {ENTENTE_CLI, "serve"});
    for (const char* a : {"--urls", "--log"})
      args.push_back(a), args.push_back(a[2] == 'u' ? urls.string() : log.string());
    pid = ::fork();
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a killed test
      std::FILE* f = std::fopen(out.c_str(), "a");
      ::dup2(::fileno(f), 1);
      ::dup2(::fileno(f), 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 600 && !fs::exists(urls); ++i) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!fs::exists(urls)) return;
    std::string text, why;
    entente::try_read_file(urls, text, why);
    links = json::parse(text).as_object();
    const std::string f(links.at("facilitator").as_string());
    port = std::stoi(f.substr(f.rfind(':') + 1));
  }
  ~Server() { stop(SIGKILL); }
  int stop(int sig) {
    if (pid <= 0) return -1;
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // "/r/TOKEN/" of a role: "facilitator", "projector", "ARM".
  std::string path(const std::string& role) const {
    const std::string url(role == "facilitator" || role == "projector"
                              ? links.at(role).as_string()
                              : links.at("teams").at(role).as_string());
    return url.substr(url.find("/r/"));
  }
  std::string output() const {
    std::string text, why;
    entente::try_read_file(out, text, why);
    return text;
  }
};

struct Reply {
  int status = 0;
  std::string body;
  std::string csp;
};

Reply request(int port, http::verb verb, const std::string& target, const std::string& body = "",
              const std::string& type = "application/json") {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(
      tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  http::request<http::string_body> req(verb, target, 11);
  req.set(http::field::host, "127.0.0.1");
  if (!body.empty()) req.set(http::field::content_type, type);
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  http::read(socket, buffer, parser, ec);
  Reply r;
  if (ec) return r;
  r.status = static_cast<int>(parser.get().result_int());
  r.body = parser.get().body();
  r.csp = std::string(parser.get()["Content-Security-Policy"]);
  return r;
}

struct Ws {
  net::io_context ioc;
  websocket::stream<tcp::socket> ws{ioc};
  Ws(int port, const std::string& path) {
    ws.next_layer().connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    ws.handshake("127.0.0.1", path + "ws");
  }
  // The next message of `type` (skipping others).
  json::object next(const std::string& type) {
    for (int i = 0; i < 50; ++i) {
      beast::flat_buffer b;
      ws.read(b);
      json::value v = json::parse(beast::buffers_to_string(b.data()));
      if (v.as_object().at("type").as_string() == type) return v.as_object();
    }
    throw std::runtime_error("no " + type + " message");
  }
  void send(const std::string& text) { ws.write(net::buffer(text)); }
};

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    server_ = std::make_unique<Server>(
        dir_, std::vector<std::string>{ENTENTE_SOURCE_DIR "/scenarios/baseline.toml", "--teams",
                                       "ARM,AZE", "--port", "0", "--lookahead", "10", "--bot-runs",
                                       "4", "--fog", "0.1"});
    ASSERT_GT(server_->port, 0) << server_->output();
  }
  fs::path dir_;
  std::unique_ptr<Server> server_;
};

TEST_F(Serve, PrintsOneLinkPerRoleOnLoopbackWithDistinctTokens) {
  const std::string out = server_->output();
  EXPECT_NE(out.find("facilitator: http://127.0.0.1:"), std::string::npos) << out;
  EXPECT_NE(out.find("projector: http://127.0.0.1:"), std::string::npos);
  EXPECT_NE(out.find("team ARM: http://127.0.0.1:"), std::string::npos);
  EXPECT_NE(out.find("team AZE: http://127.0.0.1:"), std::string::npos);
  EXPECT_NE(server_->path("ARM"), server_->path("AZE"));
  EXPECT_EQ(server_->path("ARM").size(), std::string("/r/").size() + 32 + 1);
}

TEST_F(Serve, AWrongOrMissingTokenGets403WithNoDetail) {
  const int port = server_->port;
  for (const std::string target : {"/", "/r/", "/r//", "/r/0123456789abcdef0123456789abcdef/",
                                   "/index.html", "/r/../../etc/passwd"}) {
    const Reply r = request(port, http::verb::get, target);
    EXPECT_EQ(r.status, 403) << target;
    EXPECT_EQ(r.body, "forbidden\n") << target;
  }
  std::string arm = server_->path("ARM");
  arm[5] = arm[5] == 'a' ? 'b' : 'a';
  EXPECT_EQ(request(port, http::verb::get, arm).status, 403);
  EXPECT_EQ(request(port, http::verb::post, arm + "api", R"({"type":"view"})").status, 403);
  // Only embedded assets: no path of the file system is ever read.
  EXPECT_EQ(request(port, http::verb::get, server_->path("ARM") + "../../etc/passwd").status, 404);
  EXPECT_EQ(request(port, http::verb::get, server_->path("ARM") + "CMakeLists.txt").status, 404);
  // The debrief and the log are the facilitator's.
  EXPECT_EQ(request(port, http::verb::get, server_->path("ARM") + "log.jsonl").status, 403);
  EXPECT_EQ(request(port, http::verb::get, server_->path("projector") + "debrief.md").status, 403);
  const Reply log = request(port, http::verb::get, server_->path("facilitator") + "log.jsonl");
  EXPECT_EQ(log.status, 200);
  EXPECT_NE(log.body.find("\"kind\":\"room\""), std::string::npos);
}

TEST_F(Serve, PagesCarryAPolicyThatAllowsNothingExternal) {
  const Reply page = request(server_->port, http::verb::get, server_->path("ARM"));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<script src=\"room.js\">"), std::string::npos);
  EXPECT_NE(page.csp.find("default-src 'none'"), std::string::npos);
  // Without its slash the page's relative links would leave the token: redirected.
  std::string bare = server_->path("ARM");
  bare.pop_back();
  EXPECT_EQ(request(server_->port, http::verb::get, bare).status, 308);
  EXPECT_NE(page.csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(page.csp.find("http"), std::string::npos);
  for (const char* asset : {"room.js", "room.css", "echarts.min.js"})
    EXPECT_EQ(request(server_->port, http::verb::get, server_->path("ARM") + asset).status, 200)
        << asset;
}

TEST_F(Serve, ATeamCannotActForAnotherActor) {
  const Reply r = request(server_->port, http::verb::post, server_->path("ARM") + "api",
                          R"({"type":"submit","moves":["rus_gas_discount"]})");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("belongs to RUS"), std::string::npos);
  const Reply c =
      request(server_->port, http::verb::post, server_->path("ARM") + "api", R"({"type":"close"})");
  EXPECT_EQ(c.status, 403);
  const Reply p = request(server_->port, http::verb::post, server_->path("projector") + "api",
                          R"({"type":"submit","moves":[]})");
  EXPECT_EQ(p.status, 403);
  const Reply bad =
      request(server_->port, http::verb::post, server_->path("ARM") + "api", "{not json");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("not JSON"), std::string::npos);
}

TEST_F(Serve, OversizedBodiesAndMessagesAreRefusedAndTheServerLivesOn) {
  const std::string big =
      "{\"type\":\"message\",\"to\":\"AZE\",\"text\":\"" + std::string(70 * 1024, 'x') + "\"}";
  EXPECT_EQ(request(server_->port, http::verb::post, server_->path("ARM") + "api", big).status,
            413);
  {
    Ws ws(server_->port, server_->path("ARM"));
    ws.next("view");
    beast::error_code ec;
    ws.ws.write(net::buffer(big), ec);
    beast::flat_buffer b;
    ws.ws.read(b, ec);  // the server closes the connection
    EXPECT_TRUE(ec) << "the oversized message was answered";
  }
  EXPECT_EQ(request(server_->port, http::verb::get, server_->path("ARM") + "view").status, 200);
}

TEST_F(Serve, ReconnectingRestoresTheViewAndTheDraft) {
  {
    Ws ws(server_->port, server_->path("ARM"));
    const json::object v = ws.next("view");
    EXPECT_EQ(v.at("team").as_string(), "ARM");
    ws.send(R"({"type":"draft","moves":["arm_eu_application"],"id":7})");
    const json::object ok = ws.next("ok");
    EXPECT_EQ(ok.at("id").as_int64(), 7);
  }
  Ws again(server_->port, server_->path("ARM"));
  const json::object v = again.next("view");
  EXPECT_EQ(v.at("orders").at("status").as_string(), "draft");
  EXPECT_EQ(v.at("orders").at("draft").as_array().at(0).as_string(), "arm_eu_application");
  // AZE never sees it, nor ARM's brief.
  Ws aze(server_->port, server_->path("AZE"));
  const std::string text = json::serialize(aze.next("view"));
  EXPECT_EQ(text.find("arm_eu_application"), std::string::npos);
  EXPECT_EQ(text.find("You govern Armenia"), std::string::npos);
}

TEST_F(Serve, EveryClientHearsOfAChange) {
  Ws fac(server_->port, server_->path("facilitator"));
  Ws proj(server_->port, server_->path("projector"));
  fac.next("view");
  proj.next("view");
  fac.send(R"({"type":"close"})");
  const json::object reply = fac.next("ok");
  EXPECT_NE(std::string(reply.at("output").as_string()).find("closed"), std::string::npos);
  EXPECT_EQ(proj.next("view").at("phase").as_string(), "closed");
  fac.send(R"({"type":"advance"})");
  fac.next("ok");
  json::object v = proj.next("view");
  while (v.at("step").as_int64() == 0) v = proj.next("view");
  EXPECT_EQ(v.at("step").as_int64(), 3);
}

TEST_F(Serve, AFloodOfRequestsIsRateLimited) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"),
                               static_cast<unsigned short>(server_->port)));
  int limited = 0;
  for (int i = 0; i < 200; ++i) {
    http::request<http::string_body> req(http::verb::get, server_->path("projector") + "room.css",
                                         11);
    req.set(http::field::host, "127.0.0.1");
    http::write(socket, req);
    beast::flat_buffer b;
    http::response<http::string_body> res;
    beast::error_code ec;
    http::read(socket, b, res, ec);
    if (ec) break;
    if (res.result_int() == 429) {
      ++limited;
      break;
    }
  }
  EXPECT_EQ(limited, 1);
  EXPECT_EQ(request(server_->port, http::verb::get, server_->path("projector") + "view").status,
            200);
}

TEST_F(Serve, AKilledServerResumesWithTheSameLinksAndOrders) {
  const std::string arm = server_->path("ARM");
  ASSERT_EQ(request(server_->port, http::verb::post, arm + "api",
                    R"({"type":"submit","moves":["arm_eu_application"]})")
                .status,
            200);
  ASSERT_EQ(request(server_->port, http::verb::post, server_->path("facilitator") + "api",
                    R"({"type":"close"})")
                .status,
            200);
  const int port = server_->port;
  const json::object links = server_->links;
  EXPECT_EQ(server_->stop(SIGKILL), 128 + SIGKILL);
  Server again(dir_, {"--resume"});
  ASSERT_EQ(again.port, port) << again.output();
  EXPECT_EQ(json::serialize(again.links), json::serialize(links));
  const Reply v = request(port, http::verb::get, arm + "view");
  ASSERT_EQ(v.status, 200);
  const json::object view = json::parse(v.body).as_object();
  EXPECT_EQ(view.at("phase").as_string(), "closed");
  EXPECT_EQ(view.at("orders").at("status").as_string(), "submitted");
  // Ctrl-C stops it cleanly: exit 0, the log whole.
  EXPECT_EQ(again.stop(SIGINT), 0);
  std::string text, why;
  ASSERT_TRUE(entente::try_read_file(again.log, text, why));
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(text.find("room resumed"), std::string::npos);
}

TEST(ServeCli, ConnectionsAreCapped) {
  const fs::path dir = temp_dir("cap");
  Server s(dir, {ENTENTE_SOURCE_DIR "/scenarios/baseline.toml", "--teams", "ARM", "--port", "0",
                 "--lookahead", "0", "--max-connections", "2"});
  ASSERT_GT(s.port, 0) << s.output();
  Ws a(s.port, s.path("ARM"));
  Ws b(s.port, s.path("projector"));
  a.next("view");
  b.next("view");
  EXPECT_EQ(request(s.port, http::verb::get, s.path("ARM") + "view").status, 503);
  b.ws.close(websocket::close_code::normal);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(request(s.port, http::verb::get, s.path("ARM") + "view").status, 200);
}

TEST(ServeCli, TheTimerClosesTheTurnAndTheDebriefCoversTheRoom) {
  const fs::path dir = temp_dir("timer");
  Server s(dir, {ENTENTE_SOURCE_DIR "/scenarios/baseline.toml", "--teams", "ARM", "--port", "0",
                 "--lookahead", "0", "--bot-runs", "2", "--turn-seconds", "1"});
  ASSERT_GT(s.port, 0) << s.output();
  Ws fac(s.port, s.path("facilitator"));
  json::object v = fac.next("view");
  EXPECT_EQ(v.at("phase").as_string(), "orders");
  EXPECT_FALSE(v.at("deadline").is_null());
  Ws arm(s.port, s.path("ARM"));
  arm.next("view");
  arm.send(R"({"type":"submit","moves":["arm_eu_application"]})");
  arm.next("ok");
  while (v.at("phase").as_string() != "closed") v = fac.next("view");  // within a second or two
  fac.send(R"({"type":"adjudicate","actor":"ARM","decision":"veto","reason":"not this month"})");
  fac.next("ok");
  fac.send(R"({"type":"advance"})");
  fac.next("ok");
  // The session as a scenario, saved beside the log, replays with entente run.
  EXPECT_EQ(request(s.port, http::verb::get, s.path("ARM") + "session.toml").status, 403);
  const Reply saved = request(s.port, http::verb::get, s.path("facilitator") + "session.toml");
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_NE(saved.body.find("extends = "), std::string::npos);
  std::ofstream(dir / "session.toml") << saved.body;
  const std::string run = std::string(ENTENTE_CLI) + " run " + (dir / "session.toml").string() +
                          " -o " + (dir / "replay").string() + " > /dev/null 2>&1";
  EXPECT_EQ(std::system(run.c_str()), 0);
  EXPECT_TRUE(fs::exists(dir / "replay" / "relations.csv"));
  EXPECT_EQ(s.stop(SIGTERM), 0);
  const std::string cmd = std::string(ENTENTE_CLI) + " review " + s.log.string() + " --runs 2";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  std::string md;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) md += buf;
  EXPECT_EQ(::pclose(p), 0);
  EXPECT_NE(md.find("## The room"), std::string::npos) << md;
  EXPECT_NE(md.find("closed by the timer"), std::string::npos) << md;
  EXPECT_NE(md.find("control vetoed ARM's orders: not this month"), std::string::npos) << md;
}

TEST(ServeCli, BadOptionsExit2WithAMessage) {
  const auto run = [](const std::string& args) {
    const std::string cmd = std::string(ENTENTE_CLI) + " serve " + args + " 2>&1";
    std::FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
    const int status = ::pclose(p);
    return std::make_pair(WEXITSTATUS(status), out);
  };
  const std::string base = ENTENTE_SOURCE_DIR "/scenarios/baseline.toml";
  auto [code, out] = run(base + " --teams ARM,XYZ --port 0");
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("unknown actor 'XYZ'"), std::string::npos) << out;
  std::tie(code, out) = run(base + " --teams ARM,ARM --port 0");
  EXPECT_EQ(code, 2);
  std::tie(code, out) = run(base + " --fog 0 --port 0");
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("--fog"), std::string::npos) << out;
  std::tie(code, out) =
      run(base + " --host not-an-address --port 0 --log /tmp/entente-serve-bad-host.jsonl");
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("not an IP address"), std::string::npos) << out;
  std::tie(code, out) = run("--resume");
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("--log"), std::string::npos) << out;
}

}  // namespace
