#include "erfurt_served.hpp"

#include "atlas/geo/config.hpp"
#include "support.hpp"

namespace atlas::test {

const api::ServedData& erfurt_served() {
    static const auto data = api::prepare_served_data(
        load_dataset(load_config(source_path("shapes/erfurt/atlas.toml"))));
    return *data;
}

}  // namespace atlas::test
