// What the room's sources share (engine/room/): small helpers for messages.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "entente/workshop/play.hpp"

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

}  // namespace entente
