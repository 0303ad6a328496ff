// Forcing the step's instruction-set path in tests (engine/model/step_isa.cpp).
#pragma once

#include "model/step_parts.hpp"

namespace entente::testing {

// Forces the step's path for the life of the object, then restores it.
class ScopedStepIsa {
 public:
  explicit ScopedStepIsa(detail::StepIsa isa) { detail::set_step_isa(isa); }
  ~ScopedStepIsa() { detail::set_step_isa(saved_); }
  ScopedStepIsa(const ScopedStepIsa&) = delete;
  ScopedStepIsa& operator=(const ScopedStepIsa&) = delete;

 private:
  detail::StepIsa saved_ = detail::step_isa();
};

}  // namespace entente::testing
