// Status × dynamics monitoring, computed by hand on four districts.

#include "atlas/geo/monitoring.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"

namespace atlas {
namespace {

IndicatorSeries series(const std::string& id, std::map<int, std::vector<std::optional<double>>> v) {
    IndicatorSeries s{{}, std::move(v), {}};
    s.meta.id = id;
    s.meta.kind = IndicatorKind::share;
    return s;
}

Dataset four_districts() {
    Dataset ds;
    for (int i = 1; i <= 5; ++i) {
        District d;
        d.id = i;
        d.name = "D" + std::to_string(i);
        ds.districts.push_back(d);
    }
    ds.indicators.push_back(series("residents", {{2022, {1000, 1000, 1000, 1000, 100}},
                                                 {2024, {1000, 1000, 1000, 1000, 100}}}));
    // District 5 has too few residents; its extreme value must not move the others' scores.
    ds.indicators.push_back(series("need", {{2022, {1, 2, 3, 1, 99}}, {2024, {1, 2, 3, 6, 99}}}));
    return ds;
}

TEST(Monitoring, StatusAndDynamicsByHand) {
    const Dataset ds = four_districts();
    MonitoringConfig config{{"need"}, "residents", 2, 300};
    const MonitoringResult r = compute_monitoring(ds, config, 2024);
    // need 2024 over the four eligible districts: mean 3, population sd sqrt(3.5).
    const double sd = std::sqrt(3.5);
    const double z[] = {(1 - 3) / sd, (2 - 3) / sd, 0, (6 - 3) / sd};
    for (int d = 0; d < 4; ++d) EXPECT_NEAR(*r.districts[d].status_index, z[d], 1e-12) << d;
    EXPECT_EQ(r.districts[0].status_class, 1);  // -1.07 < -1: hoch
    EXPECT_EQ(r.districts[1].status_class, 2);
    EXPECT_EQ(r.districts[2].status_class, 2);
    EXPECT_EQ(r.districts[3].status_class, 4);  // 1.60 > 1.5: sehr niedrig
    // Change since 2022: 0, 0, 0, +5 -> z = -1/sqrt(3) three times and sqrt(3).
    EXPECT_NEAR(*r.districts[3].dynamics_index, std::sqrt(3.0), 1e-12);
    EXPECT_EQ(r.districts[3].dynamics_class, -1);  // need rising: negativ
    EXPECT_EQ(r.districts[3].combined, "4-");
    EXPECT_EQ(r.districts[0].combined, "1±");
    EXPECT_FALSE(r.districts[4].status_index.has_value());
    EXPECT_EQ(r.districts[4].excluded_reason, "unter 300 Einwohnern (residents)");
    const auto doc = nlohmann::json::parse(monitoring_json(ds, r));
    EXPECT_EQ(doc["districts"][3]["class"], "4-");
    EXPECT_TRUE(doc["districts"][4]["class"].is_null());
    EXPECT_NE(monitoring_csv(ds, r).find("4,D4,2024,1.6036,sehr niedrig,1.7321,negativ,4-,"),
              std::string::npos);
}

TEST(Monitoring, WithoutTheBaseYearThereIsNoDynamics) {
    const Dataset ds = four_districts();
    const MonitoringResult r = compute_monitoring(ds, {{"need"}, "residents", 5, 300}, 2024);
    EXPECT_FALSE(r.districts[0].has_dynamics);
    EXPECT_EQ(r.districts[0].combined, "1");
    EXPECT_THROW(compute_monitoring(ds, {{"need"}, "residents", 2, 300}, 2023), NotFound);
}

// Three indicators; D2's "b" is withheld and D3 lacks "b" and "c". With the default (2 of 3),
// D2 is classified from "a" and "c" and says so; D3 is not classified.
TEST(Monitoring, DistrictsWithAWithheldIndicatorAreClassifiedFromTheOthers) {
    Dataset ds = four_districts();
    ds.indicators.push_back(series("a", {{2024, {1, 2, 3, 6, 0}}}));
    IndicatorSeries b = series("b", {{2024, {2, std::nullopt, std::nullopt, 4, 0}}});
    b.secrecy[2024] = {Secrecy::published, Secrecy::primary, Secrecy::published, Secrecy::published,
                       Secrecy::published};
    ds.indicators.push_back(b);
    ds.indicators.push_back(series("c", {{2024, {4, 2, std::nullopt, 2, 0}}}));
    const MonitoringConfig config{{"a", "b", "c"}, "residents", 2, 300};
    EXPECT_EQ(config.required_indicators(), 2u);
    const MonitoringResult r = compute_monitoring(ds, config, 2024);
    // z of a over D1, D2, D4 (D3 is out): values 1, 2, 6, mean 3, sd sqrt(14/3).
    const double sa = std::sqrt(14.0 / 3), sc = std::sqrt(8.0 / 9);
    const double za[] = {-2 / sa, -1 / sa, 3 / sa};
    const double zb[] = {-1, 0, 1};  // 2 and 4: mean 3, sd 1
    const double zc[] = {(4 - 8.0 / 3) / sc, (2 - 8.0 / 3) / sc, (2 - 8.0 / 3) / sc};
    const double sum[] = {(za[0] + zb[0] + zc[0]) / 3, (za[1] + zc[1]) / 2,
                          (za[2] + zb[2] + zc[2]) / 3};
    const double mean = (sum[0] + sum[1] + sum[2]) / 3;
    double sq = 0;
    for (double x : sum) sq += (x - mean) * (x - mean);
    const double sd = std::sqrt(sq / 3);
    const int index[] = {0, 1, 3};
    for (int k = 0; k < 3; ++k)
        EXPECT_NEAR(*r.districts[index[k]].status_index, (sum[k] - mean) / sd, 1e-12) << k;
    EXPECT_EQ(r.districts[1].partial_reason, "Status aus 2 von 3 Indikatoren (geheim: b)");
    EXPECT_TRUE(r.districts[0].partial_reason.empty());
    EXPECT_FALSE(r.districts[2].status_index.has_value());
    EXPECT_EQ(r.districts[2].excluded_reason,
              "nur 1 von 3 Indikatoren (fehlt: b, fehlt: c; nötig: 2)");
    // Asking for all three leaves D2 out as before.
    MonitoringConfig strict = config;
    strict.min_indicators = 3;
    EXPECT_FALSE(compute_monitoring(ds, strict, 2024).districts[1].status_index.has_value());
}

}  // namespace
}  // namespace atlas
