#include "entente/util/file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "entente/util/diagnostics.hpp"

namespace entente {

namespace fs = std::filesystem;

namespace {

std::string size_words(std::uintmax_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

bool try_read_file(const fs::path& path, std::string& out, std::string& reason,
                   std::uintmax_t max_bytes) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    reason = "no such file";
    return false;
  }
  if (fs::is_directory(status)) {
    reason = "it is a directory";
    return false;
  }
  if (!fs::is_regular_file(status)) {
    reason = "not a regular file";
    return false;
  }
  if (fs::file_size(path, ec) > max_bytes) {
    reason = "larger than " + size_words(max_bytes);
    return false;
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    reason = errno != 0 ? std::strerror(errno) : "cannot open it";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    reason = errno != 0 ? std::strerror(errno) : "read error";
    return false;
  }
  out = std::move(buffer).str();
  return true;
}

std::string read_file(const fs::path& path, const std::string& what, std::uintmax_t max_bytes) {
  std::string text, reason;
  if (!try_read_file(path, text, reason, max_bytes)) {
    throw InputError({path.string(), 0, 0},
                     "cannot read it" + (what.empty() ? "" : " (" + what + ")") + ": " + reason);
  }
  return text;
}

}  // namespace entente
