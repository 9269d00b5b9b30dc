#pragma once
// Status × dynamics classification of districts, in the manner of Berlin's Monitoring Soziale
// Stadtentwicklung: status from z-scores of need indicators against the mean of the districts,
// dynamics from their change over a period, combined into classes such as "3-". Method and
// thresholds: docs/monitoring.md.

#include <optional>
#include <string>
#include <vector>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"

namespace atlas {

struct DistrictMonitoring {
    std::vector<std::optional<double>> status_z;  // per indicator
    std::optional<double> status_index;           // standardised mean of status_z
    std::optional<double> dynamics_index;         // standardised mean of the change z-scores
    int status_class = 0;    // 1 hoch, 2 mittel, 3 niedrig, 4 sehr niedrig; 0 = not classified
    int dynamics_class = 0;  // +1 positiv (need falling), 0 stabil, -1 negativ; see has_dynamics
    bool has_dynamics = false;
    std::string combined;         // "2+", "3-", "1" without dynamics; "" when excluded
    std::string excluded_reason;  // why a district has no class
    std::string partial_reason;   // classified without some indicators: which, and why
};

struct MonitoringResult {
    MonitoringConfig config;
    int year = 0;
    int base_year = 0;                          // year - period
    std::vector<DistrictMonitoring> districts;  // index as Dataset::districts
};

// Throws InputError when the config names unknown indicators, NotFound when `year` has no data.
MonitoringResult compute_monitoring(const Dataset& dataset, const MonitoringConfig& config,
                                    int year);

// The newest year in which the population and every status indicator have values.
std::optional<int> newest_monitoring_year(const Dataset& dataset, const MonitoringConfig& config);

std::string monitoring_json(const Dataset& dataset, const MonitoringResult& result);
std::string monitoring_csv(const Dataset& dataset, const MonitoringResult& result);

// "hoch", "mittel", "niedrig", "sehr niedrig" (German, as the monitoring reports write them).
std::string status_label(int status_class);

}  // namespace atlas
