#pragma once
// The structure and resource analysis per Handlungsfeld × district and citywide: offers and
// capacity per 1,000 of the target group, actor kinds, funding sources, resources at risk,
// languages. Method: docs/inventory.md.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "atlas/geo/coverage.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/network.hpp"

namespace atlas {

struct FieldDistrictInventory {
    std::size_t offers = 0;                  // point and district offers in the district
    std::size_t example_offers = 0;          // of them fictional
    std::map<std::string, double> capacity;  // by unit
    std::vector<std::string> languages;      // ISO 639-1, sorted
    std::optional<double> target;            // target group (coverage grid), when known
    std::optional<double> offers_per_1000;
    std::map<std::string, double> capacity_per_1000;
};

struct FieldInventory {
    HandlungsfeldConfig field;
    std::size_t offers = 0;  // all of the field, wherever they are
    std::size_t in_districts = 0, citywide = 0, mobile = 0, unplaced = 0, outside = 0;
    std::size_t example_offers = 0;
    std::size_t actors = 0;
    std::map<std::string, double> capacity;  // by unit
    double staff_fte = 0;
    std::map<std::string, std::size_t> by_actor_kind;
    std::map<std::string, std::size_t> by_funding;  // offers naming the source
    std::map<std::string, std::size_t> languages;   // offers per language
    std::vector<std::string> at_risk;               // offer ids
    std::optional<double> target;                   // citywide target group
    std::optional<double> offers_per_1000;          // citywide
    std::vector<FieldDistrictInventory> districts;  // as Dataset::districts
};

struct InventoryAnalysis {
    std::string as_of;       // reference date (ISO)
    std::string risk_until;  // as_of + risk_months
    int risk_months = 12;
    std::vector<FieldInventory> fields;  // as the config lists the Handlungsfelder
    // Offers whose funding all ends between as_of and risk_until; and those already run out.
    std::vector<std::string> at_risk;
    std::vector<std::string> expired;
    std::string target_label;  // the target group per-1,000 figures refer to
};

// Today's date in UTC, ISO.
std::string today_iso();
// ISO date plus whole months (the day clamped to the month's length).
std::string add_months(const std::string& iso, int months);

// `coverage` supplies the target group per district (the coverage grid's); without it the
// per-1,000 figures stay empty. `as_of`: empty = [inventory].as_of, or today.
InventoryAnalysis analyse_inventory(const Dataset& dataset, const CoverageResult* coverage,
                                    std::string as_of = {});

// JSON of the whole analysis, or of one field (empty: all); every document names the share
// of fictional example entries it rests on.
std::string inventory_analysis_json(const Dataset& dataset, const InventoryAnalysis& analysis,
                                    const std::string& field = {});
// One row per Handlungsfeld × district (plus a "Stadt gesamt" row per field), German labels.
std::string inventory_analysis_csv(const Dataset& dataset, const InventoryAnalysis& analysis);
// The network measures with actor names, fields, and the synergy candidates by name.
std::string network_json(const Dataset& dataset, const NetworkResult& network);

}  // namespace atlas
