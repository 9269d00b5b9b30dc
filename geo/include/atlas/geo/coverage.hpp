#pragma once
// Coverage and gap analysis per Handlungsfeld (and per service category): service counts,
// distances, share within reach, E2SFCA accessibility and need × access gap classes per
// district. Method: docs/coverage.md.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/grid.hpp"

namespace atlas {

// What every output says of a Handlungsfeld without a single recorded location.
inline constexpr const char* kNoServicesRecorded = "keine Angebote erfasst";
// A district whose target-group count statistical secrecy withholds: no per-district figure
// computed from it may be published either.
inline constexpr const char* kTargetWithheld = "Zielgruppe geheim (statistische Geheimhaltung)";

// A set of services analysed together: a Handlungsfeld or one service category.
struct ServiceGroup {
    std::string id;
    std::string kind;  // "field" or "category"
    std::string label_de;
    std::string label_en;
    double radius_m = 0;
    double catchment_m = 0;
};

struct DistrictCoverage {
    double population = 0;  // from the grid's parts (equals the district total)
    double target = 0;
    bool target_withheld = false;  // secrecy: the target-group count is withheld (kTargetWithheld)
    std::size_t services = 0;
    std::optional<double> per_1000;         // services per 1,000 of the target group
    std::optional<double> mean_distance_m;  // target-weighted; none when the group has no service
    std::optional<double> share_within;     // share (0..1) of the target group within radius
    std::optional<double>
        e2sfca_per_1000;           // E2SFCA × 1,000 (demand: all residents), target-weighted
    std::optional<double> need;    // the need value that was classified
    std::optional<double> access;  // the access value that was classified
    int need_class = 0;            // 1 low .. 3 high; 0 = not classified
    int access_class = 0;
    bool gap = false;               // high need, low access
    std::string excluded_reason;    // why there is no class
    std::string gap_class() const;  // "3-1" (need-access) or "" when not classified
};

struct GroupCoverage {
    ServiceGroup group;
    std::size_t services = 0;          // services of the group inside the districts
    std::size_t example_services = 0;  // of them, fictional example offers of the inventory
    bool no_service = false;
    std::array<double, 2> need_breaks{};  // tertile breaks over the classified districts
    std::array<double, 2> access_breaks{};
    std::vector<DistrictCoverage> districts;  // index as Dataset::districts
    std::vector<double> cell_distance_m;      // per grid cell
};

struct CoverageResult {
    CoverageConfig config;
    PopulationGrid grid;
    std::vector<GroupCoverage> groups;  // Handlungsfelder first, then categories

    const GroupCoverage* group(std::string_view id) const;
};

// The Handlungsfelder of the dataset, then every service category, with their radii.
std::vector<ServiceGroup> service_groups(const Dataset& dataset, const CoverageConfig& config);

// Lower and upper tertile breaks (quantiles 1/3 and 2/3, linear interpolation).
std::array<double, 2> tertile_breaks(std::vector<double> values);
// 1, 2 or 3: value <= lower break, <= upper break, above.
int tertile_class(double value, const std::array<double, 2>& breaks);

GroupCoverage compute_group_coverage(const Dataset& dataset, const PopulationGrid& grid,
                                     const CoverageConfig& config, const ServiceGroup& group);

// The population grid and every group. Throws InputError when the dataset has no [coverage].
CoverageResult compute_coverage(const Dataset& dataset);

// Tables for people and programs. Every row/document names method and parameters.
std::string coverage_csv(const Dataset& dataset, const CoverageResult& result,
                         const std::vector<const GroupCoverage*>& groups);
std::string coverage_json(const Dataset& dataset, const CoverageResult& result,
                          const GroupCoverage& group);

}  // namespace atlas
