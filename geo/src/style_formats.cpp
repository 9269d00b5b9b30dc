#include "atlas/geo/style_formats.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "atlas/geo/error.hpp"

namespace atlas {

namespace {

using nlohmann::json;

// Shortest text that reads back as the same double, so every format carries identical breaks.
std::string exact(double value) {
    char buffer[400];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, end.ptr);
}

std::string qgis_colour(const std::string& hex) {
    const Rgb c = parse_colour(hex);
    return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ",255";
}

// One QGIS fill symbol; properties written both as <Option> map (QGIS >= 3.10 reads it) and as
// <prop> (what older QGIS reads), as QGIS 3.22 itself writes them.
std::string qgis_symbol(std::size_t name, const std::string& colour,
                        const std::string& fill_style = "solid") {
    const std::array<std::pair<const char*, std::string>, 9> props = {
        {{"color", qgis_colour(colour)},
         {"outline_color", "255,255,255,255"},
         {"outline_style", "solid"},
         {"outline_width", "0.26"},
         {"outline_width_unit", "MM"},
         {"style", fill_style},
         {"joinstyle", "bevel"},
         {"offset", "0,0"},
         {"offset_unit", "MM"}}};
    std::string out = "      <symbol type=\"fill\" name=\"" + std::to_string(name) +
                      "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n"
                      "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
                      "          <Option type=\"Map\">\n";
    for (const auto& [k, v] : props)
        out += std::string("            <Option type=\"QString\" name=\"") + k + "\" value=\"" + v +
               "\"/>\n";
    out += "          </Option>\n";
    for (const auto& [k, v] : props)
        out += std::string("          <prop k=\"") + k + "\" v=\"" + v + "\"/>\n";
    out += "        </layer>\n      </symbol>\n";
    return out;
}

std::string sld_rule(const std::string& name, const std::string& title, const std::string& filter,
                     const std::string& colour) {
    return "        <Rule>\n          <Name>" + escape_xml(name) + "</Name>\n          <Title>" +
           escape_xml(title) + "</Title>\n          <ogc:Filter>\n" + filter +
           "          </ogc:Filter>\n          <PolygonSymbolizer>\n            <Fill>\n"
           "              <CssParameter name=\"fill\">" +
           colour +
           "</CssParameter>\n            </Fill>\n            <Stroke>\n"
           "              <CssParameter name=\"stroke\">#ffffff</CssParameter>\n"
           "              <CssParameter name=\"stroke-width\">0.5</CssParameter>\n"
           "            </Stroke>\n          </PolygonSymbolizer>\n        </Rule>\n";
}

std::string sld_comparison(const std::string& op, const std::string& attribute,
                           const std::string& literal) {
    return "              <ogc:" + op + ">\n                <ogc:PropertyName>" +
           escape_xml(attribute) + "</ogc:PropertyName>\n                <ogc:Literal>" +
           escape_xml(literal) + "</ogc:Literal>\n              </ogc:" + op + ">\n";
}

// suppressed_indicators (a comma-separated list) holds exactly `attribute`: it is the whole
// list, its first, last or a middle entry. SLD 1.0 has no string functions; "?" is the
// single-character wildcard, so the underscores of attribute names stay literal.
std::string sld_withheld(const std::string& attribute) {
    const std::string name = escape_xml(attribute);
    std::string out = "              <ogc:Or>\n";
    out +=
        "                <ogc:PropertyIsEqualTo>\n"
        "                  <ogc:PropertyName>suppressed_indicators</ogc:PropertyName>\n"
        "                  <ogc:Literal>" +
        name + "</ogc:Literal>\n                </ogc:PropertyIsEqualTo>\n";
    for (const std::string& pattern : {name + ",*", "*," + name, "*," + name + ",*"}) {
        out +=
            "                <ogc:PropertyIsLike wildCard=\"*\" singleChar=\"?\" escape=\"!\">\n"
            "                  <ogc:PropertyName>suppressed_indicators</ogc:PropertyName>\n"
            "                  <ogc:Literal>" +
            pattern + "</ogc:Literal>\n                </ogc:PropertyIsLike>\n";
    }
    return out + "              </ogc:Or>\n";
}

}  // namespace

