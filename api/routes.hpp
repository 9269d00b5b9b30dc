#pragma once
// The one route table: the HTTP server registers it and the OpenAPI document is generated
// from it, so the two cannot drift apart.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

struct ParameterSpec {
    std::string name;
    std::string in;    // "path" or "query"
    std::string type;  // JSON Schema type
    std::string description;
};

struct RouteSpec {
    std::string path;  // Pistache syntax: /ogc/collections/:collectionId
    std::string summary;
    std::string response_type;
    std::vector<ParameterSpec> parameters;
    std::function<ApiResponse(const ServedData&, const ApiRequest&)> handler;
    // Work that can take long (large pages, downloads, tile encoding) runs in the worker pool,
    // never on Pistache's I/O threads.
    bool heavy = false;
    // For heavy routes: answers cheap cases (a cached tile) on the I/O thread; nullopt = use the
    // pool.
    std::function<std::optional<ApiResponse>(const ServedData&, const ApiRequest&)> fast_path = {};
    std::string method = "GET";  // GET, PUT or POST
};

const std::vector<RouteSpec>& route_table();

// "/ogc/collections/:collectionId" -> "/ogc/collections/{collectionId}"
std::string openapi_path(const std::string& route_path);

// OpenAPI 3.0 of every route in the table, with `base_url` as the server.
std::string openapi_document(const ServedData& data, const std::string& base_url);

}  // namespace atlas::api
