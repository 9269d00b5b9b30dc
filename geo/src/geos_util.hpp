#pragma once
// Private: RAII over the reentrant GEOS C API. One context per thread; errors become exceptions.

#include <geos_c.h>

#include <memory>
#include <string>

#include "atlas/geo/types.hpp"

namespace atlas::geos {

// The calling thread's GEOS context. GEOS messages are captured, not printed.
GEOSContextHandle_t context();

// The last error GEOS reported on this thread's context.
std::string last_error();

struct GeometryDeleter {
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(context(), g); }
};
struct PreparedDeleter {
    void operator()(const GEOSPreparedGeometry* g) const {
        GEOSPreparedGeom_destroy_r(context(), g);
    }
};
using GeometryPtr = std::unique_ptr<GEOSGeometry, GeometryDeleter>;
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

GeometryPtr to_geos(const MultiPolygon& shape);
GeometryPtr to_geos(Point p);
GeometryPtr to_geos(const LineString& line);
// Keeps the polygonal parts of any geometry (MakeValid may add lines or points).
MultiPolygon polygons_of(const GEOSGeometry* geometry);
PreparedPtr prepare(const GEOSGeometry* geometry);

// Result of checking one shape: empty `reason` when it was valid.
struct Repair {
    std::string reason;
    MultiPolygon repaired;
};
Repair make_valid(const MultiPolygon& shape);

}  // namespace atlas::geos
