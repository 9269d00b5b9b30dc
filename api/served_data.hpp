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

namespace atlas::api {

// Settings of the HTTP edge that come from the config's [server] section.
struct PublicSettings {
    std::string base_url;  // e.g. https://atlas.example.org/stadtteile; empty: from Host
    bool trust_forwarded_headers = false;  // honour X-Forwarded-Proto/Host/Prefix (behind a proxy)
    std::string cors_origin = "*";         // Access-Control-Allow-Origin; empty: no CORS header
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

    // The layer of a collection id; districts in `year` (default: default_year). nullptr if none.
    const FeatureLayer* layer(std::string_view id, std::optional<int> year = std::nullopt) const;
};

std::shared_ptr<const ServedData> prepare_served_data(Dataset dataset,
                                                      PublicSettings settings = {});

}  // namespace atlas::api
