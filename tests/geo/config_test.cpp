#include "atlas/geo/config.hpp"

#include <gtest/gtest.h>

#include "atlas/geo/error.hpp"
#include "support.hpp"

namespace atlas {
namespace {

const char* kMinimal = R"(
[dataset]
id = "t"
title_de = "Test"
attribution = ["Testdaten"]

[districts]
source = "districts.geojson"
key_field = "name"
)";

TEST(Config, RelativePathsResolveAgainstTheConfigFolder) {
    test::TempDir dir;
    const auto path = dir.write("atlas.toml", kMinimal);
    const auto config = load_config(path);
    EXPECT_EQ(config.districts.source, (dir.path() / "districts.geojson").string());
    EXPECT_EQ(config.working_crs, "EPSG:25832");
    EXPECT_EQ(config.districts.name_field, "name");  // defaults to the key
}

TEST(Config, PostgisSourcesAreNotTreatedAsPaths) {
    test::TempDir dir;
    std::string text = kMinimal;
    text.replace(text.find("\"districts.geojson\""), 19, "\"PG:dbname=gis\"");
    const auto config = load_config(dir.write("atlas.toml", text));
    EXPECT_EQ(config.districts.source, "PG:dbname=gis");
}

InputError config_error(const std::string& text) {
    test::TempDir dir;
    try {
        load_config(dir.write("atlas.toml", text));
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return InputError({}, "");
}

TEST(Config, MissingKeyNamesFileAndKey) {
    std::string text = kMinimal;
    text.erase(text.find("key_field"));
    const auto e = config_error(text);
    EXPECT_EQ(e.where().field, "districts.key_field");
    EXPECT_NE(e.where().file.find("atlas.toml"), std::string::npos);
}

TEST(Config, WrongTypeNamesTheLine) {
    std::string text = kMinimal;
    text.replace(text.find("title_de = \"Test\""), 17, "title_de = 5");
    const auto e = config_error(text);
    EXPECT_EQ(e.where().field, "dataset.title_de");
    EXPECT_EQ(e.where().line, 4);
}

TEST(Config, SyntaxErrorNamesTheLine) {
    const auto e = config_error("[dataset]\nid = \"t\"\ntitle_de = \n");
    EXPECT_EQ(e.where().line, 3);
}

TEST(Config, IndicatorsMustSayOfficialOrModelled) {
    std::string text = kMinimal;
    text += R"(
[[indicator_tables]]
file = "x.csv"
key_column = "k"
year_column = "j"
  [[indicator_tables.indicators]]
  id = "einwohner"
  label_de = "Einwohner"
)";
    const auto e = config_error(text);
    EXPECT_EQ(e.where().field, "indicator_tables.indicators.official");
}

TEST(Config, ServiceCategoriesMustMapToKnownFields) {
    std::string text = kMinimal;
    text += R"(
[[handlungsfelder]]
id = "bildung"
label_de = "Bildung"
label_en = "Education"

[[services]]
id = "s"
source = "s.geojson"
name_field = "name"
category_field = "kind"
source_label = "Test"
  [services.categories]
  kita = ["bildung"]
  zoo = ["freizeit"]
)";
    const auto e = config_error(text);
    EXPECT_EQ(e.where().field, "services.categories.zoo");
    EXPECT_NE(std::string(e.what()).find("freizeit"), std::string::npos);
}

TEST(Config, MissingFileIsReported) {
    try {
        load_config("/nonexistent/atlas.toml");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().file, "/nonexistent/atlas.toml");
    }
}

}  // namespace
}  // namespace atlas
