#include "atlas/geo/style.hpp"

#include <gtest/gtest.h>

#include "atlas/geo/config.hpp"
#include "atlas/geo/error.hpp"
#include "support.hpp"

namespace atlas {
namespace {

TEST(Style, GermanAndEnglishNumbers) {
    EXPECT_EQ(format_number(1234.5, 1), "1.234,5");
    EXPECT_EQ(format_number(1234567, 0), "1.234.567");
    EXPECT_EQ(format_number(12.5, 1), "12,5");
    EXPECT_EQ(format_number(-0.04, 1), "0,0");  // no "-0,0"
    EXPECT_EQ(format_number(-1234.25, 2), "-1.234,25");
    EXPECT_EQ(format_number(1234.5, 1, Language::en), "1,234.5");
    EXPECT_EQ(format_number(999, 0), "999");
}

TEST(Style, ColorBrewerRamps) {
    EXPECT_EQ(ramp_colours("YlOrRd", 5),
              (std::vector<std::string>{"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"}));
    EXPECT_EQ(ramp_colours("Blues", 2), (std::vector<std::string>{"#deebf7", "#3182bd"}));
    EXPECT_EQ(ramp_colours("RdBu", 7).size(), 7u);
    EXPECT_EQ(bivariate_colours().size(), 9u);
    EXPECT_THROW(ramp_colours("Rainbow", 5), BadRequest);
    EXPECT_THROW(ramp_colours("Blues", 9), BadRequest);
}

const Dataset& erfurt() {
    static const Dataset ds =
        load_dataset(load_config(test::source_path("shapes/erfurt/atlas.toml")));
    return ds;
}

const StyleDefinition& style(const std::vector<StyleDefinition>& styles, const std::string& id) {
    for (const auto& s : styles) {
        if (s.id == id) return s;
    }
    throw std::runtime_error("no style " + id);
}

TEST(Style, ShippedStylesLoadAndMakeLegends) {
    const auto styles = load_styles(test::source_path("styles"));
    ASSERT_EQ(styles.size(), 14u);
    const Legend l = make_legend(style(styles, "auslaender_anteil"), erfurt(), nullptr, 2019);
    ASSERT_EQ(l.classes.size(), 5u);
    std::size_t total = l.missing + l.suppressed;
    for (const auto& c : l.classes) total += c.count;
    EXPECT_EQ(total, 53u);
    EXPECT_TRUE(l.modelled);
    EXPECT_EQ(l.classes[0].colour, "#ffffb2");
    EXPECT_NE(l.classes[0].label.find(" %"), std::string::npos);
    EXPECT_NE(l.classes[0].label.find(','), std::string::npos);  // decimal comma
    // Fixed breaks: the same classes in every year.
    const Legend later = make_legend(style(styles, "auslaender_anteil"), erfurt(), nullptr, 2024);
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(later.classes[i].upper, l.classes[i].upper);
    // Without fixed breaks, each year is classified on its own.
    const Legend mh19 =
        make_legend(style(styles, "migrationshintergrund_anteil"), erfurt(), nullptr, 2019);
    const Legend mh24 =
        make_legend(style(styles, "migrationshintergrund_anteil"), erfurt(), nullptr, 2024);
    EXPECT_NE(mh19.classes[2].upper, mh24.classes[2].upper);
    EXPECT_THROW(make_legend(style(styles, "auslaender_anteil"), erfurt(), nullptr, 1850),
                 NotFound);
}

TEST(Style, MissingFolderIsAnInputError) {
    EXPECT_THROW(load_styles("/nonexistent/styles"), InputError);
}

TEST(Style, BadDefinitionsNameFileAndKey) {
    test::TempDir dir;
    dir.write("bad.toml", "id = \"x\"\ntitle_de = \"X\"\nindicator = \"y\"\nclasses = 12\n");
    try {
        load_styles(dir.path().string());
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().field, "classes");
        EXPECT_NE(e.where().file.find("bad.toml"), std::string::npos);
    }
}

TEST(Style, ChangeMapIsSymmetricAroundNoChange) {
    const auto styles = load_styles(test::source_path("styles"));
    const Legend l =
        make_legend(style(styles, "auslaender_anteil_veraenderung"), erfurt(), nullptr, 2024);
    ASSERT_EQ(l.classes.size(), 5u);
    EXPECT_DOUBLE_EQ(l.classes.front().lower, -l.classes.back().upper);
    EXPECT_LT(l.classes[2].lower, 0.0);
    EXPECT_DOUBLE_EQ(l.classes[2].lower, -l.classes[2].upper);  // the middle class straddles 0
    EXPECT_EQ(l.classes[2].colour, "#f7f7f7");                  // PuOr's neutral middle
    EXPECT_EQ(l.unit, "Prozentpunkte");
    // The change since 2015 is the 2024 share minus the 2015 share, district by district.
    const auto* share = erfurt().indicator("auslaender_anteil_modell");
    for (std::size_t d = 0; d < l.districts.size(); ++d) {
        const auto& now = share->by_year.at(2024)[d];
        const auto& then = share->by_year.at(2015)[d];
        ASSERT_EQ(l.districts[d].value.has_value(), now && then);  // withheld where either is
        if (now && then) {
            EXPECT_NEAR(*l.districts[d].value, *now - *then, 1e-12);
        }
    }
    // 2015 itself has no change to show.
    EXPECT_THROW(
        make_legend(style(styles, "auslaender_anteil_veraenderung"), erfurt(), nullptr, 2015),
        NotFound);
}

TEST(Style, CoverageStylesNeedCoverage) {
    const auto styles = load_styles(test::source_path("styles"));
    EXPECT_THROW(make_legend(style(styles, "versorgungsluecke"), erfurt(), nullptr, std::nullopt),
                 NotFound);
    EXPECT_TRUE(style_problems(style(styles, "versorgungsluecke"), erfurt()).empty());
}

TEST(Style, DefinitionsShowOneThingAndCentreOnlyEqualIntervals) {
    const std::string head = "id = \"x\"\ntitle_de = \"X\"\n";
    for (const auto& [body, key] : {
             std::pair{"indicator = \"a\"\nmeasure = \"within\"\n", "indicator"},
             std::pair{"classes = 3\n", "indicator"},
             std::pair{"measure = \"beliebt\"\n", "measure"},
             std::pair{"indicator = \"a\"\nmethod = \"jenks\"\ncentre = 0\n", "centre"},
             std::pair{"indicator = \"a\"\nramp = \"Set2\"\nclasses = 9\n", "classes"},
         }) {
        test::TempDir dir;
        dir.write("x.toml", head + body);
        try {
            load_styles(dir.path().string());
            ADD_FAILURE() << body;
        } catch (const InputError& e) {
            EXPECT_EQ(e.where().field, key) << e.what();
        }
    }
}

TEST(Style, QualitativeSchemesTakeTheirFirstColours) {
    EXPECT_EQ(ramp_colours("Set2", 3), (std::vector<std::string>{"#66c2a5", "#fc8d62", "#8da0cb"}));
    EXPECT_EQ(ramp_colours("Dark2", 8).back(), "#666666");
    EXPECT_THROW(ramp_colours("Set2", 9), BadRequest);
    EXPECT_EQ(ramp_colours("PuOr", 5)[2], "#f7f7f7");
}

}  // namespace
}  // namespace atlas
