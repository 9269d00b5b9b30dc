#pragma once
// Requests and responses as plain values, so that handlers are testable without a socket and
// the Pistache adapter lives in one file (http_server.cpp).

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace atlas::api {

class DatasetUpdates;
class Metrics;

struct ApiRequest {
    std::map<std::string, std::string> params;  // path parameters, without ':'
    std::map<std::string, std::string> query;   // decoded query parameters
    std::string base_url;                       // public URL of the service root, no trailing '/'
    std::string accept;                         // Accept header
    std::string accept_encoding;                // Accept-Encoding header
    std::string if_none_match;                  // If-None-Match header
    std::string authorization;                  // Authorization header (never logged)
    std::string body;                           // of PUT and POST
    DatasetUpdates* updates = nullptr;          // set when the server accepts updates
    Metrics* metrics = nullptr;                 // set by the HTTP edge
};

struct ApiResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace atlas::api
