// Country-scale coverage kernel: nearest service, share within radius and E2SFCA for one field.
// Data: a seeded synthetic "country" (see make_country). `--export=DIR` writes the same cells and
// services as CSV so scripts/bench-coverage.sh can time PostGIS's KNN on identical data.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include "atlas/geo/accessibility.hpp"

namespace {

struct Country {
    std::vector<atlas::Point> cells;
    std::vector<double> population;
    std::vector<atlas::Point> services;
};

// Populated 100 m cells clustered around 400 towns in a 640 km x 860 km box (Germany's extent in
// ETRS89 / UTM), services clustered the same way: roughly the shape of a Zensus grid.
const Country& country(std::size_t cells, std::size_t services) {
    static Country c;
    if (c.cells.size() == cells && c.services.size() == services) return c;
    c = {};
    std::mt19937_64 rng(20261126);
    std::uniform_real_distribution<double> ex(280000, 920000), ny(5240000, 6100000);
    std::vector<atlas::Point> towns(400);
    for (auto& t : towns) t = {ex(rng), ny(rng)};
    std::normal_distribution<double> spread(0, 6000);
    std::lognormal_distribution<double> people(2.5, 1.0);
    std::uniform_int_distribution<std::size_t> pick(0, towns.size() - 1);
    const auto near_town = [&] {
        const auto& t = towns[pick(rng)];
        // Snap to a 100 m cell centre.
        return atlas::Point{std::floor((t.x + spread(rng)) / 100) * 100 + 50,
                            std::floor((t.y + spread(rng)) / 100) * 100 + 50};
    };
    c.cells.reserve(cells);
    for (std::size_t i = 0; i < cells; ++i) {
        c.cells.push_back(near_town());
        c.population.push_back(people(rng));
    }
    for (std::size_t j = 0; j < services; ++j) c.services.push_back(near_town());
    return c;
}

void BM_NearestShareE2sfca(benchmark::State& state) {
    const auto& c =
        country(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
    atlas::AccessInput in;
    in.demand_points = c.cells;
    in.demand = c.population;
    in.supply_points = c.services;
    in.capacity.assign(c.services.size(), 1);
    in.catchment_m = 2000;
    in.threads = static_cast<unsigned>(state.range(2));
    const double radius = 1000;
    double share = 0;
    for (auto _ : state) {
        const auto r = atlas::measure_access(in);
        double within = 0, total = 0;
        for (std::size_t i = 0; i < r.nearest_m.size(); ++i) {
            total += c.population[i];
            if (r.nearest_m[i] <= radius) within += c.population[i];
        }
        share = within / total;
        benchmark::DoNotOptimize(share);
    }
    state.counters["cells"] = static_cast<double>(c.cells.size());
    state.counters["services"] = static_cast<double>(c.services.size());
    state.counters["share_within_1km"] = share;
}
BENCHMARK(BM_NearestShareE2sfca)
    ->Args({3'000'000, 10'000, 2})
    ->Args({3'000'000, 10'000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

void export_csv(const std::string& dir) {
    const auto& c = country(3'000'000, 10'000);
    std::ofstream cells(dir + "/cells.csv"), services(dir + "/services.csv");
    cells.precision(10);
    services.precision(10);
    for (std::size_t i = 0; i < c.cells.size(); ++i)
        cells << i << ',' << c.cells[i].x << ',' << c.cells[i].y << '\n';
    for (std::size_t j = 0; j < c.services.size(); ++j)
        services << j << ',' << c.services[j].x << ',' << c.services[j].y << '\n';
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--export=", 9) == 0) {
            export_csv(argv[i] + 9);
            return 0;
        }
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
