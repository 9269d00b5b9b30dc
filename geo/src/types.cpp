#include "atlas/geo/types.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace atlas {

namespace {
double ring_area(const Ring& ring) {
    double twice = 0;
    for (std::size_t i = 1; i < ring.size(); ++i) {
        twice += ring[i - 1].x * ring[i].y - ring[i].x * ring[i - 1].y;
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
