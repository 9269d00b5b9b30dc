#pragma once
// Statistical secrecy, applied in the core before any value can leave it: small counts are
// suppressed (primary), then further cells wherever a suppressed one could be recovered by one
// subtraction (secondary), and every value derived from a suppressed one (dependent, see
// load_dataset). Method: docs/secrecy.md.

#include <vector>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"

namespace atlas {

// One published linear relation "sum of cells = a total the reader knows": a district's
// total with its parts (the total is a cell too), or one indicator's districts with the city
// total (published by the city elsewhere, so assumed known).
struct SecrecyRelation {
    struct Cell {
        std::size_t indicator;  // index into the indicator list
        int year;
        std::size_t district;
    };
    std::vector<Cell> cells;
};

// The relations an attacker can subtract along, for the count indicators of `indicators`.
std::vector<SecrecyRelation> secrecy_relations(const SecrecyConfig& config,
                                               const std::vector<IndicatorSeries>& indicators);

// Suppresses, in the count indicators of `indicators` (values become nullopt, `secrecy` says
// why): counts from 1 to min_count - 1, then, until no relation has exactly one unknown cell
// that is suppressed, the smallest other published cell of such a relation. Counts go to
// `report` (topic "suppressed").
void apply_secrecy(const SecrecyConfig& config, std::vector<IndicatorSeries>& indicators,
                   LoadReport& report);

}  // namespace atlas
