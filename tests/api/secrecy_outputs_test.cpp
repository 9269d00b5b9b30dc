// Statistical secrecy in every output format: indicator JSON (null + flag) and CSV ("."),
// OGC GeoJSON, CSV and GeoPackage, the legend and the static map. Tiles: tiles_test.cpp.

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>

#include "atlas/geo/style_formats.hpp"
#include "erfurt_served.hpp"
#include "ogc.hpp"
#include "routes.hpp"
#include "style_routes.hpp"
#include "support.hpp"

namespace atlas::api {
namespace {

using nlohmann::json;

constexpr const char* kOld = "auslaender_65plus_modell";

const ServedData& erfurt() {
    return test::erfurt_served();
}

ApiRequest request(std::map<std::string, std::string> params,
                   std::map<std::string, std::string> query = {}) {
    return test::request_for(std::move(params), std::move(query));
}

// Districts whose count of foreign nationals aged 65+ is withheld in `year`.
std::set<std::size_t> secret_districts(int year) {
    std::set<std::size_t> out;
    const IndicatorSeries* s = erfurt().dataset.indicator(kOld);
    for (std::size_t d = 0; d < erfurt().dataset.districts.size(); ++d)
        if (s->suppressed(year, d)) out.insert(d);
    return out;
}

ApiResponse route(const std::string& path, ApiRequest r) {
    for (const auto& spec : route_table())
        if (spec.path == path) return spec.handler(erfurt(), r);
    throw std::runtime_error("no route " + path);
}

TEST(SecrecyOutputs, IndicatorJsonAndCsv) {
    const auto secret = secret_districts(2021);
    ASSERT_GE(secret.size(), 5u);
    const json j =
        json::parse(route("/api/indicators/:id", request({{"id", kOld}}, {{"year", "2021"}})).body);
    std::size_t flagged = 0;
    for (std::size_t d = 0; d < j["values"].size(); ++d) {
        const auto& row = j["values"][d];
        EXPECT_EQ(row["suppressed"].get<bool>(), secret.contains(d)) << row;
        if (row["suppressed"].get<bool>()) {
            EXPECT_TRUE(row["value"].is_null());
            ++flagged;
        } else {
            const double published = row["value"].get<double>();
            EXPECT_TRUE(published == 0 || published >= 3) << row;  // no 1 or 2 leaves the core
        }
    }
    EXPECT_EQ(flagged, secret.size());
    const std::string csv = route("/api/indicators/:id",
                                  request({{"id", std::string(kOld) + ".csv"}}, {{"year", "2021"}}))
                                .body;
    std::size_t dots = 0;
    for (std::size_t at = csv.find(",2021,.,"); at != std::string::npos;
         at = csv.find(",2021,.,", at + 1))
        ++dots;
    EXPECT_EQ(dots, secret.size());
}

TEST(SecrecyOutputs, OgcGeoJsonCsvAndGeoPackage) {
    const int year = erfurt().default_year;
    const auto secret = secret_districts(year);
    const json fc = json::parse(
        ogc_items(erfurt(), request({{"collectionId", "districts"}}, {{"limit", "100"}})).body);
    for (std::size_t d = 0; d < fc["features"].size(); ++d) {
        const auto& p = fc["features"][d]["properties"];
        const bool flagged =
            p["suppressed_indicators"].get<std::string>().find(kOld) != std::string::npos;
        EXPECT_EQ(flagged, secret.contains(d));
        if (flagged) {
            EXPECT_TRUE(p[kOld].is_null());
        }
    }
    const std::string csv =
        ogc_items(erfurt(), request({{"collectionId", "districts"}}, {{"f", "csv"}})).body;
    EXPECT_NE(csv.find(",.,"), std::string::npos);

    const ApiResponse gpkg =
        ogc_items(erfurt(), request({{"collectionId", "districts"}}, {{"f", "gpkg"}}));
    test::TempDir dir;
    const std::string file = dir.write("d.gpkg", gpkg.body);
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    std::size_t nulls = 0;
    for (auto& f : *ds->GetLayer(0)) {
        const bool flagged = std::string(f->GetFieldAsString("suppressed_indicators")).find(kOld) !=
                             std::string::npos;
        if (flagged) {
            EXPECT_TRUE(f->IsFieldNull(f->GetFieldIndex(kOld)));
            ++nulls;
        }
    }
    EXPECT_EQ(nulls, secret.size());
}

TEST(SecrecyOutputs, LegendAndMapsShowWithheldDistrictsAsTheirOwnClass) {
    // Age structure: a share of the under-18s, withheld where their count is.
    const json legend = json::parse(
        api::legend(erfurt(), request({{"style", "auslaender_junge"}}, {{"year", "2021"}})).body);
    const IndicatorSeries* young = erfurt().dataset.indicator("auslaender_0_17_anteil_modell");
    std::size_t expected = 0;
    for (std::size_t d = 0; d < legend["districts"].size(); ++d) {
        const bool secret = young->suppressed(2021, d);
        expected += secret;
        EXPECT_EQ(legend["districts"][d]["suppressed"].get<bool>(), secret);
        if (secret) {
            EXPECT_TRUE(legend["districts"][d]["class"].is_null());
        }
    }
    ASSERT_GT(expected, 0u);
    EXPECT_EQ(legend["suppressed"]["count"].get<std::size_t>(), expected);
    EXPECT_EQ(legend["suppressed"]["label"], "geheim (kleine Fallzahl)");
    EXPECT_NE(legend["suppressed"]["colour"], legend["missing"]["colour"]);
    // The MapLibre style gives those ids the withheld colour (the colour test in
    // styles_test.cpp checks every district); the SLD has a rule for them.
    const std::string sld =
        style_document(erfurt(), request({{"style", "auslaender_junge.sld"}}, {{"year", "2021"}}))
            .body;
    EXPECT_NE(sld.find("<Name>suppressed</Name>"), std::string::npos);
    EXPECT_NE(sld.find(legend["suppressed"]["colour"].get<std::string>()), std::string::npos);
}

TEST(SecrecyOutputs, ChangeBetweenAnyTwoYearsIsWithheldWhereEitherYearIs) {
    // The same as the configured change since 2015.
    const json any =
        json::parse(route("/api/indicators/:id", request({{"id", "auslaender_anteil_modell"}},
                                                         {{"year", "2024"}, {"from", "2015"}}))
                        .body);
    const json configured = json::parse(
        route("/api/indicators/:id",
              request({{"id", "auslaender_anteil_modell_seit_2015"}}, {{"year", "2024"}}))
            .body);
    EXPECT_EQ(any["unit"], "Prozentpunkte");
    EXPECT_EQ(any["values"], configured["values"]);
    // Counts: withheld when either year is. The earlier year is one with a secret district that
    // 2024 publishes, so the test sees that both years count.
    const IndicatorSeries* old = erfurt().dataset.indicator(kOld);
    const auto secret_2024 = secret_districts(2024);
    int from = 0;
    for (const auto& [year, values] : old->by_year) {
        if (year == 2024) continue;
        for (std::size_t d : secret_districts(year))
            if (!secret_2024.contains(d)) from = year;
    }
    ASSERT_NE(from, 0) << "no year withholds a district that 2024 publishes";
    const json change = json::parse(
        route("/api/indicators/:id",
              request({{"id", kOld}}, {{"year", "2024"}, {"from", std::to_string(from)}}))
            .body);
    std::size_t withheld = 0;
    for (std::size_t d = 0; d < change["values"].size(); ++d) {
        const bool secret = old->suppressed(2024, d) || old->suppressed(from, d);
        EXPECT_EQ(change["values"][d]["suppressed"].get<bool>(), secret);
        withheld += secret;
        if (!secret) {
            EXPECT_EQ(change["values"][d]["value"].get<double>(),
                      *old->by_year.at(2024)[d] - *old->by_year.at(from)[d]);
        }
    }
    EXPECT_GT(withheld, secret_2024.size());
}

TEST(SecrecyOutputs, MonitoringClassifiesFromTheIndicatorsItMayShow) {
    const json m = json::parse(route("/api/monitoring", request({})).body);
    EXPECT_EQ(m["year"], 2024);
    EXPECT_EQ(m["min_indicators"], 2);
    std::size_t too_few = 0, small = 0, classified = 0, partial = 0;
    for (const auto& d : m["districts"]) {
        const std::string reason = d["excluded"].is_null() ? "" : d["excluded"].get<std::string>();
        too_few += reason.starts_with("nur ");
        small += reason.starts_with("unter 300");
        classified += !d["class"].is_null();
        EXPECT_EQ(d["class"].is_null(), !reason.empty());
        // A district classified without a withheld indicator says which one, and no z-score of
        // it is given.
        if (d["partial"].is_null()) continue;
        ++partial;
        EXPECT_NE(d["partial"].get<std::string>().find("geheim: "), std::string::npos);
        std::size_t missing = 0;
        for (const auto& [id, z] : d["z_scores"].items()) missing += z.is_null();
        EXPECT_EQ(missing, 1u) << d["district"];
    }
    EXPECT_GT(partial, 0u);  // the humanitarian share is withheld in many districts
    EXPECT_GT(small, 0u);
    EXPECT_EQ(too_few + small + classified, 53u);
    EXPECT_EQ(m["data_status"], "modelled");
    const std::string csv = route("/api/monitoring", request({}, {{"f", "csv"}})).body;
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 54);
}

}  // namespace
}  // namespace atlas::api

