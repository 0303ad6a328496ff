// What the room's sources share (engine/room/): small helpers for messages.
#pragma once

#include <boost/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "entente/workshop/play.hpp"
#include "util/format.hpp"

namespace entente {

// A team asked for what belongs to another actor: 403, not 400.
class OtherActor : public SessionError {
 public:
  using SessionError::SessionError;
};

inline std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// A number as messages print it: up to four decimals, no trailing zeros.
inline std::string detail_number(double v) {
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

inline constexpr std::size_t kMaxMessage = 2000;  // characters of a message or reason
inline constexpr std::size_t kMaxMoves = 64;      // ids in one order

inline std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// A string member of a request, or "" when absent; throws SessionError when
// it is there but not a string.
inline std::string string_member(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return "";
  if (!v->is_string()) throw SessionError(std::string("'") + key + "' must be a string");
  return std::string(v->as_string());
}

inline std::vector<std::string> id_list(const boost::json::object& o, const char* key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr)
    throw SessionError(std::string("'") + key + "' is missing (a list of move ids)");
  if (!v->is_array()) throw SessionError(std::string("'") + key + "' must be a list of move ids");
  const boost::json::array& a = v->as_array();
  if (a.size() > kMaxMoves)
    throw SessionError("at most " + std::to_string(kMaxMoves) + " moves in one order");
  std::vector<std::string> out;
  for (const boost::json::value& x : a) {
    if (!x.is_string())
      throw SessionError(std::string("'") + key + "' must hold move ids (strings)");
    out.emplace_back(x.as_string());
  }
  return out;
}

}  // namespace entente
