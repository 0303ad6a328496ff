#include "entente/model/step.hpp"

namespace entente {

std::vector<std::string> affinity_driver_names(const Scenario& s) {
  std::vector<std::string> names{"balance", "similarity", "institutions", "interdependence"};
  for (const auto& q : s.issues) names.push_back("stakes:" + q.id);
  names.insert(names.end(), {"memory", "noise", "clip"});
  return names;
}

std::vector<std::string> position_driver_names(const Scenario& s) {
  std::vector<std::string> names;
  for (const auto& a : s.actors) names.push_back("influence:" + a.id);
  names.insert(names.end(), {"anchoring", "noise", "clip"});
  return names;
}

}  // namespace entente
