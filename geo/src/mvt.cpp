#include "atlas/geo/mvt.hpp"

#include <zlib.h>
#include <protozero/pbf_writer.hpp>

#include <cmath>
#include <map>
#include <stdexcept>

#include "atlas/geo/crs.hpp"
#include "geos_util.hpp"

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

bool overlaps(const Box& a, const Box& b) {
    return a.max_x >= b.min_x && a.min_x <= b.max_x && a.max_y >= b.min_y && a.min_y <= b.max_y;
}

bool inside(const Box& inner, const Box& outer) {
    return inner.min_x >= outer.min_x && inner.max_x <= outer.max_x && inner.min_y >= outer.min_y &&
           inner.max_y <= outer.max_y;
}

// Tag tables of one layer: each distinct key and value is written once.
class Tags {
  public:
    std::uint32_t key(const std::string& k) { return index(keys_, key_order_, k); }
    std::uint32_t value(const Value& v) { return index(values_, value_order_, v); }

    void write(protozero::pbf_writer& layer) const {
        for (const auto* k : key_order_) layer.add_string(3, *k);
        for (const auto* v : value_order_) {
            protozero::pbf_writer value(layer, 4);
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
                *v);
        }
    }

  private:
    template <typename T>
    static std::uint32_t index(std::map<T, std::uint32_t>& table, std::vector<const T*>& order,
                               const T& item) {
        const auto [it, fresh] = table.emplace(item, static_cast<std::uint32_t>(order.size()));
        if (fresh) order.push_back(&it->first);
        return it->second;
    }

    std::map<std::string, std::uint32_t> keys_;
    std::vector<const std::string*> key_order_;
    std::map<Value, std::uint32_t> values_;
    std::vector<const Value*> value_order_;
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
        if (const auto* p = std::get_if<Point>(&f.geometry)) {
            const Point m = to_mercator.apply(*p);
            mercator_.emplace_back(m);
            boxes_.push_back({m.x, m.y, m.x, m.y});
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
    Tags tags;
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
            } else {
                const auto& shape = std::get<MultiPolygon>(mercator_[i]);
                if (inside(boxes_[i], buffered)) {
                    geometry = polygon_commands(shape, frame);
                } else {
                    const geos::GeometryPtr g = geos::to_geos(shape);
                    const geos::GeometryPtr clipped(
                        GEOSClipByRect_r(geos::context(), g.get(), buffered.min_x, buffered.min_y,
                                         buffered.max_x, buffered.max_y));
                    if (clipped)
                        geometry = polygon_commands(geos::polygons_of(clipped.get()), frame);
                }
                type = 3;
            }
            if (geometry.empty()) continue;
            const Feature& f = layer_.features[i];
            std::vector<std::uint32_t> feature_tags;
            for (std::size_t a = 0; a < layer_.schema.size(); ++a) {
                if (std::holds_alternative<std::monostate>(f.values[a])) continue;
                feature_tags.push_back(tags.key(layer_.schema[a].name));
                feature_tags.push_back(tags.value(f.values[a]));
            }
            protozero::pbf_writer feature(layer, 2);
            feature.add_uint64(1, static_cast<std::uint64_t>(f.id));
            feature.add_packed_uint32(2, feature_tags.begin(), feature_tags.end());
            feature.add_enum(3, static_cast<std::int32_t>(type));
            feature.add_packed_uint32(4, geometry.begin(), geometry.end());
            ++written;
        }
        tags.write(layer);
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
