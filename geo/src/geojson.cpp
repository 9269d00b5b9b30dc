#include "atlas/geo/geojson.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
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

json number_or_null(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return nullptr;
    return *v;
}

void add_coverage(json& props, const CoverageResult& coverage, std::size_t d) {
    props["coverage_year"] = coverage.grid.year;
    for (const auto& g : coverage.groups) {
        if (g.group.kind != "field") continue;
        const auto& c = g.districts[d];
        const std::string p = property_name(g.group.id);
        props[p + "_services"] = c.services;
        props[p + "_per_1000"] = number_or_null(c.per_1000);
        props[p + "_distance_m"] = number_or_null(c.mean_distance_m);
        props[p + "_within"] = number_or_null(c.share_within);
        props[p + "_e2sfca"] = number_or_null(c.e2sfca_per_1000);
        props[p + "_gap_class"] = c.need_class ? json(c.gap_class()) : json(nullptr);
        props[p + "_gap"] = c.gap;
    }
}

}  // namespace

std::string property_name(std::string_view id) {
    std::string out(id);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

std::string grid_geojson(const Dataset& dataset, const CoverageResult& coverage) {
    std::string out = R"({"type":"FeatureCollection","name":"grid",)";
    out += R"("attribution":)" + json(dataset.config.attribution).dump() + ",";
    out += R"("year":)" + std::to_string(coverage.grid.year) + ",";
    out += R"("data_status":")" + std::string(coverage.grid.official ? "official" : "modelled") +
           R"(",)";
    out += R"("features":[)";
    for (std::size_t i = 0; i < coverage.grid.cells.size(); ++i) {
        const GridCell& cell = coverage.grid.cells[i];
        json props = {{"id", i + 1},
                      {"cell_id", cell.id},
                      {"population", std::round(cell.population * 100) / 100},
                      {"target_group", std::round(cell.target * 100) / 100}};
        for (const auto& g : coverage.groups) {
            if (g.group.kind != "field") continue;
            const double d = g.cell_distance_m[i];
            props["dist_" + property_name(g.group.id)] =
                std::isfinite(d) ? json(std::round(d)) : json(nullptr);
        }
        if (i) out += ',';
        out += R"({"type":"Feature","id":)" + std::to_string(i + 1) + R"(,"properties":)" +
               props.dump();
        out += R"(,"geometry":)";
        append_geometry(out, MultiPolygon{cell_polygon_wgs84(cell, coverage.grid)});
        out += '}';
    }
    out += "]}";
    return out;
}

std::string districts_geojson(const Dataset& dataset, int year, const CoverageResult* coverage) {
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
        if (coverage) add_coverage(props, *coverage, d);
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
