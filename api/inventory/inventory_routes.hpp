#pragma once
// The structure analysis over HTTP: the inventory (read and edit), its analysis per
// Handlungsfeld and district, and the cooperation network.

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::api {

ApiResponse inventory_document(const ServedData& data, const ApiRequest& request);
ApiResponse inventory_list(const ServedData& data, const ApiRequest& request);
ApiResponse inventory_item(const ServedData& data, const ApiRequest& request);
ApiResponse inventory_create(const ServedData& data, const ApiRequest& request);
ApiResponse inventory_update(const ServedData& data, const ApiRequest& request);
ApiResponse inventory_delete(const ServedData& data, const ApiRequest& request);
ApiResponse structure_analysis(const ServedData& data, const ApiRequest& request);
ApiResponse network(const ServedData& data, const ApiRequest& request);

}  // namespace atlas::api
