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
    ASSERT_EQ(styles.size(), 11u);
    const Legend l = make_legend(style(styles, "auslaender_anteil"), erfurt(), nullptr, 2019);
    ASSERT_EQ(l.classes.size(), 5u);
    std::size_t total = l.missing;
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

}  // namespace
}  // namespace atlas
