#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "atlas/geo/config.hpp"
#include "atlas/geo/coverage.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/inventory_analysis.hpp"
#include "atlas/geo/network.hpp"
#include "atlas/geo/report.hpp"
#include "atlas/geo/store.hpp"
#include "commands/cli_args.hpp"
#include "commands/commands.hpp"

namespace atlas::cli {

// The situation report: every indicator map of the styles folder for the newest year, the gap
// map of each Handlungsfeld that has services, the monitoring table and the grouped counts.
int report(const std::vector<std::string>& words) {
    const Args args(words, {"config", "o"});
    const auto output = args.get("o");
    if (!output || !output->ends_with(".pdf")) throw UsageError("atlas report needs -o OUT.pdf");
    const bool terminal = isatty(STDERR_FILENO) == 1;
    const auto say = [&](const std::string& text) {
        if (terminal) std::fprintf(stderr, "\ratlas report: %-60s", text.c_str());
    };
    say("loading the dataset");
    const Dataset dataset = load_dataset(load_config(config_path(args)));
    std::optional<CoverageResult> coverage;
    if (dataset.config.coverage) {
        say("computing coverage");
        coverage = compute_coverage(dataset);
    }
    ReportContent content;
    content.title = dataset.config.report_title;
    const auto today = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char date[32];
    std::strftime(date, sizeof date, "%d.%m.%Y", std::localtime(&today));
    content.created = std::string("erstellt am ") + date;
    content.table_year = dataset.latest_year().value_or(0);
    if (!dataset.config.styles_dir.empty()) {
        for (const auto& style : load_styles(dataset.config.styles_dir)) {
            if (!style_problems(style, dataset).empty()) continue;
            if (!style.is_coverage()) {
                content.maps.push_back(make_legend(style, dataset, nullptr, std::nullopt));
            } else if (style.measure == "gap_class" && coverage) {
                for (const auto& group : coverage->groups) {
                    // A field without locations gets its page too, saying what is missing.
                    if (group.group.kind != "field") continue;
                    content.maps.push_back(
                        make_legend(style, dataset, &*coverage, std::nullopt, group.group.id));
                }
            }
        }
    }
    if (const auto& m = dataset.config.monitoring) {
        if (const auto year = newest_monitoring_year(dataset, *m))
            content.monitoring = compute_monitoring(dataset, *m, *year);
    }
    if (dataset.config.inventory) {
        say("analysing the inventory");
        content.structure = analyse_inventory(dataset, coverage ? &*coverage : nullptr);
        content.network = analyse_network(dataset.inventory, dataset.offer_district);
    }
    const std::string pdf =
        render_report(dataset, content, [&](std::size_t done, std::size_t total) {
            say("page " + std::to_string(done) + " of " + std::to_string(total));
        });
    if (terminal) std::fputc('\n', stderr);
    write_file_atomically(*output, pdf);
    std::cout << "wrote " << *output << " (" << pdf.size() << " bytes, "
              << 1 + content.maps.size() + (content.monitoring ? 1 : 0) +
                     (dataset.config.secrecy.totals.empty() ? 0 : 1) +
                     (content.structure ? content.structure->fields.size() : 0)
              << " pages)\n";
    return 0;
}

}  // namespace atlas::cli
