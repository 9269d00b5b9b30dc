#include "districts/district_profile.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "atlas/geo/csv.hpp"
#include "atlas/geo/error.hpp"
#include "request_params.hpp"

namespace atlas::api {

namespace {

using nlohmann::json;

std::size_t district_index(const Dataset& ds, const std::string& text) {
    for (std::size_t d = 0; d < ds.districts.size(); ++d) {
        if (ds.districts[d].key == text || std::to_string(ds.districts[d].id) == text) return d;
    }
    throw NotFound("no district '" + text + "' (give its id or key)");
}

// Published values of one year (withheld and missing ones left out).
std::vector<double> published(const IndicatorSeries& s, int year) {
    std::vector<double> out;
    const auto found = s.by_year.find(year);
    if (found == s.by_year.end()) return out;
    for (std::size_t d = 0; d < found->second.size(); ++d)
        if (found->second[d] && !s.suppressed(year, d)) out.push_back(*found->second[d]);
    return out;
}

// The districts' median, not a city total: a total would give back withheld counts (city sum
// minus the published districts), and for shares it needs numerators the table may not have.
json median(std::vector<double> values) {
    if (values.empty()) return nullptr;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

json value_of(const IndicatorSeries& s, int year, std::size_t d) {
    const auto found = s.by_year.find(year);
    if (found == s.by_year.end() || d >= found->second.size() || !found->second[d] ||
        s.suppressed(year, d))
        return nullptr;
    return *found->second[d];
}

json indicator_entry(const IndicatorSeries& s, int year, std::size_t d) {
    const json value = value_of(s, year, d);
    const auto values = published(s, year);
    json rank = nullptr;
    if (value.is_number()) {
        // 1 = the highest value; ties share the better rank.
        rank = 1 + std::count_if(values.begin(), values.end(),
                                 [&](double v) { return v > value.get<double>(); });
    }
    json series = json::array();
    for (const auto& [y, all] : s.by_year) {
        series.push_back({{"year", y},
                          {"value", value_of(s, y, d)},
                          {"suppressed", s.suppressed(y, d)},
                          {"median", median(published(s, y))}});
    }
    return {{"id", s.meta.id},
            {"label", s.meta.label_de},
            {"unit", s.meta.unit},
            {"status", s.meta.official ? "official" : "modelled"},
            {"has_year", s.by_year.contains(year)},
            {"value", value},
            {"suppressed", s.by_year.contains(year) && s.suppressed(year, d)},
            {"rank", rank},
            {"ranked", values.size()},
            {"median", median(values)},
            {"series", series}};
}

json finite_or_null(const std::optional<double>& v) {
    return v && std::isfinite(*v) ? json(*v) : json(nullptr);
}

json coverage_entries(const ServedData& data, std::size_t d) {
    json out = json::array();
    if (!data.coverage) return out;
    for (const auto& group : data.coverage->groups) {
        if (group.group.kind != "field") continue;
        const DistrictCoverage& c = group.districts[d];
        // A withheld target group withholds every measure computed from it.
        const bool withheld = c.target_withheld;
        json entry = {
            {"field", group.group.id},
            {"label", group.group.label_de},
            {"radius_m", group.group.radius_m},
            {"services", c.services},
            {"no_services", group.no_service},
            {"withheld", withheld},
            {"per_1000", withheld ? json(nullptr) : finite_or_null(c.per_1000)},
            {"mean_distance_m",
             withheld || group.no_service ? json(nullptr) : finite_or_null(c.mean_distance_m)},
            {"share_within",
             withheld || group.no_service ? json(nullptr) : finite_or_null(c.share_within)},
            {"gap_class", withheld ? "" : c.gap_class()},
            {"gap", !withheld && c.gap},
            {"excluded_reason", c.excluded_reason}};
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace

ApiResponse district_profile(const ServedData& data, const ApiRequest& request) {
    const Dataset& ds = data.dataset;
    const std::size_t d = district_index(ds, request.params.at("district"));
    const int year = integer_parameter(request, "year", kFirstPlausibleYear, kLastPlausibleYear)
                         .value_or(data.default_year);
    const auto years = ds.years();
    if (std::find(years.begin(), years.end(), year) == years.end())
        throw NotFound("no data for " + std::to_string(year));
    const District& district = ds.districts[d];
    json indicators = json::array();
    for (const auto& s : ds.indicators) indicators.push_back(indicator_entry(s, year, d));
    json services = json::array();
    for (const auto& s : ds.services) {
        if (s.district != d) continue;
        services.push_back({{"name", s.name},
                            {"category", s.category},
                            {"fields", s.fields},
                            {"data_status", s.data_status}});
    }
    const json body = {
        {"id", district.id},
        {"key", district.key},
        {"name", district.name},
        {"year", year},
        {"area_km2", district.area_km2},
        {"indicators", indicators},
        {"coverage_year", data.coverage ? json(data.coverage->grid.year) : json(nullptr)},
        {"coverage", coverage_entries(data, d)},
        {"services", services}};
    return {200, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace), {}};
}

}  // namespace atlas::api