std::string escape_xml(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

Rgb parse_colour(const std::string& hex) {
    unsigned r = 0, g = 0, b = 0;
    int used = 0;
    if (hex.size() != 7 || std::sscanf(hex.c_str(), "#%2x%2x%2x%n", &r, &g, &b, &used) != 3 ||
        used != 7) {
        throw BadRequest("colour '" + hex + "' is not of the form #rrggbb");
    }
    return {static_cast<int>(r), static_cast<int>(g), static_cast<int>(b)};
}

namespace {

json legend_document(const Legend& legend, const std::vector<std::string>& attribution) {
    json classes = json::array();
    for (const auto& c : legend.classes) {
        json entry = {{"lower", c.lower},
                      {"upper", c.upper},
                      {"colour", c.colour},
                      {"label", c.label},
                      {"count", c.count}};
        if (legend.categorical) entry["value"] = c.value;
        classes.push_back(std::move(entry));
    }
    json districts = json::array();
    for (const auto& d : legend.districts) {
        districts.push_back({{"id", d.id},
                             {"name", d.name},
                             {"value", d.value ? json(*d.value) : json(nullptr)},
                             {"class", d.class_index ? json(*d.class_index) : json(nullptr)},
                             {"label", d.label},
                             {"suppressed", d.suppressed}});
    }
    const json doc = {
        {"style", legend.style},
        {"title", legend.title},
        {"subtitle", legend.subtitle},
        {"attribute", legend.attribute},
        {"indicator", legend.indicator.empty() ? json(nullptr) : json(legend.indicator)},
        {"field", legend.field.empty() ? json(nullptr) : json(legend.field)},
        {"unit", legend.unit},
        {"year", legend.year},
        {"data_status", legend.modelled ? "modelled" : "official"},
        {"method", method_name(legend)},
        {"fixed_breaks", legend.fixed_breaks},
        {"classes", classes},
        {"missing",
         {{"colour", legend.missing_colour},
          {"label", legend.missing_label},
          {"count", legend.missing}}},
        {"suppressed",
         {{"colour", legend.suppressed_colour},
          {"label", legend.suppressed_label},
          {"count", legend.suppressed}}},
        {"note", legend.note},
        {"example_data", legend.example_data},
        {"status", legend.no_services ? "no_services" : "ok"},
        {"attribution", attribution},
        {"districts", districts}};
    return doc;
}

}  // namespace

std::string legend_json(const Legend& legend, const std::vector<std::string>& attribution) {
    return legend_document(legend, attribution).dump();
}

std::string maplibre_style(const Legend& legend, const MapLibreOptions& options) {
    // ["match", ["id"], [ids of class 1], colour 1, ..., missing colour]
    json fill = json::array(
        {"match", options.match_on_key ? json::array({"get", "key"}) : json::array({"id"})});
    const auto label = [&](const DistrictClass& d) {
        return options.match_on_key ? json(d.key) : json(d.id);
    };
    for (std::size_t k = 0; k < legend.classes.size(); ++k) {
        json ids = json::array();
        for (const auto& d : legend.districts)
            if (d.class_index == k) ids.push_back(label(d));
        if (ids.empty()) continue;
        fill.push_back(ids);
        fill.push_back(legend.classes[k].colour);
    }
    json secret = json::array();
    for (const auto& d : legend.districts)
        if (d.suppressed) secret.push_back(label(d));
    if (!secret.empty()) {
        fill.push_back(secret);
        fill.push_back(legend.suppressed_colour);
    }
    fill.push_back(legend.missing_colour);
    // A match needs at least one label; without any classified district all are "missing".
    const json colour = fill.size() > 3 ? fill : json(legend.missing_colour);
    std::string attribution;
    for (const auto& a : options.attribution) attribution += (attribution.empty() ? "" : "; ") + a;
    const json style = {
        {"version", 8},
        {"name", legend.title + " – " + legend.subtitle},
        {"metadata", {{"atlas:legend", legend_document(legend, options.attribution)}}},
        {"sources",
         {{"districts",
           {{"type", "vector"}, {"url", options.tilejson_url}, {"attribution", attribution}}}}},
        {"layers", json::array({{{"id", "background"},
                                 {"type", "background"},
                                 {"paint", {{"background-color", "#ffffff"}}}},
                                {{"id", "districts-fill"},
                                 {"type", "fill"},
                                 {"source", "districts"},
                                 {"source-layer", options.source_layer},
                                 {"paint", {{"fill-color", colour}, {"fill-opacity", 0.85}}}},
                                {{"id", "districts-outline"},
                                 {"type", "line"},
                                 {"source", "districts"},
                                 {"source-layer", options.source_layer},
                                 // Grey, not white: a white outline vanished against light classes
                                 // (#f7f7f7) and white "nicht klassifiziert" districts.
                                 {"paint", {{"line-color", "#8c8c8c"}, {"line-width", 0.8}}}}})}};
    return style.dump();
}

namespace {

// QGIS shows a QML's rule labels as the layer legend: modelled values say so there.
std::string qml_label(const Legend& legend, const std::string& label) {
    return label + (legend.modelled ? " (modelliert)" : "");
}

std::string qgis_field(const std::string& name) {
    return "\"" + name + "\"";
}

// The layer attribute holding the year the legend's values belong to.
std::string year_attribute(const Legend& legend) {
    return legend.field.empty() ? "year" : "coverage_year";
}

// True where the feature lists `attribute` among its withheld values (a comma-separated list;
// exact membership, so "a" does not match "a_b").
std::string qgis_withheld(const std::string& attribute) {
    return "strpos(concat(',', \"suppressed_indicators\", ','), '," + attribute + ",') > 0";
}

std::string qgis_rule(const std::string& key, const std::string& filter, const std::string& label,
                      std::optional<std::size_t> symbol, const std::string& children = {}) {
    std::string out = "<rule key=\"" + escape_xml(key) + "\" filter=\"" + escape_xml(filter) +
                      "\" label=\"" + escape_xml(label) + "\"";
    if (symbol) out += " symbol=\"" + std::to_string(*symbol) + "\"";
    if (children.empty()) return "      " + out + "/>\n";
    return "      " + out + ">\n" + children + "      </rule>\n";
}

}  // namespace

// A rule-based renderer: QGIS shows every class, "geheim" and "keine Angabe" as legend entries of
// their own, and draws only features of the legend's year — a style of 2015 on a layer of 2024
// would otherwise colour 2024's values with 2015's classes.
std::string qgis_qml(const Legend& legend) {
    const std::string attr = qgis_field(legend.attribute);
    const std::string year = std::to_string(legend.year);
    std::string rules, symbols;
    for (std::size_t k = 0; k < legend.classes.size(); ++k) {
        const auto& c = legend.classes[k];
        std::string filter;
        if (legend.categorical) {
            filter = attr + " = '" + c.value + "'";
        } else {
            // (lower, upper], the first class also its lower bound: as the legend counts.
            filter = attr + (k == 0 ? " >= " : " > ") + exact(c.lower) + " AND " + attr +
                     " <= " + exact(c.upper);
        }
        rules += "  " +
                 qgis_rule("class-" + std::to_string(k + 1), filter, qml_label(legend, c.label), k);
        symbols += qgis_symbol(k, c.colour);
    }
    const std::size_t secret = legend.classes.size(), missing = secret + 1, other = secret + 2;
    rules += "  " + qgis_rule("withheld", attr + " IS NULL AND " + qgis_withheld(legend.attribute),
                              legend.suppressed_label, secret);
    rules +=
        "  " + qgis_rule("missing", attr + " IS NULL AND NOT " + qgis_withheld(legend.attribute),
                         legend.missing_label, missing);
    symbols += qgis_symbol(secret, legend.suppressed_colour);
    symbols += qgis_symbol(missing, legend.missing_colour);
    symbols += qgis_symbol(other, legend.missing_colour, "b_diagonal");
    const std::string year_field = qgis_field(year_attribute(legend));
    std::string out =
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology\">\n"
        "  <renderer-v2 type=\"RuleRenderer\" forceraster=\"0\" symbollevels=\"0\" "
        "enableorderby=\"0\">\n"
        "    <rules key=\"root\">\n" +
        qgis_rule("year", year_field + " = " + year, legend.title + " – " + legend.subtitle,
                  std::nullopt, rules) +
        qgis_rule("other-year", year_field + " IS NULL OR " + year_field + " <> " + year,
                  "anderes Jahr als " + year + " (Layer mit datetime=" + year + " laden)", other) +
        "    </rules>\n    <symbols>\n" + symbols +
        "    </symbols>\n  </renderer-v2>\n  <blendMode>0</blendMode>\n"
        "  <featureBlendMode>0</featureBlendMode>\n"
        "  <layerGeometryType>2</layerGeometryType>\n</qgis>\n";
    return out;
}

namespace {

std::string modelled_suffix(const Legend& legend) {
    return legend.modelled ? " (modelliert, keine amtliche Statistik)" : "";
}

}  // namespace

std::string sld(const Legend& legend, const std::string& layer_name) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<StyledLayerDescriptor version=\"1.0.0\" xmlns=\"http://www.opengis.net/sld\" "
        "xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"http://www.opengis.net/sld "
        "http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd\">\n"
        "  <NamedLayer>\n    <Name>" +
        escape_xml(layer_name) + "</Name>\n    <UserStyle>\n      <Name>" +
        escape_xml(legend.style) + "</Name>\n      <Title>" +
        escape_xml(legend.title + " – " + legend.subtitle + modelled_suffix(legend)) +
        "</Title>\n" +
        (legend.note.empty() ? ""
                             : "      <Abstract>" + escape_xml(legend.note) + "</Abstract>\n") +
        "      <FeatureTypeStyle>\n";
    for (std::size_t k = 0; k < legend.classes.size(); ++k) {
        const auto& c = legend.classes[k];
        std::string filter;
        if (legend.categorical) {
            filter = sld_comparison("PropertyIsEqualTo", legend.attribute, c.value);
        } else {
            // (lower, upper], the first class also its lower bound: as the legend counts.
            filter =
                "            <ogc:And>\n" +
                sld_comparison(k == 0 ? "PropertyIsGreaterThanOrEqualTo" : "PropertyIsGreaterThan",
                               legend.attribute, exact(c.lower)) +
                sld_comparison("PropertyIsLessThanOrEqualTo", legend.attribute, exact(c.upper)) +
                "            </ogc:And>\n";
        }
        out += sld_rule("class " + std::to_string(k + 1), c.label, filter, c.colour);
    }
    // Withheld values are null too; the districts layer lists them in suppressed_indicators.
    // "geheim" and "keine Angabe" exclude each other, so every district matches one rule.
    const std::string is_null =
        "              <ogc:PropertyIsNull>\n"
        "                <ogc:PropertyName>" +
        escape_xml(legend.attribute) + "</ogc:PropertyName>\n              </ogc:PropertyIsNull>\n";
    out += sld_rule("suppressed", legend.suppressed_label,
                    "            <ogc:And>\n" + is_null + sld_withheld(legend.attribute) +
                        "            </ogc:And>\n",
                    legend.suppressed_colour);
    out += sld_rule("missing", legend.missing_label,
                    "            <ogc:And>\n" + is_null + "              <ogc:Not>\n" +
                        sld_withheld(legend.attribute) +
                        "              </ogc:Not>\n            </ogc:And>\n",
                    legend.missing_colour);
    out +=
        "      </FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n"
        "</StyledLayerDescriptor>\n";
    return out;
}

}  // namespace atlas
