#pragma once
// OGC API - Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0), Part 2 (CRS) and the
// queryables of Part 3, over the served feature layers. Pure functions of data and request.

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

ApiResponse ogc_landing(const ServedData& data, const ApiRequest& request);
ApiResponse ogc_conformance(const ServedData& data, const ApiRequest& request);
ApiResponse ogc_openapi(const ServedData& data, const ApiRequest& request);
ApiResponse ogc_collections(const ServedData& data, const ApiRequest& request);
ApiResponse ogc_collection(const ServedData& data, const ApiRequest& request);
ApiResponse ogc_queryables(const ServedData& data, const ApiRequest& request);
ApiResponse ogc_schema(const ServedData& data, const ApiRequest& request);
ApiResponse ogc_items(const ServedData& data, const ApiRequest& request);
ApiResponse ogc_item(const ServedData& data, const ApiRequest& request);

// Items default and maximum page size (documented in the OpenAPI document and README).
constexpr long kDefaultLimit = 100;
constexpr long kMaxLimit = 10000;

}  // namespace atlas::api
