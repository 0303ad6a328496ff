// Which instruction-set path the step takes (detail::StepIsa): the portable
// code, or at N = 7 the AVX-512 kernel of engine/model/step_wide.cpp, which gives
// the same bits. Chosen once per process from the CPU and ENTENTE_ISA;
// tests and benchmarks may force it.
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "model/balance_products.hpp"
#include "model/step_parts.hpp"

namespace entente::detail {

StepIsa supported_step_isa() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // The wide step reproduces the portable N = 7 products only where those
  // are the in-order loop (the baseline SSE2 build without FMA).
  static const bool wide = [] {
    __builtin_cpu_init();  // in case this runs before the CPU model's constructor
    return __builtin_cpu_supports("avx512f") && product_path(7) == ProductPath::sequential;
  }();
  return wide ? StepIsa::avx512 : StepIsa::baseline;
#else
  return StepIsa::baseline;
#endif
}

namespace {

std::atomic<StepIsa>& selected_isa() {
  static std::atomic<StepIsa> isa{[] {
    const char* env = std::getenv("ENTENTE_ISA");
    if (env && std::strcmp(env, "baseline") == 0) return StepIsa::baseline;
    return supported_step_isa();
  }()};
  return isa;
}

}  // namespace

StepIsa step_isa() {
  return selected_isa().load(std::memory_order_relaxed);
}

void set_step_isa(StepIsa isa) {
  if (isa == StepIsa::avx512 && supported_step_isa() != StepIsa::avx512)
    throw std::invalid_argument("set_step_isa: this CPU (or build) has no AVX-512 step");
  selected_isa().store(isa, std::memory_order_relaxed);
}

const char* step_isa_name(StepIsa isa) {
  return isa == StepIsa::avx512 ? "avx512" : "baseline";
}

}  // namespace entente::detail
