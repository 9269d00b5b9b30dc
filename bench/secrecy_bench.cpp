// Statistical secrecy on a seeded synthetic city: D districts × Y years × G groups of one
// population (total = sum of the groups in every district and year, city totals published).
// Group sizes are lognormal shares of lognormal district totals, so many counts are small.
// Compares the audit (integer program, COIN-OR) with the single-subtraction rule on the same
// table and reports the solver calls and withheld cells as counters.

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <string>

#include "atlas/geo/secrecy.hpp"

namespace {

struct City {
    std::vector<atlas::IndicatorSeries> indicators;
    atlas::SecrecyConfig config;
};

City make_city(int districts, int years, int groups) {
    City city;
    std::mt19937_64 rng(20261203);
    std::lognormal_distribution<double> size(5.0, 1.2), weight(0.0, 1.0);
    const auto series = [](const std::string& id) {
        atlas::IndicatorSeries s;
        s.meta.id = id;
        s.meta.kind = atlas::IndicatorKind::count;
        return s;
    };
    city.indicators.push_back(series("gesamt"));
    atlas::SecrecyTotal total{"gesamt", {}};
    for (int g = 0; g < groups; ++g) {
        total.parts.push_back("gruppe_" + std::to_string(g));
        city.indicators.push_back(series(total.parts.back()));
    }
    city.config.totals.push_back(total);
    for (int y = 0; y < years; ++y) {
        for (auto& s : city.indicators)
            s.by_year[2000 + y].resize(static_cast<std::size_t>(districts));
        for (int d = 0; d < districts; ++d) {
            const auto people = static_cast<long>(size(rng));
            std::vector<double> w(static_cast<std::size_t>(groups));
            double sum = 0;
            for (auto& x : w) sum += x = weight(rng);
            long assigned = 0;
            for (int g = 0; g < groups; ++g) {
                const long n =
                    g + 1 == groups
                        ? people - assigned
                        : std::min(people - assigned,
                                   std::lround(people * w[static_cast<std::size_t>(g)] / sum));
                assigned += n;
                city.indicators[static_cast<std::size_t>(g + 1)]
                    .by_year[2000 + y][static_cast<std::size_t>(d)] = static_cast<double>(n);
            }
            city.indicators[0].by_year[2000 + y][static_cast<std::size_t>(d)] =
                static_cast<double>(people);
        }
    }
    return city;
}

void run(benchmark::State& state, atlas::SecrecyMethod method) {
    const City city = make_city(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
                                static_cast<int>(state.range(2)));
    atlas::SecrecyAudit audit;
    for (auto _ : state) {
        auto indicators = city.indicators;
        auto config = city.config;
        config.method = method;
        atlas::LoadReport report;
        audit = atlas::apply_secrecy(config, {}, indicators, report);
        benchmark::DoNotOptimize(indicators);
    }
    state.counters["cells"] =
        static_cast<double>(state.range(0) * state.range(1) * (state.range(2) + 1));
    state.counters["primary"] = static_cast<double>(audit.primary);
    state.counters["secondary"] = static_cast<double>(audit.secondary);
    state.counters["unprotected"] = static_cast<double>(audit.unprotected);
    state.counters["lp_solves"] = static_cast<double>(audit.lp_solves);
    state.counters["integer_solves"] = static_cast<double>(audit.integer_solves);
}

void BM_Audit(benchmark::State& state) {
    run(state, atlas::SecrecyMethod::audit);
}
void BM_Subtraction(benchmark::State& state) {
    run(state, atlas::SecrecyMethod::subtraction);
}

// Erfurt's shape (53 districts, 14 years, 10 groups), then the large city.
BENCHMARK(BM_Audit)->Args({53, 14, 10})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Subtraction)->Args({53, 14, 10})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Audit)->Args({500, 20, 20})->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Subtraction)->Args({500, 20, 20})->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
