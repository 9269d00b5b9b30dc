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

namespace {

double segment_distance(Point p, Point a, Point b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double length2 = dx * dx + dy * dy;
    double t = length2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// Distance to the nearest edge, negative outside (even-odd rule over all rings).
double signed_distance(const Polygon& polygon, Point p) {
    bool inside = false;
    double nearest = std::numeric_limits<double>::infinity();
    const auto visit = [&](const Ring& ring) {
        for (std::size_t i = 1; i < ring.size(); ++i) {
            const Point a = ring[i - 1], b = ring[i];
            if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
                inside = !inside;
            nearest = std::min(nearest, segment_distance(p, a, b));
        }
    };
    visit(polygon.outer);
    for (const auto& hole : polygon.holes) visit(hole);
    return inside ? nearest : -nearest;
}

}  // namespace

double signed_distance(const MultiPolygon& shape, Point p) {
    double outside = -std::numeric_limits<double>::infinity();
    for (const auto& polygon : shape) {
        const double d = signed_distance(polygon, p);
        if (d >= 0) return d;
        outside = std::max(outside, d);
    }
    return outside;
}

Point label_point(const MultiPolygon& shape, double precision) {
    const Polygon* largest = nullptr;
    double largest_area = -1;
    for (const auto& polygon : shape) {
        const double area = planar_area({polygon});
        if (area > largest_area) {
            largest_area = area;
            largest = &polygon;
        }
    }
    if (!largest || largest->outer.empty()) return {};
    const Box box = bounds({*largest});
    // A coarse grid over the part, then finer grids around the best point so far. Thin or
    // curved parts are why the coarse grid is 16 × 16 and not a single centroid.
    Point best{(box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2};
    double best_distance = signed_distance(*largest, best);
    double cell = std::max(box.max_x - box.min_x, box.max_y - box.min_y) / 16;
    Point centre = best;
    int steps = 8;
    while (cell > precision && cell > 0) {
        for (int i = -steps; i <= steps; ++i) {
            for (int j = -steps; j <= steps; ++j) {
                const Point p{centre.x + i * cell, centre.y + j * cell};
                const double d = signed_distance(*largest, p);
                if (d > best_distance) {
                    best_distance = d;
                    best = p;
                }
            }
        }
        centre = best;
        cell /= 4;
        steps = 4;
    }
    return best;
}

}  // namespace atlas
