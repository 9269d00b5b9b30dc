#pragma once
// Plain geometry value types. Algorithms live elsewhere; these hold coordinates only.

#include <vector>

namespace atlas {

struct Point {
    double x = 0;  // easting or longitude
    double y = 0;  // northing or latitude
    friend bool operator==(const Point&, const Point&) = default;
};

// A closed ring: the first point is repeated as the last.
using Ring = std::vector<Point>;

struct Polygon {
    Ring outer;
    std::vector<Ring> holes;
};

using MultiPolygon = std::vector<Polygon>;

// An open line (a cooperation between two actors' seats, say).
struct LineString {
    std::vector<Point> points;
};

struct Box {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    bool contains(Point p) const {
        return p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y;
    }
};

Box bounds(const MultiPolygon& shape);

// Planar area by the shoelace formula; holes are subtracted. Meaningful in a metric CRS.
double planar_area(const MultiPolygon& shape);

// Distance from p to the shape's boundary: positive inside, negative outside.
double signed_distance(const MultiPolygon& shape, Point p);

// Where a label for the shape goes: a point inside its largest part, about as far from that
// part's boundary as any (pole of inaccessibility, by grid refinement to `precision`).
// An empty shape gives the origin.
Point label_point(const MultiPolygon& shape, double precision);

}  // namespace atlas
