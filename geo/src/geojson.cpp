#include "atlas/geo/geojson.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace atlas {

namespace {

using nlohmann::json;

// Six decimals of a degree are about 0.1 m: finer than the source data, coarser is lossy.
void append_coordinate(std::string& out, Point p) {
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, "[%.6f,%.6f]", p.x, p.y);
    out.append(buffer, static_cast<std::size_t>(n));
}

void append_ring(std::string& out, const Ring& ring) {
    out += '[';
    for (std::size_t i = 0; i < ring.size(); ++i) {
        if (i) out += ',';
        append_coordinate(out, ring[i]);
    }
    out += ']';
}

void append_polygon(std::string& out, const Polygon& polygon) {
    out += '[';
    append_ring(out, polygon.outer);
    for (const auto& hole : polygon.holes) {
        out += ',';
        append_ring(out, hole);
    }
    out += ']';
}

void append_geometry(std::string& out, const MultiPolygon& shape) {
    if (shape.size() == 1) {
        out += R"({"type":"Polygon","coordinates":)";
        append_polygon(out, shape.front());
    } else {
        out += R"({"type":"MultiPolygon","coordinates":[)";
        for (std::size_t i = 0; i < shape.size(); ++i) {
            if (i) out += ',';
            append_polygon(out, shape[i]);
        }
        out += ']';
    }
    out += '}';
}

// Counts are written as JSON integers so that readers (GDAL, QGIS) type the field as Integer.
json value_json(const std::optional<double>& v, IndicatorKind kind) {
    if (!v) return nullptr;
    if (kind == IndicatorKind::count && std::trunc(*v) == *v && std::abs(*v) < 9e15) {
        return static_cast<std::int64_t>(*v);
    }
    return *v;
}

}  // namespace

std::string districts_geojson(const Dataset& dataset, int year) {
    std::string modelled;
    json indicators = json::array();
    for (const auto& s : dataset.indicators) {
        if (!s.meta.official) modelled += (modelled.empty() ? "" : ",") + s.meta.id;
        indicators.push_back({{"id", s.meta.id},
                              {"label_de", s.meta.label_de},
                              {"unit", s.meta.unit},
                              {"status", s.meta.official ? "official" : "modelled"}});
    }
    std::string out = R"({"type":"FeatureCollection","name":"districts",)";
    out += R"("year":)" + std::to_string(year) + ",";
    out += R"("attribution":)" + json(dataset.config.attribution).dump() + ",";
    out += R"("indicators":)" + indicators.dump() + ",";
    out += R"("features":[)";
    for (std::size_t d = 0; d < dataset.districts.size(); ++d) {
        const District& district = dataset.districts[d];
        json props = {{"id", district.id},
                      {"name", district.name},
                      {"key", district.key},
                      {"official_id", district.official_id},
                      {"area_km2", std::round(district.area_km2 * 1e4) / 1e4},
                      {"year", year},
                      {"modelled_indicators", modelled}};
        for (const auto& s : dataset.indicators) {
            const auto values = s.by_year.find(year);
            props[s.meta.id] = values == s.by_year.end()
                                   ? json(nullptr)
                                   : value_json(values->second[d], s.meta.kind);
        }
        if (d) out += ',';
        out += R"({"type":"Feature","id":)" + std::to_string(district.id) + R"(,"properties":)";
        out += props.dump();
        out += R"(,"geometry":)";
        append_geometry(out, district.wgs84);
        out += '}';
    }
    out += "]}";
    return out;
}

}  // namespace atlas
