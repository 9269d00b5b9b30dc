#include "atlas/geo/coverage.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "atlas/geo/accessibility.hpp"
#include "atlas/geo/crs.hpp"
#include "support.hpp"

namespace atlas {
namespace {

// Three districts on a line (metric coordinates), one cell each except A with two:
//   A: cell (0,0) 100 residents / 10 target, cell (1000,0) 200 / 30      -> 300 residents, 40
//   target B: cell (5000,0) 400 / 50                                            -> 400 residents,
//   50 target C: cell (9000,0) 100 / 5                                             -> too small to
//   classify
// One "bildung" service at (0,0) in A, one outside every district at (5000,0) (must not count).
struct HandMade {
    Dataset dataset;
    PopulationGrid grid;
    CoverageConfig config;

    HandMade() {
        for (const char* key : {"A", "B", "C"}) {
            District d;
            d.key = d.name = key;
            dataset.districts.push_back(d);
        }
        dataset.config.fields = {{"bildung", "Bildung", "Education"}, {"arbeit", "Arbeit", "Work"}};
        Service inside;
        inside.metric = {0, 0};
        inside.district = 0;
        inside.fields = {"bildung"};
        inside.category = "schule";
        Service outside = inside;
        outside.metric = {5000, 0};
        outside.district.reset();
        dataset.services = {inside, outside};
        const struct {
            double x, pop, target;
            std::size_t district;
        } cells[] = {{0, 100, 10, 0}, {1000, 200, 30, 0}, {5000, 400, 50, 1}, {9000, 100, 5, 2}};
        for (const auto& c : cells) {
            GridCell cell;
            cell.centre_metric = {c.x, 0};
            cell.population = c.pop;
            cell.target = c.target;
            grid.parts.push_back({grid.cells.size(), c.district, 1, c.pop, c.target});
            grid.cells.push_back(cell);
        }
        grid.year = 2024;
    }

