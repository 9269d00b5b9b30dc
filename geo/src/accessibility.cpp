#include "atlas/geo/accessibility.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <thread>
#include <unordered_map>

#include "atlas/geo/error.hpp"
#include "atlas/geo/spatial_index.hpp"

namespace atlas {

namespace {

// Points bucketed into square tiles of the catchment size: every point within d0 of a query
// lies in the query's tile or one of its eight neighbours. Cheaper than an R-tree for the
// millions of fixed-radius queries E2SFCA makes.
class BucketGrid {
  public:
    BucketGrid(const std::vector<Point>& points, double size) : size_(size), points_(points) {
        order_.resize(points.size());
        std::vector<std::int64_t> keys(points.size());
        for (std::size_t i = 0; i < points.size(); ++i) {
            keys[i] = key(tile(points[i].x), tile(points[i].y));
            order_[i] = static_cast<std::uint32_t>(i);
        }
        std::sort(order_.begin(), order_.end(), [&](auto a, auto b) { return keys[a] < keys[b]; });
        for (std::size_t i = 0; i < order_.size();) {
            std::size_t j = i;
            while (j < order_.size() && keys[order_[j]] == keys[order_[i]]) ++j;
            ranges_[keys[order_[i]]] = {static_cast<std::uint32_t>(i),
                                        static_cast<std::uint32_t>(j)};
            i = j;
        }
    }

    template <typename Visit>
    void within(Point p, double radius, Visit&& visit) const {
        const std::int64_t tx = tile(p.x), ty = tile(p.y);
        for (std::int64_t dy = -1; dy <= 1; ++dy) {
            for (std::int64_t dx = -1; dx <= 1; ++dx) {
                const auto found = ranges_.find(key(tx + dx, ty + dy));
                if (found == ranges_.end()) continue;
                for (auto k = found->second.first; k < found->second.second; ++k) {
                    const std::uint32_t i = order_[k];
                    const double d = std::hypot(points_[i].x - p.x, points_[i].y - p.y);
                    if (d <= radius) visit(i, d);
                }
            }
        }
    }

  private:
    std::int64_t tile(double v) const { return static_cast<std::int64_t>(std::floor(v / size_)); }
    static std::int64_t key(std::int64_t x, std::int64_t y) { return (y << 32) ^ (x & 0xffffffff); }

    double size_;
    const std::vector<Point>& points_;
    std::vector<std::uint32_t> order_;
    std::unordered_map<std::int64_t, std::pair<std::uint32_t, std::uint32_t>> ranges_;
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

    const PointIndex supply_tree(in.supply_points);
    parallel_chunks(cells, in.threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            out.nearest_m[i] = supply_tree.nearest(in.demand_points[i])->distance;
    });

    // Step 1: each service's supply over the decay-weighted demand in its catchment.
    const BucketGrid demand_grid(in.demand_points, in.catchment_m);
    parallel_chunks(services, in.threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t j = begin; j < end; ++j) {
            double weighted_demand = 0;
            demand_grid.within(in.supply_points[j], in.catchment_m, [&](std::uint32_t k, double d) {
                weighted_demand += in.demand[k] * gaussian_decay(d, in.catchment_m);
            });
            // A service nobody can reach serves nobody: its ratio stays 0 rather than infinite.
            if (weighted_demand > 0) out.supply_ratio[j] = in.capacity[j] / weighted_demand;
        }
    });
    // Step 2: each demand point sums the decay-weighted ratios of the services it reaches.
    const BucketGrid supply_grid(in.supply_points, in.catchment_m);
    parallel_chunks(cells, in.threads, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            double access = 0;
            supply_grid.within(in.demand_points[i], in.catchment_m, [&](std::uint32_t j, double d) {
                access += out.supply_ratio[j] * gaussian_decay(d, in.catchment_m);
            });
            out.e2sfca[i] = access;
        }
    });
    return out;
}

}  // namespace atlas
