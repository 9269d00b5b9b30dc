#include "atlas/geo/style.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "atlas/geo/error.hpp"
#include "atlas/geo/features.hpp"
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
        {"Greens",
         {{"#e5f5e0", "#a1d99b", "#31a354"},
          {"#edf8e9", "#bae4b3", "#74c476", "#238b45"},
          {"#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"},
          {"#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"},
          {"#edf8e9", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"}}},
        {"Purples",
         {{"#efedf5", "#bcbddc", "#756bb1"},
          {"#f2f0f7", "#cbc9e2", "#9e9ac8", "#6a51a3"},
          {"#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"},
          {"#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"},
          {"#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"}}},
        {"YlGnBu",
         {{"#edf8b1", "#7fcdbb", "#2c7fb8"},
          {"#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"},
          {"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"},
          {"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"},
          {"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"}}},
        {"PuOr",
         {{"#f1a340", "#f7f7f7", "#998ec3"},
          {"#e66101", "#fdb863", "#b2abd2", "#5e3c99"},
          {"#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"},
          {"#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"},
          {"#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"}}},
    };
    return table;
}

// Qualitative schemes: n classes take the first n colours.
const std::map<std::string, std::vector<std::string>>& qualitative_schemes() {
    static const std::map<std::string, std::vector<std::string>> table = {
        {"Set2",
         {"#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3"}},
        {"Dark2",
         {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"}},
    };
    return table;
}

const std::set<std::string, std::less<>> kMeasures = {"per_1000", "within", "e2sfca", "distance_m",
                                                      "gap_class"};

}  // namespace

std::vector<std::string> ramp_colours(const std::string& scheme, std::size_t classes) {
    if (const auto q = qualitative_schemes().find(scheme); q != qualitative_schemes().end()) {
        if (classes == 0 || classes > q->second.size())
            throw BadRequest("qualitative schemes have 1 to 8 classes");
        return {q->second.begin(), q->second.begin() + static_cast<std::ptrdiff_t>(classes)};
    }
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
        s.indicator = r.text("indicator", false);
        s.measure = r.text("measure", false);
        s.field = r.text("field", false);
        if (s.indicator.empty() == s.measure.empty()) {
            r.fail("indicator", root.source(),
                   "a style shows exactly one of: indicator (an indicator id) or measure (a "
                   "coverage measure of a Handlungsfeld)");
        }
        if (!s.measure.empty() && !kMeasures.contains(s.measure)) {
            r.fail("measure", root["measure"].node()->source(),
                   "must be per_1000, within, e2sfca, distance_m or gap_class");
        }
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
        s.suppressed_colour = r.text("suppressed_colour", false, s.suppressed_colour);
        s.fixed_breaks = r.boolean("fixed_breaks", false);
        if (const auto* centre = root.get("centre")) {
            s.centre = r.number("centre", 0);
            if (s.method != ClassMethod::equal_interval) {
                r.fail("centre", centre->source(), "needs method = \"equal_interval\"");
            }
        }
        s.note_de = r.text("note_de", false);
        s.note_en = r.text("note_en", false, s.note_de);
        styles.push_back(std::move(s));
    }
    return styles;
}

const StyleDefinition& find_style(const std::vector<StyleDefinition>& styles,
                                  const std::string& id) {
    const auto style =
        std::find_if(styles.begin(), styles.end(), [&](const auto& s) { return s.id == id; });
    if (style == styles.end()) {
        std::string known;
        for (const auto& s : styles) known += (known.empty() ? "" : ", ") + s.id;
        throw NotFound("no style '" + id + "' (styles: " + known + ")");
    }
    return *style;
}

std::vector<std::string> style_problems(const StyleDefinition& style, const Dataset& dataset) {
    std::vector<std::string> problems;
    const auto problem = [&](const char* key, const std::string& text) {
        problems.push_back(style.file + ": field '" + key + "': " + text);
    };
    if (!style.is_coverage()) {
        if (!dataset.indicator(style.indicator))
            problem("indicator", "'" + style.indicator + "' is not an indicator of this dataset");
        return problems;
    }
    if (!dataset.config.coverage)
        problem("measure", "shows coverage, but the dataset has no [coverage] section");
    const auto& fields = dataset.config.fields;
    if (!style.field.empty() && std::none_of(fields.begin(), fields.end(),
                                             [&](const auto& f) { return f.id == style.field; })) {
        problem("field", "'" + style.field + "' is not a Handlungsfeld of this dataset");
    }
    return problems;
}

namespace {

// The values a style classifies, with what the labels need to show them.
struct StyleData {
    std::vector<std::optional<double>> values;  // the shown year, per district
    std::vector<bool> suppressed;               // per district: withheld by secrecy
    std::vector<std::optional<double>> basis;   // what the breaks are computed from
    std::string attribute;
    std::string unit;
    std::string field;
    std::string field_label;
    int year = 0;
    std::string period;  // what the year stands for where "Stand <year>" would mislead
    int decimals = 1;
    double display_scale = 1;  // labels show value × this (shares of 0..1 as percent)
    bool modelled = false;
    std::string example_note;  // set when fictional example offers enter the measure
    bool no_services = false;  // a coverage measure of a field without any location
};

// A change's two ends, each with its status: "Zensus 2011 → Modell 2024", "Modell 2023 → Modell
// 2024". A reader must see when a change runs from official figures into modelled ones.
std::string change_period(const Dataset& dataset, const IndicatorConfig& change, int year,
                          Language language) {
    const bool de = language == Language::de;
    const std::string model = de ? "Modell " : "model ";
    const IndicatorSeries* end = dataset.indicator(change.change_of);
    const IndicatorSeries* start = change.base_of.empty() ? end : dataset.indicator(change.base_of);
    const int base = change.base_year ? *change.base_year : year - change.period.value_or(1);
    const std::string& label = de ? change.base_label_de : change.base_label_en;
    const std::string from =
        !label.empty() ? label
                       : (start && start->meta.official ? "" : model) + std::to_string(base);
    return from + " → " + (end && end->meta.official ? "" : model) + std::to_string(year);
}

StyleData indicator_data(const StyleDefinition& style, const Dataset& dataset,
                         std::optional<int> year, Language language) {
    const IndicatorSeries* series = dataset.indicator(style.indicator);
    if (!series)
        throw NotFound("style '" + style.id + "' shows indicator '" + style.indicator +
                       "', which is not loaded");
    if (series->by_year.empty())
        throw NotFound("indicator '" + style.indicator + "' has no values");
    const int shown = year ? *year : series->by_year.rbegin()->first;
    const auto values = series->by_year.find(shown);
    if (values == series->by_year.end()) {
        throw NotFound("indicator '" + style.indicator + "' has no values for " +
                       std::to_string(shown));
    }
    StyleData data;
    data.values = values->second;
    for (std::size_t d = 0; d < data.values.size(); ++d)
        data.suppressed.push_back(series->suppressed(shown, d));
    if (style.fixed_breaks) {
        for (const auto& [y, v] : series->by_year)
            data.basis.insert(data.basis.end(), v.begin(), v.end());
    } else {
        data.basis = data.values;
    }
    data.attribute = style.indicator;
    data.unit = series->meta.unit;
    data.year = shown;
    if (!series->meta.change_of.empty())
        data.period = change_period(dataset, series->meta, shown, language);
    const auto kind = series->meta.kind;
    data.decimals = kind == IndicatorKind::count || kind == IndicatorKind::density ? 0 : 1;
    data.modelled = !series->meta.official;
    return data;
}

StyleData coverage_data(const StyleDefinition& style, const Dataset& dataset,
                        const CoverageResult* coverage, std::optional<int> year,
                        const std::string& field, Language language) {
    if (!coverage) {
        throw NotFound("style '" + style.id +
                       "' shows coverage, but this dataset has no [coverage] configured");
    }
    std::string id = field.empty() ? style.field : field;
    if (id.empty() && !dataset.config.fields.empty()) id = dataset.config.fields.front().id;
    const GroupCoverage* group = coverage->group(id);
    if (!group || group->group.kind != "field") throw NotFound("no Handlungsfeld '" + id + "'");
    if (year && *year != coverage->grid.year) {
        throw NotFound("coverage is computed for " + std::to_string(coverage->grid.year) +
                       " only, not " + std::to_string(*year));
    }
    StyleData data;
    data.attribute = property_name(id) + "_" + style.measure;
    data.field = id;
    data.field_label = language == Language::de ? group->group.label_de : group->group.label_en;
    data.year = coverage->grid.year;
    data.decimals = 2;
    const std::string& m = style.measure;
    if (m == "per_1000" || m == "e2sfca")
        data.unit = language == Language::de ? "je 1.000" : "per 1,000";
    if (m == "within") data.unit = "%", data.display_scale = 100, data.decimals = 1;
    if (m == "distance_m") data.unit = "m", data.decimals = 0;
    for (const auto& c : group->districts) {
        std::optional<double> v;
        if (m == "per_1000") v = c.per_1000;
        if (m == "within") v = c.share_within;
        if (m == "e2sfca") v = c.e2sfca_per_1000;
        if (m == "distance_m" && c.mean_distance_m && std::isfinite(*c.mean_distance_m))
            v = c.mean_distance_m;
        if (m == "gap_class" && c.need_class > 0) v = (c.need_class - 1) * 3 + (c.access_class - 1);
        data.values.push_back(v);
        // A withheld target group withholds its measures: "geheim", not "keine Angabe".
        data.suppressed.push_back(c.target_withheld);
    }
    data.basis = data.values;
    for (const auto& id_ : {coverage->config.population, coverage->config.target}) {
        const IndicatorSeries* s = dataset.indicator(id_);
        if (s && !s->meta.official) data.modelled = true;
    }
    if (!coverage->grid.official) data.modelled = true;
    data.no_services = group->no_service;
    if (group->example_services > 0) {
        const std::string n = std::to_string(group->example_services);
        const std::string of = std::to_string(group->services);
        data.example_note = language == Language::de
                                ? "Beruht auf Beispieldaten (fiktiv): " + n + " von " + of +
                                      " Standorten sind erfundene Beispielangebote des Inventars."
                                : "Rests on fictional example data: " + n + " of " + of +
                                      " locations are invented example offers of the inventory.";
    }
    return data;
}

// The 3 × 3 need × access classes of the gap map, codes (need - 1) * 3 + (access - 1).
std::vector<LegendClass> bivariate_classes(Language language) {
    const bool de = language == Language::de;
    const std::array<const char*, 3> level = {de ? "niedrig" : "low", de ? "mittel" : "medium",
                                              de ? "hoch" : "high"};
    std::vector<LegendClass> classes;
    for (int need = 1; need <= 3; ++need) {
        for (int access = 1; access <= 3; ++access) {
            const double code = (need - 1) * 3 + (access - 1);
            LegendClass c{code, code, bivariate_colours()[static_cast<std::size_t>(code)],
                          "",   0,    std::to_string(need) + "-" + std::to_string(access)};
            c.label = std::string(de ? "Bedarf " : "need ") + level[need - 1] +
                      (de ? ", Zugang " : ", access ") + level[access - 1];
            classes.push_back(std::move(c));
        }
    }
    return classes;
}

}  // namespace

Legend make_legend(const StyleDefinition& style, const Dataset& dataset,
                   const CoverageResult* coverage, std::optional<int> year,
                   const std::string& field, Language language) {
    const bool de = language == Language::de;
    const StyleData data = style.is_coverage()
                               ? coverage_data(style, dataset, coverage, year, field, language)
                               : indicator_data(style, dataset, year, language);
    Legend legend;
    legend.style = style.id;
    legend.title = de ? style.title_de : style.title_en;
    legend.subtitle =
        (data.field_label.empty() ? "" : data.field_label + ", ") +
        (!data.period.empty() ? data.period
                              : (de ? "Stand " : "year ") + std::to_string(data.year));
    legend.attribute = data.attribute;
    legend.indicator = style.indicator;
    legend.field = data.field;
    legend.unit = data.unit;
    legend.year = data.year;
    legend.modelled = data.modelled;
    legend.method = style.method;
    legend.fixed_breaks = style.fixed_breaks;
    legend.missing_colour = style.missing_colour;
    legend.missing_label = de ? "keine Angabe" : "no data";
    legend.suppressed_colour = style.suppressed_colour;
    legend.suppressed_label = de ? "geheim (kleine Fallzahl)" : "withheld (small count)";
    legend.note = de ? style.note_de : style.note_en;
    legend.example_data = !data.example_note.empty();
    if (legend.example_data)
        legend.note = data.example_note + (legend.note.empty() ? "" : " " + legend.note);

    std::vector<std::optional<std::size_t>> class_of(data.values.size());
    std::vector<std::string> value_labels(data.values.size());
    if (style.measure == "gap_class") {
        legend.categorical = true;
        legend.classes = bivariate_classes(language);
        legend.missing_label = de ? "nicht klassifiziert" : "not classified";
        for (std::size_t d = 0; d < data.values.size(); ++d) {
            if (!data.values[d]) continue;
            class_of[d] = static_cast<std::size_t>(*data.values[d]);
            value_labels[d] = legend.classes[*class_of[d]].label;
        }
    } else {
        std::vector<std::optional<double>> basis = data.basis;
        if (style.centre) {
            // Mirror the largest deviation so the middle of the ramp sits on the centre.
            double largest = 0;
            for (const auto& v : basis)
                if (v) largest = std::max(largest, std::abs(*v - *style.centre));
            basis.push_back(*style.centre - largest);
            basis.push_back(*style.centre + largest);
        }
        const Classes classes =
            tidy_bounds(classify(basis, style.method, style.classes, style.manual_breaks), basis);
        const auto colours = ramp_colours(style.ramp, std::max<std::size_t>(classes.size(), 1));
        const std::string unit = data.unit == "%" ? " %" : "";
        int decimals = data.decimals;
        const auto text = [&](double v) {
            return format_number(v * data.display_scale, decimals, language) + unit;
        };
        // A class of one value reads as that value, the class after it as "über …" (its lower
        // bound is open), and bounds that differ get enough decimals to differ in print:
        // never "0,00 – 0,00".
        const auto labels = [&] {
            std::vector<std::string> out;
            for (std::size_t i = 0; i < classes.size(); ++i) {
                const double lower = classes.bounds[i], upper = classes.bounds[i + 1];
                if (lower == upper) {
                    out.push_back(text(lower));
                } else if (i > 0 && classes.bounds[i - 1] == lower) {
                    out.push_back((de ? "über " : "over ") + text(lower) + " – " + text(upper));
                } else {
                    out.push_back(text(lower) + " – " + text(upper));
                }
            }
            return out;
        };
        const auto ambiguous = [&] {
            for (std::size_t i = 0; i + 1 < classes.bounds.size(); ++i)
                if (classes.bounds[i] != classes.bounds[i + 1] &&
                    text(classes.bounds[i]) == text(classes.bounds[i + 1]))
                    return true;
            return false;
        };
        while (ambiguous() && decimals < data.decimals + 4) ++decimals;
        const std::vector<std::string> class_labels = labels();
        for (std::size_t i = 0; i < classes.size(); ++i) {
            LegendClass c{classes.bounds[i], classes.bounds[i + 1], colours[i], "", 0, ""};
            c.label = class_labels[i];
            legend.classes.push_back(std::move(c));
        }
        for (std::size_t d = 0; d < data.values.size(); ++d) {
            class_of[d] = classes.class_of(data.values[d]);
            if (data.values[d]) value_labels[d] = text(*data.values[d]);
        }
    }
    if (data.no_services) {
        // No location, no access measure: no classes that would read as "low access".
        legend.no_services = true;
        legend.classes.clear();
        class_of.assign(class_of.size(), std::nullopt);
        value_labels.assign(value_labels.size(), "");
        legend.missing_label = de ? kNoServicesRecorded : "no offers recorded";
        legend.note =
            de ? "Für " + data.field_label +
                     " sind keine Angebote erfasst: ohne Standorte gibt es kein Zugangsmaß und "
                     "keine Versorgungslücke. Angebote kommen über den Import einer Tabelle "
                     "(atlas import-inventory) oder die Erfassung auf der Seite "
                     "„Struktur- und Ressourcenanalyse“ hinzu."
               : "No offers are recorded for " + data.field_label +
                     ": without locations there is no access measure and no gap. Offers come in "
                     "by importing a spreadsheet (atlas import-inventory) or on the page "
                     "\"Struktur- und Ressourcenanalyse\".";
    }
    for (std::size_t d = 0; d < data.values.size(); ++d) {
        const District& district = dataset.districts[d];
        const bool secret = d < data.suppressed.size() && data.suppressed[d];
        legend.districts.push_back({district.id, district.name, district.key, data.values[d],
                                    class_of[d], secret ? legend.suppressed_label : value_labels[d],
                                    secret});
        if (class_of[d]) {
            legend.classes[*class_of[d]].count++;
        } else if (secret) {
            legend.suppressed++;
        } else {
            legend.missing++;
        }
    }
    return legend;
}

std::string method_name(const Legend& legend) {
    if (legend.categorical) return "bivariate";
    switch (legend.method) {
        case ClassMethod::quantile:
            return "quantile";
        case ClassMethod::equal_interval:
            return "equal_interval";
        case ClassMethod::jenks:
            return "jenks";
        case ClassMethod::stddev:
            return "stddev";
        case ClassMethod::manual:
            return "manual";
    }
    return "";
}

}  // namespace atlas
