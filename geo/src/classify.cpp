#include "atlas/geo/classify.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "atlas/geo/error.hpp"

namespace atlas {

namespace {

// Fisher (1958) / Jenks: the partition of sorted values into k contiguous classes with minimal
// total within-class sum of squared deviations, by dynamic programming over prefix sums.
std::vector<double> jenks_bounds(const std::vector<double>& sorted, std::size_t k) {
    const std::size_t n = sorted.size();
    std::vector<double> sum(n + 1, 0), square(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        sum[i + 1] = sum[i] + sorted[i];
        square[i + 1] = square[i] + sorted[i] * sorted[i];
    }
    // Sum of squared deviations of sorted[a..b) from their mean.
    const auto ssd = [&](std::size_t a, std::size_t b) {
        const double s = sum[b] - sum[a];
        return (square[b] - square[a]) - s * s / static_cast<double>(b - a);
    };
    constexpr double inf = std::numeric_limits<double>::infinity();
    // cost[c][j]: best cost of the first j values in c classes; cut[c][j]: start of the last class.
    std::vector<std::vector<double>> cost(k + 1, std::vector<double>(n + 1, inf));
    std::vector<std::vector<std::size_t>> cut(k + 1, std::vector<std::size_t>(n + 1, 0));
    cost[0][0] = 0;
    for (std::size_t c = 1; c <= k; ++c) {
        for (std::size_t j = c; j <= n; ++j) {
            for (std::size_t i = c - 1; i < j; ++i) {
                if (cost[c - 1][i] == inf) continue;
                const double candidate = cost[c - 1][i] + ssd(i, j);
                if (candidate < cost[c][j]) {
                    cost[c][j] = candidate;
                    cut[c][j] = i;
                }
            }
        }
    }
    std::vector<double> bounds(k + 1);
    bounds[0] = sorted.front();
    bounds[k] = sorted.back();
    std::size_t end = n;
    for (std::size_t c = k; c > 1; --c) {
        const std::size_t start = cut[c][end];
        bounds[c - 1] = sorted[start - 1];  // the upper value of the class below
        end = start;
    }
    return bounds;
}

double quantile(const std::vector<double>& sorted, double q) {
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

std::optional<std::size_t> Classes::class_of(std::optional<double> value) const {
    if (!value || bounds.empty() || *value < bounds.front() || *value > bounds.back())
        return std::nullopt;
    for (std::size_t i = 1; i < bounds.size(); ++i) {
        if (*value <= bounds[i]) return i - 1;
    }
    return bounds.size() - 2;
}

Classes classify(const std::vector<std::optional<double>>& values, ClassMethod method,
                 std::size_t count, const std::vector<double>& manual_breaks) {
    if (count == 0) throw BadRequest("a classification needs at least one class");
    Classes out;
    out.method = method;
    std::vector<double> sorted;
    for (const auto& v : values) {
        if (v && std::isfinite(*v)) sorted.push_back(*v);
    }
    if (sorted.empty()) return out;
    std::sort(sorted.begin(), sorted.end());
    const double n = static_cast<double>(sorted.size());
    out.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / n;
    double squares = 0;
    for (double v : sorted) squares += (v - out.mean) * (v - out.mean);
    out.stddev = std::sqrt(squares / n);

    const double lo = sorted.front(), hi = sorted.back();
    std::vector<double> unique_values = sorted;
    unique_values.erase(std::unique(unique_values.begin(), unique_values.end()),
                        unique_values.end());
    const std::size_t k = std::min(count, unique_values.size());

    std::vector<double> bounds;
    switch (method) {
        case ClassMethod::quantile:
            for (std::size_t i = 0; i <= k; ++i)
                bounds.push_back(quantile(sorted, static_cast<double>(i) / k));
            break;
        case ClassMethod::equal_interval:
            for (std::size_t i = 0; i <= k; ++i)
                bounds.push_back(lo + (hi - lo) * static_cast<double>(i) / k);
            // lo + (hi - lo) can round below hi: the largest value would fall outside.
            bounds.back() = hi;
            break;
        case ClassMethod::jenks:
            bounds = jenks_bounds(sorted, k);
            break;
        case ClassMethod::stddev: {
            // Classes one standard deviation wide, centred on the mean (an odd count has a
            // middle class around the mean), open at both ends: z-scores as in social monitoring.
            bounds.push_back(lo);
            for (std::size_t i = 1; i < count; ++i) {
                const double z = static_cast<double>(i) - static_cast<double>(count) / 2.0;
                const double b = out.mean + z * out.stddev;
                if (b > lo && b < hi) bounds.push_back(b);
            }
            bounds.push_back(hi);
            break;
        }
        case ClassMethod::manual:
            bounds.push_back(std::min(lo, manual_breaks.empty() ? lo : manual_breaks.front()));
            for (double b : manual_breaks) bounds.push_back(b);
            bounds.push_back(std::max(hi, bounds.back()));
            break;
    }
    if (method == ClassMethod::manual &&
        !std::is_sorted(manual_breaks.begin(), manual_breaks.end())) {
        throw BadRequest("manual breaks must be ascending");
    }
    // Equal neighbouring bounds would make empty classes: keep each upper bound once. The first
    // class is closed below, so [min, min] is a real class (the minimum alone).
    bounds.erase(std::unique(bounds.begin() + 1, bounds.end()), bounds.end());
    if (bounds.size() == 1) bounds.push_back(bounds.front());
    out.bounds = std::move(bounds);
    const auto count_values = [&] {
        out.counts.assign(out.size(), 0);
        for (double v : sorted) out.counts[*out.class_of(v)]++;
    };
    count_values();
    // Quantiles of tied values can put a bound between a tie and the next value, leaving a
    // class no value falls into ("über 0,0 – 0,2 (0)"): merge it into its upper neighbour (the
    // last one into its lower), so that every quantile class holds districts.
    if (method == ClassMethod::quantile) {
        for (auto empty = std::find(out.counts.begin(), out.counts.end(), 0u);
             empty != out.counts.end() && out.size() > 1;
             empty = std::find(out.counts.begin(), out.counts.end(), 0u)) {
            const auto i = static_cast<std::size_t>(empty - out.counts.begin());
            out.bounds.erase(out.bounds.begin() +
                             static_cast<std::ptrdiff_t>(i + 1 < out.size() ? i + 1 : i));
            count_values();
        }
    }
    return out;
}

namespace {

double scale_of(int decimals) {
    return std::pow(10.0, decimals);
}

// The shortest decimal d with low <= d < high (or d <= high where `closed`); nullopt when none
// with at most 12 decimals exists.
std::optional<double> shortest_between(double low, double high, bool closed) {
    for (int p = 0; p <= 12; ++p) {
        const double s = scale_of(p);
        const double d = std::ceil(low * s) / s;
        if (d >= low && (d < high || (closed && d <= high))) return d;
    }
    return std::nullopt;
}

}  // namespace

Classes tidy_bounds(Classes classes, const std::vector<std::optional<double>>& values) {
    if (classes.size() == 0 || classes.method == ClassMethod::manual) return classes;
    std::vector<double> present;
    for (const auto& v : values)
        if (v && std::isfinite(*v)) present.push_back(*v);
    if (present.empty()) return classes;
    std::sort(present.begin(), present.end());
    const Classes original = classes;
    auto& b = classes.bounds;
    const std::size_t n = b.size() - 1;
    // Outer bounds: outwards, within 1 % of the class's width (a class of one value: exact).
    const auto outward = [](double bound, double width, bool down) {
        if (!(width > 0)) return bound;
        for (int p = 0; p <= 12; ++p) {
            const double s = scale_of(p);
            const double d = (down ? std::floor(bound * s) : std::ceil(bound * s)) / s;
            if (std::abs(d - bound) <= width / 100) return d;
        }
        return bound;
    };
    const double first = b[0], last = b[n];
    b[0] = outward(first, original.bounds[1] - first, true);
    b[n] = outward(last, last - original.bounds[n - 1], false);
    if (classes.method == ClassMethod::quantile || classes.method == ClassMethod::jenks) {
        for (std::size_t k = 1; k < n; ++k) {
            const double bound = original.bounds[k];
            // The largest value on or below the bound, the smallest above it.
            const auto above = std::upper_bound(present.begin(), present.end(), bound);
            const double low = above == present.begin() ? original.bounds[k - 1] : *(above - 1);
            const double high = above == present.end() ? original.bounds[k + 1] : *above;
            if (const auto d = shortest_between(std::max(low, original.bounds[k - 1]), high,
                                                high == original.bounds[k + 1]))
                b[k] = *d;
        }
    }
    const bool ascending = std::is_sorted(b.begin(), b.end());
    for (const double v : present)
        if (!ascending || classes.class_of(v) != original.class_of(v)) return original;
    return classes;
}

std::optional<ClassMethod> parse_class_method(const std::string& name) {
    if (name == "quantile") return ClassMethod::quantile;
    if (name == "equal_interval") return ClassMethod::equal_interval;
    if (name == "jenks") return ClassMethod::jenks;
    if (name == "stddev") return ClassMethod::stddev;
    if (name == "manual") return ClassMethod::manual;
    return std::nullopt;
}

}  // namespace atlas
