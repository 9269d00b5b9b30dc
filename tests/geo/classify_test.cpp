#include "atlas/geo/classify.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include "atlas/geo/error.hpp"

namespace atlas {
namespace {

std::vector<std::optional<double>> of(std::initializer_list<double> values) {
    return {values.begin(), values.end()};
}

TEST(Classify, JenksFindsObviousClusters) {
    const Classes c = classify(of({22, 0, 1, 2, 3, 10, 11, 12, 20, 21}), ClassMethod::jenks, 3);
    EXPECT_EQ(c.bounds, (std::vector<double>{0, 3, 12, 22}));
    EXPECT_EQ(c.counts, (std::vector<std::size_t>{4, 3, 3}));
}

double within_class_ssd(const std::vector<double>& sorted, const std::vector<std::size_t>& starts) {
    double total = 0;
    for (std::size_t c = 0; c < starts.size(); ++c) {
        const std::size_t a = starts[c], b = c + 1 < starts.size() ? starts[c + 1] : sorted.size();
        double mean = 0;
        for (std::size_t i = a; i < b; ++i) mean += sorted[i];
        mean /= static_cast<double>(b - a);
        for (std::size_t i = a; i < b; ++i) total += (sorted[i] - mean) * (sorted[i] - mean);
    }
    return total;
}

// Fisher's method is exact: its partition is as good as the best of all partitions.
TEST(Classify, JenksEqualsExhaustiveSearch) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> value(-50, 200);
    for (int round = 0; round < 40; ++round) {
        std::vector<double> sorted(10);
        for (auto& v : sorted) v = value(rng);
        std::sort(sorted.begin(), sorted.end());
        std::vector<std::optional<double>> input(sorted.begin(), sorted.end());
        const Classes c = classify(input, ClassMethod::jenks, 3);
        std::vector<std::size_t> starts{0};
        for (std::size_t i = 1; i < sorted.size(); ++i) {
            if (*c.class_of(sorted[i]) != *c.class_of(sorted[i - 1])) starts.push_back(i);
        }
        ASSERT_EQ(starts.size(), 3u);
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t a = 1; a < 9; ++a) {
            for (std::size_t b = a + 1; b < 10; ++b)
                best = std::min(best, within_class_ssd(sorted, {0, a, b}));
        }
        EXPECT_NEAR(within_class_ssd(sorted, starts), best, 1e-9) << round;
    }
}

TEST(Classify, QuantileEqualIntervalStddevManual) {
    const Classes q = classify(of({9, 1, 2, 3, 4, 5, 6, 7, 8}), ClassMethod::quantile, 3);
    ASSERT_EQ(q.bounds.size(), 4u);
    EXPECT_NEAR(q.bounds[1], 3 + 2.0 / 3, 1e-12);
    EXPECT_NEAR(q.bounds[2], 6 + 1.0 / 3, 1e-12);
    EXPECT_EQ(q.counts, (std::vector<std::size_t>{3, 3, 3}));

    // Ties: the 40 % quantile (0.2) falls between the four zeros and the 1, leaving (0, 0.2]
    // empty; it is merged into the next class instead of being shown as "über 0 – 0,2 (0)".
    const Classes tied = classify(of({0, 0, 0, 0, 1, 2, 3, 4, 5}), ClassMethod::quantile, 5);
    ASSERT_EQ(tied.size(), 4u);
    EXPECT_EQ(tied.bounds[0], 0);
    EXPECT_EQ(tied.bounds[1], 0);
    EXPECT_NEAR(tied.bounds[2], 1.8, 1e-12);
    EXPECT_NEAR(tied.bounds[3], 3.4, 1e-12);
    EXPECT_EQ(tied.counts, (std::vector<std::size_t>{4, 1, 2, 2}));

    const Classes e = classify(of({0, 100, 30, 70}), ClassMethod::equal_interval, 4);
    EXPECT_EQ(e.bounds, (std::vector<double>{0, 25, 50, 75, 100}));

    // Mean 5, population standard deviation 2: boundaries at mean -1, 0, +1 sigma.
    const Classes s = classify(of({2, 4, 4, 4, 5, 5, 7, 9}), ClassMethod::stddev, 4);
    EXPECT_EQ(s.bounds, (std::vector<double>{2, 3, 5, 7, 9}));
    EXPECT_DOUBLE_EQ(s.mean, 5);
    EXPECT_DOUBLE_EQ(s.stddev, 2);

    const Classes m = classify(of({5, 12, 25, 18}), ClassMethod::manual, 3, {10, 20});
    EXPECT_EQ(m.bounds, (std::vector<double>{5, 10, 20, 25}));
    EXPECT_EQ(m.counts, (std::vector<std::size_t>{1, 2, 1}));
    EXPECT_THROW(classify(of({1, 2}), ClassMethod::manual, 3, {20, 10}), BadRequest);
}

