// What the fuzzers check, shared by the libFuzzer harnesses (fuzz_*.cpp) and
// the regression test that replays every input that ever failed
// (tests/cli/test_fuzz_regressions.cpp). A body returns normally for any input; a
// crash, a sanitizer report or a violated invariant (abort) is a finding.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "entente/model/simulation.hpp"
#include "entente/scenario/scenario_io.hpp"
#include "entente/util/diagnostics.hpp"

namespace entente::fuzz {

inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

// Bytes as a scenario file: it loads or is refused with an InputError; if it
// loads, `show` reloads to the same scenario, and a few steps keep every value
// finite and in range.
inline void scenario_bytes(std::string_view text) {
  LoadedScenario loaded;
  try {
    loaded = load_scenario_text(text, "fuzz.toml", {}, "tests/fuzz/no-such-dir");
  } catch (const InputError&) {
    return;
  }
  Scenario s = loaded.scenario;
  require(load_scenario_text(to_toml(s), "shown.toml").scenario == s, "show round trip");
  if (s.actors.size() > 24 || s.axes.size() > 8 || s.issues.size() > 8) return;  // keep runs quick
  s.steps = std::min(s.steps, 4);
  const Model model = compile(s);
  Simulation sim(model, 0, true);
  for (int t = 0; t < s.steps; ++t) {
    sim.advance();
    const State& st = sim.state();
    require(st.x.allFinite() && st.R.allFinite(), "finite state");
    require((st.x.array().abs() <= 1.0).all() && (st.R.array().abs() <= 1.0).all(),
            "state in range");
  }
}

// A fixed small scenario for the expression fuzzer.
inline constexpr std::string_view kExpressionScenario = R"(
[scenario]
name = "expressions"
steps = 3
[[axes]]
id = "orientation"
[[actors]]
id = "ARM"
power = 1
position = { orientation = 0.1 }
[[actors]]
id = "RUS"
power = 2
position = { orientation = -0.5 }
[[institutions]]
id = "CSTO"
members = { ARM = 0.2, RUS = 1 }
[[issues]]
id = "corridor"
options = ["closed", "open"]
[[events]]
id = "e"
step = 2
affinity = [ { from = "RUS", to = "ARM", delta = -0.1 } ]
)";

// Bytes as a `when` condition (first byte even) or as a `--set` argument
// (first byte odd): parsed or refused with a located error, never a crash.
inline void expression_bytes(std::string_view bytes) {
  if (bytes.empty()) return;
  const bool as_condition = (static_cast<unsigned char>(bytes[0]) & 1u) == 0;
  const std::string_view text = bytes.substr(1);
  static const Scenario base = load_scenario_text(kExpressionScenario, "expressions.toml").scenario;
  if (as_condition) {
    try {
      const Condition c = parse_condition(text, base);
      require(!c.empty(), "a parsed condition has a root");
    } catch (const SyntaxError& e) {
      require(e.offset() <= text.size(), "error offset inside the text");
    }
    return;
  }
  try {
    const Override o = parse_override(text);
    const std::vector<Override> overrides{o};
    const LoadedScenario loaded =
        load_scenario_text(kExpressionScenario, "expressions.toml", overrides);
    require(load_scenario_text(to_toml(loaded.scenario), "shown.toml").scenario == loaded.scenario,
            "show round trip with override");
  } catch (const InputError&) {
  }
}

}  // namespace entente::fuzz
