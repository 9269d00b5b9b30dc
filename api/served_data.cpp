#include "served_data.hpp"

#include "atlas/geo/error.hpp"
#include "atlas/geo/geojson.hpp"

namespace atlas::api {

const FeatureLayer* ServedData::layer(std::string_view id, std::optional<int> year) const {
    if (id == "districts") {
        const auto found = districts.find(year.value_or(default_year));
        if (found == districts.end()) {
            throw NotFound("no indicator data for year " +
                           std::to_string(year.value_or(default_year)));
        }
        return &found->second;
    }
    if (id == "services") return &services;
    if (id == "grid" && grid) return &*grid;
    if (id == "actors" && actors) return &*actors;
    if (id == "offers" && offers) return &*offers;
    if (id == "cooperations" && cooperations) return &*cooperations;
    return nullptr;
}

std::shared_ptr<const ServedData> prepare_served_data(Dataset dataset, PublicSettings settings) {
    auto data = std::make_shared<ServedData>();
    data->dataset = std::move(dataset);
    data->settings = std::move(settings);
    const Dataset& ds = data->dataset;
    data->default_year = ds.latest_year().value_or(0);
    if (!ds.config.styles_dir.empty()) data->styles = load_styles(ds.config.styles_dir);
    if (ds.config.coverage) {
        data->coverage = compute_coverage(ds);
        data->grid = grid_layer(ds, *data->coverage);
        for (const auto& group : data->coverage->groups) {
            data->coverage_json[group.group.id] = coverage_json(ds, *data->coverage, group);
            data->coverage_csv[group.group.id] = coverage_csv(ds, *data->coverage, {&group});
        }
    }
    const CoverageResult* coverage = data->coverage ? &*data->coverage : nullptr;
    auto years = ds.years();
    if (years.empty()) years.push_back(0);
    for (int year : years) data->districts.emplace(year, districts_layer(ds, year, coverage));
    data->services = services_layer(ds);
    if (ds.config.inventory) {
        data->network = analyse_network(ds.inventory, ds.offer_district);
        data->inventory_analysis = analyse_inventory(ds, coverage);
        data->actors = actors_layer(ds, *data->network);
        data->offers = offers_layer(ds, *data->inventory_analysis);
        data->cooperations = cooperations_layer(ds);
        data->network_json = network_json(ds, *data->network);
        data->inventory_analysis_json = inventory_analysis_json(ds, *data->inventory_analysis);
        data->inventory_analysis_csv = inventory_analysis_csv(ds, *data->inventory_analysis);
    }

    data->tile_layers["districts"] =
        std::make_unique<TileLayer>(data->districts.at(data->default_year));
    data->tile_layers["services"] = std::make_unique<TileLayer>(data->services);
    if (data->grid) data->tile_layers["grid"] = std::make_unique<TileLayer>(*data->grid);
    if (data->actors) data->tile_layers["actors"] = std::make_unique<TileLayer>(*data->actors);
    if (data->offers) data->tile_layers["offers"] = std::make_unique<TileLayer>(*data->offers);
    if (data->cooperations)
        data->tile_layers["cooperations"] = std::make_unique<TileLayer>(*data->cooperations);
    data->tile_cache = std::make_unique<TileCache>(data->settings.tile_cache_bytes);
    std::string fingerprint;
    for (const auto& [id, tiles] : data->tile_layers)
        fingerprint += to_geojson(tiles->layer(), nullptr);
    // Every year's values, not only the newest year's tiles: an upload that corrects 2019 must
    // change the version, or ETags and caches keep the old figures.
    for (const auto& [year, layer] : data->districts) {
        fingerprint += std::to_string(year);
        for (const auto& feature : layer.features)
            for (const auto& value : feature.values) fingerprint += value_text(value) + ';';
    }
    data->version = content_hash(fingerprint).substr(0, 8);
    return data;
}

}  // namespace atlas::api
