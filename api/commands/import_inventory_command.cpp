#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/error.hpp"
#include "atlas/geo/inventory.hpp"
#include "atlas/geo/store.hpp"
#include "commands/cli_args.hpp"
#include "commands/commands.hpp"

namespace atlas::cli {

namespace {

namespace fs = std::filesystem;

Inventory read_document(const std::string& file) {
    if (!fs::exists(file)) return {};
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return inventory_from_json(text.str(), file);
}

std::string who() {
    const char* user = std::getenv("USER");
    return std::string("import-inventory (") + (user && *user ? user : "cli") + ")";
}

}  // namespace

int import_inventory(const std::vector<std::string>& given) {
    // One positional argument (the spreadsheet) and one flag (--partial) besides the options.
    std::vector<std::string> words;
    std::string sheet;
    bool partial = false;
    for (std::size_t i = 0; i < given.size(); ++i) {
        if (given[i] == "--partial") {
            partial = true;
        } else if (given[i].starts_with("-")) {
            words.push_back(given[i]);
            if (i + 1 < given.size()) words.push_back(given[++i]);
        } else if (sheet.empty()) {
            sheet = given[i];
        } else {
            throw UsageError("more than one spreadsheet given: '" + sheet + "' and '" + given[i] +
                             "'");
        }
    }
    const Args args(words, {"config", "into", "status"});
    if (sheet.empty()) throw UsageError("import-inventory needs a spreadsheet (.xlsx, .ods, .csv)");
    const std::string status = args.get_or("status", "official");
    if (status != "official" && status != "source" && status != "example")
        throw UsageError("--status must be official, source or example");

    DatasetConfig config = load_config(config_path(args));
    if (!config.inventory)
        throw InputError({config.path, {}, {}, "inventory"},
                         "the config has no [inventory] section to import into");
    const auto into = args.get("into");
    if (!into && (config.store.starts_with("PG:") || fs::exists(config.store))) {
        DataStore store(config.store);
        apply_stored_versions(config, store, config.store_files);
    }
    // The districts decide which names and points are valid.
    DatasetConfig without_inventory = config;
    without_inventory.inventory.reset();
    const Dataset dataset = load_dataset(without_inventory);
    std::vector<std::string> keys, names;
    for (const auto& d : dataset.districts) keys.push_back(d.key), names.push_back(d.name);
    const InventoryRules rules = inventory_rules(config, keys, names);

    const std::string target = into ? *into : config.inventory->file;
    Inventory base = read_document(target);
    validate_inventory(base, rules, target);
    const SpreadsheetTables tables = read_inventory_spreadsheet(sheet, config.inventory->columns);
    ImportResult result =
        import_inventory(tables, *config.inventory, rules, std::move(base), partial, status);
    validate_inventory(result.inventory, rules, sheet);
    if (!into && !config.inventory->examples_file.empty()) {
        // Ids must stay distinct from the example entries the server merges in.
        std::ifstream in(config.inventory->examples_file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        merge_inventories(result.inventory,
                          inventory_from_json(text.str(), config.inventory->examples_file), sheet);
    }
    const std::string content = inventory_to_json(result.inventory);
    if (into) {
        write_file_atomically(*into, content);
    } else {
        DataStore store(config.store);
        const int version = store.add(kInventoryDataset, content, "json", who(),
                                      "import " + fs::path(sheet).filename().string());
        fs::create_directories(config.store_files);
        write_file_atomically((fs::path(config.store_files) / "inventory.json").string(), content);
        std::cout << "stored as version " << version << " of '" << kInventoryDataset << "' in "
                  << config.store << " (a running server shows it after a restart)\n";
    }
    for (const auto& issue : result.skipped)
        std::cerr << "atlas: skipped " << issue.where.describe() << ": " << issue.problem << "\n";
    std::cout << "imported from " << sheet << ": " << result.actors_added << " new actors, "
              << result.offers_added << " new offers, " << result.offers_updated
              << " updated offers, " << result.cooperations_added << " new cooperations"
              << (result.skipped.empty()
                      ? ""
                      : ", " + std::to_string(result.skipped.size()) + " rows skipped")
              << " -> " << (into ? *into : config.store) << "\n";
    return 0;
}

}  // namespace atlas::cli
