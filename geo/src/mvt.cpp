#include "atlas/geo/mvt.hpp"

#include <zlib.h>
#include <protozero/pbf_writer.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "atlas/geo/crs.hpp"

namespace atlas {

namespace {

constexpr double kOrigin = 20037508.342789244;  // half the Web Mercator world, metres

// Tile-coordinate geometry: integer points; rings are closed implicitly (no repeated first point).
using TilePoint = std::pair<std::int32_t, std::int32_t>;
using TileRing = std::vector<TilePoint>;

struct Frame {
    double min_x, max_y, size, extent;
    TilePoint map(Point p) const {
        return {static_cast<std::int32_t>(std::lround((p.x - min_x) / size * extent)),
                static_cast<std::int32_t>(std::lround((max_y - p.y) / size * extent))};
    }
};

// Twice the signed area in tile coordinates (y down): positive means clockwise on screen,
// which MVT 2.1 requires of exterior rings.
double twice_area(const TileRing& ring) {
    double sum = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        sum += static_cast<double>(a.first) * b.second - static_cast<double>(b.first) * a.second;
    }
    return sum;
}

// Quantises a ring; drops repeated points and the closing point. Neighbouring districts share
// vertices, and the same vertex always snaps to the same integer: shared edges stay shared.
TileRing quantise(const Ring& ring, const Frame& frame) {
    TileRing out;
    out.reserve(ring.size());
    for (const auto& p : ring) {
        const TilePoint q = frame.map(p);
        if (out.empty() || out.back() != q) out.push_back(q);
    }
    while (out.size() > 1 && out.front() == out.back()) out.pop_back();
    return out;
}

std::uint32_t command(std::uint32_t id, std::uint32_t count) {
    return (id & 0x7) | (count << 3);
}

void encode_ring(const TileRing& ring, TilePoint& cursor, std::vector<std::uint32_t>& out) {
    out.push_back(command(1, 1));
    out.push_back(protozero::encode_zigzag32(ring[0].first - cursor.first));
    out.push_back(protozero::encode_zigzag32(ring[0].second - cursor.second));
    cursor = ring[0];
    out.push_back(command(2, static_cast<std::uint32_t>(ring.size() - 1)));
    for (std::size_t i = 1; i < ring.size(); ++i) {
        out.push_back(protozero::encode_zigzag32(ring[i].first - cursor.first));
        out.push_back(protozero::encode_zigzag32(ring[i].second - cursor.second));
        cursor = ring[i];
    }
    out.push_back(command(7, 1));
}

// Polygon geometry commands; empty when everything collapsed below one tile unit.
std::vector<std::uint32_t> polygon_commands(const MultiPolygon& shape, const Frame& frame) {
    std::vector<std::uint32_t> out;
    TilePoint cursor{0, 0};
    for (const auto& polygon : shape) {
        TileRing outer = quantise(polygon.outer, frame);
        const double area = twice_area(outer);
        if (outer.size() < 3 || area == 0) continue;  // degenerate after quantisation
        if (area < 0) std::reverse(outer.begin(), outer.end());
        encode_ring(outer, cursor, out);
        for (const auto& hole : polygon.holes) {
            TileRing inner = quantise(hole, frame);
            const double hole_area = twice_area(inner);
            if (inner.size() < 3 || hole_area == 0) continue;
            if (hole_area > 0) std::reverse(inner.begin(), inner.end());
            encode_ring(inner, cursor, out);
        }
    }
    return out;
}

// Sutherland-Hodgman against one edge of an axis-aligned box. Rings stay rings: where a ring
// leaves and re-enters, the clipped ring runs along the box edge (outside the visible tile,
// inside the buffer), which renderers fill correctly.
template <typename Inside, typename Cross>
Ring clip_edge(const Ring& ring, Inside inside, Cross cross) {
    Ring out;
    if (ring.empty()) return out;
    out.reserve(ring.size() + 4);
    Point previous = ring.back();
    bool previous_in = inside(previous);
    for (const Point& current : ring) {
        const bool current_in = inside(current);
        if (current_in != previous_in) out.push_back(cross(previous, current));
        if (current_in) out.push_back(current);
        previous = current;
        previous_in = current_in;
    }
    return out;
}

Ring clip_ring(const Ring& ring, const Box& box) {
    const auto at_x = [](double x) {
        return [x](Point a, Point b) {
            return Point{x, a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)};
        };
    };
    const auto at_y = [](double y) {
        return [y](Point a, Point b) {
            return Point{a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y};
        };
    };
    Ring out = clip_edge(
        ring, [&](Point p) { return p.x >= box.min_x; }, at_x(box.min_x));
    out = clip_edge(
        out, [&](Point p) { return p.x <= box.max_x; }, at_x(box.max_x));
    out = clip_edge(
        out, [&](Point p) { return p.y >= box.min_y; }, at_y(box.min_y));
    out = clip_edge(
        out, [&](Point p) { return p.y <= box.max_y; }, at_y(box.max_y));
    return out;
}

