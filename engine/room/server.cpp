// The HTTP and WebSocket server of `entente serve` (include/entente/room/server.hpp).
//
// Threads: the network thread runs `net_` (accept, read, write, timers);
// the worker thread runs `work_` and is the only one that touches the Room.
// A request travels network → worker (Room::handle) → network (the reply,
// then every connection's new view when something changed).
#include "entente/room/server.hpp"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "entente/util/file.hpp"
#include "report/assets.hpp"

namespace entente {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

constexpr const char* kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

template <class Message>
void secure_headers(Message& m) {
  m.set(http::field::server, "entente");
  m.set("Content-Security-Policy", kPolicy);
  m.set("X-Content-Type-Options", "nosniff");
  m.set("Referrer-Policy", "no-referrer");  // the token is in the URL
  m.set(http::field::cache_control, "no-store");
}

using Response = http::response<http::string_body>;

std::shared_ptr<Response> response(http::status status, std::string body, const char* type,
                                   unsigned version, bool keep_alive) {
  auto r = std::make_shared<Response>(status, version);
  secure_headers(*r);
  r->set(http::field::content_type, type);
  r->keep_alive(keep_alive);
  r->body() = std::move(body);
  r->prepare_payload();
  return r;
}

// A token bucket: `rate` requests a second, `burst` at once.
struct RateLimit {
  double tokens;
  double rate;
  double burst;
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  RateLimit(double r, double b) : tokens(b), rate(r), burst(b) {}
  bool take() {
    const auto now = std::chrono::steady_clock::now();
    tokens = std::min(burst, tokens + rate * std::chrono::duration<double>(now - last).count());
    last = now;
    if (tokens < 1.0) return false;
    tokens -= 1.0;
    return true;
  }
};

// "/r/TOKEN/REST" → (TOKEN, REST); false for any other target.
bool split_target(std::string_view target, std::string_view& token, std::string_view& rest) {
  const std::size_t q = target.find('?');
  if (q != std::string_view::npos) target = target.substr(0, q);
  if (target.substr(0, 3) != "/r/") return false;
  target.remove_prefix(3);
  const std::size_t slash = target.find('/');
  token = target.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view{} : target.substr(slash + 1);
  return !token.empty() && token.size() <= 128;
}

std::string role_key(const RoomRole& r, const Scenario& s) {
  switch (r.kind) {
    case RoomRole::Kind::facilitator:
      return "facilitator";
    case RoomRole::Kind::projector:
      return "projector";
    case RoomRole::Kind::team:
      return "team:" + s.actors[static_cast<std::size_t>(r.actor)].id;
  }
  return "projector";
}

}  // namespace

class WsSession;

struct RoomServer::Impl {
  Room& room;
  ServerOptions options;
  // Declared before the io_context so that they outlive the handlers it
  // destroys (an HttpSession's destructor counts itself off).
  std::atomic<int> connections{0};
  std::atomic<bool> stopping{false};
  int port = 0;
  net::io_context net_{1};
  net::thread_pool work_{1};
  tcp::acceptor acceptor_{net_};
  net::steady_timer tick_{net_};
  // What broadcast() last sent to each role (worker thread only).
  std::map<std::string, std::string> last_pushed;
  // Open WebSockets (network thread only); emptied before the io_context goes.
  std::set<std::shared_ptr<WsSession>> sockets;

  Impl(Room& r, ServerOptions o) : room(r), options(std::move(o)) {}

  void accept();
  void schedule_tick();
  // On the worker: every role's view, then sent to every WebSocket.
  void broadcast();
  // On the worker: one request; `done` runs on the network thread with the reply.
  template <class Done>
  void request(const RoomRole& role, json::value body, Done done);
};

