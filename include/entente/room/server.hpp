// The server of `entente serve`: HTTP and WebSocket (Boost.Beast) in front of
// a Room. One network thread carries bytes; one worker thread owns the Room
// (requests, the engine's look-ahead, views), so a slow turn never stalls
// the sockets. Every request is authenticated by the token in its URL; sizes,
// rates and connections are bounded (docs/workshops.md "Running a room").
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "entente/room/room.hpp"

namespace entente {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                   // 0: any free port
  std::size_t max_body = 64 * 1024;  // request bodies and WebSocket messages
  std::size_t max_header = 8 * 1024;
  int max_connections = 128;      // HTTP and WebSocket together
  double rate_per_second = 20.0;  // requests per connection, sustained
  double rate_burst = 60.0;       // and in a burst
  int idle_seconds = 60;          // an HTTP connection idle this long is closed
};

class RoomServer {
 public:
  // Binds and listens (throws std::runtime_error with the reason when it
  // cannot, e.g. the port is taken); logs the address in the room's log.
  RoomServer(Room& room, ServerOptions options);
  ~RoomServer();
  RoomServer(const RoomServer&) = delete;
  RoomServer& operator=(const RoomServer&) = delete;

  int port() const;
  // "http://HOST:PORT/r/TOKEN/" for a role key of Room::tokens().
  std::string url(const std::string& role_key) const;
  // Serves until stop() (from any thread or a signal handler's thread).
  void run();
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace entente
