// `atlas`: the District Atlas command line. Each verb is a thin client of the core.

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "atlas/geo/error.hpp"
#include "commands/cli_args.hpp"
#include "commands/commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: atlas <command> [options]

commands:
  serve  [--config FILE] [--host H] [--port P] [--threads N]
         serve the dataset over HTTP (default http://127.0.0.1:8080/)
  check  [--config FILE]
         validate every input and print a report; exit 0 = usable, 1 = errors
  coverage [--config FILE] [--field F] [--format csv|json]
         per-district coverage and gap table (all Handlungsfelder, or one field or category)
  tiles  [--config FILE] --layer L [--minzoom A --maxzoom B] -o OUT.mbtiles
         export vector tiles of districts, services or grid (default zoom 8-14) to MBTiles
  render [--config FILE] --style S [--year Y] [--field F] -o OUT.{png,svg,pdf}
         [--width W --height H | --paper a4-portrait|...] [--dpi D] [--lang de|en]
         [--labels 0|1]
         one static map with legend and district names (styles/*.toml; --field for
         coverage styles)
  report [--config FILE] -o OUT.pdf
         the situation report: title page, every map, monitoring and group tables
  import-inventory [--config FILE] [--into FILE.json] [--status official|source|example]
         [--partial] FILE.{xlsx,ods,csv}
         import actors, offers and cooperations from an office's spreadsheet into the
         inventory (a new version in the data store); all rows valid or nothing changes,
         --partial skips bad rows and lists them

The default config is shapes/erfurt/atlas.toml.
)";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        std::cout << kUsage;
        return words.empty() ? 2 : 0;
    }
    const std::string verb = words[0];
    words.erase(words.begin());
    try {
        if (verb == "serve") return atlas::cli::serve(words);
        if (verb == "check") return atlas::cli::check(words);
        if (verb == "coverage") return atlas::cli::coverage(words);
        if (verb == "tiles") return atlas::cli::tiles(words);
        if (verb == "render") return atlas::cli::render(words);
        if (verb == "report") return atlas::cli::report(words);
        if (verb == "import-inventory") return atlas::cli::import_inventory(words);
        throw atlas::cli::UsageError("unknown command '" + verb + "'");
    } catch (const atlas::cli::UsageError& e) {
        std::cerr << "atlas: " << e.what() << "\n\n" << kUsage;
        return 2;
    } catch (const atlas::Error& e) {
        std::cerr << "atlas: error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "atlas: internal error: " << e.what() << "\n";
        return 3;
    }
}
