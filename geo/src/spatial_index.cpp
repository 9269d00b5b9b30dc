#include "atlas/geo/spatial_index.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>

namespace atlas {

namespace {
namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BoostPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BoostBox = bg::model::box<BoostPoint>;
using Entry = std::pair<BoostPoint, std::size_t>;
}  // namespace

struct PointIndex::Impl {
    bgi::rtree<Entry, bgi::rstar<16>> tree;
    std::vector<Point> points;
};

PointIndex::PointIndex(const std::vector<Point>& points)
    : impl_(std::make_unique<Impl>()), size_(points.size()) {
    std::vector<Entry> entries;
    entries.reserve(points.size());
    for (std::size_t i = 0; i < points.size(); ++i)
        entries.emplace_back(BoostPoint(points[i].x, points[i].y), i);
    // The range constructor packs the tree (STR): faster queries than inserting one by one.
    impl_->tree = bgi::rtree<Entry, bgi::rstar<16>>(entries.begin(), entries.end());
    impl_->points = points;
}

PointIndex::~PointIndex() = default;
PointIndex::PointIndex(PointIndex&&) noexcept = default;
PointIndex& PointIndex::operator=(PointIndex&&) noexcept = default;

std::optional<PointIndex::Hit> PointIndex::nearest(Point p) const {
    for (auto it = impl_->tree.qbegin(bgi::nearest(BoostPoint(p.x, p.y), 1));
         it != impl_->tree.qend(); ++it) {
        const Point& q = impl_->points[it->second];
        return Hit{it->second, std::hypot(q.x - p.x, q.y - p.y)};
    }
    return std::nullopt;
}

void PointIndex::within(Point p, double radius,
                        const std::function<void(const Hit&)>& visit) const {
    const BoostBox box(BoostPoint(p.x - radius, p.y - radius),
                       BoostPoint(p.x + radius, p.y + radius));
    for (auto it = impl_->tree.qbegin(bgi::intersects(box)); it != impl_->tree.qend(); ++it) {
        const Point& q = impl_->points[it->second];
        const double d = std::hypot(q.x - p.x, q.y - p.y);
        if (d <= radius) visit(Hit{it->second, d});
    }
}

}  // namespace atlas
