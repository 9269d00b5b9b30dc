// Coverage on the shipped Erfurt data, checked against independent computations.

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "atlas/geo/config.hpp"
#include "atlas/geo/coverage.hpp"
#include "atlas/geo/csv.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/style.hpp"
#include "support.hpp"

namespace atlas {
namespace {

struct Erfurt {
    Dataset dataset = load_dataset(load_config(test::source_path("shapes/erfurt/atlas.toml")));
    CoverageResult coverage = compute_coverage(dataset);
};

const Erfurt& erfurt() {
    static const Erfurt e;
    return e;
}

TEST(ErfurtCoverage, ServiceCountsEqualSpatialiteStContains) {
    // Both source files in one in-memory datasource, then GDAL's SQLite dialect (Spatialite).
    GDALAllRegister();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("Memory");
    GDALDatasetUniquePtr db(mem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    for (const auto& [file, name] : {std::pair{"shapes/erfurt/stadtteile.geojson", "districts"},
                                     std::pair{"shapes/erfurt/dienste_osm.geojson", "services"}}) {
        GDALDatasetUniquePtr src(
            GDALDataset::Open(test::source_path(file).c_str(), GDAL_OF_VECTOR));
        ASSERT_TRUE(src);
        ASSERT_NE(db->CopyLayer(src->GetLayer(0), name), nullptr);
    }
    OGRLayer* counts = db->ExecuteSQL(
        "SELECT d.NAME AS name, s.category AS category, COUNT(*) AS n FROM districts d "
        "JOIN services s ON ST_Contains(ST_MakeValid(d.GEOMETRY), s.GEOMETRY) "
        "GROUP BY d.NAME, s.category",
        nullptr, "SQLite");
    ASSERT_NE(counts, nullptr);
    std::map<std::pair<std::string, std::string>, long> expected;
    long total = 0;
    for (auto& f : *counts) {
        expected[{f->GetFieldAsString("name"), f->GetFieldAsString("category")}] =
            f->GetFieldAsInteger64("n");
        total += f->GetFieldAsInteger64("n");
    }
    db->ReleaseResultSet(counts);
    EXPECT_EQ(total, 311);

    const auto& e = erfurt();
    std::size_t compared = 0;
    for (const auto& group : e.coverage.groups) {
        // The inventory's offers are compared in the structure analysis tests.
        if (group.group.kind != "category" || group.group.id == "inventar") continue;
        for (std::size_t d = 0; d < e.dataset.districts.size(); ++d) {
            const auto found = expected.find({e.dataset.districts[d].key, group.group.id});
            const long want = found == expected.end() ? 0 : found->second;
            EXPECT_EQ(static_cast<long>(group.districts[d].services), want)
                << e.dataset.districts[d].key << " / " << group.group.id;
            ++compared;
        }
    }
    EXPECT_EQ(compared, 7u * 53u);
}

TEST(ErfurtCoverage, SharesWithinRadiusEqualBruteForce) {
    const auto& e = erfurt();
    for (const auto& group : e.coverage.groups) {
        if (group.no_service) continue;
        std::vector<Point> services;
        for (const auto& s : e.dataset.services) {
            const bool member =
                group.group.kind == "category"
                    ? s.category == group.group.id
                    : std::find(s.fields.begin(), s.fields.end(), group.group.id) != s.fields.end();
            if (member && s.district) services.push_back(s.metric);
        }
        std::vector<double> within(e.dataset.districts.size(), 0),
            target(e.dataset.districts.size(), 0);
        for (const auto& part : e.coverage.grid.parts) {
            const Point c = e.coverage.grid.cells[part.cell].centre_metric;
            double best = std::numeric_limits<double>::infinity();
            for (const auto& s : services) best = std::min(best, std::hypot(s.x - c.x, s.y - c.y));
            target[part.district] += part.target;
            if (best <= group.group.radius_m) within[part.district] += part.target;
        }
        for (std::size_t d = 0; d < within.size(); ++d) {
            if (target[d] <= 0) continue;
            EXPECT_NEAR(*group.districts[d].share_within, within[d] / target[d], 1e-12)
                << group.group.id << " / " << e.dataset.districts[d].key;
        }
    }
}

TEST(ErfurtCoverage, EveryDistrictsCellsSumToItsTotals) {
    const auto& e = erfurt();
    const int year = e.coverage.grid.year;
    EXPECT_EQ(year, 2024);
    // The Zensus 2011 cells, scaled to each district's 2024 totals.
    EXPECT_EQ(e.coverage.grid.method, "grid-file-scaled");
    EXPECT_FALSE(e.coverage.grid.official);  // modelled inputs
    std::vector<double> population(53, 0), target(53, 0);
    for (const auto& part : e.coverage.grid.parts) {
        population[part.district] += part.population;
        target[part.district] += part.target;
    }
    const auto& pop = e.dataset.indicator("einwohner_modell")->by_year.at(year);
    const auto& tgt = e.dataset.indicator("auslaender_modell")->by_year.at(year);
    std::size_t withheld = 0;
    for (std::size_t d = 0; d < 53; ++d) {
        if (!tgt[d]) {
            // Withheld by secrecy: cells would give it back, so the district has none.
            ++withheld;
            EXPECT_EQ(population[d], 0) << e.dataset.districts[d].key;
            EXPECT_NE(std::find_if(e.coverage.grid.notes.begin(), e.coverage.grid.notes.end(),
                                   [&](const std::string& note) {
                                       return note.find(e.dataset.districts[d].key) !=
                                              std::string::npos;
                                   }),
                      e.coverage.grid.notes.end());
            continue;
        }
        EXPECT_NEAR(population[d], *pop[d], *pop[d] * 1e-12) << e.dataset.districts[d].key;
        EXPECT_NEAR(target[d], *tgt[d], *tgt[d] * 1e-12 + 1e-12) << e.dataset.districts[d].key;
    }
    EXPECT_GT(withheld, 0u);
    EXPECT_LT(withheld, 10u);
    // The 3,858 populated census cells inside the city, less the withheld districts'.
    EXPECT_GT(e.coverage.grid.cells.size(), 3700u);
    EXPECT_LT(e.coverage.grid.cells.size(), 3858u);
    EXPECT_EQ(e.coverage.grid.cells.front().id.rfind("CRS3035RES100mN", 0), 0u);
}

TEST(ErfurtCoverage, FieldsWithoutServicesAreFlagged) {
    // Without the fictional examples, only OSM and the six sourced places with coordinates
    // (four of them religious sites) are there: three fields have no location at all.
    DatasetConfig config = load_config(test::source_path("shapes/erfurt/atlas.toml"));
    config.inventory->examples_file.clear();
    const Dataset real = load_dataset(config);
    const CoverageResult coverage = compute_coverage(real);
    for (const char* id : {"arbeit", "wohnen", "teilhabe"}) {
        const GroupCoverage* g = coverage.group(id);
        ASSERT_NE(g, nullptr) << id;
        EXPECT_TRUE(g->no_service) << id;
        EXPECT_EQ(g->example_services, 0u) << id;
    }
    // No location means no access measure at all, not a low one: no gap class anywhere, no
    // infinite distance, no breaks, the reason in every district and in every legend.
    const GroupCoverage* work = coverage.group("arbeit");
    for (const auto& d : work->districts) {
        EXPECT_EQ(d.need_class, 0);
        EXPECT_FALSE(d.gap);
        EXPECT_FALSE(d.mean_distance_m.has_value());
        EXPECT_FALSE(d.access.has_value());
        // A withheld target group stays withheld: its reason comes first.
        if (d.population >= 300) {
            EXPECT_EQ(d.excluded_reason, d.target_withheld ? kTargetWithheld : kNoServicesRecorded);
        }
    }
    const std::string csv = coverage_csv(real, coverage, {work});
    EXPECT_EQ(csv.find("inf"), std::string::npos);
    const auto doc = nlohmann::json::parse(coverage_json(real, coverage, *work));
    EXPECT_EQ(doc["status"], "no_services");
    EXPECT_TRUE(doc["access_breaks"].is_null());
    for (const auto& style : load_styles(real.config.styles_dir)) {
        if (!style.is_coverage()) continue;
        const Legend legend = make_legend(style, real, &coverage, std::nullopt, "arbeit");
        EXPECT_TRUE(legend.no_services) << style.id;
        EXPECT_TRUE(legend.classes.empty()) << style.id;
        EXPECT_EQ(legend.missing_label, kNoServicesRecorded) << style.id;
        // Every district is either without offers or has its target group withheld.
        std::size_t withheld = 0;
        for (const auto& d : work->districts) withheld += d.target_withheld;
        EXPECT_GT(withheld, 0u);
        EXPECT_EQ(legend.suppressed, withheld) << style.id;
        EXPECT_EQ(legend.missing + legend.suppressed, real.districts.size()) << style.id;
        EXPECT_NE(legend.note.find("keine Angebote erfasst"), std::string::npos) << style.id;
    }
    EXPECT_EQ(coverage.group("religion")->services, 4u);  // synagogue, cathedral, two churches
    EXPECT_EQ(coverage.group("religion")->example_services, 0u);
    // With the examples every field has locations, and says how many are fictional.
    const auto& e = erfurt();
    for (const auto& f : e.dataset.config.fields) {
        const GroupCoverage* g = e.coverage.group(f.id);
        EXPECT_FALSE(g->no_service) << f.id;
        EXPECT_GT(g->example_services, 0u) << f.id;
    }
    EXPECT_EQ(e.coverage.group("arbeit")->example_services, e.coverage.group("arbeit")->services);
    EXPECT_FALSE(e.coverage.group("bildung")->no_service);
    EXPECT_EQ(e.coverage.group("kitas")->group.radius_m, 500);
    EXPECT_EQ(e.coverage.group("bildung")->group.radius_m, 1000);
}

TEST(ErfurtCoverage, OutputsNameTheMethod) {
    const auto& e = erfurt();
    const auto* bildung = e.coverage.group("bildung");
    const std::string json = coverage_json(e.dataset, e.coverage, *bildung);
    for (const char* needle :
         {R"("radius_m":1000.0)", R"("catchment_m":2000.0)", R"("data_status":"modelled")",
          R"("population_surface":"grid-file-scaled")", "Luo & Qi 2009"}) {
        EXPECT_NE(json.find(needle), std::string::npos) << needle;
    }
    const std::string csv = coverage_csv(e.dataset, e.coverage, {bildung});
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 54);
    EXPECT_NE(csv.find(",1000,2000,auslaender_modell,grid-file-scaled,modelled\n"),
              std::string::npos);
}

}  // namespace
}  // namespace atlas