// Every value falls into a class, for every method and random data: lo + (hi - lo) can round
// below hi (this pair does), which once left the maximum outside every class.
TEST(Classify, EveryValueHasAClassAndTidyBoundsKeepThem) {
    EXPECT_LT(-4.5651270964347255 + (2.468693789603634 - -4.5651270964347255) * 5.0 / 5,
              2.468693789603634);
    std::mt19937 random(7);
    std::uniform_real_distribution<double> uniform(-5, 5);
    std::uniform_int_distribution<int> size(1, 60), digits(0, 6);
    for (int round = 0; round < 400; ++round) {
        std::vector<std::optional<double>> values = {-4.5651270964347255, 2.468693789603634};
        const int n = size(random);
        const double scale = std::pow(10.0, digits(random) - 3);
        for (int i = 0; i < n; ++i) values.push_back(uniform(random) * scale);
        if (round % 3 == 0) values.push_back(values[2]);  // ties
        for (const auto method : {ClassMethod::quantile, ClassMethod::equal_interval,
                                  ClassMethod::jenks, ClassMethod::stddev}) {
            const Classes c = classify(values, method, 5);
            const Classes tidy = tidy_bounds(c, values);
            std::size_t counted = 0;
            for (const auto& v : values) {
                ASSERT_TRUE(c.class_of(v).has_value()) << *v << " round " << round;
                EXPECT_EQ(tidy.class_of(v), c.class_of(v)) << *v << " round " << round;
            }
            for (const auto k : c.counts) counted += k;
            EXPECT_EQ(counted, values.size());
        }
    }
    // Quantile breaks become the shortest decimals between the classes' values.
    const auto values = of({0.471698, 1.68509123, 1.7, 2.35969, 2.9, 3.86382, 9.41877, 27.7723418});
    const Classes tidy = tidy_bounds(classify(values, ClassMethod::quantile, 4), values);
    for (const double b : tidy.bounds) {
        char text[32];
        std::snprintf(text, sizeof text, "%.6g", b);
        EXPECT_EQ(std::stod(text), b) << b;  // survives six significant digits (QGIS's SLD import)
    }
}

TEST(Classify, EdgeCases) {
    const Classes equal = classify(of({4, 4, 4}), ClassMethod::jenks, 5);
    EXPECT_EQ(equal.size(), 1u);
    EXPECT_EQ(equal.class_of(4.0), 0u);
    // Stddev classes are fixed by sigma and may stay empty; the others never exceed the
    // number of distinct values.
    for (auto method : {ClassMethod::quantile, ClassMethod::equal_interval, ClassMethod::jenks}) {
        const Classes few = classify(of({1, 2, 2, 1}), method, 5);
        EXPECT_LE(few.size(), 2u);
        EXPECT_EQ(few.counts.size(), few.size());
        std::size_t total = 0;
        for (auto n : few.counts) total += n;
        EXPECT_EQ(total, 4u);
    }
    const Classes missing =
        classify({std::nullopt, 1.0, std::nullopt, 3.0}, ClassMethod::equal_interval, 2);
    EXPECT_EQ(missing.bounds, (std::vector<double>{1, 2, 3}));
    EXPECT_FALSE(missing.class_of(std::nullopt).has_value());
    const Classes change = classify(of({-5, -1, 0, 2, 5}), ClassMethod::equal_interval, 2);
    EXPECT_EQ(change.bounds, (std::vector<double>{-5, 0, 5}));
    EXPECT_EQ(change.class_of(-1.0), 0u);
    EXPECT_EQ(change.class_of(0.0), 0u);  // upper bounds are inclusive
    EXPECT_EQ(change.class_of(2.0), 1u);
    EXPECT_EQ(classify({}, ClassMethod::jenks, 3).size(), 0u);
    EXPECT_THROW(classify(of({1}), ClassMethod::quantile, 0), BadRequest);
    EXPECT_EQ(parse_class_method("jenks"), ClassMethod::jenks);
    EXPECT_FALSE(parse_class_method("natural").has_value());
}

}  // namespace
}  // namespace atlas