// ---------------------------------------------------------------------------
// WebSocket connections

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(RoomServer::Impl& server, tcp::socket socket, RoomRole role)
      : server_(server),
        ws_(std::move(socket)),
        role_(role),
        key_(role_key(role, server.room.scenario())),
        limit_(server.options.rate_per_second, server.options.rate_burst) {}

  template <class Request>
  void start(Request req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "entente"); }));
    ws_.read_message_max(server_.options.max_body);
    // A view goes out as one frame, at once: with 4 KiB fragments and Nagle's
    // algorithm the second fragment waited for the client's delayed ACK
    // (about 40 ms a push; bench/README.md, the workshop room).
    ws_.auto_fragment(false);
    ws_.async_accept(req,
                     [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
  }

  const std::string& key() const { return key_; }

  void send(std::shared_ptr<const std::string> text) {
    if (closed_) return;
    if (queue_.size() >= 64) {  // a client that does not read: let it go
      close(websocket::close_code::policy_error);
      return;
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) write();
  }

  void close(websocket::close_code code) {
    if (closed_) return;
    closed_ = true;
    ws_.async_close(code, [self = shared_from_this()](beast::error_code) { self->finish(); });
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return finish();
    server_.sockets.insert(shared_from_this());
    const RoomRole role = role_;
    auto self = shared_from_this();
    net::post(server_.work_, [self, role, &server = server_] {
      server.room.connection(role, true);
      auto text = std::make_shared<const std::string>(json::serialize(server.room.view(role)));
      net::post(server.net_, [self, text] { self->send(text); });
    });
    read();
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    if (ec) return finish();
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!limit_.take()) {
      close(websocket::close_code::policy_error);  // far more than a person sends
      return;
    }
    json::parse_options po;
    po.max_depth = 16;
    boost::system::error_code jec;
    json::value body = json::parse(text, jec, {}, po);
    if (jec) {
      json::object e{{"type", "error"}, {"message", "not JSON: " + jec.message()}};
      send(std::make_shared<const std::string>(json::serialize(e)));
      return read();
    }
    auto self = shared_from_this();
    server_.request(role_, std::move(body), [self](const RoomReply& r) {
      self->send(std::make_shared<const std::string>(json::serialize(r.body)));
    });
    read();
  }

  void write() {
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->finish();
                      self->queue_.pop_front();
                      if (!self->queue_.empty() && !self->closed_) self->write();
                    });
  }

  void finish() {
    closed_ = true;
    auto self = shared_from_this();
    if (server_.sockets.erase(self) > 0) {
      const RoomRole role = role_;
      net::post(server_.work_, [role, &server = server_] { server.room.connection(role, false); });
    }
    if (!counted_off_) {
      counted_off_ = true;
      --server_.connections;
    }
  }

  RoomServer::Impl& server_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  RoomRole role_;
  std::string key_;
  RateLimit limit_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool closed_ = false;
  bool counted_off_ = false;
};

