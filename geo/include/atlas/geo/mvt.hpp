#pragma once
// Mapbox Vector Tiles 2.1 from feature layers: Web Mercator, integer tile coordinates, clipping
// to the buffered tile, ring winding as the spec demands, zigzag command encoding (protozero).

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "atlas/geo/features.hpp"
#include "atlas/geo/types.hpp"

namespace atlas {

struct TileId {
    int z = 0;
    std::int64_t x = 0;
    std::int64_t y = 0;
};

constexpr int kMaxZoom = 22;

// z in 0..22 and x, y in 0..2^z-1.
bool is_valid_tile(const TileId& tile);

// The tile's square in EPSG:3857 metres.
Box tile_bounds_3857(const TileId& tile);

struct MvtOptions {
    std::uint32_t extent = 4096;
    std::uint32_t buffer = 64;  // in tile units, on every side
};

// A feature layer prepared for tiling: geometries projected to Web Mercator once. Immutable
// after construction, so one instance serves all threads. The FeatureLayer must outlive it.
class TileLayer {
  public:
    explicit TileLayer(const FeatureLayer& layer);

    // The tile with this one layer; empty string when no feature touches the tile.
    std::string encode(const TileId& tile, const MvtOptions& options = {}) const;

    const FeatureLayer& layer() const { return layer_; }
    // The layer's extent in WGS84, for TileJSON.
    const Box& bounds_wgs84() const { return layer_.extent; }

  private:
    const FeatureLayer& layer_;
    std::vector<std::variant<Point, MultiPolygon>> mercator_;
    std::vector<Box> boxes_;
};

}  // namespace atlas
