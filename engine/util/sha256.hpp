// SHA-256 digests of input files, recorded in LoadedScenario::files and the
// run manifest.
#pragma once

#include <string>
#include <string_view>

namespace entente::detail {

// The lower-case hex SHA-256 digest of `bytes` (64 characters). Throws
// std::runtime_error if OpenSSL fails.
std::string sha256_hex(std::string_view bytes);

}  // namespace entente::detail
