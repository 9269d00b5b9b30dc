#pragma once
// Writers of one Legend into the formats map clients read: the legend document itself, a
// MapLibre GL style, a QGIS layer style (QML) and an OGC SLD 1.0. All take their classes,
// colours and labels from the Legend and nothing else, so every output shows the same map.

#include <string>
#include <vector>

#include "atlas/geo/style.hpp"

namespace atlas {

// The legend as JSON: style, title, attribute, year, method, classes (lower, upper, colour,
// label, count), missing, data status, attribution, and each district's value and class.
std::string legend_json(const Legend& legend, const std::vector<std::string>& attribution);

struct MapLibreOptions {
    std::string
        tilejson_url;  // TileJSON of the districts tiles, e.g. http://host/tiles/districts.json
    std::string source_layer = "districts";
    std::vector<std::string> attribution;
    // For QGIS: its MapBox GL converter (3.22) reads `match` on a property but not on ["id"],
    // so the colour is matched on the district key property instead.
    bool match_on_key = false;
};

// A MapLibre GL style (version 8). The fill colour is chosen by feature id (a `match` on
// ["id"]; or on ["get", "key"] with match_on_key), so the geometry tiles stay the same for every
// year, field and data version; the legend rides along in metadata["atlas:legend"].
std::string maplibre_style(const Legend& legend, const MapLibreOptions& options);

// A QGIS style document (.qml, as QGIS 3 writes it): a graduated renderer on the legend's
// attribute, or a categorized one for the bivariate gap map, plus a rule for missing values.
std::string qgis_qml(const Legend& legend);

// A Styled Layer Descriptor 1.0.0 with one rule per class (ogc:Filter on the attribute) and one
// for missing values (ogc:PropertyIsNull).
std::string sld(const Legend& legend, const std::string& layer_name = "districts");

// Text safe inside XML and HTML elements and quoted attributes (& < > " ').
std::string escape_xml(const std::string& text);

// "#rrggbb" as its red, green and blue components (0..255). Throws BadRequest otherwise.
struct Rgb {
    int r = 0;
    int g = 0;
    int b = 0;
};
Rgb parse_colour(const std::string& hex);

}  // namespace atlas