// ---------------------------------------------------------------------------
// HTTP connections

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(RoomServer::Impl& server, tcp::socket socket)
      : server_(server),
        stream_(std::move(socket)),
        limit_(server.options.rate_per_second, server.options.rate_burst) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options.max_body);
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header));
    stream_.expires_after(std::chrono::seconds(server_.options.idle_seconds));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return shut();
    if (ec == http::error::body_limit) {
      return send(response(
          http::status::payload_too_large,
          "request bodies are at most " + std::to_string(server_.options.max_body) + " bytes\n",
          "text/plain; charset=utf-8", 11, false));
    }
    if (ec == http::error::header_limit) {
      return send(response(http::status::request_header_fields_too_large, "headers too large\n",
                           "text/plain; charset=utf-8", 11, false));
    }
    if (ec) return shut();
    auto req = parser_->release();
    if (!limit_.take()) {
      return send(response(http::status::too_many_requests, "too many requests\n",
                           "text/plain; charset=utf-8", req.version(), false));
    }
    std::string_view token, rest;
    const std::optional<RoomRole> role =
        split_target(req.target(), token, rest) ? server_.room.role_of(token) : std::nullopt;
    const unsigned version = req.version();
    const bool keep = req.keep_alive();
    const auto plain = [&](http::status s, std::string text) {
      return response(s, std::move(text), "text/plain; charset=utf-8", version, keep);
    };
    if (!role) return send(plain(http::status::forbidden, "forbidden\n"));
    if (req.target().substr(0, 3 + token.size() + 1) != "/r/" + std::string(token) + "/") {
      // "/r/TOKEN" without its slash: the page's relative links need it.
      auto r = plain(http::status::permanent_redirect, "moved\n");
      r->set(http::field::location, "/r/" + std::string(token) + "/");
      return send(r);
    }
    if (websocket::is_upgrade(req)) {
      if (rest != "ws") return send(plain(http::status::not_found, "not found\n"));
      stream_.expires_never();
      handed_over_ = true;
      auto ws = std::make_shared<WsSession>(server_, stream_.release_socket(), *role);
      ws->start(std::move(req));
      return;
    }
    const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
    if (rest == "api") {
      if (req.method() != http::verb::post)
        return send(plain(http::status::method_not_allowed, "POST a JSON request here\n"));
      json::parse_options po;
      po.max_depth = 16;
      boost::system::error_code jec;
      json::value body = json::parse(req.body(), jec, {}, po);
      if (jec) {
        json::object e{{"type", "error"}, {"message", "not JSON: " + jec.message()}};
        return send(response(http::status::bad_request, json::serialize(e), "application/json",
                             version, keep));
      }
      auto self = shared_from_this();
      server_.request(*role, std::move(body), [self, version, keep](const RoomReply& r) {
        self->send(response(static_cast<http::status>(r.status), json::serialize(r.body),
                            "application/json", version, keep));
      });
      return;
    }
    if (!get) return send(plain(http::status::method_not_allowed, "method not allowed\n"));
    if (rest.empty()) {
      return send(response(http::status::ok, std::string(report_assets::room_html()),
                           "text/html; charset=utf-8", version, keep));
    }
    if (rest == "room.js" || rest == "echarts.min.js") {
      const std::string_view js =
          rest == "room.js" ? report_assets::room_js() : report_assets::echarts_js();
      return send(response(http::status::ok, std::string(js), "text/javascript; charset=utf-8",
                           version, keep));
    }
    if (rest == "room.css") {
      return send(response(http::status::ok, std::string(report_assets::room_css()),
                           "text/css; charset=utf-8", version, keep));
    }
    if (rest == "view" || rest == "debrief.md" || rest == "log.jsonl" || rest == "session.toml") {
      if (rest != "view" && role->kind != RoomRole::Kind::facilitator)
        return send(plain(http::status::forbidden, "forbidden\n"));
      auto self = shared_from_this();
      const std::string what(rest);
      const RoomRole who = *role;
      net::post(server_.work_, [self, what, who, version, keep, &server = server_] {
        std::shared_ptr<Response> r;
        try {
          if (what == "view") {
            r = response(http::status::ok, json::serialize(server.room.view(who)),
                         "application/json", version, keep);
          } else if (what == "session.toml") {
            try {
              r = response(http::status::ok, server.room.saved_scenario(),
                           "application/toml; charset=utf-8", version, keep);
              r->set(http::field::content_disposition, "attachment; filename=\"session.toml\"");
            } catch (const SessionError& e) {
              r = response(http::status::conflict, std::string(e.what()) + "\n",
                           "text/plain; charset=utf-8", version, keep);
            }
          } else if (what == "debrief.md") {
            r = response(http::status::ok, server.room.debrief(), "text/markdown; charset=utf-8",
                         version, keep);
            r->set(http::field::content_disposition, "attachment; filename=\"debrief.md\"");
          } else {
            std::string text, reason;
            if (!try_read_file(server.room.log_path(), text, reason)) text = "";
            r = response(http::status::ok, std::move(text), "application/x-ndjson", version, keep);
            r->set(http::field::content_disposition, "attachment; filename=\"log.jsonl\"");
          }
        } catch (const std::exception& e) {
          r = response(http::status::internal_server_error, std::string(e.what()) + "\n",
                       "text/plain; charset=utf-8", version, false);
        }
        net::post(server.net_, [self, r] { self->send(r); });
      });
      return;
    }
    return send(plain(http::status::not_found, "not found\n"));
  }

  void send(std::shared_ptr<Response> r) {
    http::async_write(stream_, *r,
                      [self = shared_from_this(), r](beast::error_code ec, std::size_t) {
                        if (ec || !r->keep_alive()) return self->shut();
                        self->read();
                      });
  }

  void shut() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

 public:
  ~HttpSession() {
    if (!handed_over_) --server_.connections;
  }

 private:
  RoomServer::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  RateLimit limit_;
  bool handed_over_ = false;
};

// ---------------------------------------------------------------------------

