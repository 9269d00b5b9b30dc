#pragma once
// Coordinate transformation with PROJ. A Transformer owns its own PROJ context, so it is
// confined to one thread: make one per thread (or per task), never share one.

#include <memory>
#include <string>

#include "atlas/geo/types.hpp"

namespace atlas {

class Transformer {
  public:
    // `from` and `to` are anything PROJ accepts ("EPSG:25832", WKT, PROJJSON). Coordinates are
    // always in GIS order (x = easting/longitude), whatever the CRS's official axis order.
    // Throws Error when PROJ does not know a CRS.
    Transformer(const std::string& from, const std::string& to);
    ~Transformer();
    Transformer(Transformer&&) noexcept;
    Transformer& operator=(Transformer&&) noexcept;
    Transformer(const Transformer&) = delete;
    Transformer& operator=(const Transformer&) = delete;

    Point apply(Point p) const;
    void apply(Ring& ring) const;
    void apply(MultiPolygon& shape) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// True when PROJ can build the CRS from `definition`.
bool is_known_crs(const std::string& definition);

}  // namespace atlas
