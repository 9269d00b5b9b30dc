#include "atlas/geo/location_planning.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace atlas {
namespace {

// Three houses in a row 1 km apart, radius 600 m: a site between two houses covers both.
TEST(LocationPlanning, HandSizedCoverPicksTheSiteBetweenTwoHouses) {
    const std::vector<DemandPoint> demand = {{{0, 0}, 10}, {{1000, 0}, 20}, {{2000, 0}, 5}};
    const std::vector<SiteCandidate> sites = {
        {"a", "A", {0, 0}, {}}, {"ab", "AB", {500, 0}, {}}, {"c", "C", {2000, 0}, {}}};
    const CoverSolution one = max_cover_exact(demand, sites, 1, 600);
    ASSERT_EQ(one.chosen.size(), 1u);
    EXPECT_EQ(one.chosen[0], 1u);  // 10 + 20
    EXPECT_DOUBLE_EQ(one.covered, 30);
    EXPECT_TRUE(one.optimal);
    const CoverSolution two = max_cover_exact(demand, sites, 2, 600);
    EXPECT_DOUBLE_EQ(two.covered, 35);
    ASSERT_EQ(two.gains.size(), 2u);
    EXPECT_DOUBLE_EQ(two.gains[0], 30);  // the larger gain first
    EXPECT_DOUBLE_EQ(two.gains[1], 5);
    // "A" reaches a subset of what "AB" reaches: pruned before the solver sees it.
    EXPECT_EQ(two.candidates_used, 2u);
}

// The integer program's optimum equals brute force over every k-subset; greedy lies between
// (1 - 1/e) of it and it, and the LP bound above it.
TEST(LocationPlanning, ExactEqualsBruteForceAndGreedyStaysWithinTheBound) {
    std::mt19937 random(20261203);
    std::uniform_real_distribution<double> coordinate(0, 5000), weight(1, 100);
    for (int round = 0; round < 25; ++round) {
        std::vector<DemandPoint> demand(60);
        for (auto& d : demand) d = {{coordinate(random), coordinate(random)}, weight(random)};
        std::vector<SiteCandidate> sites(12);
        for (std::size_t i = 0; i < sites.size(); ++i)
            sites[i] = {std::to_string(i), "", {coordinate(random), coordinate(random)}, {}};
        const std::size_t k = 1 + round % 4;
        const double radius = 900 + 40 * round;
        double best = 0;
        const std::size_t n = sites.size();
        for (unsigned mask = 0; mask < (1u << n); ++mask) {
            if (static_cast<std::size_t>(__builtin_popcount(mask)) != k) continue;
            std::vector<std::size_t> chosen;
            for (std::size_t i = 0; i < n; ++i)
                if (mask & (1u << i)) chosen.push_back(i);
            best = std::max(best, covered_weight(demand, sites, chosen, radius));
        }
        const CoverSolution exact = max_cover_exact(demand, sites, k, radius);
        const CoverSolution quick = max_cover_greedy(demand, sites, k, radius);
        EXPECT_TRUE(exact.optimal) << round;
        EXPECT_NEAR(exact.covered, best, 1e-6) << round;
        EXPECT_NEAR(covered_weight(demand, sites, exact.chosen, radius), exact.covered, 1e-6);
        EXPECT_LE(exact.chosen.size(), k);
        EXPECT_LE(quick.covered, exact.covered + 1e-6) << round;
        EXPECT_GE(quick.covered, (1 - 1 / std::exp(1.0)) * exact.covered - 1e-6) << round;
        EXPECT_GE(quick.lp_bound, exact.covered - 1e-6) << round;
        EXPECT_NEAR(covered_weight(demand, sites, quick.chosen, radius), quick.covered, 1e-6);
    }
}

TEST(LocationPlanning, NothingToCoverGivesNoSites) {
    const std::vector<SiteCandidate> sites = {{"a", "A", {0, 0}, {}}};
    const CoverSolution none = max_cover_exact({{{5000, 0}, 10}}, sites, 2, 100);
    EXPECT_TRUE(none.chosen.empty());
    EXPECT_DOUBLE_EQ(none.covered, 0);
}

}  // namespace
}  // namespace atlas
