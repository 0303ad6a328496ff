// Which instruction set the step takes (detail::StepIsa): the portable code,
// or at N = 7 the wide kernel of engine/model/step_wide.cpp (Highway: AVX2, AVX-512,
// NEON), which gives the same bits. Chosen once per process from
// ENTENTE_ISA (default: the widest this CPU has); tests and benchmarks may
// force it.
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "model/step_parts.hpp"

namespace entente::detail {

StepIsa supported_step_isa() {
  for (const StepIsa isa : {StepIsa::avx512, StepIsa::avx2, StepIsa::neon}) {
    if (isa_available(isa)) return isa;
  }
  return StepIsa::baseline;
}

StepIsa parse_step_isa(std::string_view value) {
  if (value.empty() || value == "auto") return supported_step_isa();
  for (const StepIsa isa : {StepIsa::baseline, StepIsa::avx2, StepIsa::avx512, StepIsa::neon}) {
    if (value != step_isa_name(isa)) continue;
    if (!isa_available(isa)) {
      throw std::invalid_argument("ENTENTE_ISA: this CPU (or build) cannot run the '" +
                                  std::string(value) + "' step; the widest it has is '" +
                                  step_isa_name(supported_step_isa()) + "'");
    }
    return isa;
  }
  throw std::invalid_argument(
      "ENTENTE_ISA must be 'auto' (the widest the CPU has), 'baseline' "
      "(the portable step), 'avx2', 'avx512' or 'neon', not '" +
      std::string(value) + "'");
}

namespace {

std::atomic<StepIsa>& selected_isa() {
  // Throws (and is tried again at the next call) for a bad ENTENTE_ISA.
  static std::atomic<StepIsa> isa{[] {
    const char* env = std::getenv("ENTENTE_ISA");
    return parse_step_isa(env ? env : "");
  }()};
  return isa;
}

}  // namespace

StepIsa step_isa() {
  return selected_isa().load(std::memory_order_relaxed);
}

void set_step_isa(StepIsa isa) {
  if (!isa_available(isa)) {
    throw std::invalid_argument(std::string("set_step_isa: this CPU (or build) has no ") +
                                step_isa_name(isa) + " step");
  }
  selected_isa().store(isa, std::memory_order_relaxed);
}

const char* step_isa_name(StepIsa isa) {
  switch (isa) {
    case StepIsa::avx2:
      return "avx2";
    case StepIsa::avx512:
      return "avx512";
    case StepIsa::neon:
      return "neon";
    case StepIsa::baseline:
      break;
  }
  return "baseline";
}

}  // namespace entente::detail
