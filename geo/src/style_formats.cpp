#include "atlas/geo/style_formats.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

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
std::string qgis_symbol(std::size_t name, const std::string& colour) {
    const std::array<std::pair<const char*, std::string>, 9> props = {
        {{"color", qgis_colour(colour)},
         {"outline_color", "255,255,255,255"},
         {"outline_style", "solid"},
         {"outline_width", "0.26"},
         {"outline_width_unit", "MM"},
         {"style", "solid"},
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
    json fill = json::array({"match", json::array({"id"})});
    for (std::size_t k = 0; k < legend.classes.size(); ++k) {
        json ids = json::array();
        for (const auto& d : legend.districts)
            if (d.class_index == k) ids.push_back(d.id);
        if (ids.empty()) continue;
        fill.push_back(ids);
        fill.push_back(legend.classes[k].colour);
    }
    json secret = json::array();
    for (const auto& d : legend.districts)
        if (d.suppressed) secret.push_back(d.id);
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
                                 {"paint", {{"line-color", "#ffffff"}, {"line-width", 1}}}}})}};
    return style.dump();
}

namespace {

// QGIS shows a QML's class labels as the layer legend: modelled values say so there.
std::string qml_label(const Legend& legend, const std::string& label) {
    return escape_xml(label + (legend.modelled ? " (modelliert)" : ""));
}

}  // namespace

std::string qgis_qml(const Legend& legend) {
    const std::string attr = escape_xml(legend.attribute);
    std::string out =
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology\">\n";
    std::string symbols;
    if (legend.categorical) {
        out += "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" + attr +
               "\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n    <categories>\n";
        for (std::size_t k = 0; k < legend.classes.size(); ++k) {
            const auto& c = legend.classes[k];
            out += "      <category value=\"" + escape_xml(c.value) + "\" symbol=\"" +
                   std::to_string(k) + "\" label=\"" + qml_label(legend, c.label) +
                   "\" render=\"true\"/>\n";
            symbols += qgis_symbol(k, c.colour);
        }
        // An empty value is QGIS's "all other values" category: here the unclassified districts.
        out += "      <category value=\"\" symbol=\"" + std::to_string(legend.classes.size()) +
               "\" label=\"" + escape_xml(legend.missing_label) + "\" render=\"true\"/>\n";
        symbols += qgis_symbol(legend.classes.size(), legend.missing_colour);
        out += "    </categories>\n";
    } else {
        out += "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" + attr +
               "\" graduatedMethod=\"GraduatedColor\" forceraster=\"0\" symbollevels=\"0\" "
               "enableorderby=\"0\">\n    <ranges>\n";
        for (std::size_t k = 0; k < legend.classes.size(); ++k) {
            const auto& c = legend.classes[k];
            out += "      <range lower=\"" + exact(c.lower) + "\" upper=\"" + exact(c.upper) +
                   "\" symbol=\"" + std::to_string(k) + "\" label=\"" + qml_label(legend, c.label) +
                   "\" render=\"true\"/>\n";
            symbols += qgis_symbol(k, c.colour);
        }
        out += "    </ranges>\n";
    }
    out += "    <symbols>\n" + symbols + "    </symbols>\n    <rotation/>\n    <sizescale/>\n";
    out +=
        "  </renderer-v2>\n  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n"
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
    out += sld_rule(
        "suppressed", legend.suppressed_label,
        "            <ogc:And>\n"
        "              <ogc:PropertyIsNull>\n                <ogc:PropertyName>" +
            escape_xml(legend.attribute) +
            "</ogc:PropertyName>\n              </ogc:PropertyIsNull>\n"
            "              <ogc:PropertyIsLike wildCard=\"*\" singleChar=\"?\" escape=\"!\">\n"
            "                <ogc:PropertyName>suppressed_indicators</ogc:PropertyName>\n"
            "                <ogc:Literal>*" +
            escape_xml(legend.attribute) +
            "*</ogc:Literal>\n              </ogc:PropertyIsLike>\n            </ogc:And>\n",
        legend.suppressed_colour);
    out += sld_rule("missing", legend.missing_label,
                    "            <ogc:PropertyIsNull>\n              <ogc:PropertyName>" +
                        escape_xml(legend.attribute) +
                        "</ogc:PropertyName>\n            </ogc:PropertyIsNull>\n",
                    legend.missing_colour);
    out +=
        "      </FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n"
        "</StyledLayerDescriptor>\n";
    return out;
}

}  // namespace atlas
