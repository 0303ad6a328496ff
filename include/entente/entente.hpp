// Everything entente offers to a program that embeds it: one include.
//   #include <entente/entente.hpp>
// (examples/embed/main.cpp shows a small ensemble in about thirty lines.)
#pragma once

#include "entente/analyze.hpp"
#include "entente/blocs.hpp"
#include "entente/compare.hpp"
#include "entente/condition.hpp"
#include "entente/date.hpp"
#include "entente/design.hpp"
#include "entente/diagnostics.hpp"
#include "entente/ensemble.hpp"
#include "entente/events.hpp"
#include "entente/model.hpp"
#include "entente/observable.hpp"
#include "entente/output.hpp"
#include "entente/play.hpp"
#include "entente/report.hpp"
#include "entente/review.hpp"
#include "entente/rng.hpp"
#include "entente/scenario.hpp"
#include "entente/scenario_io.hpp"
#include "entente/scenario_template.hpp"
#include "entente/simulation.hpp"
#include "entente/stability.hpp"
#include "entente/step.hpp"
#include "entente/summary.hpp"
#include "entente/sweep.hpp"
