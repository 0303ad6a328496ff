// Numbers as CSV text, fast (MODEL.md §6): the shortest round-trip form of a
// double, byte for byte what std::to_chars writes, and unsigned integers.
#pragma once

#include <cstdint>

namespace entente::detail {

// Room write_shortest needs at `out`: it writes at most 24 characters
// ("-2.2250738585072014e-308") and stores digits a word at a time, which may
// touch a few bytes beyond them (never past 24).
inline constexpr int kShortestMaxChars = 32;

// Writes `v` at `out` exactly as `std::to_chars(out, out + 32, v)` does (the
// shortest digits that read back to `v`, in the shorter of fixed and
// scientific notation, fixed on a tie: 0.1, -0.15, 1e-05, 0.001, 1e+22),
// except that negative zero is written as 0; returns the end. `out` must
// have kShortestMaxChars bytes of room. The digits come from Dragonbox
// (libfmt), about 1.3× faster than libstdc++'s Ryu on the outputs' numbers
// (bench_output's BM_ShortestDouble). Whole numbers ending in zeros (which
// libstdc++ writes exactly: 2^60 as 1152921504606846976, not
// 1152921504606847000), infinities and NaN are left to std::to_chars.
// tests/util/test_format.cpp checks the bytes against std::to_chars on 10^7
// random doubles and every boundary case. Throws nothing.
char* write_shortest(char* out, double v) noexcept;

// Writes `v` in decimal at `out`, which must have 20 bytes of room; returns
// the end. Throws nothing.
char* write_uint(char* out, std::uint64_t v) noexcept;

}  // namespace entente::detail
