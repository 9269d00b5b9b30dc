#include <iostream>

#include "atlas/geo/config.hpp"
#include "atlas/geo/coverage.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/error.hpp"
#include "commands/cli_args.hpp"
#include "commands/commands.hpp"

namespace atlas::cli {

int coverage(const std::vector<std::string>& words) {
    const Args args(words, {"config", "field", "format"});
    const std::string format = args.get_or("format", "csv");
    if (format != "csv" && format != "json") throw UsageError("--format must be csv or json");
    const Dataset dataset = load_dataset(load_config(config_path(args)));
    const CoverageResult result = compute_coverage(dataset);

    std::vector<const GroupCoverage*> groups;
    if (const auto field = args.get("field")) {
        const GroupCoverage* group = result.group(*field);
        if (!group)
            throw UsageError("--field '" + *field +
                             "' is neither a Handlungsfeld nor a service category");
        groups.push_back(group);
    } else {
        for (const auto& g : result.groups) {
            if (g.group.kind == "field") groups.push_back(&g);
        }
    }
    if (format == "csv") {
        std::cout << coverage_csv(dataset, result, groups);
    } else if (groups.size() == 1) {
        std::cout << coverage_json(dataset, result, *groups.front()) << "\n";
    } else {
        std::cout << "[";
        for (std::size_t i = 0; i < groups.size(); ++i) {
            std::cout << (i ? "," : "") << coverage_json(dataset, result, *groups[i]);
        }
        std::cout << "]\n";
    }
    return 0;
}

}  // namespace atlas::cli
