#pragma once
// The one place where core exceptions become HTTP statuses and JSON error bodies.

#include <exception>
#include <string>

namespace atlas::api {

struct HttpError {
    int status = 500;
    std::string message;
};

HttpError to_http_error(std::exception_ptr error);

// {"error": "...", "status": N}
std::string error_body(const HttpError& error);

}  // namespace atlas::api
