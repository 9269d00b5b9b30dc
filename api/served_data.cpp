#include "served_data.hpp"

#include "atlas/geo/geojson.hpp"

namespace atlas::api {

std::shared_ptr<const ServedData> prepare_served_data(Dataset dataset) {
    auto data = std::make_shared<ServedData>();
    data->dataset = std::move(dataset);
    data->default_year = data->dataset.latest_year().value_or(0);
    for (int year : data->dataset.years()) {
        data->districts_geojson[year] = districts_geojson(data->dataset, year);
    }
    if (data->districts_geojson.empty()) {
        data->districts_geojson[0] = districts_geojson(data->dataset, 0);
    }
    return data;
}

}  // namespace atlas::api
