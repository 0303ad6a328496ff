#include "util/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace entente::detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto low = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = low(a[i - 1]) == low(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && low(a[i - 1]) == low(b[j - 2]) && low(a[i - 2]) == low(b[j - 1])) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::size_t best = std::numeric_limits<std::size_t>::max();
  std::string best_word;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best) {
      best = d;
      best_word = c;
    }
  }
  // Close enough to be a slip of the keyboard, and not a different word
  // altogether (no suggestion of 'A' for 'C').
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  return best <= limit && best < word.size() ? best_word : std::string();
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates,
                       std::size_t list_max) {
  if (candidates.empty()) return {};
  const std::string near = nearest(word, candidates);
  if (!near.empty()) return " (did you mean '" + near + "'?)";
  std::string s = " (valid: ";
  for (std::size_t i = 0; i < candidates.size() && i < list_max; ++i) {
    if (i > 0) s += ", ";
    s += candidates[i];
  }
  if (candidates.size() > list_max) s += ", …";
  return s + ")";
}

}  // namespace entente::detail
