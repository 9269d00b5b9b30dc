#include "atlas/geo/accessibility.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <thread>

#include "atlas/geo/error.hpp"
#include "atlas/geo/spatial_index.hpp"

namespace atlas {

namespace {

// Points sorted into a dense raster of square tiles (counting sort, CSR layout): a tile's
// points are one contiguous span, found by arithmetic instead of a hash lookup. Far cheaper than
// an R-tree for the millions of small fixed-radius and nearest queries of a country grid.
class TileIndex {
  public:
    // The tile is enlarged when the extent would need more than kMaxTiles tiles.
    TileIndex(const std::vector<Point>& points, double tile_size) : points_(points) {
        Box box{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
        for (const auto& p : points) {
            box.min_x = std::min(box.min_x, p.x);
            box.min_y = std::min(box.min_y, p.y);
            box.max_x = std::max(box.max_x, p.x);
            box.max_y = std::max(box.max_y, p.y);
        }
        size_ = tile_size;
        const double area =
            std::max(box.max_x - box.min_x, 1.0) * std::max(box.max_y - box.min_y, 1.0);
        size_ = std::max(size_, std::sqrt(area / kMaxTiles));
        origin_ = {box.min_x, box.min_y};
        cols_ = static_cast<std::int64_t>((box.max_x - box.min_x) / size_) + 1;
        rows_ = static_cast<std::int64_t>((box.max_y - box.min_y) / size_) + 1;
        start_.assign(static_cast<std::size_t>(cols_ * rows_) + 1, 0);
        std::vector<std::uint32_t> tile_of(points.size());
        for (std::size_t i = 0; i < points.size(); ++i) {
            tile_of[i] =
                static_cast<std::uint32_t>(tile_y(points[i].y) * cols_ + tile_x(points[i].x));
            start_[tile_of[i] + 1]++;
        }
        for (std::size_t t = 1; t < start_.size(); ++t) start_[t] += start_[t - 1];
        members_.resize(points.size());
        std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
        for (std::size_t i = 0; i < points.size(); ++i)
            members_[fill[tile_of[i]]++] = static_cast<std::uint32_t>(i);
    }

    // Calls visit(index, distance) for every point within `radius` of p (inclusive).
    template <typename Visit>
    void within(Point p, double radius, Visit&& visit) const {
        // Squared distances in the loop: std::hypot's overflow care costs more than the query.
        const double radius2 = radius * radius;
        const auto x0 = std::max<std::int64_t>(0, tile_x(p.x - radius));
        const auto x1 = std::min<std::int64_t>(cols_ - 1, tile_x(p.x + radius));
        const auto y0 = std::max<std::int64_t>(0, tile_y(p.y - radius));
        const auto y1 = std::min<std::int64_t>(rows_ - 1, tile_y(p.y + radius));
        for (auto ty = y0; ty <= y1; ++ty) {
            for (auto tx = x0; tx <= x1; ++tx) {
                const auto t = static_cast<std::size_t>(ty * cols_ + tx);
                for (auto k = start_[t]; k < start_[t + 1]; ++k) {
                    const std::uint32_t i = members_[k];
                    const double dx = points_[i].x - p.x, dy = points_[i].y - p.y;
                    const double d2 = dx * dx + dy * dy;
                    if (d2 <= radius2) visit(i, std::sqrt(d2));
                }
            }
        }
    }

    // Nearest point by searching rings of tiles outwards; false when the search would need more
    // than `max_rings` rings (the caller then asks an R-tree).
    bool nearest(Point p, int max_rings, double& best) const {
        double best2 = std::numeric_limits<double>::infinity();
        const std::int64_t cx = tile_x(p.x), cy = tile_y(p.y);
        for (std::int64_t r = 0; r <= max_rings; ++r) {
            for (std::int64_t ty = cy - r; ty <= cy + r; ++ty) {
                if (ty < 0 || ty >= rows_) continue;
                const bool edge_row = ty == cy - r || ty == cy + r;
                for (std::int64_t tx = cx - r; tx <= cx + r;
                     tx += edge_row ? 1 : 2 * std::max<std::int64_t>(r, 1)) {
                    if (tx < 0 || tx >= cols_) continue;
                    const auto t = static_cast<std::size_t>(ty * cols_ + tx);
                    for (auto k = start_[t]; k < start_[t + 1]; ++k) {
                        const Point& q = points_[members_[k]];
                        const double dx = q.x - p.x, dy = q.y - p.y;
                        best2 = std::min(best2, dx * dx + dy * dy);
                    }
                }
            }
            // Every point in ring r+1 or beyond is at least this far from p.
            const double bound = distance_to_ring(p, cx, cy, r + 1);
            if (best2 <= bound * bound) {
                best = std::sqrt(best2);
                return true;
            }
        }
        return false;
    }

  private:
    static constexpr double kMaxTiles = 16.0 * 1024 * 1024;

    std::int64_t tile_x(double x) const {
        return static_cast<std::int64_t>(std::floor((x - origin_.x) / size_));
    }
    std::int64_t tile_y(double y) const {
        return static_cast<std::int64_t>(std::floor((y - origin_.y) / size_));
    }

    // Lower bound of the distance from p to any tile at Chebyshev ring `r` around (cx, cy).
    double distance_to_ring(Point p, std::int64_t cx, std::int64_t cy, std::int64_t r) const {
        const double left = p.x - (origin_.x + static_cast<double>(cx - r + 1) * size_);
        const double right = (origin_.x + static_cast<double>(cx + r) * size_) - p.x;
        const double below = p.y - (origin_.y + static_cast<double>(cy - r + 1) * size_);
        const double above = (origin_.y + static_cast<double>(cy + r) * size_) - p.y;
        return std::max(0.0, std::min({left, right, below, above}));
    }

    const std::vector<Point>& points_;
    Point origin_;
    double size_ = 1;
    std::int64_t cols_ = 1, rows_ = 1;
    std::vector<std::uint32_t> start_;
    std::vector<std::uint32_t> members_;
};

// Runs body(begin, end) over [0, n) split into `threads` contiguous chunks.
template <typename Body>
void parallel_chunks(std::size_t n, unsigned threads, Body&& body) {
    threads = std::max(
        1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(n / 4096, 1))));
    if (threads == 1) {
        body(std::size_t{0}, n);
        return;
    }
    std::vector<std::thread> workers;
    const std::size_t chunk = (n + threads - 1) / threads;
    for (unsigned t = 0; t < threads; ++t) {
        const std::size_t begin = std::min(n, t * chunk), end = std::min(n, begin + chunk);
        workers.emplace_back([&body, begin, end] { body(begin, end); });
    }
    for (auto& w : workers) w.join();
}

}  // namespace

