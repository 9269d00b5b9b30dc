#pragma once
// What the server answers from: a loaded dataset plus responses prepared once at start-up,
// so request handlers only look things up.

#include <map>
#include <memory>
#include <string>

#include "atlas/geo/coverage.hpp"
#include "atlas/geo/dataset.hpp"

namespace atlas::api {

struct ServedData {
    Dataset dataset;
    int default_year = 0;
    std::map<int, std::string> districts_geojson;  // by year
    std::optional<CoverageResult> coverage;        // when the config has [coverage]
    std::string grid_geojson;
    std::map<std::string, std::string, std::less<>> coverage_json;  // by field or category id
    std::map<std::string, std::string, std::less<>> coverage_csv;
};

std::shared_ptr<const ServedData> prepare_served_data(Dataset dataset);

}  // namespace atlas::api
