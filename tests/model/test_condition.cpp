// The `when` grammar of MODEL.md §3 and observables of §5.1: what parses, how
// it evaluates, and where errors point.
#include <gtest/gtest.h>

#include "entente/model/condition.hpp"
#include "entente/model/model.hpp"
#include "entente/util/diagnostics.hpp"
#include "support.hpp"

namespace entente {
namespace {

Scenario named() {
  Scenario s = testing::make_scenario(3, 1);
  s.actors[0].id = "ARM";
  s.actors[1].id = "RUS";
  s.actors[2].id = "AZE";
  s.axes[0].id = "orientation";
  s.institutions.push_back({"CSTO", "CSTO", 1.0, {0.2, 1.0, 0.0}});
  s.issues.push_back(
      {"corridor", "corridor", {"closed", "third_party"}, 0, {1, 1, 1}, {{0, 0}, {0, 0}, {0, 0}}});
  s.affinity[0][1] = -0.4;
  s.actors[0].position = {0.3};
  return s;
}

bool holds(const std::string& text) {
  const Scenario s = named();
  const Model m = compile(s);
  const State st = initial_state(m);
  const Condition c = parse_condition(text, s);
  return evaluate(c, c.root(), [&](const Observable& o) { return observe(m, st, o); });
}

std::size_t error_offset(const std::string& text, std::string* message = nullptr) {
  try {
    parse_condition(text, named());
  } catch (const SyntaxError& e) {
    if (message) *message = e.what();
    return e.offset();
  }
  ADD_FAILURE() << "no error for: " << text;
  return 0;
}

TEST(Condition, ComparisonsOfEveryKind) {
  EXPECT_TRUE(holds("affinity(ARM,RUS) < -0.3"));
  EXPECT_FALSE(holds("affinity(ARM,RUS) < -0.5"));
  EXPECT_TRUE(holds("affinity( ARM , RUS )<=-0.4"));
  EXPECT_TRUE(holds("position(ARM,orientation) > 0.29"));
  EXPECT_TRUE(holds("membership(ARM,CSTO) == 0.2"));
  EXPECT_TRUE(holds("membership(AZE,CSTO) != 0.2"));
  EXPECT_TRUE(holds("step >= 0"));
  EXPECT_TRUE(holds("regime(corridor) == closed"));
  EXPECT_FALSE(holds("regime(corridor) != closed"));
  EXPECT_TRUE(holds("bloc(ARM) == A"));
  EXPECT_TRUE(holds("weight(ARM,RUS) == 1"));
  EXPECT_TRUE(holds("interdependence(ARM,RUS) == 0"));
  // x = (0.3, 0, 0): four ordered pairs differ by 0.3, two by 0: 1.2 / 6 = 0.2.
  EXPECT_TRUE(holds("polarization(orientation) > 0.19 and polarization(orientation) < 0.21"));
}

TEST(Condition, AndBindsTighterThanOr) {
  // false and false or true → (false and false) or true → true
  EXPECT_TRUE(holds("step > 5 and step > 6 or step == 0"));
  // false and (false or true) → false
  EXPECT_FALSE(holds("step > 5 and (step > 6 or step == 0)"));
  EXPECT_TRUE(holds("((step == 0))"));
}

TEST(Condition, ErrorsPointAtTheOffendingCharacter) {
  std::string msg;
  EXPECT_EQ(error_offset("afinity(ARM,RUS) < 0", &msg), 0u);
  EXPECT_EQ(msg, "unknown observable 'afinity' (did you mean 'affinity'?)");
  EXPECT_EQ(error_offset("affinity(ARM,RSU) < 0", &msg), 13u);
  EXPECT_EQ(msg, "unknown actor 'RSU' (did you mean 'RUS'?)");
  EXPECT_EQ(error_offset("affinity(ARM,RUS) =< 0", &msg), 18u);
  EXPECT_EQ(msg, "expected a comparison (< <= > >= == !=)");
  EXPECT_EQ(error_offset("affinity(ARM,RUS) < x", &msg), 20u);
  EXPECT_EQ(msg, "expected a number after the comparison");
  EXPECT_EQ(error_offset("regime(corridor) == open", &msg), 20u);
  EXPECT_EQ(msg, "'open' is not a value of regime(corridor) (valid: closed, third_party)");
  EXPECT_EQ(error_offset("regime(corridor) < closed", &msg), 17u);
  EXPECT_EQ(error_offset("step > 1 and", &msg), 12u);
  EXPECT_EQ(error_offset("(step > 1", &msg), 9u);
  EXPECT_EQ(msg, "expected ')'");
  EXPECT_EQ(error_offset("step > 1 step < 3", &msg), 9u);
  EXPECT_EQ(error_offset("", &msg), 0u);
  EXPECT_EQ(error_offset("position(ARM,orientaton) > 0", &msg), 13u);
  EXPECT_EQ(msg, "unknown axis 'orientaton' (did you mean 'orientation'?)");
  EXPECT_EQ(error_offset("step > 1 and affinity(ARM, ARM) < 0", &msg), 13u);
  EXPECT_EQ(msg, "affinity needs two different actors");
}

TEST(Condition, DeepNestingIsRefusedNotOverflowed) {
  const std::string deep = std::string(100, '(') + "step > 0" + std::string(100, ')');
  std::string msg;
  EXPECT_EQ(error_offset(deep, &msg), 64u);
  EXPECT_EQ(msg, "parentheses nested too deeply (at most 64)");
}

TEST(Observable, CanonicalSpellingRoundTrips) {
  const Scenario s = named();
  for (const char* text :
       {"affinity(ARM,RUS)", "position(AZE,orientation)", "membership(ARM,CSTO)",
        "interdependence(RUS,AZE)", "weight(ARM,AZE)", "polarization(orientation)", "frustration",
        "step", "regime(corridor)", "bloc(AZE)"}) {
    EXPECT_EQ(to_string(parse_observable(text, s), s), text);
  }
  EXPECT_TRUE(parse_observable("bloc(ARM)", s).categorical());
  EXPECT_TRUE(parse_observable("frustration", s).needs_blocs());
  EXPECT_EQ(default_observables(s).size(), 3u + 6u);
}

}  // namespace
}  // namespace entente
