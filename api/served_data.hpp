#pragma once
// What the server answers from: a loaded dataset plus everything derived from it once at
// start-up (coverage, feature layers, coverage tables), so request handlers only select and
// write. Held through shared_ptr<const ...> so that a data update can swap it atomically.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "atlas/geo/coverage.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/features.hpp"
#include "atlas/geo/mvt.hpp"
#include "atlas/geo/style.hpp"
#include "tile_cache.hpp"

namespace atlas::api {

// Settings of the HTTP edge that come from the config's [server] section.
struct PublicSettings {
    std::string base_url;  // e.g. https://atlas.example.org/stadtteile; empty: from Host
    bool trust_forwarded_headers = false;  // honour X-Forwarded-Proto/Host/Prefix (behind a proxy)
    std::string cors_origin = "*";         // Access-Control-Allow-Origin; empty: no CORS header
    std::size_t tile_cache_bytes = 64u << 20;
    std::map<std::string, std::string> cache_control;  // by layer id and "default"
    bool public_read = true;                           // false: reads need a token
};

struct ServedData {
    Dataset dataset;
    PublicSettings settings;
    int default_year = 0;
    std::map<int, FeatureLayer> districts;  // by year
    FeatureLayer services;
    std::optional<CoverageResult> coverage;  // when the config has [coverage]
    std::optional<FeatureLayer> grid;
    std::map<std::string, std::string, std::less<>> coverage_json;  // by field or category id
    std::map<std::string, std::string, std::less<>> coverage_csv;
    // Vector tiles: districts (default year), services, grid. The cache belongs to this data
    // version, so a data update starts with an empty cache.
    std::map<std::string, std::unique_ptr<TileLayer>, std::less<>> tile_layers;
    std::unique_ptr<TileCache> tile_cache;
    std::string version;  // hash of the served layers, part of every tile ETag
    std::vector<StyleDefinition> styles;
    // The structure analysis, when the config has [inventory].
    std::optional<NetworkResult> network;
    std::optional<InventoryAnalysis> inventory_analysis;
    std::optional<FeatureLayer> actors, offers, cooperations;
    std::string network_json;
    std::string inventory_analysis_json;
    std::string inventory_analysis_csv;

    // The layer of a collection id; districts in `year` (default: default_year). nullptr if none.
    const FeatureLayer* layer(std::string_view id, std::optional<int> year = std::nullopt) const;
};

std::shared_ptr<const ServedData> prepare_served_data(Dataset dataset,
                                                      PublicSettings settings = {});

}  // namespace atlas::api