    GroupCoverage run(const std::string& field, double radius = 500,
                      double catchment = 2000) const {
        return compute_group_coverage(dataset, grid, config,
                                      {field, "field", field, field, radius, catchment});
    }
};

TEST(Coverage, HandComputedCountsDistancesAndShares) {
    const HandMade m;
    const GroupCoverage g = m.run("bildung");
    EXPECT_EQ(g.services, 1u);  // the service outside every district is kept out
    const auto& a = g.districts[0];
    const auto& b = g.districts[1];
    EXPECT_EQ(a.services, 1u);
    EXPECT_DOUBLE_EQ(*a.per_1000, 1.0 / 40 * 1000);
    EXPECT_DOUBLE_EQ(*a.mean_distance_m, (10 * 0 + 30 * 1000.0) / 40);
    EXPECT_DOUBLE_EQ(*a.share_within, 10.0 / 40);
    EXPECT_EQ(b.services, 0u);
    EXPECT_DOUBLE_EQ(*b.per_1000, 0);
    EXPECT_DOUBLE_EQ(*b.mean_distance_m, 5000);  // not 0: the outside service does not serve B
    EXPECT_DOUBLE_EQ(*b.share_within, 0);
    // E2SFCA with all residents as demand: R = 1 / (100 + 200 g(1000)), A's cells get R and R g.
    const double g1 = gaussian_decay(1000, 2000);
    const double ratio = 1 / (100 + 200 * g1);
    EXPECT_NEAR(*a.e2sfca_per_1000, (10 * ratio + 30 * ratio * g1) / 40 * 1000, 1e-9);
    EXPECT_NEAR(*a.e2sfca_per_1000, 3.229759122717275, 1e-9);
    EXPECT_DOUBLE_EQ(*b.e2sfca_per_1000, 0);
}

TEST(Coverage, GapClassesAndMinimumPopulation) {
    const HandMade m;
    const GroupCoverage g = m.run("bildung");
    // Needs 40 (A) and 50 (B): breaks 43.33 / 46.67. Access: A > 0, B = 0.
    EXPECT_EQ(g.districts[0].gap_class(), "1-3");
    EXPECT_EQ(g.districts[1].gap_class(), "3-1");
    EXPECT_TRUE(g.districts[1].gap);
    EXPECT_FALSE(g.districts[0].gap);
    EXPECT_EQ(g.districts[2].need_class, 0);
    EXPECT_EQ(g.districts[2].gap_class(), "");
    EXPECT_EQ(g.districts[2].excluded_reason, "fewer than 300 residents (100)");
    EXPECT_NEAR(g.need_breaks[0], 40 + 10.0 / 3, 1e-12);
}

TEST(Coverage, FieldWithoutServicesSaysSoInsteadOfCrashing) {
    const HandMade m;
    const GroupCoverage g = m.run("arbeit");
    EXPECT_TRUE(g.no_service);
    EXPECT_EQ(g.services, 0u);
    // No location: no access measure at all (not a low one), and so no gap class.
    for (const auto& d : g.districts) {
        EXPECT_FALSE(d.mean_distance_m.has_value());
        EXPECT_FALSE(d.share_within.has_value());
        EXPECT_FALSE(d.e2sfca_per_1000.has_value());
        EXPECT_FALSE(d.per_1000.has_value());
        EXPECT_EQ(d.need_class, 0);
        EXPECT_FALSE(d.gap);
        if (d.population >= 300) {
            EXPECT_EQ(d.excluded_reason, kNoServicesRecorded);
        }
    }
    for (double distance : g.cell_distance_m) EXPECT_TRUE(std::isinf(distance));
}

TEST(Tertiles, KnownBreaks) {
    const auto breaks = tertile_breaks({9, 1, 2, 3, 4, 5, 6, 7, 8});
    EXPECT_NEAR(breaks[0], 3 + 2.0 / 3, 1e-12);
    EXPECT_NEAR(breaks[1], 6 + 1.0 / 3, 1e-12);
    EXPECT_EQ(tertile_class(3, breaks), 1);
    EXPECT_EQ(tertile_class(4, breaks), 2);
    EXPECT_EQ(tertile_class(7, breaks), 3);
    const auto flat = tertile_breaks({5, 5, 5});
    EXPECT_EQ(tertile_class(5, flat), 1);
}

TEST(Grid, InspireIds) {
    EXPECT_EQ(inspire_cell_id(4337000, 2689100, 100), "CRS3035RES100mN2689100E4337000");
}

// Random star-shaped districts near Erfurt: every cell belongs to one district, every district's
// cells sum exactly to its totals in hundredths (the published precision), and its cells'
// overlap weights cover its area in the grid CRS but for the border cells a neighbour owns.
TEST(Grid, DasymetricDisaggregationPreservesMass) {
    std::mt19937 rng(2024);
    std::uniform_real_distribution<double> radius(200, 1500), jitter(0.6, 1.0), people(0, 5000);
    Dataset ds;
    ds.config.working_crs = "EPSG:25832";
    IndicatorSeries pop{{}, {}, {}}, target{{}, {}, {}};
    pop.meta.id = "pop";
    target.meta.id = "target";
    const Transformer to_wgs84("EPSG:25832", "OGC:CRS84");
    const Transformer to_grid("OGC:CRS84", "EPSG:3035");
    for (int d = 0; d < 12; ++d) {
        const Point centre{640000.0 + (d % 4) * 4000, 5645000.0 + (d / 4) * 4000};
        const double r = radius(rng);
        Ring ring;
        for (int k = 0; k < 17; ++k) {
            const double angle = 2 * M_PI * k / 17;
            const double rr = r * jitter(rng);
            ring.push_back({centre.x + rr * std::cos(angle), centre.y + rr * std::sin(angle)});
        }
        ring.push_back(ring.front());
        District district;
        district.key = "d" + std::to_string(d);
        district.wgs84 = MultiPolygon{{ring, {}}};
        to_wgs84.apply(district.wgs84);
        ds.districts.push_back(district);
        const double p = people(rng);
        pop.by_year[2024].push_back(p);
        target.by_year[2024].push_back(p * 0.1);
    }
    ds.indicators = {pop, target};
    CoverageConfig cfg;
    cfg.population = "pop";
    cfg.target = "target";
    const PopulationGrid grid = build_population_grid(ds, cfg, 2024);
    std::vector<double> population(12, 0), weight(12, 0);
    std::vector<long long> hundredths(12, 0);
    EXPECT_EQ(grid.parts.size(), grid.cells.size());
    for (const auto& part : grid.parts) {
        population[part.district] += part.population;
        weight[part.district] += part.weight;
        // Each cell value is a whole number of hundredths.
        EXPECT_NEAR(part.population * 100, std::round(part.population * 100), 1e-6);
        hundredths[part.district] += std::llround(part.population * 100);
        EXPECT_EQ(grid.cells[part.cell].district, part.district);
    }
    for (std::size_t d = 0; d < 12; ++d) {
        const double expected = *ds.indicators[0].by_year[2024][d];
        EXPECT_EQ(hundredths[d], std::llround(expected * 100)) << d;
        EXPECT_NEAR(population[d], expected, 0.005 + 1e-9) << d;
        MultiPolygon in_grid = ds.districts[d].wgs84;
        to_grid.apply(in_grid);
        EXPECT_LE(weight[d], planar_area(in_grid) * (1 + 1e-9)) << d;
        EXPECT_GT(weight[d], planar_area(in_grid) * 0.8) << d;
    }
    double cells_total = 0;
    for (const auto& cell : grid.cells) cells_total += cell.population;
    double district_total = 0;
    for (double p : population) district_total += p;
    EXPECT_NEAR(cells_total, district_total, district_total * 1e-12);
}

}  // namespace
}  // namespace atlas
