#pragma once
// Statistical secrecy, applied in the core before any value can leave it. Small counts are
// withheld (primary); then further cells (secondary) until an attacker who knows every published
// value and every relation between the counts, and solves the whole integer program, can
// neither prove a small count below min_count + protection nor pin any further withheld cell;
// every value derived from a withheld one follows (dependent, see load_dataset).
// Method, attacker model and limits: docs/secrecy.md.

#include <compare>
#include <vector>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"

namespace atlas {

// One published linear relation between count cells: sum of coefficient × cell = constant. A
// district's total with its parts (total −1, parts +1, constant 0), or one indicator's districts
// with the city total the city publishes (all +1, constant = that total).
struct SecrecyRelation {
    struct Cell {
        std::size_t indicator;  // index into the indicator list
        int year;
        std::size_t district;
        auto operator<=>(const Cell&) const = default;
    };
    std::vector<Cell> cells;
    std::vector<int> coefficients;  // one per cell
    double constant = 0;
};

// The relations the attacker knows, for the count indicators of `indicators` (their values
// still present): city totals when config.city_totals, and the configured group totals. A
// relation the data itself breaks (parts not adding up to their total) is left out and named in
// `report` (topic "secrecy").
std::vector<SecrecyRelation> secrecy_relations(const SecrecyConfig& config,
                                               const std::vector<IndicatorSeries>& indicators,
                                               LoadReport& report);

// Withholds, in the count indicators of `indicators` (values become nullopt, `secrecy` says
// why), the counts from 1 to min_count - 1 and the further cells config.method chooses:
// - audit: repeats "solve the attacker's integer program (COIN-OR CLP, CBC where the LP optimum
//   is fractional); where a small count's proven upper bound stays below min_count + protection
//   or a further cell is pinned, withhold the cheapest published cell of a binding relation";
// - subtraction: until no relation has exactly one unknown cell that is withheld, the smallest
//   other published cell of such a relation.
// `derived` (the derived indicators) ranks candidates: fewer dependent values cost less. Counts
// go to `report` (topic "suppressed").
SecrecyAudit apply_secrecy(const SecrecyConfig& config, const std::vector<IndicatorConfig>& derived,
                           std::vector<IndicatorSeries>& indicators, LoadReport& report);

}  // namespace atlas