double gaussian_decay(double distance, double catchment) {
    if (distance > catchment) return 0;
    const double floor = std::exp(-0.5);
    const double ratio = distance / catchment;
    return (std::exp(-0.5 * ratio * ratio) - floor) / (1 - floor);
}

AccessResult measure_access(const AccessInput& in) {
    if (in.demand.size() != in.demand_points.size() ||
        in.capacity.size() != in.supply_points.size()) {
        throw Error("measure_access: points and weights differ in length");
    }
    if (!(in.catchment_m > 0)) throw Error("measure_access: the catchment must be positive");
    const std::size_t cells = in.demand_points.size(), services = in.supply_points.size();
    AccessResult out;
    out.nearest_m.assign(cells, std::numeric_limits<double>::infinity());
    out.e2sfca.assign(cells, 0);
    out.supply_ratio.assign(services, 0);
    if (services == 0) return out;

    // Tiles of about two services each for nearest; of the catchment size for E2SFCA.
    const Box extent = [&] {
        Box b{in.supply_points[0].x, in.supply_points[0].y, in.supply_points[0].x,
              in.supply_points[0].y};
        for (const auto& p : in.supply_points) {
            b.min_x = std::min(b.min_x, p.x), b.max_x = std::max(b.max_x, p.x);
            b.min_y = std::min(b.min_y, p.y), b.max_y = std::max(b.max_y, p.y);
        }
        return b;
    }();
    const double spread =
        std::max(extent.max_x - extent.min_x, 1.0) * std::max(extent.max_y - extent.min_y, 1.0);
    const TileIndex nearest_tiles(in.supply_points,
                                  std::sqrt(2 * spread / static_cast<double>(services)));
    const PointIndex supply_tree(in.supply_points);  // for the rare point far from every service
    parallel_chunks(cells, in.threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            double best = 0;
            if (!nearest_tiles.nearest(in.demand_points[i], 8, best)) {
                best = supply_tree.nearest(in.demand_points[i])->distance;
            }
            out.nearest_m[i] = best;
        }
    });

    // Step 1: each service's supply over the decay-weighted demand in its catchment. Pairs are
    // found from the cells' side; each thread sums into its own array, merged afterwards.
    const TileIndex catchment_tiles(in.supply_points, in.catchment_m);
    const unsigned threads = std::max(1u, in.threads);
    std::vector<std::vector<double>> partial(threads, std::vector<double>(services, 0));
    std::vector<std::thread> workers;
    const std::size_t chunk = (cells + threads - 1) / threads;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            auto& demand = partial[t];
            const std::size_t end = std::min(cells, (t + 1) * chunk);
            for (std::size_t i = t * chunk; i < end; ++i) {
                if (in.demand[i] <= 0) continue;
                catchment_tiles.within(
                    in.demand_points[i], in.catchment_m, [&](std::uint32_t j, double d) {
                        demand[j] += in.demand[i] * gaussian_decay(d, in.catchment_m);
                    });
            }
        });
    }
    for (auto& w : workers) w.join();
    for (std::size_t j = 0; j < services; ++j) {
        double weighted_demand = 0;
        for (const auto& p : partial) weighted_demand += p[j];
        // A service nobody can reach serves nobody: its ratio stays 0 rather than infinite.
        if (weighted_demand > 0) out.supply_ratio[j] = in.capacity[j] / weighted_demand;
    }
    // Step 2: each demand point sums the decay-weighted ratios of the services it reaches.
    parallel_chunks(cells, in.threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            double access = 0;
            catchment_tiles.within(
                in.demand_points[i], in.catchment_m, [&](std::uint32_t j, double d) {
                    access += out.supply_ratio[j] * gaussian_decay(d, in.catchment_m);
                });
            out.e2sfca[i] = access;
        }
    });
    return out;
}

}  // namespace atlas
