// What the wide code (engine/model/step_wide.cpp, engine/model/noise_wide.cpp)
// is compiled for, and how a StepIsa picks a target's copy of a function.
// Each of those files includes it first, before <hwy/foreach_target.h>.
//
// Targets: the static baseline (always compiled, unused: the portable code
// is the fallback), AVX2, AVX-512 (AVX3) and NEON; not SSSE3/SSE4 (SSE2's
// packed doubles are what the portable code already uses) nor SVE.
#pragma once

#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS \
  (HWY_SSSE3 | HWY_SSE4 | HWY_AVX3_DL | HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128)
#endif
#include <hwy/detect_compiler_arch.h>
#include <hwy/detect_targets.h>

// In a HWY_ONCE section: the body of a function of StepIsa `isa` that
// returns the address of `function` as compiled for the target `isa` names,
// or null where this build has no such copy.
#if (HWY_TARGETS & HWY_AVX2) && HWY_ARCH_X86
#define ENTENTE_WIDE_CASE_AVX2(function) \
  case StepIsa::avx2:                    \
    return &N_AVX2::function;
#else
#define ENTENTE_WIDE_CASE_AVX2(function)
#endif
#if (HWY_TARGETS & HWY_AVX3) && HWY_ARCH_X86
#define ENTENTE_WIDE_CASE_AVX3(function) \
  case StepIsa::avx512:                  \
    return &N_AVX3::function;
#else
#define ENTENTE_WIDE_CASE_AVX3(function)
#endif
#if (HWY_TARGETS & HWY_NEON) && HWY_ARCH_ARM
#define ENTENTE_WIDE_CASE_NEON(function) \
  case StepIsa::neon:                    \
    return &N_NEON::function;
#else
#define ENTENTE_WIDE_CASE_NEON(function)
#endif
#define ENTENTE_WIDE_KERNEL(isa, function) \
  switch (isa) {                           \
    ENTENTE_WIDE_CASE_AVX2(function)       \
    ENTENTE_WIDE_CASE_AVX3(function)       \
    ENTENTE_WIDE_CASE_NEON(function)       \
    default:                               \
      return nullptr;                      \
  }
