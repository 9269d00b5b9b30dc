#pragma once
// An R-tree over points (Boost.Geometry, packed with the STR bulk loader). Boost stays out of
// this header so that only one translation unit pays for compiling it.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "atlas/geo/types.hpp"

namespace atlas {

class PointIndex {
  public:
    explicit PointIndex(const std::vector<Point>& points);
    ~PointIndex();
    PointIndex(PointIndex&&) noexcept;
    PointIndex& operator=(PointIndex&&) noexcept;

    std::size_t size() const { return size_; }

    struct Hit {
        std::size_t index;
        double distance;
    };
    // The nearest point by planar distance; none when the index is empty.
    std::optional<Hit> nearest(Point p) const;

    // Calls `visit` for every point within `radius` (planar, inclusive) of `p`.
    void within(Point p, double radius, const std::function<void(const Hit&)>& visit) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::size_t size_ = 0;
};

}  // namespace atlas