MultiPolygon clip_polygons(const MultiPolygon& shape, const Box& box) {
    MultiPolygon out;
    for (const auto& polygon : shape) {
        Polygon clipped{clip_ring(polygon.outer, box), {}};
        if (clipped.outer.size() < 3) continue;
        for (const auto& hole : polygon.holes) {
            Ring h = clip_ring(hole, box);
            if (h.size() >= 3) clipped.holes.push_back(std::move(h));
        }
        out.push_back(std::move(clipped));
    }
    return out;
}

// A line clipped to a box (Liang-Barsky per segment): the pieces inside, in order.
std::vector<std::vector<Point>> clip_line(const std::vector<Point>& line, const Box& box) {
    std::vector<std::vector<Point>> parts;
    for (std::size_t i = 1; i < line.size(); ++i) {
        const Point a = line[i - 1], b = line[i];
        const double dx = b.x - a.x, dy = b.y - a.y;
        double t0 = 0, t1 = 1;
        bool visible = true;
        for (const auto& [p, q] :
             {std::pair{-dx, a.x - box.min_x}, std::pair{dx, box.max_x - a.x},
              std::pair{-dy, a.y - box.min_y}, std::pair{dy, box.max_y - a.y}}) {
            if (p == 0) {
                if (q < 0) visible = false;
                continue;
            }
            const double t = q / p;
            if (p < 0) t0 = std::max(t0, t);
            if (p > 0) t1 = std::min(t1, t);
        }
        if (!visible || t0 > t1) continue;
        const Point from{a.x + t0 * dx, a.y + t0 * dy}, to{a.x + t1 * dx, a.y + t1 * dy};
        if (parts.empty() || t0 > 0 || parts.back().back() != from) parts.push_back({from});
        parts.back().push_back(to);
    }
    return parts;
}

// LineString geometry commands (MVT 2.1 §4.3.4.3): MoveTo, LineTo per part; parts that
// collapse to one tile point are left out.
std::vector<std::uint32_t> line_commands(const std::vector<std::vector<Point>>& parts,
                                         const Frame& frame) {
    std::vector<std::uint32_t> out;
    TilePoint cursor{0, 0};
    for (const auto& part : parts) {
        TileRing q;
        for (const auto& p : part) {
            const TilePoint t = frame.map(p);
            if (q.empty() || q.back() != t) q.push_back(t);
        }
        if (q.size() < 2) continue;
        out.push_back(command(1, 1));
        out.push_back(protozero::encode_zigzag32(q[0].first - cursor.first));
        out.push_back(protozero::encode_zigzag32(q[0].second - cursor.second));
        cursor = q[0];
        out.push_back(command(2, static_cast<std::uint32_t>(q.size() - 1)));
        for (std::size_t i = 1; i < q.size(); ++i) {
            out.push_back(protozero::encode_zigzag32(q[i].first - cursor.first));
            out.push_back(protozero::encode_zigzag32(q[i].second - cursor.second));
            cursor = q[i];
        }
    }
    return out;
}

bool overlaps(const Box& a, const Box& b) {
    return a.max_x >= b.min_x && a.min_x <= b.max_x && a.max_y >= b.min_y && a.min_y <= b.max_y;
}

bool inside(const Box& inner, const Box& outer) {
    return inner.min_x >= outer.min_x && inner.max_x <= outer.max_x && inner.min_y >= outer.min_y &&
           inner.max_y <= outer.max_y;
}

// A Value message (MVT 2.1 §4.1) as bytes; empty for null (null attributes are left out).
std::string encode_value(const Value& v) {
    std::string out;
    protozero::pbf_writer value(out);
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>) {
                value.add_string(1, x);
            } else if constexpr (std::is_same_v<T, double>) {
                value.add_double(3, x);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                value.add_sint64(6, x);
            } else if constexpr (std::is_same_v<T, bool>) {
                value.add_bool(7, x);
            }
        },
        v);
    return out;
}

// Tag tables of one tile layer: each key and each distinct value is written once. Keys are
// found by schema position and values by their encoded bytes, both without tree lookups:
// tagging dominated the encoding time before.
class Tags {
  public:
    explicit Tags(std::size_t attributes) : key_of_(attributes, kNone) {}

    std::uint32_t key(std::size_t attribute) {
        if (key_of_[attribute] == kNone) {
            key_of_[attribute] = static_cast<std::uint32_t>(keys_.size());
            keys_.push_back(attribute);
        }
        return key_of_[attribute];
    }

    std::uint32_t value(const std::string& encoded) {
        const auto [it, fresh] =
            values_.emplace(std::string_view(encoded), static_cast<std::uint32_t>(order_.size()));
        if (fresh) order_.push_back(&encoded);
        return it->second;
    }

    void write(protozero::pbf_writer& layer, const std::vector<Attribute>& schema) const {
        for (auto a : keys_) layer.add_string(3, schema[a].name);
        for (const auto* v : order_) layer.add_message(4, *v);
    }

  private:
    static constexpr std::uint32_t kNone = 0xffffffff;
    std::vector<std::uint32_t> key_of_;
    std::vector<std::size_t> keys_;
    std::unordered_map<std::string_view, std::uint32_t> values_;
    std::vector<const std::string*> order_;
};

}  // namespace

