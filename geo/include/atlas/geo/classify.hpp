#pragma once
// Classification of indicator values into classes for thematic maps. Pure functions.

#include <optional>
#include <string>
#include <vector>

namespace atlas {

enum class ClassMethod { quantile, equal_interval, jenks, stddev, manual };

struct Classes {
    ClassMethod method = ClassMethod::quantile;
    // Class boundaries, ascending: class i holds values in (bounds[i], bounds[i+1]], the first
    // class also bounds[0] itself. bounds.size() = number of classes + 1. Empty without values.
    std::vector<double> bounds;
    std::vector<std::size_t> counts;  // values per class
    double mean = 0;                  // of the values (for stddev legends)
    double stddev = 0;

    std::size_t size() const { return bounds.empty() ? 0 : bounds.size() - 1; }
    // The class of a value; nullopt for a missing value or one outside [bounds.front(),
    // bounds.back()].
    std::optional<std::size_t> class_of(std::optional<double> value) const;
};

// Classifies the present values into at most `count` classes. Fewer classes result when there
// are fewer distinct values (all equal: one class). `manual_breaks` (inner boundaries) is used by
// ClassMethod::manual. Jenks is Fisher's exact optimal partition (minimal within-class sum of
// squared deviations), O(count * n²): meant for district-level data.
Classes classify(const std::vector<std::optional<double>>& values, ClassMethod method,
                 std::size_t count, const std::vector<double>& manual_breaks = {});

// The same partition of `values` with bounds of as few decimals as it allows: the outer bounds
// rounded outwards (within 1 % of their class's width), and for quantile and Jenks breaks —
// which are data values — the shortest decimal between a class's largest value and the next
// class's smallest. Every value keeps its class (else the bounds are returned unchanged).
// Why: styles carry the bounds as text, and readers of them round (QGIS's SLD import keeps six
// significant digits), which moved the values lying on a bound into the wrong class.
Classes tidy_bounds(Classes classes, const std::vector<std::optional<double>>& values);

// "quantile", "equal_interval", "jenks", "stddev", "manual"; nullopt for anything else.
std::optional<ClassMethod> parse_class_method(const std::string& name);

}  // namespace atlas
