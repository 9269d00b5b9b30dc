#include "atlas/geo/accessibility.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "atlas/geo/spatial_index.hpp"

namespace atlas {
namespace {

TEST(GaussianDecay, EndsAndMiddle) {
    EXPECT_DOUBLE_EQ(gaussian_decay(0, 2000), 1.0);
    EXPECT_NEAR(gaussian_decay(2000, 2000), 0.0, 1e-15);
    EXPECT_EQ(gaussian_decay(2000.001, 2000), 0.0);
    // (exp(-1/8) - exp(-1/2)) / (1 - exp(-1/2)), evaluated by hand to 16 digits.
    EXPECT_NEAR(gaussian_decay(1000, 2000), 0.7013665732390044, 1e-12);
}

// Two demand points and two services on a line, d0 = 2000 m:
//   A (0, 0) 100 residents, B (1000, 0) 50 residents; S1 at A capacity 1, S2 at (3000, 0)
//   capacity 2.
// S1 reaches A (G = 1) and B (G = g = 0.70137): R1 = 1 / (100 + 50 g).
// S2 reaches B only at exactly d0 (G = 0) and A not at all: nobody, so R2 = 0.
// Access: A = R1, B = R1 g.
TEST(MeasureAccess, HandComputedE2sfca) {
    AccessInput in;
    in.demand_points = {{0, 0}, {1000, 0}};
    in.demand = {100, 50};
    in.supply_points = {{0, 0}, {3000, 0}};
    in.capacity = {1, 2};
    in.catchment_m = 2000;
    const AccessResult r = measure_access(in);
    EXPECT_NEAR(r.supply_ratio[0], 0.007403660131923345, 1e-9);
    EXPECT_EQ(r.supply_ratio[1], 0.0);
    EXPECT_NEAR(r.e2sfca[0], 0.007403660131923345, 1e-9);
    EXPECT_NEAR(r.e2sfca[1], 0.0051926797361533114, 1e-9);
    EXPECT_DOUBLE_EQ(r.nearest_m[0], 0);
    EXPECT_DOUBLE_EQ(r.nearest_m[1], 1000);
}

TEST(MeasureAccess, NoSupplyMeansInfiniteDistanceAndZeroAccess) {
    AccessInput in;
    in.demand_points = {{0, 0}};
    in.demand = {10};
    const AccessResult r = measure_access(in);
    EXPECT_TRUE(std::isinf(r.nearest_m[0]));
    EXPECT_EQ(r.e2sfca[0], 0.0);
}

// E2SFCA conserves supply: every service's capacity is handed out in full to the demand it
// reaches, so sum_i P_i A_i = sum of capacities of services that reach anybody.
TEST(MeasureAccess, SupplyIsConservedAndNearestMatchesBruteForce) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> coord(0, 20000), people(0, 50);
    AccessInput in;
    for (int i = 0; i < 20000; ++i) {
        in.demand_points.push_back({coord(rng), coord(rng)});
        in.demand.push_back(people(rng));
    }
    for (int j = 0; j < 150; ++j) {
        in.supply_points.push_back({coord(rng), coord(rng)});
        in.capacity.push_back(1 + j % 3);
    }
    in.catchment_m = 1500;
    const AccessResult r = measure_access(in);
    double handed_out = 0, offered = 0;
    for (std::size_t i = 0; i < in.demand.size(); ++i) handed_out += in.demand[i] * r.e2sfca[i];
    for (std::size_t j = 0; j < in.capacity.size(); ++j)
        offered += r.supply_ratio[j] > 0 ? in.capacity[j] : 0;
    EXPECT_NEAR(handed_out, offered, offered * 1e-9);
    for (std::size_t i = 0; i < in.demand_points.size(); i += 97) {
        double best = std::numeric_limits<double>::infinity();
        for (const auto& s : in.supply_points) {
            best = std::min(best,
                            std::hypot(s.x - in.demand_points[i].x, s.y - in.demand_points[i].y));
        }
        EXPECT_DOUBLE_EQ(r.nearest_m[i], best);
    }
}

TEST(PointIndex, WithinIsInclusiveAndExact) {
    const PointIndex index({{0, 0}, {3, 4}, {6, 8}});
    std::vector<std::size_t> hits;
    index.within({0, 0}, 5, [&](const PointIndex::Hit& h) { hits.push_back(h.index); });
    std::sort(hits.begin(), hits.end());
    EXPECT_EQ(hits, (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(index.nearest({5.9, 8.1})->index, 2u);
    EXPECT_FALSE(PointIndex({}).nearest({0, 0}).has_value());
}

}  // namespace
}  // namespace atlas
