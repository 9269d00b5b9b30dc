#pragma once
// The structure analysis's web page at /struktur: offers, services and cooperations on the
// map, per-field tables, the cooperation network as a graph, and the editor of the inventory.

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

ApiResponse structure_page(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