namespace atlas {
namespace {

// The census gives the distribution within a district, the analysed year the size: each cell is
// its census residents times the district's factor, to the published hundredth.
TEST(ErfurtCoverage, CensusCellsScaledToTheYearsDistrictTotals) {
    const auto& e = erfurt();
    const CsvTable census = read_csv_file(test::source_path("shapes/erfurt/zensus2011_gitter.csv"));
    std::map<std::string, double> residents;
    const auto id = census.column("gitter_id"), value = census.column("einwohner");
    for (const auto& row : census.rows)
        residents[row.cells[id]] = row.cells[value].empty() ? 0 : std::stod(row.cells[value]);
    std::vector<double> census_sum(53, 0);
    for (const auto& part : e.coverage.grid.parts)
        census_sum[part.district] += residents.at(e.coverage.grid.cells[part.cell].id);
    const auto& total = e.dataset.indicator("einwohner_modell")->by_year.at(2024);
    std::size_t checked = 0;
    for (const auto& part : e.coverage.grid.parts) {
        const double factor = *total[part.district] / census_sum[part.district];
        EXPECT_NEAR(part.population, residents.at(e.coverage.grid.cells[part.cell].id) * factor,
                    0.0101);
        ++checked;
    }
    EXPECT_GT(checked, 3700u);
    EXPECT_NE(std::find_if(e.coverage.grid.notes.begin(), e.coverage.grid.notes.end(),
                           [](const std::string& n) {
                               return n.find("outside every district") != std::string::npos;
                           }),
              e.coverage.grid.notes.end());
}

}  // namespace
}  // namespace atlas
