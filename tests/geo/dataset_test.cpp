#include "atlas/geo/dataset.hpp"
#include "atlas/geo/features.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include <ogrsf_frmts.h>
#include <filesystem>

#include "atlas/geo/config.hpp"
#include "atlas/geo/crs.hpp"
#include "atlas/geo/csv.hpp"
#include "atlas/geo/error.hpp"
#include "atlas/geo/geojson.hpp"
#include "atlas/geo/grid.hpp"
#include "support.hpp"

namespace atlas {
namespace {

// A config over the hand-made squares with one indicator table; pieces can be swapped out.
struct SquaresConfig {
    std::string districts = test::data_path("squares/districts.geojson");
    std::string key_field = "name";
    std::string table = test::data_path("csv/semicolon_comma.csv");
    std::string working_crs = "EPSG:25832";
    std::string extra;
    std::string dataset_extra;  // more keys of [dataset]

    std::string text() const {
        return R"([dataset]
id = "squares"
title_de = "Quadrate"
working_crs = ")" +
               working_crs + R"("
attribution = ["Testdaten"]
)" + dataset_extra +
               R"(

[districts]
source = ")" + districts +
               R"("
key_field = ")" +
               key_field + R"("
official_id_field = "code"

[[handlungsfelder]]
id = "bildung"
label_de = "Bildung"
label_en = "Education"

[[indicator_tables]]
file = ")" + table +
               R"("
key_column = "gebiet"
year_column = "jahr"
  [[indicator_tables.indicators]]
  id = "wert"
  label_de = "Wert"
  kind = "rate"
  official = true
  [[indicator_tables.indicators]]
  id = "anzahl"
  label_de = "Anzahl"
  official = false

[[derived_indicators]]
id = "quote"
label_de = "Quote"
kind = "share"
numerator = "anzahl"
denominator = "wert"
scale = 100

[[services]]
id = "s"
source = ")" + test::data_path("squares/services.geojson") +
               R"("
name_field = "name"
category_field = "kind"
source_label = "Test"
  [services.categories]
  kita = ["bildung"]
  schule = ["bildung"]
)" + extra;
    }

    Dataset load() const {
        test::TempDir dir;
        return load_dataset(load_config(dir.write("atlas.toml", text())));
    }
};

std::size_t index_of(const Dataset& ds, const std::string& key) {
    for (std::size_t i = 0; i < ds.districts.size(); ++i) {
        if (ds.districts[i].key == key) return i;
    }
    throw std::runtime_error("no district " + key);
}

TEST(Dataset, SquaresHaveExactAreasAndStableIds) {
    const Dataset ds = SquaresConfig{}.load();
    ASSERT_EQ(ds.districts.size(), 3u);
    // Ids follow the byte order of the keys: "Nord" < "Süd" < "Öst-Schleife" (0xC3 sorts last).
    EXPECT_EQ(ds.districts[0].key, "Nord");
    EXPECT_EQ(ds.districts[0].id, 1);
    EXPECT_EQ(ds.districts[1].key, "Süd");
    EXPECT_EQ(ds.districts[2].id, 3);
    EXPECT_DOUBLE_EQ(ds.districts[index_of(ds, "Nord")].area_km2, 1.0);
    EXPECT_DOUBLE_EQ(ds.districts[index_of(ds, "Süd")].area_km2, 1.0);
}

TEST(Dataset, InvalidBowTieIsRepairedAndReported) {
    const Dataset ds = SquaresConfig{}.load();
    const District& bow = ds.districts[index_of(ds, "Öst-Schleife")];
    EXPECT_EQ(bow.metric.size(), 2u);  // two triangles after MakeValid
    EXPECT_NEAR(bow.area_km2, 2.0, 1e-9);
    ASSERT_EQ(ds.report.count("repaired"), 1u);
    EXPECT_EQ(ds.report.count("duplicate-official-id"), 1u);
}

