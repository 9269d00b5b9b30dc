#include "erfurt_served.hpp"

#include "atlas/geo/config.hpp"
#include "http_errors.hpp"
#include "support.hpp"

namespace atlas::test {

const api::ServedData& erfurt_served() {
    static const auto data = api::prepare_served_data(
        load_dataset(load_config(source_path("shapes/erfurt/atlas.toml"))));
    return *data;
}

api::ApiRequest request_for(std::map<std::string, std::string> params,
                            std::map<std::string, std::string> query, std::string base_url) {
    api::ApiRequest r;
    r.params = std::move(params);
    r.query = std::move(query);
    r.base_url = std::move(base_url);
    return r;
}

int status_of(Handler handler, const api::ApiRequest& request) {
    try {
        return handler(erfurt_served(), request).status;
    } catch (...) {
        return api::to_http_error(std::current_exception()).status;
    }
}

}  // namespace atlas::test
