#pragma once
// The dataset as feature layers (districts, services, grid): one attribute schema per layer,
// WGS84 geometry per feature. Every output format (GeoJSON, CSV, GeoPackage, OGC API) is a
// writer of these, so all show the same attributes.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "atlas/geo/coverage.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/inventory_analysis.hpp"
#include "atlas/geo/network.hpp"
#include "atlas/geo/types.hpp"

namespace atlas {

// A value withheld by statistical secrecy: null in JSON and tiles, "." in CSV.
struct Suppressed {
    friend bool operator==(const Suppressed&, const Suppressed&) = default;
};

using Value = std::variant<std::monostate, Suppressed, bool, std::int64_t, double, std::string>;

enum class ValueType { boolean, integer, number, string };

using Geometry = std::variant<Point, MultiPolygon, LineString>;

struct Attribute {
    std::string name;
    ValueType type = ValueType::string;
    std::string title;  // German label for people
};

struct Feature {
    std::int64_t id = 0;
    std::vector<Value> values;  // aligned with FeatureLayer::schema
    Geometry geometry;          // WGS84 lon/lat
    Box bounds;
};

struct FeatureLayer {
    std::string id;
    std::string title_de;
    std::string title_en;
    std::string description;
    std::string geometry_type;  // "Polygon", "Point" or "LineString"
    std::vector<Attribute> schema;
    std::vector<Feature> features;
    std::vector<int> years;   // temporal extent; empty when the layer has no time
    std::optional<int> year;  // the year this instance shows
    std::vector<std::string> attribution;
    bool modelled = false;  // any value in the layer is modelled
    Box extent;

    std::optional<std::size_t> attribute(std::string_view name) const;
    const Feature* feature(std::int64_t id) const;
};

// Districts with id, name, key, official id, area, every indicator's value in `year` (null
// where none) and, with a coverage result, the per-Handlungsfeld coverage measures.
FeatureLayer districts_layer(const Dataset& dataset, int year, const CoverageResult* coverage);
// Service points with name, category, Handlungsfelder, source, capacity and district.
FeatureLayer services_layer(const Dataset& dataset);
// The inventory: actors at their seat (with network measures), offers at a point, and
// cooperations as lines between the two actors' seats. Entries without a position are left out
// of these layers (they are in /api/inventory and the citywide tables). Every feature carries
// data_status and its German label.
FeatureLayer actors_layer(const Dataset& dataset, const NetworkResult& network);
FeatureLayer offers_layer(const Dataset& dataset, const InventoryAnalysis& analysis);
FeatureLayer cooperations_layer(const Dataset& dataset);
// Population grid cells with INSPIRE id, residents, target group, nearest distance per field.
FeatureLayer grid_layer(const Dataset& dataset, const CoverageResult& coverage);

// Which features a request wants: those intersecting a WGS84 box (exact geometry test, not
// just bounds) whose properties equal the given texts (numbers compared as numbers).
struct FeatureQuery {
    std::optional<Box> bbox_wgs84;
    std::vector<std::pair<std::string, std::string>> equals;
};
// Indexes into layer.features in order. Throws BadRequest for a property the layer lacks.
std::vector<std::size_t> select_features(const FeatureLayer& layer, const FeatureQuery& query);

// A value as text: numbers without trailing zeros, booleans as true/false, null as "",
// suppressed as "." (the sign German statistics use for secret values).
std::string value_text(const Value& value);

// A property name from a field id: '-' becomes '_' (QGIS expressions, OGC filters).
std::string property_name(std::string_view id);

}  // namespace atlas
