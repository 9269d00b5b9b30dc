#include "atlas/geo/style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "atlas/geo/error.hpp"
#include "toml_reader.hpp"

namespace atlas {

namespace {

// ColorBrewer 2.0 schemes for 3..7 classes (public colour values; colour-blind safe except RdBu
// at 7, which stays readable for deuteranopes).
const std::map<std::string, std::vector<std::vector<std::string>>>& schemes() {
    static const std::map<std::string, std::vector<std::vector<std::string>>> table = {
        {"YlOrRd",
         {{"#ffeda0", "#feb24c", "#f03b20"},
          {"#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"},
          {"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"},
          {"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"},
          {"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"}}},
        {"Blues",
         {{"#deebf7", "#9ecae1", "#3182bd"},
          {"#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"},
          {"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"},
          {"#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"},
          {"#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"}}},
        {"RdBu",
         {{"#ef8a62", "#f7f7f7", "#67a9cf"},
          {"#ca0020", "#f4a582", "#92c5de", "#0571b0"},
          {"#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"},
          {"#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"},
          {"#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"}}},
    };
    return table;
}

}  // namespace

std::vector<std::string> ramp_colours(const std::string& scheme, std::size_t classes) {
    const auto found = schemes().find(scheme);
    if (found == schemes().end()) throw BadRequest("unknown colour scheme '" + scheme + "'");
    if (classes == 0 || classes > 7) throw BadRequest("colour schemes have 1 to 7 classes");
    if (classes >= 3) return found->second[classes - 3];
    const auto& three = found->second[0];
    return classes == 1 ? std::vector<std::string>{three[1]}
                        : std::vector<std::string>{three[0], three[2]};
}

const std::vector<std::string>& bivariate_colours() {
    // Joshua Stevens' 3 x 3 pink-blue scheme: rows need low..high, columns access low..high.
    static const std::vector<std::string> colours = {"#e8e8e8", "#ace4e4", "#5ac8c8",
                                                     "#dfb0d6", "#a5add3", "#5698b9",
                                                     "#be64ac", "#8c62aa", "#3b4994"};
    return colours;
}

std::string format_number(double value, int decimals, Language language) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::abs(value));
    std::string digits = buffer;
    const auto point = digits.find('.');
    std::string integer = digits.substr(0, point);
    const std::string fraction = point == std::string::npos ? "" : digits.substr(point + 1);
    const char group = language == Language::de ? '.' : ',';
    const char decimal = language == Language::de ? ',' : '.';
    for (int i = static_cast<int>(integer.size()) - 3; i > 0; i -= 3)
        integer.insert(static_cast<std::size_t>(i), 1, group);
    std::string out =
        (value < 0 && std::abs(value) >= 0.5 * std::pow(10.0, -decimals) ? "-" : "") + integer;
    if (!fraction.empty()) out += decimal + fraction;
    return out;
}

std::vector<StyleDefinition> load_styles(const std::string& folder) {
    std::vector<std::string> files;
    std::error_code error;
    if (!fs::is_directory(folder, error)) {
        throw InputError({folder, {}, {}, "styles"}, "the styles folder does not exist");
    }
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    std::vector<StyleDefinition> styles;
    for (const auto& file : files) {
        toml::table root;
        try {
            root = toml::parse_file(file);
        } catch (const toml::parse_error& err) {
            std::optional<std::int64_t> line;
            if (err.source().begin.line > 0) line = err.source().begin.line;
            throw InputError({file, line, {}, {}}, std::string(err.description()));
        }
        TableReader r(root, file, "");
        StyleDefinition s;
        s.file = file;
        s.id = r.text("id");
        s.title_de = r.text("title_de");
        s.title_en = r.text("title_en", false, s.title_de);
        s.indicator = r.text("indicator");
        const auto method = parse_class_method(r.text("method", false, "quantile"));
        if (!method)
            r.fail("method", root.source(),
                   "must be quantile, equal_interval, jenks, stddev or manual");
        s.method = *method;
        const double classes = r.number("classes", 5);
        if (classes < 1 || classes > 7 || std::trunc(classes) != classes) {
            r.fail("classes", root.source(), "must be a whole number from 1 to 7");
        }
        s.classes = static_cast<std::size_t>(classes);
        if (const auto* breaks = root.get("breaks"); breaks && breaks->is_array()) {
            for (const auto& b : *breaks->as_array()) {
                if (auto v = b.value<double>()) s.manual_breaks.push_back(*v);
            }
        }
        s.ramp = r.text("ramp", false, s.ramp);
        try {
            ramp_colours(s.ramp, s.classes);
        } catch (const BadRequest& e) {
            r.fail("ramp", root.source(), e.what());
        }
        s.missing_colour = r.text("missing_colour", false, s.missing_colour);
        s.fixed_breaks = r.boolean("fixed_breaks", false);
        s.note_de = r.text("note_de", false);
        styles.push_back(std::move(s));
    }
    return styles;
}

Legend make_legend(const StyleDefinition& style, const Dataset& dataset, int year,
                   Language language) {
    const IndicatorSeries* series = dataset.indicator(style.indicator);
    if (!series)
        throw NotFound("style '" + style.id + "' shows indicator '" + style.indicator +
                       "', which is not loaded");
    const auto values = series->by_year.find(year);
    if (values == series->by_year.end()) {
        throw NotFound("indicator '" + style.indicator + "' has no values for " +
                       std::to_string(year));
    }
    // Fixed breaks classify every year's values together, so a colour means the same in all years.
    std::vector<std::optional<double>> basis = values->second;
    if (style.fixed_breaks) {
        basis.clear();
        for (const auto& [y, v] : series->by_year) basis.insert(basis.end(), v.begin(), v.end());
    }
    const Classes classes = classify(basis, style.method, style.classes, style.manual_breaks);
    Legend legend;
    legend.style = style.id;
    legend.title = language == Language::de ? style.title_de : style.title_en;
    legend.unit = series->meta.unit;
    legend.year = year;
    legend.modelled = !series->meta.official;
    legend.method = style.method;
    legend.missing_colour = style.missing_colour;
    legend.missing_label = language == Language::de ? "keine Angabe" : "no data";
    const auto colours = ramp_colours(style.ramp, std::max<std::size_t>(classes.size(), 1));
    const int decimals = series->meta.kind == IndicatorKind::count ? 0 : 1;
    const std::string unit = series->meta.unit == "%" ? " %" : "";
    for (std::size_t i = 0; i < classes.size(); ++i) {
        LegendClass c{classes.bounds[i], classes.bounds[i + 1], colours[i], "", 0};
        c.label = format_number(c.lower, decimals, language) + unit + " – " +
                  format_number(c.upper, decimals, language) + unit;
        legend.classes.push_back(std::move(c));
    }
    for (const auto& v : values->second) {
        if (const auto k = classes.class_of(v)) {
            legend.classes[*k].count++;
        } else {
            legend.missing++;
        }
    }
    return legend;
}

}  // namespace atlas
