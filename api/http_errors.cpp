#include "http_errors.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "atlas/geo/error.hpp"

namespace atlas::api {

HttpError to_http_error(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const BadRequest& e) {
        return {400, e.what(), {}};
    } catch (const NotFound& e) {
        return {404, e.what(), {}};
    } catch (const Unavailable& e) {
        return {503, e.what(), {}};
    } catch (const InputError& e) {
        return {422, e.what(), e.where().field};
    } catch (const Unauthorized& e) {
        return {401, e.what(), {}};
    } catch (const Forbidden& e) {
        return {403, e.what(), {}};
    } catch (const Conflict& e) {
        return {409, e.what(), {}};
    } catch (const std::exception& e) {
        // The exception text is for the operator (a library's message says nothing to a client
        // and tells an attacker which code ran); the client gets a sentence.
        std::cerr << "atlas: internal error while answering a request: " << e.what() << "\n";
        return {500, "internal error; the server log has the details", {}};
    } catch (...) {
        return {500, "internal error", {}};
    }
}

std::string error_body(const HttpError& error) {
    nlohmann::json body{{"error", error.message}, {"status", error.status}};
    if (!error.field.empty()) body["field"] = error.field;
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace atlas::api
