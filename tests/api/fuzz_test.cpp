// Random damage to the inputs users write and upload — style definitions and indicator tables —
// must end in a clear error or a result, never a crash or another kind of exception (the suite
// also runs under ASan+UBSan). Seeded, so a failure repeats.

#include <gtest/gtest.h>

#include <random>

#include "atlas/geo/config.hpp"
#include "atlas/geo/error.hpp"
#include "atlas/geo/inventory.hpp"
#include "atlas/geo/style.hpp"
#include "dataset_updates.hpp"
#include "erfurt_served.hpp"
#include "http_errors.hpp"
#include "support.hpp"

namespace atlas::api {
namespace {

// Flips, deletes, duplicates and truncates bytes of `text`.
std::string damaged(std::string text, std::mt19937& rng) {
    std::uniform_int_distribution<int> edits(1, 6), kind(0, 3), byte(0, 255);
    for (int e = edits(rng); e > 0 && !text.empty(); --e) {
        const auto at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
        switch (kind(rng)) {
            case 0:
                text[at] = static_cast<char>(byte(rng));
                break;
            case 1:
                text.erase(at, 1 + at % 7);
                break;
            case 2:
                text.insert(at, text.substr(at, 1 + at % 11));
                break;
            default:
                text.resize(at);
        }
    }
    return text;
}

TEST(Fuzz, DamagedStyleDefinitionsFailCleanly) {
    const std::string valid = test::read_file(test::source_path("styles/auslaender_anteil.toml"));
    const ServedData& data = test::erfurt_served();
    std::mt19937 rng(20261126);
    int loaded = 0, refused = 0;
    for (int i = 0; i < 300; ++i) {
        test::TempDir dir;
        const std::string text = damaged(valid, rng);
        dir.write("s.toml", text);
        try {
            const auto styles = load_styles(dir.path().string());
            ++loaded;
            for (const auto& s : styles) {
                try {
                    make_legend(s, data.dataset, &*data.coverage, std::nullopt);
                } catch (const NotFound&) {
                } catch (const BadRequest&) {
                }
            }
        } catch (const InputError& e) {
            ++refused;
            EXPECT_NE(std::string(e.what()).find("s.toml"), std::string::npos) << e.what();
        }
    }
    EXPECT_GT(loaded, 0);
    EXPECT_GT(refused, 100);
}

TEST(Fuzz, DamagedUploadsAreRefusedOrTakenNeverCrash) {
    test::TempDir dir;
    const std::string config_path = dir.write("atlas.toml", R"([dataset]
id = "squares"
title_de = "Quadrate"
attribution = ["Testdaten"]
store = ")" + (dir.path() / "store.gpkg").string() + R"("

[districts]
source = ")" + test::data_path("squares/districts.geojson") + R"("
key_field = "name"

[[indicator_tables]]
file = ")" + test::data_path("csv/semicolon_comma.csv") + R"("
id = "werte"
key_column = "gebiet"
year_column = "jahr"
  [[indicator_tables.indicators]]
  id = "wert"
  label_de = "Wert"
  kind = "rate"
  official = true
  [[indicator_tables.indicators]]
  id = "anzahl"
  label_de = "Anzahl"
  official = true
)");
    const DatasetConfig config = load_config(config_path);
    DataHolder holder(prepare_served_data(load_dataset(config)));
    DatasetUpdates updates(config, {}, holder);
    const std::string valid = test::read_file(test::data_path("csv/semicolon_comma.csv"));
    std::mt19937 rng(7);
    int taken = 0, refused = 0;
    for (int i = 0; i < 150; ++i) {
        const std::string upload = damaged(valid, rng);
        const auto before = holder.get();
        try {
            EXPECT_EQ(updates.replace("werte", upload, "fuzz").status, 200);
            ++taken;
        } catch (const InputError&) {
            ++refused;
            EXPECT_EQ(holder.get(), before);  // a refused upload changes nothing
        }
    }
    EXPECT_GT(refused, 50);
    EXPECT_GT(taken, 0);
}

// The inventory's two readers: the stored JSON document and an office's spreadsheet.
TEST(Fuzz, DamagedInventoriesAndSheetsAreRefusedOrReadNeverCrash) {
    const ServedData& data = test::erfurt_served();
    const DatasetConfig& config = data.dataset.config;
    std::vector<std::string> keys, names;
    for (const auto& d : data.dataset.districts) keys.push_back(d.key), names.push_back(d.name);
    const InventoryRules rules = inventory_rules(config, keys, names);
    const std::string document =
        test::read_file(test::source_path("shapes/erfurt/inventar_beispiel.json"));
    const std::string sheet =
        test::read_file(test::source_path("shapes/erfurt/integrationsorte.csv"));
    std::mt19937 rng(20261203);
    int read = 0, refused = 0;
    for (int i = 0; i < 200; ++i) {
        try {
            const Inventory inv = inventory_from_json(damaged(document, rng), "fuzz.json");
            validate_inventory(inv, rules, "fuzz.json");
            ++read;
        } catch (const InputError& e) {
            ++refused;
            EXPECT_NE(std::string(e.what()).find("fuzz.json"), std::string::npos) << e.what();
        }
    }
    EXPECT_GT(refused, 50);
    test::TempDir dir;
    for (int i = 0; i < 200; ++i) {
        const std::string file = dir.write("fuzz.csv", damaged(sheet, rng));
        try {
            const auto tables = read_inventory_spreadsheet(file, config.inventory->columns);
            import_inventory(tables, *config.inventory, rules, {}, i % 2 == 0);
            ++read;
        } catch (const InputError& e) {
            ++refused;
            EXPECT_NE(std::string(e.what()).find("fuzz.csv"), std::string::npos) << e.what();
        }
    }
    EXPECT_GT(read, 0);
}

}  // namespace
}  // namespace atlas::api
