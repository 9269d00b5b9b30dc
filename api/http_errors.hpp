#pragma once
// The one place where core exceptions become HTTP statuses and JSON error bodies.

#include <exception>
#include <stdexcept>
#include <string>

namespace atlas::api {

// Statuses that only the HTTP edge knows of.
struct Unauthorized : std::runtime_error {  // 401: no credentials
    using std::runtime_error::runtime_error;
};
struct Forbidden : std::runtime_error {  // 403: wrong credentials, or not allowed at all
    using std::runtime_error::runtime_error;
};
struct Conflict : std::runtime_error {  // 409: another update is running
    using std::runtime_error::runtime_error;
};

struct HttpError {
    int status = 500;
    std::string message;
    std::string field;  // the input field a 422 is about, when known
};

HttpError to_http_error(std::exception_ptr error);

// {"error": "...", "status": N} (+ "field" for validation errors)
std::string error_body(const HttpError& error);

}  // namespace atlas::api
