#include <filesystem>
#include <iostream>

#include "atlas/geo/config.hpp"
#include "atlas/geo/coverage.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/static_map.hpp"
#include "atlas/geo/store.hpp"
#include "atlas/geo/style.hpp"
#include "commands/cli_args.hpp"
#include "commands/commands.hpp"

namespace atlas::cli {

int render(const std::vector<std::string>& words) {
    const Args args(words, {"config", "style", "year", "field", "o", "width", "height", "dpi",
                            "lang", "paper", "labels"});
    const auto style_id = args.get("style");
    const auto output = args.get("o");
    if (!style_id || !output)
        throw UsageError("atlas render needs --style S and -o OUT.png|OUT.svg|OUT.pdf");
    const std::string extension = std::filesystem::path(*output).extension().string();
    const auto format = parse_image_format(extension.empty() ? "" : extension.substr(1));
    if (!format) throw UsageError("-o must end in .png, .svg or .pdf");
    MapOptions options;
    options.width = static_cast<int>(args.integer("width", 1200, kMinMapSize, kMaxMapSize));
    options.height = static_cast<int>(args.integer("height", 850, kMinMapSize, kMaxMapSize));
    options.dpi = static_cast<int>(args.integer("dpi", 96, kMinDpi, kMaxDpi));
    options.labels = args.integer("labels", 1, 0, 1) == 1;
    if (const auto paper = args.get("paper")) {
        if (args.get("width") || args.get("height"))
            throw UsageError("give --paper or --width/--height, not both");
        const auto size = parse_paper(*paper);
        if (!size)
            throw UsageError(
                "--paper must be a4-landscape, a4-portrait, a3-landscape or a3-portrait");
        options.width = size->width;
        options.height = size->height;
    }
    const std::string lang = args.get_or("lang", "de");
    if (lang != "de" && lang != "en") throw UsageError("--lang must be de or en");
    options.language = lang == "en" ? Language::en : Language::de;

    const Dataset dataset = load_dataset(load_config(config_path(args)));
    if (dataset.config.styles_dir.empty())
        throw UsageError("the dataset config names no styles folder ([dataset] styles)");
    const auto styles = load_styles(dataset.config.styles_dir);
    const StyleDefinition& style = find_style(styles, *style_id);
    std::optional<CoverageResult> coverage;
    if (style.is_coverage()) coverage = compute_coverage(dataset);
    std::optional<int> year;
    if (args.get("year")) year = static_cast<int>(args.integer("year", 0, 1000, 9999));
    const Legend legend = make_legend(style, dataset, coverage ? &*coverage : nullptr, year,
                                      args.get_or("field", ""), options.language);
    options.attribution = options.language == Language::en ? dataset.config.attribution_en
                                                           : dataset.config.attribution;
    const std::string image = render_map(legend, dataset, options, *format);

    write_file_atomically(*output, image);
    std::cout << "wrote " << *output << " (" << image.size() << " bytes): " << legend.title << ", "
              << legend.subtitle << "\n";
    return 0;
}

}  // namespace atlas::cli
