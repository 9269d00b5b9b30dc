#pragma once
// Distance and accessibility from demand locations (grid cells) to supply locations (services):
// nearest service and the E2SFCA measure of Luo & Qi (2009). See docs/coverage.md.

#include <vector>

#include "atlas/geo/types.hpp"

namespace atlas {

struct AccessInput {
    std::vector<Point> demand_points;  // metric CRS
    std::vector<double> demand;        // population per demand point
    std::vector<Point> supply_points;  // metric CRS
    std::vector<double> capacity;      // supply per service (1 when unknown)
    double catchment_m = 2000;         // d0 of the Gaussian decay
    unsigned threads = 2;
};

struct AccessResult {
    std::vector<double> nearest_m;     // per demand point; +infinity when there is no supply
    std::vector<double> e2sfca;        // per demand point: sum of R_j * G(d_ij) within d0
    std::vector<double> supply_ratio;  // per service: R_j = S_j / sum_k P_k * G(d_kj)
};

// Luo & Qi's Gaussian weight: (exp(-d²/2d0²) - exp(-1/2)) / (1 - exp(-1/2)) for d <= d0, else 0.
// 1 at d = 0, 0 at d = d0.
double gaussian_decay(double distance, double catchment);

AccessResult measure_access(const AccessInput& input);

}  // namespace atlas
