#pragma once
// Where new offers would close the most gap: maximal covering location problem. Demand is the
// target group not yet within reach of an existing offer, candidates are sites the planner may
// choose (stops, cell centres, a supplied layer); k of them are picked so that as much of that
// demand as possible falls within the radius.
//
// Solved exactly as an integer program with COIN-OR CBC (city size, after aggregating demand
// points with the same candidate set and dropping dominated candidates), and by greedy with lazy
// evaluation, whose result is compared with the LP relaxation's bound so the user sees how far
// greedy can be from the optimum.

#include <cstddef>
#include <string>
#include <vector>

#include "atlas/geo/types.hpp"

namespace atlas {

struct DemandPoint {
    Point metric;
    double weight = 0;  // persons of the target group not yet within reach
};

struct SiteCandidate {
    std::string id;
    std::string name;
    Point metric;
    Point wgs84;
};

struct CoverSolution {
    std::vector<std::size_t> chosen;  // candidate indices, in the order of their gain
    std::vector<double> gains;        // marginal covered weight of each, in that order
    double covered = 0;               // total weight newly within reach
    double lp_bound = 0;              // no choice of k sites covers more (LP relaxation)
    bool optimal = false;             // proven optimal by CBC
    std::string method;               // "cbc" or "greedy"
    std::size_t demand_groups = 0;    // demand points after aggregation
    std::size_t candidates_used = 0;  // candidates after dominance pruning
};

// Greedy with lazy evaluation: (1 - 1/e)-approximate, fast at any size.
CoverSolution max_cover_greedy(const std::vector<DemandPoint>& demand,
                               const std::vector<SiteCandidate>& candidates, std::size_t k,
                               double radius_m);

// The exact optimum with CBC (falls back to greedy's answer, not proven, when CBC stops at its
// node limit without closing the gap).
CoverSolution max_cover_exact(const std::vector<DemandPoint>& demand,
                              const std::vector<SiteCandidate>& candidates, std::size_t k,
                              double radius_m);

// Weight within `radius_m` of at least one of the chosen candidates (for checks and tests).
double covered_weight(const std::vector<DemandPoint>& demand,
                      const std::vector<SiteCandidate>& candidates,
                      const std::vector<std::size_t>& chosen, double radius_m);

}  // namespace atlas
