#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/error.hpp"
#include "atlas/geo/style.hpp"
#include "commands/cli_args.hpp"
#include "commands/commands.hpp"

namespace atlas::cli {

namespace {

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

void print_report(const Dataset& ds, std::ostream& out) {
    double area = 0;
    for (const auto& d : ds.districts) area += d.area_km2;
    std::size_t official = 0;
    for (const auto& s : ds.indicators) official += s.meta.official;
    const auto years = ds.years();
    std::size_t outside = 0, layered = 0;
    std::map<std::string, std::size_t> per_field, offers_per_field, examples_per_field;
    for (const auto& s : ds.services) {
        layered += s.offer_id.empty();
        if (!s.district) {
            ++outside;
            continue;
        }
        for (const auto& f : s.fields) {
            if (s.offer_id.empty()) {
                per_field[f]++;
            } else {
                offers_per_field[f]++;
                examples_per_field[f] += s.data_status == kStatusExample;
            }
        }
    }

    out << "dataset      " << ds.config.id << " (" << ds.config.title_de << ")\n";
    out << "working CRS  " << ds.config.working_crs << "\n";
    out << "districts    " << ds.districts.size() << " from " << ds.config.districts.source
        << ", total area " << fixed(area, 2) << " km2\n";
    out << "repaired     " << ds.report.count("repaired") << " district geometries\n";
    out << "indicators   " << ds.indicators.size() << " (" << official << " official, "
        << ds.indicators.size() - official << " modelled)";
    if (!years.empty()) out << ", years " << years.front() << "-" << years.back();
    out << "\n";
    out << "unmatched    " << ds.report.count("unmatched") << " indicator rows\n";
    std::map<Secrecy, std::size_t> secret;
    for (const auto& s : ds.indicators)
        for (const auto& [year, flags] : s.secrecy)
            for (const Secrecy f : flags) secret[f]++;
    out << "suppressed   "
        << secret[Secrecy::primary] + secret[Secrecy::secondary] + secret[Secrecy::dependent]
        << " cells (" << secret[Secrecy::primary] << " counts below " << ds.config.secrecy.min_count
        << ", " << secret[Secrecy::secondary] << " further cells against "
        << (ds.config.secrecy.method == SecrecyMethod::audit ? "the attacker's integer program"
                                                             : "single subtractions")
        << ", " << secret[Secrecy::dependent] << " derived from them)\n";
    {
        const auto& audit = ds.secrecy;
        double lowest = std::numeric_limits<double>::infinity();
        std::size_t pinned = 0;
        for (const auto& cell : audit.withheld) {
            if (cell.why == Secrecy::primary) lowest = std::min(lowest, cell.upper);
            if (cell.why == Secrecy::secondary && cell.lower == cell.upper) ++pinned;
        }
        out << "audit        " << audit.primary << " small counts: the attacker can prove none "
            << "of them below "
            << (std::isinf(lowest) ? std::string("any bound") : fixed(lowest, 0))
            << " (protection level " << ds.config.secrecy.min_count + ds.config.secrecy.protection
            << ", " << audit.unprotected << " short of it); " << pinned << " further cells pinned; "
            << audit.lp_solves << " LPs (CLP), " << audit.integer_solves
            << " integer programs (CBC)\n";
    }
    out << "services     " << layered << " in " << ds.config.service_layers.size() << " layer(s), "
        << outside << " services and offers outside every district\n";
    if (const auto& inv = ds.config.inventory) {
        std::size_t examples = 0, unplaced = 0;
        for (const auto& o : ds.inventory.offers) {
            examples += o.data_status == kStatusExample;
            unplaced += o.place == PlaceKind::unplaced;
        }
        out << "inventory    " << ds.inventory.actors.size() << " actors, "
            << ds.inventory.offers.size() << " offers (" << examples << " fictional examples, "
            << unplaced << " not placed yet), " << ds.inventory.cooperations.size()
            << " cooperations from " << inv->file
            << (inv->examples_file.empty() ? "" : " + " + inv->examples_file) << "\n";
    }
    out << "locations per Handlungsfeld (service layers + placed offers, of them fictional):\n";
    for (const auto& field : ds.config.fields) {
        out << "  " << field.id << ": " << per_field[field.id] << " + "
            << offers_per_field[field.id] << " (" << examples_per_field[field.id] << " fictional) ("
            << field.label_de << ")\n";
    }
    if (!ds.report.entries.empty()) out << "notes:\n";
    for (const auto& e : ds.report.entries) {
        const char* level = e.severity == ReportEntry::Severity::error     ? "error"
                            : e.severity == ReportEntry::Severity::warning ? "warning"
                                                                           : "info";
        out << "  " << level << ": " << e.message << "\n";
    }
}

}  // namespace

int check(const std::vector<std::string>& words) {
    const Args args(words, {"config"});
    const std::string config_file = config_path(args);
    std::cout << "District Atlas check: " << config_file << "\n";
    try {
        const Dataset ds = load_dataset(load_config(config_file));
        print_report(ds, std::cout);
        bool errors = ds.report.has_errors();
        if (!ds.config.styles_dir.empty()) {
            const auto styles = load_styles(ds.config.styles_dir);
            std::cout << "styles       " << styles.size() << " from " << ds.config.styles_dir
                      << "\n";
            for (const auto& style : styles) {
                for (const auto& problem : style_problems(style, ds)) {
                    std::cout << "  error: " << problem << "\n";
                    errors = true;
                }
            }
        }
        std::cout << (errors ? "result: errors, not usable\n" : "result: usable\n");
        return errors ? 1 : 0;
    } catch (const InputError& e) {
        std::cout << "error: " << e.what() << "\nresult: errors, not usable\n";
        return 1;
    }
}

}  // namespace atlas::cli
