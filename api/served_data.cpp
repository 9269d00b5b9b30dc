#include "served_data.hpp"

#include "atlas/geo/geojson.hpp"

namespace atlas::api {

std::shared_ptr<const ServedData> prepare_served_data(Dataset dataset) {
    auto data = std::make_shared<ServedData>();
    data->dataset = std::move(dataset);
    const Dataset& ds = data->dataset;
    data->default_year = ds.latest_year().value_or(0);
    if (ds.config.coverage) {
        data->coverage = compute_coverage(ds);
        data->grid_geojson = grid_geojson(ds, *data->coverage);
        for (const auto& group : data->coverage->groups) {
            data->coverage_json[group.group.id] = coverage_json(ds, *data->coverage, group);
            data->coverage_csv[group.group.id] = coverage_csv(ds, *data->coverage, {&group});
        }
    }
    const CoverageResult* coverage = data->coverage ? &*data->coverage : nullptr;
    for (int year : ds.years())
        data->districts_geojson[year] = districts_geojson(ds, year, coverage);
    if (data->districts_geojson.empty())
        data->districts_geojson[0] = districts_geojson(ds, 0, coverage);
    return data;
}

}  // namespace atlas::api
