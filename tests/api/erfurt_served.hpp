#pragma once
// The shipped Erfurt dataset prepared as the server would serve it, built once per test binary,
// and the requests and statuses of handler calls without a socket.

#include <map>
#include <string>

#include "api_types.hpp"
#include "served_data.hpp"

namespace atlas::test {

const api::ServedData& erfurt_served();

// A request as the HTTP edge would hand it to a handler.
api::ApiRequest request_for(std::map<std::string, std::string> params,
                            std::map<std::string, std::string> query = {},
                            std::string base_url = "http://127.0.0.1");

using Handler = api::ApiResponse (*)(const api::ServedData&, const api::ApiRequest&);

// The status the HTTP edge would send for this call on the Erfurt data.
int status_of(Handler handler, const api::ApiRequest& request);

}  // namespace atlas::test
