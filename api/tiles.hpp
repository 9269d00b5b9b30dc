#pragma once
// Vector tile endpoints: MVT tiles (cached, gzip, ETag/304) and TileJSON 3.0.0.

#include <optional>

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

ApiResponse tile(const ServedData& data, const ApiRequest& request);
// The tile when it is in the cache (answered on the I/O thread); nullopt when it must be made.
std::optional<ApiResponse> cached_tile(const ServedData& data, const ApiRequest& request);
ApiResponse tilejson(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