TEST(Dataset, JoinsIndicatorValuesByKeyAndYear) {
    const Dataset ds = SquaresConfig{}.load();
    const auto* wert = ds.indicator("wert");
    ASSERT_NE(wert, nullptr);
    const auto nord = index_of(ds, "Nord"), sued = index_of(ds, "Süd"),
               bow = index_of(ds, "Öst-Schleife");
    EXPECT_DOUBLE_EQ(*wert->by_year.at(2021)[nord], 1234.5);
    EXPECT_DOUBLE_EQ(*wert->by_year.at(2021)[sued], 1000000.25);
    EXPECT_FALSE(wert->by_year.at(2022)[sued].has_value());
    EXPECT_FALSE(wert->by_year.at(2021)[bow].has_value());
    EXPECT_EQ(ds.years(), (std::vector<int>{2021, 2022}));
    EXPECT_EQ(ds.latest_year(), 2022);
}

TEST(Dataset, DerivedShareIsModelledWhenAnyPartIs) {
    const Dataset ds = SquaresConfig{}.load();
    const auto* quote = ds.indicator("quote");
    ASSERT_NE(quote, nullptr);
    EXPECT_FALSE(quote->meta.official);  // anzahl is modelled
    EXPECT_NEAR(*quote->by_year.at(2021)[index_of(ds, "Nord")], 12 / 1234.5 * 100, 1e-12);
    EXPECT_FALSE(quote->by_year.at(2022)[index_of(ds, "Süd")].has_value());  // wert missing
}

TEST(Dataset, DensityAndChangeBetweenYears) {
    SquaresConfig cfg;
    cfg.extra = R"(
[[derived_indicators]]
id = "dichte"
label_de = "Dichte"
kind = "density"
numerator = "anzahl"

[[derived_indicators]]
id = "anzahl_vorjahr"
label_de = "Veränderung zum Vorjahr"
change_of = "anzahl"
period = 1

[[derived_indicators]]
id = "quote_seit_2021"
label_de = "Quote seit 2021"
kind = "share"
change_of = "quote"
base_year = 2021
)";
    const Dataset ds = cfg.load();
    const auto nord = index_of(ds, "Nord"), sued = index_of(ds, "Süd");
    const auto* dichte = ds.indicator("dichte");
    ASSERT_NE(dichte, nullptr);
    EXPECT_NEAR(*dichte->by_year.at(2021)[nord], 12.0, 1e-9);  // 12 on exactly 1 km²
    EXPECT_NEAR(*dichte->by_year.at(2022)[sued], 4.0, 1e-9);
    EXPECT_FALSE(dichte->meta.official);
    const auto* change = ds.indicator("anzahl_vorjahr");
    ASSERT_NE(change, nullptr);
    EXPECT_FALSE(change->by_year.contains(2021));              // no year before the first
    EXPECT_EQ(*change->by_year.at(2022)[sued], 1.0);           // 4 - 3
    EXPECT_FALSE(change->by_year.at(2022)[nord].has_value());  // Nord has no 2022 row
    // A change of a derived share; Süd's 2022 share is missing, so is its change.
    const auto* since = ds.indicator("quote_seit_2021");
    ASSERT_NE(since, nullptr);
    EXPECT_FALSE(since->by_year.at(2022)[sued].has_value());
}

TEST(Dataset, ChangeMayStartFromAnotherIndicator) {
    // A census year against a model: 2022's "anzahl" minus 2021's official "wert".
    SquaresConfig cfg;
    cfg.extra = R"(
[[derived_indicators]]
id = "anzahl_seit_wert"
label_de = "Anzahl seit Wert 2021"
change_of = "anzahl"
base_of = "wert"
base_year = 2021
base_label_de = "Zählung 2021"
)";
    const Dataset ds = cfg.load();
    const auto* change = ds.indicator("anzahl_seit_wert");
    ASSERT_NE(change, nullptr);
    EXPECT_FALSE(change->meta.official);  // its end is modelled
    EXPECT_EQ(change->meta.base_of, "wert");
    EXPECT_EQ(change->meta.base_label_en, "Zählung 2021");  // English falls back to German
    EXPECT_NEAR(*change->by_year.at(2022)[index_of(ds, "Süd")], 4 - 1000000.25, 1e-9);
    EXPECT_FALSE(change->by_year.at(2022)[index_of(ds, "Nord")].has_value());
    EXPECT_FALSE(change->by_year.contains(2021));
}