bool is_valid_tile(const TileId& t) {
    if (t.z < 0 || t.z > kMaxZoom) return false;
    const std::int64_t n = std::int64_t{1} << t.z;
    return t.x >= 0 && t.x < n && t.y >= 0 && t.y < n;
}

Box tile_bounds_3857(const TileId& t) {
    const double size = 2 * kOrigin / static_cast<double>(std::int64_t{1} << t.z);
    const double min_x = -kOrigin + static_cast<double>(t.x) * size;
    const double max_y = kOrigin - static_cast<double>(t.y) * size;
    return {min_x, max_y - size, min_x + size, max_y};
}

TileLayer::TileLayer(const FeatureLayer& layer) : layer_(layer) {
    const Transformer to_mercator("OGC:CRS84", "EPSG:3857");
    for (const auto& f : layer.features) {
        auto& encoded = encoded_values_.emplace_back();
        for (const auto& v : f.values) encoded.push_back(encode_value(v));
        if (const auto* p = std::get_if<Point>(&f.geometry)) {
            const Point m = to_mercator.apply(*p);
            mercator_.emplace_back(m);
            boxes_.push_back({m.x, m.y, m.x, m.y});
        } else if (const auto* line = std::get_if<LineString>(&f.geometry)) {
            LineString m;
            for (const auto& point : line->points) m.points.push_back(to_mercator.apply(point));
            Box box{kOrigin, kOrigin, -kOrigin, -kOrigin};
            for (const auto& q : m.points)
                box = {std::min(box.min_x, q.x), std::min(box.min_y, q.y), std::max(box.max_x, q.x),
                       std::max(box.max_y, q.y)};
            boxes_.push_back(box);
            mercator_.emplace_back(std::move(m));
        } else {
            MultiPolygon shape = std::get<MultiPolygon>(f.geometry);
            to_mercator.apply(shape);
            boxes_.push_back(bounds(shape));
            mercator_.emplace_back(std::move(shape));
        }
    }
}

std::string TileLayer::encode(const TileId& tile, const MvtOptions& options) const {
    const Box square = tile_bounds_3857(tile);
    const double size = square.max_x - square.min_x;
    const double margin = size * options.buffer / options.extent;
    const Box buffered{square.min_x - margin, square.min_y - margin, square.max_x + margin,
                       square.max_y + margin};
    const Frame frame{square.min_x, square.max_y, size, static_cast<double>(options.extent)};

    std::string data;
    Tags tags(layer_.schema.size());
    std::size_t written = 0;
    {
        protozero::pbf_writer tile_writer(data);
        protozero::pbf_writer layer(tile_writer, 3);
        layer.add_uint32(15, 2);
        layer.add_string(1, layer_.id);
        for (std::size_t i = 0; i < mercator_.size(); ++i) {
            if (!overlaps(boxes_[i], buffered)) continue;
            std::vector<std::uint32_t> geometry;
            std::uint32_t type = 0;
            if (const auto* p = std::get_if<Point>(&mercator_[i])) {
                const TilePoint q = frame.map(*p);
                geometry = {command(1, 1), protozero::encode_zigzag32(q.first),
                            protozero::encode_zigzag32(q.second)};
                type = 1;
            } else if (const auto* line = std::get_if<LineString>(&mercator_[i])) {
                geometry = line_commands(clip_line(line->points, buffered), frame);
                type = 2;
            } else {
                const auto& shape = std::get<MultiPolygon>(mercator_[i]);
                if (inside(boxes_[i], buffered)) {
                    geometry = polygon_commands(shape, frame);
                } else {
                    geometry = polygon_commands(clip_polygons(shape, buffered), frame);
                }
                type = 3;
            }
            if (geometry.empty()) continue;
            const Feature& f = layer_.features[i];
            std::vector<std::uint32_t> feature_tags;
            for (std::size_t a = 0; a < layer_.schema.size(); ++a) {
                if (std::holds_alternative<std::monostate>(f.values[a]) ||
                    std::holds_alternative<Suppressed>(f.values[a]))
                    continue;
                feature_tags.push_back(tags.key(a));
                feature_tags.push_back(tags.value(encoded_values_[i][a]));
            }
            protozero::pbf_writer feature(layer, 2);
            feature.add_uint64(1, static_cast<std::uint64_t>(f.id));
            feature.add_packed_uint32(2, feature_tags.begin(), feature_tags.end());
            feature.add_enum(3, static_cast<std::int32_t>(type));
            feature.add_packed_uint32(4, geometry.begin(), geometry.end());
            ++written;
        }
        tags.write(layer, layer_.schema);
        layer.add_uint32(5, options.extent);
    }
    return written == 0 ? std::string() : data;
}

std::string gzip(const std::string& data) {
    z_stream stream{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("zlib: deflateInit2 failed");
    }
    std::string out(deflateBound(&stream, data.size()) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = deflate(&stream, Z_FINISH);
    deflateEnd(&stream);
    if (result != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
    out.resize(stream.total_out);
    return out;
}

}  // namespace atlas
