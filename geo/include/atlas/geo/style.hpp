#pragma once
// Thematic map definitions (styles/*.toml), colour ramps and the legend every output shares.

#include <optional>
#include <string>
#include <vector>

#include "atlas/geo/classify.hpp"
#include "atlas/geo/dataset.hpp"

namespace atlas {

struct StyleDefinition {
    std::string file;
    std::string id;
    std::string title_de;
    std::string title_en;
    std::string indicator;  // indicator id whose values are classified
    ClassMethod method = ClassMethod::quantile;
    std::size_t classes = 5;
    std::vector<double> manual_breaks;
    std::string ramp = "YlOrRd";
    std::string missing_colour = "#bdbdbd";
    bool fixed_breaks = false;  // classify all years together so years stay comparable
    std::string note_de;
};

// Reads every *.toml in `folder` (sorted by name). Throws InputError naming file, line and key.
std::vector<StyleDefinition> load_styles(const std::string& folder);

// ColorBrewer colours (Cynthia Brewer, colorbrewer2.org) of a scheme for 3..7 classes, as
// "#rrggbb"; fewer classes than 3 take the scheme's outer colours. Throws BadRequest for an
// unknown scheme or count.
std::vector<std::string> ramp_colours(const std::string& scheme, std::size_t classes);

// 3 x 3 bivariate scheme (need rows low..high, access columns low..high).
const std::vector<std::string>& bivariate_colours();

enum class Language { de, en };

// 1234.5 -> "1.234,5" (de) or "1,234.5" (en), with `decimals` decimals.
std::string format_number(double value, int decimals, Language language = Language::de);

struct LegendClass {
    double lower = 0;
    double upper = 0;
    std::string colour;
    std::string label;
    std::size_t count = 0;
};

struct Legend {
    std::string style;
    std::string title;
    std::string unit;
    int year = 0;
    bool modelled = false;
    ClassMethod method = ClassMethod::quantile;
    std::vector<LegendClass> classes;
    std::string missing_colour;
    std::string missing_label;
    std::size_t missing = 0;
};

// The legend of a style for one year: the single source for pages, tiles styles and maps.
Legend make_legend(const StyleDefinition& style, const Dataset& dataset, int year,
                   Language language = Language::de);

}  // namespace atlas