TEST(Dataset, ChangeNeedsOneBaseAndAKnownIndicator) {
    for (const auto& [extra, field] : {
             std::pair{"id = \"c\"\nlabel_de = \"C\"\nchange_of = \"anzahl\"\n",
                       "derived_indicators.change_of"},
             std::pair{"id = \"c\"\nlabel_de = \"C\"\nchange_of = \"anzahl\"\nperiod = 1\n"
                       "base_year = 2020\n",
                       "derived_indicators.change_of"},
             std::pair{"id = \"c\"\nlabel_de = \"C\"\nchange_of = \"gibts_nicht\"\nperiod = 1\n",
                       "derived_indicators.change_of"},
             std::pair{"id = \"c\"\nlabel_de = \"C\"\nchange_of = \"anzahl\"\nperiod = 0\n",
                       "derived_indicators.period"},
             std::pair{"id = \"c\"\nlabel_de = \"C\"\nchange_of = \"anzahl\"\nperiod = 1.5\n",
                       "derived_indicators.period"},
             std::pair{"id = \"c\"\nlabel_de = \"C\"\nchange_of = \"anzahl\"\nperiod = 1\n"
                       "base_of = \"wert\"\n",
                       "derived_indicators.base_of"},
             std::pair{"id = \"c\"\nlabel_de = \"C\"\nchange_of = \"anzahl\"\nbase_year = 2021\n"
                       "base_of = \"gibts_nicht\"\n",
                       "derived_indicators.base_of"},
         }) {
        SquaresConfig cfg;
        cfg.extra = std::string("\n[[derived_indicators]]\n") + extra;
        try {
            cfg.load();
            ADD_FAILURE() << extra;
        } catch (const InputError& e) {
            EXPECT_EQ(e.where().field, field) << e.what();
            EXPECT_TRUE(e.where().line.has_value());
        }
    }
}

TEST(Dataset, UnknownKeysAreReportedNotDropped) {
    SquaresConfig cfg;
    cfg.table = test::data_path("csv/unknown_key.csv");
    const Dataset ds = cfg.load();
    ASSERT_EQ(ds.report.count("unmatched"), 1u);
    std::string message;
    for (const auto& e : ds.report.entries) {
        if (e.topic == "unmatched") message = e.message;
    }
    EXPECT_NE(message.find("'Atlantis'"), std::string::npos);
    EXPECT_NE(message.find("unknown_key.csv:3"), std::string::npos);
    EXPECT_NE(message.find("gebiet"), std::string::npos);
    EXPECT_DOUBLE_EQ(*ds.indicator("wert")->by_year.at(2021)[index_of(ds, "Süd")], 3);
    // The bow tie has no row at all: that is reported too.
    EXPECT_EQ(ds.report.count("no-data"), 1u);
}

TEST(Dataset, ServicesAreAssignedToDistrictsAndOutliersReported) {
    const Dataset ds = SquaresConfig{}.load();
    ASSERT_EQ(ds.services.size(), 4u);
    EXPECT_EQ(ds.services[0].district, index_of(ds, "Nord"));
    EXPECT_EQ(ds.services[1].district, index_of(ds, "Süd"));
    EXPECT_FALSE(ds.services[2].district.has_value());
    EXPECT_EQ(ds.services[0].fields, std::vector<std::string>{"bildung"});
    EXPECT_TRUE(ds.services[3].fields.empty());
    EXPECT_EQ(ds.report.count("outside"), 1u);
    EXPECT_EQ(ds.report.count("unknown-category"), 1u);
    EXPECT_NEAR(ds.services[0].wgs84.x, 11.0, 0.1);  // transformed back to lon/lat
}

