// A growing text buffer for CSV rows, written through raw pointers: one
// bounds check per row instead of one std::string append per field.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <vector>

#include "util/shortest.hpp"

namespace entente::detail {

// Rows are written as
//
//   char* p = text.room(max_row_bytes);
//   p = put(p, prefix); p = write_shortest(p, v); *p++ = '\n';
//   text.done(p);
//
// room(n) guarantees n writable bytes at the end; done(p) moves the end to p.
// clear() keeps the capacity, so a buffer reused run after run stops
// allocating once it has seen its largest run. Throws std::bad_alloc.
class RowText {
 public:
  char* room(std::size_t n) {
    if (size_ + n > bytes_.size()) bytes_.resize(std::max(size_ + n, 2 * bytes_.size()));
    return bytes_.data() + size_;
  }
  void done(const char* end) { size_ = static_cast<std::size_t>(end - bytes_.data()); }
  void clear() { size_ = 0; }
  std::string_view view() const { return {bytes_.data(), size_}; }
  std::size_t size() const { return size_; }

 private:
  std::vector<char> bytes_;
  std::size_t size_ = 0;
};

inline char* put(char* out, std::string_view s) {
  std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

// Room for one double with its separator.
inline constexpr std::size_t kNumberRoom = kShortestMaxChars + 1;

}  // namespace entente::detail
