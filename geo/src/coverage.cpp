#include "atlas/geo/coverage.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "atlas/geo/accessibility.hpp"
#include "atlas/geo/error.hpp"

namespace atlas {

namespace {

using nlohmann::json;

double lookup(const std::map<std::string, double>& by_group, const std::string& id,
              double fallback) {
    const auto found = by_group.find(id);
    return found == by_group.end() ? fallback : found->second;
}

bool in_group(const Service& s, const ServiceGroup& group) {
    if (group.kind == "category") return s.category == group.id;
    return std::find(s.fields.begin(), s.fields.end(), group.id) != s.fields.end();
}

std::string number_text(const std::optional<double>& v, int decimals) {
    if (!v) return "";
    if (std::isinf(*v)) return "inf";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, *v);
    return buffer;
}

std::string csv_quote(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

json optional_json(const std::optional<double>& v) {
    if (!v || std::isinf(*v)) return nullptr;
    return *v;
}

json method_json(const CoverageResult& result, const GroupCoverage& group) {
    const auto& cfg = result.config;
    return {
        {"year", result.grid.year},
        {"population_surface", result.grid.method},
        {"grid", {{"crs", result.grid.crs}, {"cell_size_m", result.grid.cell_size}}},
        {"population_indicator", result.grid.population_indicator},
        {"target_indicator", result.grid.target_indicator},
        {"data_status", result.grid.official ? "official" : "modelled"},
        {"radius_m", group.group.radius_m},
        {"catchment_m", group.group.catchment_m},
        {"decay", "gaussian (Luo & Qi 2009)"},
        {"accessibility",
         "E2SFCA: services per 1,000 residents reachable, demand = all residents, "
         "averaged over the target group's cells"},
        {"need", cfg.need == "count" ? "target group count" : "target group share"},
        {"access", cfg.access == "e2sfca" ? "E2SFCA" : "share of the target group within radius"},
        {"classes",
         "tertiles of need x access over districts with at least min_population residents"},
        {"min_population", cfg.min_population},
        {"notes", result.grid.notes}};
}

}  // namespace

std::string DistrictCoverage::gap_class() const {
    if (need_class == 0) return "";
    return std::to_string(need_class) + "-" + std::to_string(access_class);
}

const GroupCoverage* CoverageResult::group(std::string_view id) const {
    for (const auto& g : groups) {
        if (g.group.id == id) return &g;
    }
    return nullptr;
}

std::vector<ServiceGroup> service_groups(const Dataset& dataset, const CoverageConfig& config) {
    std::vector<ServiceGroup> groups;
    const auto make = [&](std::string id, std::string kind, std::string de, std::string en) {
        const double radius = lookup(config.radius_by_group, id, config.radius_m);
        const double catchment = lookup(config.catchment_by_group, id, config.catchment_m);
        groups.push_back(
            {std::move(id), std::move(kind), std::move(de), std::move(en), radius, catchment});
    };
    for (const auto& f : dataset.config.fields) make(f.id, "field", f.label_de, f.label_en);
    std::set<std::string> categories;
    for (const auto& s : dataset.services) categories.insert(s.category);
    for (const auto& c : categories) {
        if (!c.empty()) make(c, "category", c, c);
    }
    return groups;
}

std::array<double, 2> tertile_breaks(std::vector<double> values) {
    if (values.empty()) return {0, 0};
    std::sort(values.begin(), values.end());
    const auto quantile = [&](double q) {
        const double pos = q * static_cast<double>(values.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const auto hi = std::min(lo + 1, values.size() - 1);
        return values[lo] + (values[hi] - values[lo]) * (pos - static_cast<double>(lo));
    };
    return {quantile(1.0 / 3), quantile(2.0 / 3)};
}

int tertile_class(double value, const std::array<double, 2>& breaks) {
    if (value <= breaks[0]) return 1;
    if (value <= breaks[1]) return 2;
    return 3;
}

GroupCoverage compute_group_coverage(const Dataset& dataset, const PopulationGrid& grid,
                                     const CoverageConfig& config, const ServiceGroup& group) {
    GroupCoverage out;
    out.group = group;
    out.districts.resize(dataset.districts.size());

    AccessInput input;
    input.catchment_m = group.catchment_m;
    for (const auto& cell : grid.cells) {
        input.demand_points.push_back(cell.centre_metric);
        // Every resident competes for a service, not only the target group; the target group's
        // access is then its own weighted mean over the cells it lives in.
        input.demand.push_back(cell.population);
    }
    for (const auto& s : dataset.services) {
        // Services outside every district are reported at load time and kept out here.
        if (!s.district || !in_group(s, group)) continue;
        input.supply_points.push_back(s.metric);
        input.capacity.push_back(s.capacity);
        out.districts[*s.district].services++;
        if (s.data_status == kStatusExample) ++out.example_services;
    }
    out.services = input.supply_points.size();
    out.no_service = out.services == 0;
    const AccessResult access = measure_access(input);
    out.cell_distance_m = access.nearest_m;

    std::vector<double> weighted_distance(dataset.districts.size(), 0);
    std::vector<double> within(dataset.districts.size(), 0),
        weighted_access(dataset.districts.size(), 0);
    for (const auto& part : grid.parts) {
        DistrictCoverage& d = out.districts[part.district];
        d.population += part.population;
        d.target += part.target;
        const double distance = access.nearest_m[part.cell];
        weighted_distance[part.district] += part.target * distance;
        if (distance <= group.radius_m) within[part.district] += part.target;
        weighted_access[part.district] += part.target * access.e2sfca[part.cell];
    }
    const IndicatorSeries* target_series = dataset.indicator(grid.target_indicator);
    const IndicatorSeries* population_series = dataset.indicator(grid.population_indicator);
    std::vector<std::size_t> classified;
    for (std::size_t i = 0; i < out.districts.size(); ++i) {
        DistrictCoverage& d = out.districts[i];
        if (target_series && target_series->suppressed(grid.year, i)) {
            // The grid leaves such a district empty; its residents are still published.
            d.target_withheld = true;
            const auto values = population_series->by_year.find(grid.year);
            if (values != population_series->by_year.end() && values->second[i])
                d.population = *values->second[i];
            d.excluded_reason = kTargetWithheld;
            continue;
        }
        // A field without any recorded location has no access measure at all — not a low one:
        // its districts get no access values and no gap class, only the reason.
        if (d.target > 0 && !out.no_service) {
            d.per_1000 = static_cast<double>(d.services) / d.target * 1000;
            d.mean_distance_m = weighted_distance[i] / d.target;
            d.share_within = within[i] / d.target;
            d.e2sfca_per_1000 = weighted_access[i] / d.target * 1000;
        }
        if (d.population <= 0) {
            d.excluded_reason = "no population figure for " + std::to_string(grid.year);
        } else if (d.population < config.min_population) {
            char buffer[160];
            std::snprintf(buffer, sizeof buffer, "fewer than %.0f residents (%.0f)",
                          config.min_population, d.population);
            d.excluded_reason = buffer;
        } else {
            d.need = config.need == "count" ? d.target : d.target / d.population * 100;
            if (out.no_service) {
                d.excluded_reason = kNoServicesRecorded;
                continue;
            }
            d.access = config.access == "e2sfca" ? d.e2sfca_per_1000.value_or(0)
                                                 : d.share_within.value_or(0);
            classified.push_back(i);
        }
    }
    std::vector<double> needs, accesses;
    for (auto i : classified) {
        needs.push_back(*out.districts[i].need);
        accesses.push_back(*out.districts[i].access);
    }
    out.need_breaks = tertile_breaks(needs);
    out.access_breaks = tertile_breaks(accesses);
    for (auto i : classified) {
        DistrictCoverage& d = out.districts[i];
        d.need_class = tertile_class(*d.need, out.need_breaks);
        d.access_class = tertile_class(*d.access, out.access_breaks);
        d.gap = d.need_class == 3 && d.access_class == 1;
    }
    return out;
}

CoverageResult compute_coverage(const Dataset& dataset) {
    if (!dataset.config.coverage) {
        throw InputError({dataset.config.path, {}, {}, "coverage"},
                         "the config has no [coverage] section");
    }
    CoverageResult result;
    result.config = *dataset.config.coverage;
    const int year = coverage_year(dataset, result.config);
    result.grid = build_population_grid(dataset, result.config, year);
    for (const auto& group : service_groups(dataset, result.config)) {
        result.groups.push_back(compute_group_coverage(dataset, result.grid, result.config, group));
    }
    return result;
}

std::string coverage_csv(const Dataset& dataset, const CoverageResult& result,
                         const std::vector<const GroupCoverage*>& groups) {
    std::string out =
        "field,field_kind,district_id,district,year,population,target_group,services,services_per_"
        "1000,"
        "mean_distance_m,share_within_radius,e2sfca_per_1000,need_class,access_class,gap_class,gap,"
        "no_service,excluded_reason,radius_m,catchment_m,target_indicator,population_surface,data_"
        "status\n";
    for (const GroupCoverage* g : groups) {
        for (std::size_t i = 0; i < dataset.districts.size(); ++i) {
            const auto& d = g->districts[i];
            const auto& district = dataset.districts[i];
            out += csv_quote(g->group.id) + "," + g->group.kind + "," +
                   std::to_string(district.id) + "," + csv_quote(district.name) + "," +
                   std::to_string(result.grid.year) + "," + number_text(d.population, 1) + "," +
                   (d.target_withheld ? "." : number_text(d.target, 1)) + "," +
                   std::to_string(d.services) + "," + number_text(d.per_1000, 4) + "," +
                   number_text(d.mean_distance_m, 1) + "," + number_text(d.share_within, 4) + "," +
                   number_text(d.e2sfca_per_1000, 4) + "," +
                   (d.need_class ? std::to_string(d.need_class) : "") + "," +
                   (d.access_class ? std::to_string(d.access_class) : "") + "," + d.gap_class() +
                   "," + (d.gap ? "true" : "false") + "," + (g->no_service ? "true" : "false") +
                   "," + csv_quote(d.excluded_reason) + "," + number_text(g->group.radius_m, 0) +
                   "," + number_text(g->group.catchment_m, 0) + "," +
                   csv_quote(result.grid.target_indicator) + "," + result.grid.method + "," +
                   (result.grid.official ? "official" : "modelled") + "\n";
        }
    }
    return out;
}

std::string coverage_json(const Dataset& dataset, const CoverageResult& result,
                          const GroupCoverage& group) {
    json districts = json::array();
    for (std::size_t i = 0; i < dataset.districts.size(); ++i) {
        const auto& d = group.districts[i];
        json row = {{"district_id", dataset.districts[i].id},
                    {"district", dataset.districts[i].name},
                    {"population", d.population},
                    {"target_group", d.target_withheld ? json(nullptr) : json(d.target)},
                    {"services", d.services},
                    {"services_per_1000", optional_json(d.per_1000)},
                    {"mean_distance_m", optional_json(d.mean_distance_m)},
                    {"share_within_radius", optional_json(d.share_within)},
                    {"e2sfca_per_1000", optional_json(d.e2sfca_per_1000)},
                    {"need", optional_json(d.need)},
                    {"access", optional_json(d.access)},
                    {"need_class", d.need_class ? json(d.need_class) : json(nullptr)},
                    {"access_class", d.access_class ? json(d.access_class) : json(nullptr)},
                    {"gap_class", d.need_class ? json(d.gap_class()) : json(nullptr)},
                    {"gap", d.gap}};
        if (!d.excluded_reason.empty()) row["excluded_reason"] = d.excluded_reason;
        if (d.target_withheld) row["target_group_suppressed"] = true;
        districts.push_back(std::move(row));
    }
    json doc = {
        {"field", group.group.id},
        {"kind", group.group.kind},
        {"label_de", group.group.label_de},
        {"label_en", group.group.label_en},
        {"services", group.services},
        {"no_service", group.no_service},
        {"example_services", group.example_services},
        {"data_status", group.example_services > 0 ? "example" : "source"},
        {"data_note", group.example_services > 0 ? "beruht auf Beispieldaten (fiktiv): " +
                                                       std::to_string(group.example_services) +
                                                       " von " + std::to_string(group.services) +
                                                       " Standorten sind erfundene Beispielangebote"
                                                 : ""},
        {"method", method_json(result, group)},
        {"status", group.no_service ? "no_services" : "ok"},
        {"status_label", group.no_service ? kNoServicesRecorded : ""},
        {"need_breaks", group.no_service ? json(nullptr) : json(group.need_breaks)},
        {"access_breaks", group.no_service ? json(nullptr) : json(group.access_breaks)},
        {"attribution", dataset.config.attribution},
        {"districts", std::move(districts)}};
    return doc.dump();
}

}  // namespace atlas