InputError load_error(const SquaresConfig& cfg) {
    try {
        cfg.load();
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "no error";
    return InputError({}, "");
}

TEST(Dataset, MissingFileIsNamed) {
    SquaresConfig cfg;
    cfg.districts = "/nonexistent/districts.geojson";
    EXPECT_EQ(load_error(cfg).where().file, "/nonexistent/districts.geojson");
    cfg = {};
    cfg.table = "/nonexistent/table.csv";
    EXPECT_EQ(load_error(cfg).where().file, "/nonexistent/table.csv");
}

TEST(Dataset, MissingFieldIsNamed) {
    SquaresConfig cfg;
    cfg.key_field = "stadtteil";
    const auto e = load_error(cfg);
    EXPECT_EQ(e.where().field, "stadtteil");
    EXPECT_NE(e.where().file.find("districts.geojson"), std::string::npos);
}

TEST(Dataset, NonNumericValueNamesFileLineAndField) {
    SquaresConfig cfg;
    cfg.table = test::data_path("csv/not_a_number.csv");
    const auto e = load_error(cfg);
    EXPECT_NE(e.where().file.find("not_a_number.csv"), std::string::npos);
    EXPECT_EQ(e.where().line, 3);
    EXPECT_EQ(e.where().field, "wert");
    EXPECT_NE(std::string(e.what()).find("'viele'"), std::string::npos);
}

TEST(Dataset, UnknownCrsNamesTheConfigKey) {
    SquaresConfig cfg;
    cfg.working_crs = "EPSG:999999";
    const auto e = load_error(cfg);
    EXPECT_EQ(e.where().field, "dataset.working_crs");
    EXPECT_NE(std::string(e.what()).find("EPSG:999999"), std::string::npos);
}

TEST(Dataset, DuplicateRowsForOneYearAreAnError) {
    test::TempDir dir;
    SquaresConfig cfg;
    cfg.table = dir.write("dup.csv", "gebiet;jahr;wert;anzahl\nNord;2021;1;2\nNord;2021;3;4\n");
    const auto e = load_error(cfg);
    EXPECT_EQ(e.where().line, 3);
}

// Writes the fixture table as a GeoPackage attribute table; `wert` of row `bad_row` is text.
std::string write_gpkg_table(const test::TempDir& dir, int bad_row = -1) {
    GDALAllRegister();
    const std::string path = (dir.path() / "werte.gpkg").string();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* layer = ds->CreateLayer("werte", nullptr, wkbNone, nullptr);
    OGRFieldDefn gebiet("gebiet", OFTString), jahr("jahr", OFTInteger), wert("wert", OFTString),
        anzahl("anzahl", OFTInteger);
    for (auto* f : {&gebiet, &jahr, &wert, &anzahl}) EXPECT_EQ(layer->CreateField(f), OGRERR_NONE);
    const struct {
        const char* gebiet;
        int jahr;
        const char* wert;
        int anzahl;
    } rows[] = {{"Nord", 2021, "1234.5", 12}, {"Süd", 2021, "1000000.25", 3}};
    for (int i = 0; i < 2; ++i) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField("gebiet", rows[i].gebiet);
        f->SetField("jahr", rows[i].jahr);
        f->SetField("wert", i == bad_row ? "viel" : rows[i].wert);
        f->SetField("anzahl", rows[i].anzahl);
        EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
    return path;
}

TEST(Dataset, IndicatorTablesMayBeGdalSources) {
    test::TempDir dir;
    SquaresConfig cfg;
    cfg.table = write_gpkg_table(dir);
    const Dataset ds = cfg.load();
    EXPECT_DOUBLE_EQ(*ds.indicator("wert")->by_year.at(2021)[index_of(ds, "Nord")], 1234.5);
    EXPECT_DOUBLE_EQ(*ds.indicator("anzahl")->by_year.at(2021)[index_of(ds, "Süd")], 3);
}

TEST(Dataset, BadValueInAGdalTableNamesTheFeature) {
    test::TempDir dir;
    SquaresConfig cfg;
    cfg.table = write_gpkg_table(dir, 1);
    const auto e = load_error(cfg);
    EXPECT_EQ(e.where().feature, 1);
    EXPECT_EQ(e.where().field, "wert");
    EXPECT_FALSE(e.where().line.has_value());
}

TEST(Dataset, RealGridFileReplacesTheModelledSurface) {
    test::TempDir dir;
    SquaresConfig cfg;
    // Zensus-style: ';', INSPIRE ids, "-" for a suppressed cell. Two cells lie in Nord (their
    // centres were placed with cs2cs), one far outside every district, one in Öst-Schleife,
    // which has no target count for 2021.
    const auto grid = dir.write("zensus.csv",
                                "GITTER_ID_100m;Einwohner\n"
                                "CRS3035RES100mN3097900E4391200;100\n"
                                "CRS3035RES100mN3098200E4391500;50\n"
                                "CRS3035RES100mN3080000E4380000;7\n"
                                "CRS3035RES100mN3097400E4393600;30\n"
                                "CRS3035RES100mN3098300E4391500;-\n");
    cfg.extra = R"(
[coverage]
population = "anzahl"
target = "anzahl"
year = 2021
  [coverage.grid_csv]
  file = ")" + grid +
                R"("
  id_column = "GITTER_ID_100m"
  population_column = "Einwohner"
)";
    const Dataset ds = cfg.load();
    const PopulationGrid g = build_population_grid(ds, *ds.config.coverage, 2021);
    EXPECT_EQ(g.method, "grid-file");
    // The outside cell is dropped, and so is Öst-Schleife's: without its target count the cell
    // would show a target group of 0 where people live.
    ASSERT_EQ(g.cells.size(), 3u);
    EXPECT_EQ(g.cells[0].id, "CRS3035RES100mN3097900E4391200");
    EXPECT_DOUBLE_EQ(g.cells[0].population, 100);
    // Nord's 12 (target) spread over its grid residents 100 : 50 : 0.
    EXPECT_DOUBLE_EQ(g.cells[0].target, 8);
    EXPECT_DOUBLE_EQ(g.cells[1].target, 4);
    for (const auto& part : g.parts) EXPECT_NE(part.district, index_of(ds, "Öst-Schleife"));
    EXPECT_EQ(g.parts[0].district, index_of(ds, "Nord"));
    ASSERT_EQ(g.notes.size(), 3u);
    EXPECT_NE(g.notes[0].find("'Öst-Schleife' has no anzahl value for 2021"), std::string::npos)
        << g.notes[0];
    EXPECT_NE(g.notes[1].find("1 grid cells lie outside"), std::string::npos);
}