void RoomServer::Impl::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (!ec) {
      if (connections >= options.max_connections) {
        // Over the cap: a short 503, then the socket closes.
        auto r = response(http::status::service_unavailable, "too many connections\n",
                          "text/plain; charset=utf-8", 11, false);
        auto s = std::make_shared<tcp::socket>(std::move(socket));
        http::async_write(*s, *r, [s, r](beast::error_code, std::size_t) {
          beast::error_code e;
          s->shutdown(tcp::socket::shutdown_both, e);
        });
      } else {
        ++connections;
        beast::error_code nodelay;
        socket.set_option(tcp::no_delay(true), nodelay);  // small answers go out at once
        std::make_shared<HttpSession>(*this, std::move(socket))->start();
      }
    }
    accept();
  });
}

void RoomServer::Impl::schedule_tick() {
  tick_.expires_after(std::chrono::milliseconds(500));
  tick_.async_wait([this](beast::error_code ec) {
    if (ec || stopping) return;
    net::post(work_, [this] {
      if (room.timer_expired().changed) broadcast();
    });
    schedule_tick();
  });
}

void RoomServer::Impl::broadcast() {
  // Only the roles whose view changed: a team's draft changes nothing the
  // projector sees.
  auto views = std::make_shared<std::map<std::string, std::shared_ptr<const std::string>>>();
  for (auto& [key, text] : room.views()) {
    std::string& last = last_pushed[key];
    if (text == last) continue;
    last = text;
    (*views)[key] = std::make_shared<const std::string>(std::move(text));
  }
  if (views->empty()) return;
  net::post(net_, [this, views] {
    for (const auto& s : std::vector<std::shared_ptr<WsSession>>(sockets.begin(), sockets.end())) {
      const auto it = views->find(s->key());
      if (it != views->end()) s->send(it->second);
    }
  });
}

template <class Done>
void RoomServer::Impl::request(const RoomRole& role, json::value body, Done done) {
  net::post(work_, [this, role, body = std::move(body), done = std::move(done)]() mutable {
    RoomReply r;
    try {
      r = room.handle(role, body);
    } catch (const std::exception& e) {
      r.ok = false;
      r.status = 500;
      r.body =
          json::object{{"type", "error"}, {"message", std::string("internal error: ") + e.what()}};
    }
    auto reply = std::make_shared<RoomReply>(std::move(r));
    net::post(net_, [reply, done = std::move(done)] { done(*reply); });
    if (reply->changed) broadcast();
  });
}

RoomServer::RoomServer(Room& room, ServerOptions options)
    : impl_(std::make_unique<Impl>(room, std::move(options))) {
  Impl& s = *impl_;
  beast::error_code ec;
  const auto address = net::ip::make_address(s.options.host, ec);
  if (ec) throw std::runtime_error("--host " + s.options.host + " is not an IP address");
  const tcp::endpoint at(address, static_cast<unsigned short>(s.options.port));
  s.acceptor_.open(at.protocol(), ec);
  if (!ec) s.acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor_.bind(at, ec);
  if (!ec) s.acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + s.options.host + ":" +
                             std::to_string(s.options.port) + ": " + ec.message());
  }
  s.port = s.acceptor_.local_endpoint().port();
  net::post(s.work_, [&s] {
    s.room.note_address(s.options.host, s.port);
    // Every connection gets the view of the moment when it opens; a push
    // follows only a change from there.
    s.last_pushed = s.room.views();
  });
}

RoomServer::~RoomServer() {
  stop();
  impl_->work_.join();
  impl_->sockets.clear();
}

int RoomServer::port() const {
  return impl_->port;
}

std::string RoomServer::url(const std::string& role_key) const {
  std::string host = impl_->options.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(impl_->port) + "/r/" +
         impl_->room.tokens().at(role_key) + "/";
}

void RoomServer::run() {
  impl_->accept();
  impl_->schedule_tick();
  impl_->net_.run();
}

void RoomServer::stop() {
  net::post(impl_->net_, [s = impl_.get()] {
    s->stopping = true;
    beast::error_code ec;
    s->acceptor_.close(ec);
    s->tick_.cancel();
    s->net_.stop();
  });
}

}  // namespace entente