namespace atlas::api {
namespace {

// Coverage and the structure analysis publish each district's target group: where its count is
// withheld, so are they (and the city sum, which would give the withheld ones back together).
TEST(SecrecyOutputs, CoverageAndStructureWithholdTheTargetGroupWhereItsCountIsWithheld) {
    const IndicatorSeries* target = erfurt().dataset.indicator("auslaender_modell");
    std::set<std::size_t> withheld;
    for (std::size_t d = 0; d < 53; ++d)
        if (target->suppressed(2024, d)) withheld.insert(d);
    ASSERT_FALSE(withheld.empty());
    const json coverage =
        json::parse(route("/api/coverage/:field", request({{"field", "sprache"}})).body);
    const json structure =
        json::parse(route("/api/structure/:field", request({{"field", "sprache"}})).body);
    const std::string csv = route("/api/coverage/:field", request({{"field", "sprache.csv"}})).body;
    for (std::size_t d = 0; d < 53; ++d) {
        const json& row = coverage["districts"][d];
        const json& structure_row = structure["districts"][d];
        if (!withheld.contains(d)) {
            EXPECT_TRUE(row["target_group"].is_number());
            EXPECT_TRUE(structure_row["target_group"].is_number());
            continue;
        }
        EXPECT_TRUE(row["target_group"].is_null()) << row.dump();
        EXPECT_EQ(row["target_group_suppressed"], true);
        EXPECT_EQ(row["excluded_reason"], "Zielgruppe geheim (statistische Geheimhaltung)");
        EXPECT_TRUE(row["share_within_radius"].is_null());
        EXPECT_TRUE(row["need_class"].is_null());
        EXPECT_GT(row["population"].get<double>(), 0);  // residents stay published
        EXPECT_TRUE(structure_row["target_group"].is_null()) << structure_row.dump();
        const std::string name = erfurt().dataset.districts[d].name;
        const auto line = csv.find("," + name + ",2024,");
        ASSERT_NE(line, std::string::npos);
        const auto end = csv.find('\n', line);
        EXPECT_NE(csv.substr(line, end - line).find(",.,"), std::string::npos);
    }
    EXPECT_TRUE(structure["target_group"].is_null());
}

}  // namespace
}  // namespace atlas::api