// The two official layouts as published: Zensus 2011 (short ids in hectometres, -1 for a
// withheld value) and Zensus 2022 (full ids, "–", an explanatory-signs column). Both hold the
// same three cells: two in Nord, one withheld.
TEST(Dataset, OfficialZensus2011And2022GridLayoutsAreRead) {
    test::TempDir dir;
    const std::string census2011 = dir.write("Zensus_Bevoelkerung_100m-Gitter.csv",
                                             "Gitter_ID_100m;x_mp_100m;y_mp_100m;Einwohner\n"
                                             "100mN30979E43912;4391250;3097950;100\n"
                                             "100mN30982E43915;4391550;3098250;50\n"
                                             "100mN30983E43915;4391550;3098350;-1\n");
    const std::string census2022 =
        dir.write("Zensus2022_Bevoelkerungszahl_100m-Gitter.csv",
                  "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner;werterlaeuternde_Zeichen\n"
                  "CRS3035RES100mN3097900E4391200;4391250;3097950;100;\n"
                  "CRS3035RES100mN3098200E4391500;4391550;3098250;50;\n"
                  "CRS3035RES100mN3098300E4391500;4391550;3098350;\xE2\x80\x93;\n");
    const auto surface = [](const std::string& file, const std::string& keys) {
        SquaresConfig cfg;
        cfg.extra = R"(
[coverage]
population = "anzahl"
target = "anzahl"
year = 2021
  [coverage.grid_csv]
  file = ")" + file +
                    "\"\n" + keys + "\n  population_column = \"Einwohner\"\n";
        const Dataset ds = cfg.load();
        return build_population_grid(ds, *ds.config.coverage, 2021);
    };
    for (const auto& g :
         {surface(census2011, "  id_column = \"Gitter_ID_100m\""),
          surface(census2011, "  x_column = \"x_mp_100m\"\n  y_column = \"y_mp_100m\""),
          surface(census2022, "  id_column = \"GITTER_ID_100m\"")}) {
        ASSERT_EQ(g.cells.size(), 3u);
        EXPECT_EQ(g.cells[0].id, "CRS3035RES100mN3097900E4391200");
        EXPECT_EQ(g.cells[2].id, "CRS3035RES100mN3098300E4391500");
        EXPECT_DOUBLE_EQ(g.cells[0].population, 100);
        EXPECT_DOUBLE_EQ(g.cells[1].population, 50);
        EXPECT_DOUBLE_EQ(g.cells[2].population, 0);
        EXPECT_DOUBLE_EQ(g.cells[0].target + g.cells[1].target, 12);  // Nord's count
        ASSERT_EQ(g.notes.size(), 2u);  // Öst-Schleife has no target count; one value withheld
        EXPECT_NE(g.notes[1].find("1 grid cells have no population value"), std::string::npos);
    }
    EXPECT_EQ(parse_inspire_id("1kmN3097E4391", 1000)->x, 4391000);
    EXPECT_FALSE(parse_inspire_id("100mN30979", 100).has_value());
    EXPECT_FALSE(parse_inspire_id("100kN30979E43912", 100).has_value());

    // Any other negative number is an error that names the line and field.
    const std::string broken = dir.write("broken.csv",
                                         "Gitter_ID_100m;Einwohner\n"
                                         "100mN30979E43912;100\n"
                                         "100mN30982E43915;-5\n");
    try {
        surface(broken, "  id_column = \"Gitter_ID_100m\"");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().line, 3);
        EXPECT_EQ(e.where().field, "Einwohner");
        EXPECT_NE(std::string(e.what()).find("-1"), std::string::npos) << e.what();
    }
}

