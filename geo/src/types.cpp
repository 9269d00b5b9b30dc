#include "atlas/geo/types.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace atlas {

namespace {
// Coordinates are taken relative to the first vertex: with projected coordinates in the millions
// the plain shoelace products lose about four digits to cancellation.
double ring_area(const Ring& ring) {
    if (ring.empty()) return 0;
    const Point o = ring.front();
    double twice = 0;
    for (std::size_t i = 1; i < ring.size(); ++i) {
        const double x0 = ring[i - 1].x - o.x, y0 = ring[i - 1].y - o.y;
        const double x1 = ring[i].x - o.x, y1 = ring[i].y - o.y;
        twice += x0 * y1 - x1 * y0;
    }
    return std::abs(twice) / 2;
}
}  // namespace

Box bounds(const MultiPolygon& shape) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    Box box{inf, inf, -inf, -inf};
    for (const auto& polygon : shape) {
        for (const auto& p : polygon.outer) {
            box.min_x = std::min(box.min_x, p.x);
            box.min_y = std::min(box.min_y, p.y);
            box.max_x = std::max(box.max_x, p.x);
            box.max_y = std::max(box.max_y, p.y);
        }
    }
    return box;
}

double planar_area(const MultiPolygon& shape) {
    double area = 0;
    for (const auto& polygon : shape) {
        area += ring_area(polygon.outer);
        for (const auto& hole : polygon.holes) area -= ring_area(hole);
    }
    return area;
}

}  // namespace atlas
