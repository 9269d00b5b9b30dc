#pragma once
// GET /: the interactive web map (German). The page carries the list of thematic maps; the map
// itself is MapLibre GL JS (served from /assets) drawing /tiles/districts with the colours of
// /styles/{style}.json, so page, legend and every other output share one classification.

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

ApiResponse map_page(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
