#pragma once
// Mapbox Vector Tiles 2.1 from feature layers: Web Mercator, integer tile coordinates, clipping
// to the buffered tile, ring winding as the spec demands, zigzag command encoding (protozero).

#include <cstdint>
#include <functional>
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
    std::vector<std::variant<Point, MultiPolygon, LineString>> mercator_;
    std::vector<Box> boxes_;
    std::vector<std::vector<std::string>> encoded_values_;  // per feature and attribute; "" = null
};

// gzip (RFC 1952) of `data`: HTTP Content-Encoding and MBTiles tile blobs.
std::string gzip(const std::string& data);

struct MbtilesExport {
    std::size_t tiles = 0;  // tiles written (tiles without features are left out)
    std::size_t bytes = 0;  // compressed bytes written
};

// Writes the tiles of zooms [min_zoom, max_zoom] that cover the layer's extent into a new
// MBTiles 1.3 file (SQLite through GDAL; gzip-compressed pbf; TMS row order), with metadata
// incl. vector_layers and attribution. `progress(done, total)` is called as tiles are made.
// Throws InputError when the file exists or cannot be written.
MbtilesExport write_mbtiles(const TileLayer& layer, const std::string& path, int min_zoom,
                            int max_zoom,
                            const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace atlas
