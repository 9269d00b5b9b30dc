#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "atlas/geo/config.hpp"
#include "atlas/geo/mvt.hpp"
#include "commands/cli_args.hpp"
#include "commands/commands.hpp"
#include "served_data.hpp"

namespace atlas::cli {

int tiles(const std::vector<std::string>& words) {
    const Args args(words, {"config", "layer", "minzoom", "maxzoom", "o"});
    const auto layer_id = args.get("layer");
    const auto output = args.get("o");
    if (!layer_id || !output) throw UsageError("atlas tiles needs --layer L and -o OUT.mbtiles");
    const int min_zoom = static_cast<int>(args.integer("minzoom", 8, 0, kMaxZoom));
    const int max_zoom = static_cast<int>(args.integer("maxzoom", 14, 0, kMaxZoom));
    if (min_zoom > max_zoom) throw UsageError("--minzoom must not be above --maxzoom");

    const auto data = api::prepare_served_data(load_dataset(load_config(config_path(args))));
    const auto found = data->tile_layers.find(*layer_id);
    if (found == data->tile_layers.end()) {
        throw UsageError(
            "--layer must be districts, services or grid (grid needs [coverage]), not '" +
            *layer_id + "'");
    }
    // A progress line only for people: pipes and logs stay quiet.
    const bool terminal = isatty(STDERR_FILENO) == 1;
    const auto progress = [&](std::size_t done, std::size_t total) {
        if (terminal && (done % 64 == 0 || done == total)) {
            std::fprintf(stderr, "\ratlas tiles: %zu/%zu tiles (%3.0f %%)", done, total,
                         100.0 * done / total);
            if (done == total) std::fputc('\n', stderr);
        }
    };
    const MbtilesExport result =
        write_mbtiles(*found->second, *output, min_zoom, max_zoom, progress);
    std::cout << "wrote " << result.tiles << " tiles (" << result.bytes << " bytes gzip) of '"
              << *layer_id << "', zoom " << min_zoom << "-" << max_zoom << ", to " << *output
              << "\n";
    return 0;
}

}  // namespace atlas::cli
