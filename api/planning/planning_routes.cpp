#include "planning/planning_routes.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"
#include "atlas/geo/location_planning.hpp"
#include "request_params.hpp"

namespace atlas::api {

namespace {

using nlohmann::json;

constexpr int kMaxSites = 20;

// The populated cells' centres as candidates: "an offer somewhere here".
std::vector<SiteCandidate> cell_candidates(const PopulationGrid& grid) {
    std::vector<SiteCandidate> out;
    for (const auto& cell : grid.cells) {
        if (!(cell.population > 0)) continue;
        out.push_back({cell.id, cell.id, cell.centre_metric, {}});
    }
    return out;
}

}  // namespace

ApiResponse location_suggestions(const ServedData& data, const ApiRequest& request) {
    if (!data.coverage) throw NotFound("this dataset has no [coverage] configured");
    const std::string field = text_parameter(request, "field");
    if (field.empty()) throw BadRequest("parameter 'field' (a Handlungsfeld id) is required");
    const GroupCoverage* group = data.coverage->group(field);
    if (!group || group->group.kind != "field") throw NotFound("no Handlungsfeld '" + field + "'");
    const int k = integer_parameter(request, "k", 1, kMaxSites).value_or(3);
    const std::string method = text_parameter(request, "method", "exact");
    if (method != "exact" && method != "greedy")
        throw BadRequest("parameter 'method' must be exact or greedy, not '" + method + "'");
    const auto& configured = data.dataset.candidate_sites;
    const std::string set = text_parameter(
        request, "candidates", configured.empty() ? "cells" : configured.begin()->first);
    std::vector<SiteCandidate> sites;
    if (set == "cells") {
        sites = cell_candidates(data.coverage->grid);
    } else if (const auto found = configured.find(set); found != configured.end()) {
        sites = found->second;
    } else {
        std::string names = "cells";
        for (const auto& [id, list] : configured) names += ", " + id;
        throw NotFound("no candidate sites '" + set + "' (" + names + ")");
    }

    // Demand: the target group of every cell not yet within the field's radius.
    const double radius = group->group.radius_m;
    const PopulationGrid& grid = data.coverage->grid;
    std::vector<DemandPoint> demand;
    double within = 0, total = 0;
    for (std::size_t i = 0; i < grid.cells.size(); ++i) {
        const double target = grid.cells[i].target;
        if (!(target > 0)) continue;
        total += target;
        const double distance = group->cell_distance_m[i];
        if (std::isfinite(distance) && distance <= radius) {
            within += target;
        } else {
            demand.push_back({grid.cells[i].centre_metric, target});
        }
    }
    const auto started = std::chrono::steady_clock::now();
    const CoverSolution solution =
        method == "greedy" ? max_cover_greedy(demand, sites, static_cast<std::size_t>(k), radius)
                           : max_cover_exact(demand, sites, static_cast<std::size_t>(k), radius);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    json chosen = json::array();
    for (std::size_t i = 0; i < solution.chosen.size(); ++i) {
        const SiteCandidate& site = sites[solution.chosen[i]];
        json entry = {{"rank", i + 1},      {"id", site.id},
                      {"name", site.name},  {"gain", solution.gains[i]},
                      {"x", site.metric.x}, {"y", site.metric.y}};
        if (set != "cells") entry["lon_lat"] = {site.wgs84.x, site.wgs84.y};
        chosen.push_back(std::move(entry));
    }
    const json body = {
        {"field", field},
        {"label", group->group.label_de},
        {"k", k},
        {"radius_m", radius},
        {"candidates", set},
        {"candidate_count", sites.size()},
        {"candidates_after_pruning", solution.candidates_used},
        {"demand_groups", solution.demand_groups},
        {"method", solution.method},
        {"optimal", solution.optimal},
        {"target_total", total},
        {"target_within_before", within},
        {"newly_within", solution.covered},
        {"lp_bound", solution.lp_bound},
        // How far the answer can at most be from the best k sites.
        {"gap_to_bound",
         solution.lp_bound > 0
             ? std::max(0.0, (solution.lp_bound - solution.covered) / solution.lp_bound)
             : 0.0},
        {"seconds", seconds},
        {"data_status", grid.official ? "official" : "modelled"},
        // "Already within reach" counts the field's offers, fictional examples included.
        {"example_services", group->example_services},
        {"note",
         group->example_services > 0
             ? "Beruht auf Beispieldaten (fiktiv): " + std::to_string(group->example_services) +
                   " von " + std::to_string(group->services) +
                   " Standorten sind erfundene Beispielangebote des Inventars"
             : std::string()},
        {"working_crs", data.dataset.config.working_crs},
        {"sites", chosen}};
    return {200, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace), {}};
}

}  // namespace atlas::api
