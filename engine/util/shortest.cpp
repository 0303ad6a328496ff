// Shortest round-trip doubles: Dragonbox's digits (fmt::detail::dragonbox,
// libfmt 9, header-only), laid out the way libstdc++'s std::to_chars lays out
// Ryu's. The choice of notation follows [charconv.to.chars]: the shorter of
// fixed and scientific, fixed when they are as long.
#include "util/shortest.hpp"

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cstring>

namespace entente::detail {

namespace {

// "00" "01" … "99": two digits per table look-up.
constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// clang-format off
constexpr std::uint64_t kPow10[] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
    100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
    10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL};
// clang-format on

// Decimal digits of v > 0: 1 … 20.
int digit_count(std::uint64_t v) {
  const int bits = 64 - std::countl_zero(v | 1);
  const int guess = (bits * 1233) >> 12;  // ⌊bits · log10 2⌋, one too small at most
  return guess + (v >= kPow10[guess] ? 1 : 0);
}

void write_pair(char* out, std::uint32_t v) {
  std::memcpy(out, kDigitPairs + static_cast<std::size_t>(v) * 2, 2);
}

std::uint64_t pair_bytes(std::uint32_t v) {
  std::uint16_t p;
  std::memcpy(&p, kDigitPairs + static_cast<std::size_t>(v) * 2, 2);
  return p;
}

// The 8 digits of v < 10^8 (zero-padded) as the bytes of one word, the first
// digit in the lowest byte: four independent table look-ups, one store.
static_assert(std::endian::native == std::endian::little);
std::uint64_t digits8(std::uint32_t v) {
  const std::uint32_t hi = v / 10000, lo = v % 10000;
  return pair_bytes(hi / 100) | pair_bytes(hi % 100) << 16 | pair_bytes(lo / 100) << 32 |
         pair_bytes(lo % 100) << 48;
}

void store8(char* out, std::uint64_t word) {
  std::memcpy(out, &word, 8);
}

// Writes the n digits of v at out … out + n − 1 in whole words: it may store
// up to 8 bytes past out + n (the caller's room). A word's leading zeros are
// shifted out rather than copied past, so nothing is read back from memory
// just written (which would stall store-to-load forwarding).
void write_digits(char* out, std::uint64_t v, int n) {
  if (n <= 8) {
    store8(out, digits8(static_cast<std::uint32_t>(v)) >> (8 * (8 - n)));
  } else if (n <= 16) {
    store8(out, digits8(static_cast<std::uint32_t>(v / 100000000)) >> (8 * (16 - n)));
    store8(out + n - 8, digits8(static_cast<std::uint32_t>(v % 100000000)));
  } else {
    const std::uint64_t rest = v % 10000000000000000ULL;
    out[0] = static_cast<char>('0' + v / 10000000000000000ULL);
    store8(out + 1, digits8(static_cast<std::uint32_t>(rest / 100000000)));
    store8(out + 9, digits8(static_cast<std::uint32_t>(rest % 100000000)));
  }
}

}  // namespace

char* write_uint(char* out, std::uint64_t v) noexcept {
  const int n = v == 0 ? 1 : digit_count(v);
  if (n > 16) return std::to_chars(out, out + 20, v).ptr;
  write_digits(out, v, n);  // stores up to out + 16
  return out + n;
}

char* write_shortest(char* out, double v) noexcept {
  if (v == 0.0) {  // and -0.0
    *out = '0';
    return out + 1;
  }
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(v);
  if ((bits & 0x7ff0000000000000ULL) == 0x7ff0000000000000ULL) {  // inf, NaN
    return std::to_chars(out, out + kShortestMaxChars, v).ptr;
  }
  const auto dec = fmt::detail::dragonbox::to_decimal(v);
  const std::uint64_t sig = dec.significand;  // < 10^17, no trailing zeros
  const int e = dec.exponent;                 // v = ±sig · 10^e
  if (e > 0) {
    // A whole number ending in zeros. libstdc++ prints the exact integer
    // when fixed wins (as printf's %.0f), not the shortest digits padded
    // with zeros; rare in outputs, so its own code does it.
    return std::to_chars(out, out + kShortestMaxChars, v).ptr;
  }
  *out = '-';  // kept only for negative numbers: no branch on the sign
  out += bits >> 63;

  const int n = digit_count(sig);
  const int sci_exponent = e + n - 1;
  const int abs_exponent = sci_exponent < 0 ? -sci_exponent : sci_exponent;
  const int sci_length = (n == 1 ? 1 : n + 1) + 2 + (abs_exponent >= 100 ? 3 : 2);
  const int point = n + e;  // digits before the decimal point, when > 0
  const int fixed_length = e == 0 ? n : (point > 0 ? n + 1 : 2 - e);
  if (fixed_length <= sci_length) {
    if (e == 0) {  // 123
      write_digits(out, sig, n);
      return out + n;
    }
    if (point > 0) {  // 12.345: the digits, then the integer part moved left
      write_digits(out + 1, sig, n);
      std::memmove(out, out + 1, static_cast<std::size_t>(point));
      out[point] = '.';
      return out + n + 1;
    }
    // 0.00123: at most 3 zeros after the point, else scientific is shorter
    std::memcpy(out, "0.000000", 8);
    write_digits(out + 2 - point, sig, n);
    return out + 2 - point + n;
  }
  // d.ddde±XX
  write_digits(out + 1, sig, n);
  out[0] = out[1];
  out[1] = '.';
  char* p = out + (n == 1 ? 1 : n + 1);
  *p++ = 'e';
  *p++ = sci_exponent < 0 ? '-' : '+';
  if (abs_exponent >= 100) {
    *p++ = static_cast<char>('0' + abs_exponent / 100);
  }
  write_pair(p, static_cast<std::uint32_t>(abs_exponent % 100));
  return p + 2;
}

}  // namespace entente::detail
