#include "http_errors.hpp"

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
        return {500, std::string("internal error: ") + e.what(), {}};
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
