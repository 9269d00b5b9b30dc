// The shipped Erfurt dataset, checked against numbers known from its sources.

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <map>

#include "atlas/geo/config.hpp"
#include "atlas/geo/csv.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/style.hpp"
#include "support.hpp"

namespace atlas {
namespace {

const Dataset& erfurt() {
    static const Dataset ds =
        load_dataset(load_config(test::source_path("shapes/erfurt/atlas.toml")));
    return ds;
}

double sum(const Dataset& ds, const std::string& indicator, int year) {
    double total = 0;
    for (const auto& v : ds.indicator(indicator)->by_year.at(year)) total += v.value_or(0);
    return total;
}

TEST(Erfurt, Has53DistrictsCovering269Point8SquareKilometres) {
    const Dataset& ds = erfurt();
    ASSERT_EQ(ds.districts.size(), 53u);
    double area = 0;
    for (const auto& d : ds.districts) area += d.area_km2;
    EXPECT_NEAR(area, 269.8, 269.8 * 0.005);
    EXPECT_EQ(ds.report.count("repaired"), 2u);  // Marbach and Sulzer Siedlung
    EXPECT_FALSE(ds.report.has_errors());
}

TEST(Erfurt, EveryDistrictAreaMatchesTheSourcesOwnShapeArea) {
    // SHAPE_AREA comes from the city's EPSG:25832 geodata; read it independently with GDAL.
    GDALAllRegister();
    GDALDatasetUniquePtr source(GDALDataset::Open(
        test::source_path("shapes/erfurt/stadtteile.geojson").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(source);
    std::map<std::string, double> official;
    for (auto& f : *source->GetLayer(0))
        official[f->GetFieldAsString("NAME")] = f->GetFieldAsDouble("SHAPE_AREA");
    ASSERT_EQ(official.size(), 53u);
    for (const auto& d : erfurt().districts) {
        ASSERT_TRUE(official.contains(d.key)) << d.key;
        EXPECT_NEAR(d.area_km2 * 1e6, official[d.key], official[d.key] * 0.001) << d.key;
    }
}

TEST(Erfurt, NamesKeepTheirUmlautsAndDuplicateOfficialIdsAreKept) {
    const Dataset& ds = erfurt();
    int with_39 = 0;
    bool loeber = false;
    for (const auto& d : ds.districts) {
        with_39 += d.official_id == "39";
        loeber |= d.name ==
                  "L\xC3\xB6"
                  "bervorstadt";
    }
    EXPECT_EQ(with_39, 2);  // Frienstedt and Bindersleben share the source's id 39
    EXPECT_TRUE(loeber);
}

TEST(Erfurt, AllServicesLieInsideTheCity) {
    const Dataset& ds = erfurt();
    EXPECT_EQ(std::count_if(ds.services.begin(), ds.services.end(),
                            [](const Service& s) { return s.layer == "osm"; }),
              311);
    // The rest are the inventory's offers with a point: 6 sourced, the others fictional.
    std::size_t sourced = 0, fictional = 0;
    for (const auto& s : ds.services) {
        EXPECT_TRUE(s.district.has_value()) << s.name;
        if (s.layer != "inventory") continue;
        sourced += s.data_status == kStatusSource;
        fictional += s.data_status == kStatusExample;
    }
    EXPECT_EQ(sourced, 6u);
    EXPECT_EQ(sourced + fictional + 311, ds.services.size());
}

// The modelled file itself, before secrecy withholds small counts from every output.
double file_sum(const std::string& column, int year) {
    static const CsvTable table =
        read_csv_file(test::source_path("shapes/erfurt/modell_indikatoren.csv"));
    const std::size_t c = table.column(column), y = table.column("jahr");
    double total = 0;
    for (const auto& row : table.rows)
        if (std::stoi(row.cells[y]) == year) total += std::stod(row.cells[c]);
    return total;
}

TEST(Erfurt, ModelledDistrictsSumToTheRealCityTotals) {
    const Dataset& ds = erfurt();
    // erfurt_citywide_foreigners.csv (31.12.2019, 31.12.2021) and press release 2023/143409.
    EXPECT_EQ(sum(ds, "einwohner_modell", 2019), 214417);
    EXPECT_EQ(sum(ds, "einwohner_modell", 2021), 213835);
    EXPECT_EQ(sum(ds, "einwohner_modell", 2022), 215520);
    EXPECT_EQ(file_sum("auslaender", 2019), 18811);
    EXPECT_EQ(file_sum("auslaender", 2021), 21409);
    EXPECT_LT(sum(ds, "auslaender_modell", 2021), 21409);  // small districts' totals withheld
    EXPECT_EQ(sum(ds, "migrationshintergrund_modell", 2019), 26995);
    EXPECT_EQ(file_sum("auslaender_0_17", 2019), 3745);
    EXPECT_EQ(file_sum("auslaender_18_64", 2021), 16426);
    EXPECT_EQ(file_sum("auslaender_65plus", 2021), 808);
    EXPECT_EQ(file_sum("auslaender_eu_freizuegigkeit", 2019), 6722);
    EXPECT_EQ(file_sum("auslaender_humanitaer", 2021), 7254);
    EXPECT_EQ(file_sum("auslaender_sonstige_aufenthaltszwecke", 2019), 5944);
    EXPECT_EQ(file_sum("auslaender_aufenthalt_uebrige", 2021), 21409 - 7534 - 7254 - 5131);
    // What is published of the small groups is less: secrecy withholds cells.
    EXPECT_LT(sum(ds, "auslaender_65plus_modell", 2021), 808);
    for (int year = 2015; year <= 2024; ++year) {
        EXPECT_EQ(ds.indicator("auslaender_modell")->by_year.count(year), 1u) << year;
    }
}

TEST(Erfurt, ModelKeepsTheRealDistrictFigures) {
    const Dataset& ds = erfurt();
    std::size_t berliner = 0;
    while (ds.districts[berliner].key != "Berliner Platz") ++berliner;
    EXPECT_EQ(*ds.indicator("auslaender")->by_year.at(2019)[berliner], 1063);  // official
    EXPECT_EQ(*ds.indicator("auslaender_modell")->by_year.at(2019)[berliner], 1063);
    EXPECT_EQ(*ds.indicator("einwohner_modell")->by_year.at(2022)[berliner], 6000);
    EXPECT_TRUE(ds.indicator("auslaender")->meta.official);
    EXPECT_FALSE(ds.indicator("auslaender_modell")->meta.official);
    EXPECT_FALSE(ds.indicator("auslaender_anteil_modell")->meta.official);
}

TEST(Erfurt, ModelledBreakdownsAddUpInEveryDistrict) {
    const Dataset& ds = erfurt();
    for (int year = 2015; year <= 2024; ++year) {
        for (std::size_t d = 0; d < ds.districts.size(); ++d) {
            const auto v = [&](const char* id) { return *ds.indicator(id)->by_year.at(year)[d]; };
            const double foreigners = v("auslaender_modell");
            EXPECT_EQ(v("auslaender_0_17_modell") + v("auslaender_18_64_modell") +
                          v("auslaender_65plus_modell"),
                      foreigners);
            EXPECT_EQ(v("auslaender_eu_modell") + v("auslaender_humanitaer_modell") +
                          v("auslaender_sonstige_modell") +
                          v("auslaender_aufenthalt_uebrige_modell"),
                      foreigners);
            EXPECT_GE(v("migrationshintergrund_modell"), foreigners);
            EXPECT_LE(foreigners, v("einwohner_modell"));
        }
    }
}

}  // namespace
}  // namespace atlas

namespace atlas {
namespace {

// The shared data's own per-Stadtteil sums of the Zensus 2011 cells (by cell centre).
std::map<std::string, std::map<std::string, double>> zensus_summary(const std::string& feature) {
    const CsvTable table =
        read_csv_file(test::data_path("zensus2011/per_stadtteil_" + feature + ".csv"));
    std::map<std::string, std::map<std::string, double>> out;
    for (const auto& row : table.rows)
        for (std::size_t c = 1; c < table.header.size(); ++c)
            out[row.cells[0]][table.header[c]] = std::stod(row.cells[c]);
    return out;
}

TEST(Erfurt, Zensus2011GridSumsPerStadtteilAreTheRealOfficialFigures) {
    const Dataset& ds = erfurt();
    const auto total = zensus_summary("INSGESAMT"), citizenship = zensus_summary("STAATSANGE_GRP"),
               birth = zensus_summary("GEBURTLAND_GRP"), age = zensus_summary("ALTER_KURZ");
    const auto value = [&](const std::string& id, std::size_t d) {
        const IndicatorSeries* s = ds.indicator(id);
        EXPECT_TRUE(s->meta.official) << id;
        EXPECT_FALSE(s->suppressed(2011, d)) << id;  // the census's own cells hold no 1 or 2
        return *s->by_year.at(2011)[d];
    };
    double residents = 0, foreigners = 0;
    for (std::size_t d = 0; d < ds.districts.size(); ++d) {
        const std::string& name = ds.districts[d].name;
        SCOPED_TRACE(name);
        EXPECT_EQ(value("einwohner_zensus2011", d), total.at(name).at("0"));
        const auto& c = citizenship.at(name);
        EXPECT_EQ(value("auslaender_eu27_zensus2011", d), c.at("21"));
        EXPECT_EQ(value("auslaender_europa_zensus2011", d), c.at("22"));
        EXPECT_EQ(value("auslaender_welt_zensus2011", d), c.at("23") + c.at("24"));
        EXPECT_EQ(value("auslaender_zensus2011", d),
                  c.at("21") + c.at("22") + c.at("23") + c.at("24"));
        const auto& b = birth.at(name);
        EXPECT_EQ(value("im_ausland_geboren_zensus2011", d),
                  b.at("21") + b.at("22") + b.at("23") + b.at("24"));
        EXPECT_EQ(value("alter_unter18_zensus2011", d), age.at(name).at("1"));
        EXPECT_EQ(value("alter_65plus_zensus2011", d), age.at(name).at("5"));
        residents += value("einwohner_zensus2011", d);
        foreigners += value("auslaender_zensus2011", d);
    }
    // SOURCES.md: 200,963 persons, 5,308 foreign nationals inside the city.
    EXPECT_EQ(residents, 200963);
    EXPECT_EQ(foreigners, 5308);
    // The share is official, with the citizenship table's own total as denominator.
    const IndicatorSeries* share = ds.indicator("auslaender_anteil_zensus2011");
    ASSERT_NE(share, nullptr);
    EXPECT_TRUE(share->meta.official);
    const std::size_t altstadt = 1;
    ASSERT_EQ(ds.districts[altstadt].name, "Altstadt");
    EXPECT_NEAR(*share->by_year.at(2011)[altstadt], (223.0 + 581 + 665 + 12) / 17572 * 100, 1e-9);
}

TEST(Erfurt, ChangeFromTheCensusIntoTheModelSaysSo) {
    const Dataset& ds = erfurt();
    const IndicatorSeries* change = ds.indicator("auslaender_anteil_seit_zensus2011");
    ASSERT_NE(change, nullptr);
    EXPECT_FALSE(change->meta.official);
    // Altstadt: 3,874 of 21,582 in the modelled 2024 file, 1,481 of 17,572 in the census.
    const std::size_t altstadt = 1;
    EXPECT_NEAR(*change->by_year.at(2024)[altstadt],
                3874.0 / 21582 * 100 - (223.0 + 581 + 665 + 12) / 17572 * 100, 1e-9);
    // Withheld wherever the modelled share of that year is.
    const IndicatorSeries* share = ds.indicator("auslaender_anteil_modell");
    std::size_t withheld = 0;
    for (std::size_t d = 0; d < ds.districts.size(); ++d) {
        EXPECT_EQ(change->suppressed(2024, d), share->suppressed(2024, d)) << d;
        withheld += change->suppressed(2024, d);
    }
    EXPECT_GT(withheld, 0u);

    const auto styles = load_styles(ds.config.styles_dir);
    const auto style = [&](const std::string& id) {
        for (const auto& s : styles)
            if (s.id == id) return s;
        throw std::runtime_error("no style " + id);
    };
    const Legend de = make_legend(style("auslaender_anteil_seit_zensus2011"), ds, nullptr, {});
    EXPECT_EQ(de.subtitle, "Zensus 2011 → Modell 2024");
    EXPECT_TRUE(de.modelled);
    const Legend en = make_legend(style("auslaender_anteil_seit_zensus2011"), ds, nullptr, 2020, {},
                                  Language::en);
    EXPECT_EQ(en.subtitle, "census 2011 → model 2020");
    // A change within the model names both ends as modelled; the census map stays official.
    EXPECT_EQ(make_legend(style("auslaender_anteil_veraenderung"), ds, nullptr, {}).subtitle,
              "Modell 2015 → Modell 2024");
    const Legend census = make_legend(style("auslaender_anteil_zensus2011"), ds, nullptr, {});
    EXPECT_EQ(census.subtitle, "Stand 2011");
    EXPECT_FALSE(census.modelled);
}

}  // namespace
}  // namespace atlas
