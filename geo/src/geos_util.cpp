#include "geos_util.hpp"

#include "atlas/geo/error.hpp"

namespace atlas::geos {

namespace {

class ThreadContext {
  public:
    ThreadContext() : handle_(GEOS_init_r()) {
        GEOSContext_setErrorMessageHandler_r(handle_, &ThreadContext::on_error, this);
        GEOSContext_setNoticeMessageHandler_r(handle_, &ThreadContext::on_notice, this);
    }
    ~ThreadContext() { GEOS_finish_r(handle_); }
    ThreadContext(const ThreadContext&) = delete;
    ThreadContext& operator=(const ThreadContext&) = delete;

    GEOSContextHandle_t handle() const { return handle_; }
    const std::string& last_error() const { return last_error_; }

  private:
    static void on_error(const char* message, void* self) {
        static_cast<ThreadContext*>(self)->last_error_ = message ? message : "";
    }
    static void on_notice(const char*, void*) {}

    GEOSContextHandle_t handle_;
    std::string last_error_;
};

ThreadContext& this_thread() {
    thread_local ThreadContext ctx;
    return ctx;
}

GEOSCoordSequence* to_sequence(const Ring& ring) {
    GEOSCoordSequence* seq =
        GEOSCoordSeq_create_r(context(), static_cast<unsigned>(ring.size()), 2);
    if (!seq) throw Error("GEOS: " + last_error());
    for (unsigned i = 0; i < ring.size(); ++i) {
        GEOSCoordSeq_setXY_r(context(), seq, i, ring[i].x, ring[i].y);
    }
    return seq;
}

GeometryPtr to_linear_ring(const Ring& ring) {
    // GEOSGeom_createLinearRing_r takes ownership of the sequence, also on failure.
    GeometryPtr out(GEOSGeom_createLinearRing_r(context(), to_sequence(ring)));
    if (!out) throw Error("GEOS cannot build a ring: " + last_error());
    return out;
}

Ring ring_of(const GEOSGeometry* ring) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(context(), ring);
    unsigned size = 0;
    GEOSCoordSeq_getSize_r(context(), seq, &size);
    Ring out(size);
    for (unsigned i = 0; i < size; ++i)
        GEOSCoordSeq_getXY_r(context(), seq, i, &out[i].x, &out[i].y);
    return out;
}

void collect_polygons(const GEOSGeometry* g, MultiPolygon& out) {
    const int type = GEOSGeomTypeId_r(context(), g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(context(), g)) return;
        Polygon polygon;
        polygon.outer = ring_of(GEOSGetExteriorRing_r(context(), g));
        const int holes = GEOSGetNumInteriorRings_r(context(), g);
        for (int i = 0; i < holes; ++i)
            polygon.holes.push_back(ring_of(GEOSGetInteriorRingN_r(context(), g, i)));
        out.push_back(std::move(polygon));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int parts = GEOSGetNumGeometries_r(context(), g);
        for (int i = 0; i < parts; ++i) collect_polygons(GEOSGetGeometryN_r(context(), g, i), out);
    }
}

}  // namespace

GEOSContextHandle_t context() {
    return this_thread().handle();
}
std::string last_error() {
    return this_thread().last_error();
}

GeometryPtr to_geos(const MultiPolygon& shape) {
    std::vector<GEOSGeometry*> polygons;
    try {
        for (const auto& polygon : shape) {
            GeometryPtr shell = to_linear_ring(polygon.outer);
            std::vector<GeometryPtr> holes;
            for (const auto& hole : polygon.holes) holes.push_back(to_linear_ring(hole));
            std::vector<GEOSGeometry*> raw_holes;
            for (auto& h : holes) raw_holes.push_back(h.get());
            GEOSGeometry* built = GEOSGeom_createPolygon_r(context(), shell.get(), raw_holes.data(),
                                                           static_cast<unsigned>(raw_holes.size()));
            if (!built) throw Error("GEOS cannot build a polygon: " + last_error());
            // The polygon now owns shell and holes.
            shell.release();
            for (auto& h : holes) h.release();
            polygons.push_back(built);
        }
    } catch (...) {
        for (auto* p : polygons) GEOSGeom_destroy_r(context(), p);
        throw;
    }
    GeometryPtr out(GEOSGeom_createCollection_r(context(), GEOS_MULTIPOLYGON, polygons.data(),
                                                static_cast<unsigned>(polygons.size())));
    if (!out) {
        for (auto* p : polygons) GEOSGeom_destroy_r(context(), p);
        throw Error("GEOS cannot build a multipolygon: " + last_error());
    }
    return out;
}

GeometryPtr to_geos(Point p) {
    GeometryPtr out(GEOSGeom_createPointFromXY_r(context(), p.x, p.y));
    if (!out) throw Error("GEOS cannot build a point: " + last_error());
    return out;
}

GeometryPtr to_geos(const LineString& line) {
    GEOSCoordSequence* sequence =
        GEOSCoordSeq_create_r(context(), static_cast<unsigned>(line.points.size()), 2);
    if (!sequence) throw Error("GEOS cannot build a line: " + last_error());
    for (std::size_t i = 0; i < line.points.size(); ++i)
        GEOSCoordSeq_setXY_r(context(), sequence, static_cast<unsigned>(i), line.points[i].x,
                             line.points[i].y);
    // The line takes the sequence, also when it fails.
    GeometryPtr out(GEOSGeom_createLineString_r(context(), sequence));
    if (!out) throw Error("GEOS cannot build a line: " + last_error());
    return out;
}

MultiPolygon polygons_of(const GEOSGeometry* geometry) {
    MultiPolygon out;
    collect_polygons(geometry, out);
    return out;
}

PreparedPtr prepare(const GEOSGeometry* geometry) {
    PreparedPtr out(GEOSPrepare_r(context(), geometry));
    if (!out) throw Error("GEOS cannot prepare a geometry: " + last_error());
    return out;
}

Repair make_valid(const MultiPolygon& shape) {
    GeometryPtr geometry = to_geos(shape);
    const char valid = GEOSisValid_r(context(), geometry.get());
    if (valid == 1) return {};
    if (valid != 0) throw Error("GEOS cannot check validity: " + last_error());
    Repair repair;
    if (char* reason = GEOSisValidReason_r(context(), geometry.get())) {
        repair.reason = reason;
        GEOSFree_r(context(), reason);
    }
    GeometryPtr fixed(GEOSMakeValid_r(context(), geometry.get()));
    if (!fixed) throw Error("GEOS MakeValid failed: " + last_error());
    repair.repaired = polygons_of(fixed.get());
    return repair;
}

}  // namespace atlas::geos