TEST(Dataset, BadGridIdNamesLineAndField) {
    test::TempDir dir;
    SquaresConfig cfg;
    const auto grid =
        dir.write("zensus.csv", "id;pop\nCRS3035RES100mN3097900E4391200;1\nCRS3035RES1kmN1E2;5\n");
    cfg.extra = R"(
[coverage]
population = "anzahl"
target = "anzahl"
  [coverage.grid_csv]
  file = ")" + grid +
                R"("
  id_column = "id"
  population_column = "pop"
)";
    const Dataset ds = cfg.load();
    try {
        build_population_grid(ds, *ds.config.coverage, 2021);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().line, 3);
        EXPECT_EQ(e.where().field, "id");
    }
}

TEST(GeoJson, DistrictsCarryValuesOfTheYearAndMarkModelled) {
    const Dataset ds = SquaresConfig{}.load();
    const FeatureLayer layer = districts_layer(ds, 2021, nullptr);
    const auto json = to_geojson(layer, nullptr);
    EXPECT_NE(json.find(R"("name":"Nord")"), std::string::npos);
    EXPECT_NE(json.find(R"("wert":1234.5)"), std::string::npos);
    EXPECT_NE(json.find(R"("anzahl":12,)"), std::string::npos);  // counts are integers
    EXPECT_NE(json.find(R"("modelled_indicators":"anzahl,quote")"), std::string::npos);
    EXPECT_NE(json.find(R"("attribution":["Testdaten"])"), std::string::npos);
    EXPECT_NE(json.find(R"("data_status":"contains modelled values")"), std::string::npos);
}

TEST(GeoJson, OtherCrsAndAxisOrder) {
    const Dataset ds = SquaresConfig{}.load();
    const FeatureLayer layer = districts_layer(ds, 2021, nullptr);
    const std::vector<std::size_t> nord{0};
    // Back in EPSG:25832 the square's first corner is (640000, 5650000) again, to the centimetre.
    const Transformer to_utm("OGC:CRS84", "EPSG:25832");
    GeoJsonOptions utm;
    utm.transform = &to_utm;
    utm.decimals = 2;
    EXPECT_NE(to_geojson(layer, &nord, utm).find("[[[640000.00,5650000.00],[641000.00,5650000.00]"),
              std::string::npos);
    // EPSG:4326 writes latitude first.
    GeoJsonOptions lat_lon;
    lat_lon.swap_axes = true;
    const Point corner = std::get<MultiPolygon>(layer.features[0].geometry)[0].outer[0];
    char expected[64];
    std::snprintf(expected, sizeof expected, "[[[%.6f,%.6f]", corner.y, corner.x);
    EXPECT_NE(to_geojson(layer, &nord, lat_lon).find(expected), std::string::npos);
}

TEST(Csv, GermanSpreadsheetExport) {
    const Dataset ds = SquaresConfig{}.load();
    const FeatureLayer layer = districts_layer(ds, 2021, nullptr);
    const std::string csv = to_csv(layer, nullptr, {';', true, true});
    EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(csv.find("1;Nord;Nord;2021;1;1;anzahl,quote;;1234,5;12;"), std::string::npos) << csv;
    // And it reads back with the atlas's own German CSV reader to the same numbers.
    const CsvTable table = parse_csv(csv, "export.csv");
    bool ok = false;
    EXPECT_DOUBLE_EQ(
        *parse_number(table.rows[0].cells[table.column("wert")], DecimalMark::comma, ok), 1234.5);
}

