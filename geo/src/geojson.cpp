#include "atlas/geo/geojson.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace atlas {

namespace {

using nlohmann::json;

class CoordinateWriter {
  public:
    CoordinateWriter(std::string& out, const GeoJsonOptions& options)
        : out_(out), options_(options) {}

    void point(Point p) {
        if (options_.transform) p = options_.transform->apply(p);
        if (options_.swap_axes) std::swap(p.x, p.y);
        char buffer[96];
        const int n = std::snprintf(buffer, sizeof buffer, "[%.*f,%.*f]", options_.decimals, p.x,
                                    options_.decimals, p.y);
        out_.append(buffer, static_cast<std::size_t>(n));
    }

    void ring(const Ring& ring) {
        out_ += '[';
        for (std::size_t i = 0; i < ring.size(); ++i) {
            if (i) out_ += ',';
            point(ring[i]);
        }
        out_ += ']';
    }

    void polygon(const Polygon& polygon) {
        out_ += '[';
        ring(polygon.outer);
        for (const auto& hole : polygon.holes) {
            out_ += ',';
            ring(hole);
        }
        out_ += ']';
    }

    void geometry(const Geometry& geometry) {
        if (const auto* p = std::get_if<Point>(&geometry)) {
            out_ += R"({"type":"Point","coordinates":)";
            point(*p);
        } else if (const auto* line = std::get_if<LineString>(&geometry)) {
            out_ += R"({"type":"LineString","coordinates":)";
            ring(line->points);
        } else {
            const auto& shape = std::get<MultiPolygon>(geometry);
            if (shape.size() == 1) {
                out_ += R"({"type":"Polygon","coordinates":)";
                polygon(shape.front());
            } else {
                out_ += R"({"type":"MultiPolygon","coordinates":[)";
                for (std::size_t i = 0; i < shape.size(); ++i) {
                    if (i) out_ += ',';
                    polygon(shape[i]);
                }
                out_ += ']';
            }
        }
        out_ += '}';
    }

  private:
    std::string& out_;
    const GeoJsonOptions& options_;
};

nlohmann::ordered_json to_json(const Value& v) {
    return std::visit(
        [](const auto& x) -> nlohmann::ordered_json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate> || std::is_same_v<T, Suppressed>) {
                return nullptr;
            } else {
                return x;
            }
        },
        v);
}

void append_feature(std::string& out, const FeatureLayer& layer, const Feature& f,
                    const GeoJsonOptions& options) {
    // In schema order (id, name, key, year, then the indicators as configured): GDAL and QGIS
    // take a layer's field order from the first feature's properties.
    nlohmann::ordered_json props = nlohmann::ordered_json::object();
    props["id"] = f.id;
    for (std::size_t i = 0; i < layer.schema.size(); ++i)
        props[layer.schema[i].name] = to_json(f.values[i]);
    out += R"({"type":"Feature","id":)" + std::to_string(f.id) + R"(,"properties":)" +
           props.dump() + R"(,"geometry":)";
    CoordinateWriter(out, options).geometry(f.geometry);
    out += '}';
}

std::string csv_text(const Value& v, const CsvOptions& options) {
    std::string text = value_text(v);
    // Only numbers carry a decimal mark; German spreadsheets want a comma there.
    if (options.decimal_comma && std::holds_alternative<double>(v))
        std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

std::string csv_cell(const std::string& text, char delimiter) {
    if (text.find_first_of(std::string("\"\r\n") + delimiter) == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::string to_geojson(const FeatureLayer& layer, const std::vector<std::size_t>* selection,
                       const GeoJsonOptions& options) {
    std::string out = R"({"type":"FeatureCollection","name":)" + json(layer.id).dump() + ",";
    out += options.extra_members;
    out += R"("attribution":)" + json(layer.attribution).dump() + ",";
    if (layer.year) out += R"("year":)" + std::to_string(*layer.year) + ",";
    out += R"("data_status":)" +
           json(layer.modelled ? "contains modelled values" : "official").dump() + ",";
    out += R"("features":[)";
    const std::size_t count = selection ? selection->size() : layer.features.size();
    for (std::size_t k = 0; k < count; ++k) {
        if (k) out += ',';
        append_feature(out, layer, layer.features[selection ? (*selection)[k] : k], options);
    }
    out += "]}";
    return out;
}

std::string feature_geojson(const FeatureLayer& layer, const Feature& feature,
                            const GeoJsonOptions& options) {
    std::string out;
    append_feature(out, layer, feature, options);
    return out;
}

std::string to_csv(const FeatureLayer& layer, const std::vector<std::size_t>* selection,
                   const CsvOptions& options) {
    const std::string d(1, options.delimiter);
    std::string out = options.bom ? "\xEF\xBB\xBF" : "";
    out += "id";
    for (const auto& a : layer.schema) out += d + csv_cell(a.name, options.delimiter);
    const bool points = layer.geometry_type == "Point";
    if (points) out += d + "lon" + d + "lat";
    out += "\n";
    const std::size_t count = selection ? selection->size() : layer.features.size();
    for (std::size_t k = 0; k < count; ++k) {
        const Feature& f = layer.features[selection ? (*selection)[k] : k];
        out += std::to_string(f.id);
        for (const auto& v : f.values) out += d + csv_cell(csv_text(v, options), options.delimiter);
        if (points) {
            const Point p = std::get<Point>(f.geometry);
            out += d + csv_text(p.x, options) + d + csv_text(p.y, options);
        }
        out += "\n";
    }
    return out;
}

}  // namespace atlas
