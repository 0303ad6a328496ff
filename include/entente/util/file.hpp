// Reading a whole input file: the one place that opens a file, checks what
// it is, and says why it cannot be read.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

namespace entente {

// The bytes of `path`, whole. Refuses, with a reason for people, anything
// that is not a regular file (a directory, a FIFO or a device could block
// or never end) and any file larger than `max_bytes` (a reason of the
// form "larger than 16 MiB" names the limit). Returns false and sets
// `reason` ("no such file", "it is a directory", "not a regular file",
// the system's message …) instead of throwing.
bool try_read_file(const std::filesystem::path& path, std::string& out, std::string& reason,
                   std::uintmax_t max_bytes = std::numeric_limits<std::uintmax_t>::max());

// The same, throwing InputError `PATH: error: cannot read it: REASON` (the
// place is the whole file), with `what` added to the message when given,
// e.g. "cannot read it (is this an `entente run` output?): no such file".
std::string read_file(const std::filesystem::path& path, const std::string& what = "",
                      std::uintmax_t max_bytes = std::numeric_limits<std::uintmax_t>::max());

}  // namespace entente