TEST(GeoPackage, DownloadOpensInGdalWithTypes) {
    const Dataset ds = SquaresConfig{}.load();
    const FeatureLayer layer = districts_layer(ds, 2021, nullptr);
    test::TempDir dir;
    const auto path = dir.write("d.gpkg", to_geopackage(layer));
    GDALDatasetUniquePtr gpkg(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(gpkg);
    OGRLayer* l = gpkg->GetLayerByName("districts");
    ASSERT_NE(l, nullptr);
    EXPECT_EQ(l->GetFeatureCount(), 3);
    const auto* defn = l->GetLayerDefn();
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("anzahl"))->GetType(), OFTInteger64);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("wert"))->GetType(), OFTReal);
    OGRFeatureUniquePtr nord(l->GetFeature(1));
    ASSERT_TRUE(nord);
    EXPECT_STREQ(nord->GetFieldAsString("name"), "Nord");
    EXPECT_DOUBLE_EQ(nord->GetFieldAsDouble("wert"), 1234.5);
    OGREnvelope env;
    nord->GetGeometryRef()->getEnvelope(&env);
    EXPECT_NEAR(env.MinX, 10.99, 0.05);  // lon/lat
}

// A city with Ortsteile speaks of Ortsteile in its layers and report, by configuration only.
TEST(Dataset, TheCitysWordsForItsDistrictsReachTheOutputs) {
    SquaresConfig c;
    c.dataset_extra =
        "district_word = \"Ortsteil\"\ndistricts_word = \"Ortsteile\"\n"
        "report_title = \"Sozialbericht\"\n";
    const Dataset ds = c.load();
    EXPECT_EQ(ds.config.report_title, "Sozialbericht");
    const FeatureLayer districts = districts_layer(ds, ds.years().back(), nullptr);
    EXPECT_EQ(districts.title_de, "Ortsteile");
    EXPECT_NE(districts.description.find("Ortsteile mit Indikatoren"), std::string::npos);
    const FeatureLayer services = services_layer(ds);
    bool named = false;
    for (const auto& a : services.schema) named |= a.name == "district" && a.title == "Ortsteil";
    EXPECT_TRUE(named);
    // Without the keys: Stadtteil.
    EXPECT_EQ(districts_layer(SquaresConfig{}.load(), ds.years().back(), nullptr).title_de,
              "Stadtteile");
}

// A Shapefile whose .dbf is Latin-1 without a .cpg: an error naming file, feature and field,
// and with `encoding` the right names (not a crash of every later JSON output).
TEST(Dataset, LatinOneShapefileWithoutCpgIsAnErrorUntilTheEncodingIsNamed) {
    test::TempDir dir;
    std::string geojson = test::read_file(test::data_path("squares/districts.geojson"));
    const std::string first = "\"Feature\",\"properties\":{\"name\":\"";
    const auto at = geojson.find(first) + first.size();
    const std::string original = geojson.substr(at, geojson.find('"', at) - at);
    geojson.replace(at, original.size(), "Gr\xC3\xBCnau");
    const std::string in = dir.write("in.geojson", geojson);
    const std::string shp = (dir.path() / "d.shp").string();
    ASSERT_EQ(test::run_command("ogr2ogr -f 'ESRI Shapefile' -lco ENCODING=ISO-8859-1 " + shp +
                                " " + in + " 2>&1")
                  .status,
              0);
    std::filesystem::remove(dir.path() / "d.cpg");
    SquaresConfig c;
    c.districts = shp;
    try {
        c.load();
        ADD_FAILURE() << "Latin-1 names were accepted as UTF-8";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().file, shp);
        EXPECT_EQ(e.where().field, "name");
        EXPECT_TRUE(e.where().feature.has_value());
        EXPECT_NE(std::string(e.what()).find("ISO-8859-1"), std::string::npos) << e.what();
    }
    c.districts = shp + "\"\nencoding = \"ISO-8859-1";
    const Dataset ds = c.load();
    bool found = false;
    for (const auto& d : ds.districts) found |= d.name == "Gr\xC3\xBCnau";
    EXPECT_TRUE(found);
}

}  // namespace
}  // namespace atlas
