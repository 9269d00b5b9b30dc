#pragma once
// Thematic map definitions (styles/*.toml), colour ramps and the legend every output shares.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "atlas/geo/classify.hpp"
#include "atlas/geo/coverage.hpp"
#include "atlas/geo/dataset.hpp"

namespace atlas {

// One thematic map. It shows an indicator of the districts, or a coverage measure of one
// Handlungsfeld (the field is chosen per request; `field` is the default).
struct StyleDefinition {
    std::string file;
    std::string id;
    std::string title_de;
    std::string title_en;
    std::string indicator;  // indicator id whose values are classified, or:
    std::string measure;    // per_1000, within, e2sfca, distance_m or gap_class (bivariate)
    std::string field;      // default Handlungsfeld of a coverage style
    ClassMethod method = ClassMethod::quantile;
    std::size_t classes = 5;
    std::vector<double> manual_breaks;
    std::string ramp = "YlOrRd";
    std::string missing_colour = "#bdbdbd";
    std::string suppressed_colour = "#737373";  // values withheld by statistical secrecy
    bool fixed_breaks = false;     // classify all years together so years stay comparable
    std::optional<double> centre;  // diverging maps: bounds symmetric around this value
    std::string note_de;
    std::string note_en;

    bool is_coverage() const { return !measure.empty(); }
};

// Reads every *.toml in `folder` (sorted by name). Throws InputError naming file, line and key.
std::vector<StyleDefinition> load_styles(const std::string& folder);

// The style with this id. Throws NotFound naming it.
const StyleDefinition& find_style(const std::vector<StyleDefinition>& styles,
                                  const std::string& id);

// What keeps a style from being drawn with this dataset (unknown indicator, coverage style
// without [coverage], unknown default field), each naming the style file and key. Empty: usable.
std::vector<std::string> style_problems(const StyleDefinition& style, const Dataset& dataset);

// ColorBrewer colours (Cynthia Brewer, colorbrewer2.org) as "#rrggbb": sequential (YlOrRd,
// Blues, Greens, Purples, YlGnBu) and diverging (RdBu, PuOr) for 3..7 classes, where fewer than 3
// take the outer colours; qualitative (Set2, Dark2) for 1..8. Throws BadRequest for an unknown
// scheme or count.
std::vector<std::string> ramp_colours(const std::string& scheme, std::size_t classes);

// 3 x 3 bivariate scheme (need rows low..high, access columns low..high).
const std::vector<std::string>& bivariate_colours();

enum class Language { de, en };

// 1234.5 -> "1.234,5" (de) or "1,234.5" (en), with `decimals` decimals.
std::string format_number(double value, int decimals, Language language = Language::de);

// Numeric classes hold values in (lower, upper], the first also `lower` itself. Categorical
// classes (the bivariate gap map) hold the districts whose attribute equals `value`.
struct LegendClass {
    double lower = 0;
    double upper = 0;
    std::string colour;
    std::string label;
    std::size_t count = 0;
    std::string value;  // categorical only
};

struct DistrictClass {
    std::int64_t id = 0;  // district id, as in features and tiles
    std::string name;
    std::string key;  // unique district key, a property of features and tiles
    std::optional<double> value;
    std::optional<std::size_t> class_index;  // none: missing or suppressed
    std::string label;                       // the value as the legend writes numbers
    bool suppressed = false;                 // withheld by statistical secrecy
};

struct Legend {
    std::string style;
    std::string title;
    std::string subtitle;   // field and year, for map titles
    std::string attribute;  // property of the districts layer (OGC API, GeoJSON) it classifies
    std::string indicator;  // indicator id, or empty for coverage styles
    std::string field;      // Handlungsfeld of a coverage style
    std::string unit;
    int year = 0;
    bool modelled = false;
    bool categorical = false;
    bool fixed_breaks = false;
    ClassMethod method = ClassMethod::quantile;
    std::vector<LegendClass> classes;
    std::string missing_colour;
    std::string missing_label;
    std::size_t missing = 0;
    std::string suppressed_colour;
    std::string suppressed_label;
    std::size_t suppressed = 0;
    std::vector<DistrictClass> districts;  // in Dataset::districts order
    std::string note;
    bool example_data = false;  // the map rests on fictional example entries (note says so)
    bool no_services = false;   // a coverage map of a field without locations: no classes
};

// The legend of a style for one year (nullopt: the newest the style's data has) and, for
// coverage styles, one Handlungsfeld (empty: the style's default, else the first field). The
// single source of classes and colours for every output. Throws NotFound for a year or field
// without data.
Legend make_legend(const StyleDefinition& style, const Dataset& dataset,
                   const CoverageResult* coverage, std::optional<int> year,
                   const std::string& field = {}, Language language = Language::de);

// "quantile", "equal_interval", ...; "bivariate" for the gap map.
std::string method_name(const Legend& legend);

}  // namespace atlas
