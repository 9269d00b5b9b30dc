// PostGIS as source and store, against a real PostgreSQL 15 + PostGIS 3 that this test starts
// itself (scripts/pg-temp.sh: initdb in a temp folder, Unix socket only) and stops. The Erfurt
// data is loaded into PostGIS and into a GeoPackage with ogr2ogr; both configs must give
// byte-identical GeoJSON, and the version store must round-trip in PostgreSQL.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/features.hpp"
#include "atlas/geo/geojson.hpp"
#include "atlas/geo/store.hpp"
#include "support.hpp"

namespace atlas {
namespace {

std::string geojson(const FeatureLayer& layer) {
    return to_geojson(layer, nullptr, GeoJsonOptions{});
}

int run(const std::string& command) {
    return std::system(command.c_str());
}

// One throw-away cluster for the tests of this file.
class PostGis : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        folder_ = new test::TempDir();
        port_ = std::to_string(55000 + getpid() % 1000);
        const std::string start = "ATLAS_PG_PORT=" + port_ + " " +
                                  test::source_path("scripts/pg-temp.sh") + " start " +
                                  folder_->path().string() + " >/dev/null";
        started_ = run(start) == 0 &&
                   run("psql -q -h " + folder_->path().string() + " -p " + port_ +
                       " -U postgres -d postgres -c 'CREATE EXTENSION postgis' >/dev/null") == 0;
    }
    static void TearDownTestSuite() {
        run(test::source_path("scripts/pg-temp.sh") + " stop " + folder_->path().string());
        delete folder_;
    }
    static std::string connection() {
        return "PG:host=" + folder_->path().string() + " port=" + port_ +
               " user=postgres dbname=postgres";
    }
    static std::string ogr2ogr_into(const std::string& target, const std::string& source,
                                    const std::string& layer, const std::string& options = "") {
        return "ogr2ogr -q " + options + " -nln " + layer + " \"" + target + "\" \"" + source +
               "\"";
    }

    static inline test::TempDir* folder_ = nullptr;
    static inline std::string port_;
    static inline bool started_ = false;
};

// The Erfurt config with districts, the modelled table and the services read from `source`
// (layers stadtteile, modell_indikatoren, dienste); the official tables stay CSV files.
std::string config_reading_from(const std::string& source) {
    std::string config = test::read_file(test::source_path("shapes/erfurt/atlas.toml"));
    const std::string shapes = test::source_path("shapes/erfurt/");
    const auto replace = [&](const std::string& from, const std::string& to) {
        ASSERT_NE(config.find(from), std::string::npos) << from;
        for (auto at = config.find(from); at != std::string::npos;
             at = config.find(from, at + to.size()))
            config.replace(at, from.size(), to);
    };
    replace("source = \"stadtteile.geojson\"",
            "source = \"" + source + "\"\nlayer = \"stadtteile\"");
    replace(
        "file = \"modell_indikatoren.csv\"",
        "file = \"" + source + "\"\nlayer = \"modell_indikatoren\"\nid = \"modell_indikatoren\"");
    replace("source = \"dienste_osm.geojson\"", "source = \"" + source + "\"\nlayer = \"dienste\"");
    for (const char* file :
         {"einwohner_amtlich.csv", "auslaender_amtlich.csv", "zensus2011_gitter.csv",
          "inventar.json", "inventar_beispiel.json", "haltestellen.csv"})
        replace(std::string("\"") + file + "\"", "\"" + shapes + file + "\"");
    replace("\"../../styles\"", "\"" + test::source_path("styles") + "\"");
    return config;
}

TEST_F(PostGis, SourceGivesTheSameGeoJsonAsAGeoPackage) {
    ASSERT_TRUE(started_) << "PostgreSQL/PostGIS did not start (scripts/install-deps.sh test)";
    test::TempDir dir;
    const std::string gpkg = (dir.path() / "erfurt.gpkg").string();
    const std::string shapes = test::source_path("shapes/erfurt/");
    // The CSV's columns as text, exactly as written; the loader parses numbers itself.
    for (const auto& target : {gpkg, connection()}) {
        const std::string creation =
            target == gpkg ? "-f GPKG" : "-f PostgreSQL -lco GEOMETRY_NAME=geom";
        ASSERT_EQ(run(ogr2ogr_into(target, shapes + "stadtteile.geojson", "stadtteile", creation)),
                  0);
        ASSERT_EQ(run(ogr2ogr_into(
                      target, shapes + "modell_indikatoren.csv", "modell_indikatoren",
                      (target == gpkg ? "-update " : "") + creation + " -oo SEPARATOR=SEMICOLON")),
                  0);
        ASSERT_EQ(run(ogr2ogr_into(target, shapes + "dienste_osm.geojson", "dienste",
                                   (target == gpkg ? "-update " : "") + creation)),
                  0);
    }
    const Dataset from_gpkg =
        load_dataset(load_config(dir.write("gpkg.toml", config_reading_from(gpkg))));
    const Dataset from_pg =
        load_dataset(load_config(dir.write("pg.toml", config_reading_from(connection()))));
    ASSERT_EQ(from_pg.districts.size(), 53u);
    ASSERT_EQ(from_pg.services.size(), from_gpkg.services.size());  // 311 OSM + placed offers
    for (const int year : {2015, 2021, 2024}) {
        const std::string a = geojson(districts_layer(from_gpkg, year, nullptr));
        const std::string b = geojson(districts_layer(from_pg, year, nullptr));
        EXPECT_EQ(a.size(), b.size()) << year;
        EXPECT_TRUE(a == b) << year;
    }
    EXPECT_TRUE(geojson(services_layer(from_gpkg)) == geojson(services_layer(from_pg)));
    // And both equal the shipped files' dataset: the source does not change a value.
    const Dataset shipped =
        load_dataset(load_config(test::source_path("shapes/erfurt/atlas.toml")));
    EXPECT_TRUE(geojson(districts_layer(shipped, 2024, nullptr)) ==
                geojson(districts_layer(from_pg, 2024, nullptr)));
}

TEST_F(PostGis, VersionStoreRoundTripsInPostgreSql) {
    ASSERT_TRUE(started_);
    DataStore store(connection());
    const std::string content = "stadtteil;jahr;wert\nAltstadt;2024;1,5\n\xC3\xBC\x00\xFF";
    EXPECT_EQ(store.add("tabelle", content, "csv", "statistik", "upload"), 1);
    EXPECT_EQ(store.add("tabelle", "zweite", "csv", "statistik", "upload"), 2);
    const auto first = store.version("tabelle", 1);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->content, content);  // bytes, not text: a NUL and invalid UTF-8 survive
    EXPECT_EQ(store.version("tabelle")->version, 2);
    const auto history = store.history("tabelle");
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].who, "statistik");
    EXPECT_TRUE(history[0].content.empty());
    // A second connection sees the committed versions.
    DataStore again(connection());
    EXPECT_EQ(again.history("tabelle").size(), 2u);
}

}  // namespace
}  // namespace atlas
