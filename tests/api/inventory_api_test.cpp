// The structure analysis end to end: the real server on loopback, edited over its JSON API,
// read back through the coverage, the analysis, the OGC collections and the version history.

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "support.hpp"

namespace atlas {
namespace {

using nlohmann::json;

constexpr const char* kToken = "inventar-test-token-0123456789";

std::string bearer() {
    return std::string("Authorization: Bearer ") + kToken + "\r\n";
}

struct EditableErfurt : test::EditableErfurt {
    EditableErfurt() : test::EditableErfurt("integration", "ATLAS_TEST_INVENTORY_TOKEN", kToken) {}
};

json get_json(test::HttpConnection& c, const std::string& path) {
    const auto r = c.get(path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return json::parse(r.body);
}

json district_row(const json& coverage, const std::string& name) {
    for (const auto& d : coverage["districts"])
        if (d["district"] == name) return d;
    return nullptr;
}

TEST(InventoryApi, EditsValidateVersionAndChangeTheGapAnalysis) {
    EditableErfurt erfurt;
    test::AtlasServer server({"--config", erfurt.config});
    test::HttpConnection c(server.port());

    const json inventory = get_json(c, "/api/inventory");
    EXPECT_EQ(inventory["vocabulary"]["fields"].size(), 9u);
    EXPECT_EQ(inventory["vocabulary"]["target_groups"].size(), 6u);
    const std::size_t actors_before = inventory["actors"].size();
    const json wohnen_before = get_json(c, "/api/coverage/wohnen");
    const json altstadt_before = district_row(wohnen_before, "Altstadt");
    const int structure_before =
        district_row(get_json(c, "/api/structure/wohnen"), "Altstadt")["offers"];

    // Writes need the token; a bad entry is a 422 naming the field, and stores nothing.
    const std::string actor = R"({"name": "Wohnprojekt Miteinander e.V.", "kind": "verein",
                                  "website": "https://example.org"})";
    EXPECT_EQ(c.request("POST", "/api/inventory/actors", "", actor).status, 401);
    auto r =
        c.request("POST", "/api/inventory/actors", bearer(), R"({"name": "X", "kind": "firma"})");
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(json::parse(r.body)["field"], "kind");
    r = c.request("POST", "/api/inventory/actors", bearer(), "{kaputt");
    EXPECT_EQ(r.status, 422) << r.body;

    r = c.request("POST", "/api/inventory/actors", bearer(), actor);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string actor_id = json::parse(r.body)["id"];
    EXPECT_EQ(actor_id, "wohnprojekt-miteinander-e-v");
    EXPECT_NE(r.headers["location"].find("/api/inventory/actors/" + actor_id), std::string::npos);

    // An offer in Wohnen at the Fischmarkt (Altstadt).
    const json offer = {{"actor_id", actor_id},
                        {"title", "Wohnungssuche-Sprechstunde"},
                        {"fields", {"wohnen"}},
                        {"target_groups", {"gefluechtete"}},
                        {"languages", {"de", "ar", "uk"}},
                        {"location", {{"lon", 11.0290}, {"lat", 50.9780}}},
                        {"capacity", 300},
                        {"capacity_unit", "beratungen_jahr"},
                        {"funding", {{{"source", "land"}, {"until", "2027-06-30"}}}}};
    json bad = offer;
    bad["languages"] = {"de", "xx"};
    r = c.request("POST", "/api/inventory/offers", bearer(), bad.dump());
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(json::parse(r.body)["field"], "languages");
    bad = offer;
    bad["actor_id"] = "gibt-es-nicht";
    r = c.request("POST", "/api/inventory/offers", bearer(), bad.dump());
    EXPECT_EQ(json::parse(r.body)["field"], "actor_id") << r.body;

    r = c.request("POST", "/api/inventory/offers", bearer(), offer.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    const json created = json::parse(r.body);
    const std::string offer_id = created["id"];
    EXPECT_EQ(created["entry"]["district_name"], "Altstadt");
    EXPECT_EQ(created["entry"]["data_status"], "official");

    // The gap analysis of Wohnen now counts it.
    const json wohnen_after = get_json(c, "/api/coverage/wohnen");
    EXPECT_EQ(wohnen_after["services"], wohnen_before["services"].get<int>() + 1);
    EXPECT_EQ(district_row(wohnen_after, "Altstadt")["services"],
              altstadt_before["services"].get<int>() + 1);
    EXPECT_LT(district_row(wohnen_after, "Altstadt")["mean_distance_m"].get<double>(),
              altstadt_before["mean_distance_m"].get<double>());
    const json structure = get_json(c, "/api/structure/wohnen");
    EXPECT_EQ(district_row(structure, "Altstadt")["offers"], structure_before + 1);
    EXPECT_EQ(district_row(structure, "Altstadt")["languages"], json({"ar", "de", "uk"}));
    EXPECT_GE(structure["by_funding"]["Land"].get<int>(), 1);
    const json offers = get_json(c, "/ogc/collections/offers/items?offer_id=" + offer_id);
    ASSERT_EQ(offers["features"].size(), 1u);
    EXPECT_EQ(offers["features"][0]["properties"]["languages"], "de,ar,uk");
    EXPECT_EQ(offers["features"][0]["properties"]["data_status_label"], "amtlich erfasst");

    // Move it to Ilversgehofen: Altstadt loses it again.
    json moved = offer;
    moved["location"] = {{"lon", 11.0445}, {"lat", 51.0010}};
    r = c.request("PUT", "/api/inventory/offers/" + offer_id, bearer(), moved.dump());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(json::parse(r.body)["entry"]["district_name"], "Altstadt");
    EXPECT_EQ(district_row(get_json(c, "/api/coverage/wohnen"), "Altstadt")["services"],
              altstadt_before["services"]);

    // Example entries are read-only; an actor with offers cannot go.
    const json examples = get_json(c, "/api/inventory/offers?data_status=example");
    ASSERT_GT(examples["count"].get<int>(), 0);
    const std::string example_id = examples["offers"][0]["id"];
    r = c.request("PUT", "/api/inventory/offers/" + example_id, bearer(), offer.dump());
    EXPECT_EQ(r.status, 409) << r.body;
    r = c.request("DELETE", "/api/inventory/actors/" + actor_id, bearer(), "");
    EXPECT_EQ(r.status, 409) << r.body;

    // Every change is a version; rolling back to the first one removes the offer.
    const json history = json::parse(
        c.request("GET", "/api/datasets/inventory/versions", bearer(), "").body)["versions"];
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0]["action"], "create actors/" + actor_id);
    EXPECT_EQ(history[1]["action"], "create offers/" + offer_id);
    EXPECT_EQ(history[2]["action"], "update offers/" + offer_id);
    EXPECT_EQ(history[2]["who"], "integration");
    r = c.request("POST", "/api/datasets/inventory/rollback?version=1", bearer(), "");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(c.get("/api/inventory/offers/" + offer_id).status, 404);
    EXPECT_EQ(get_json(c, "/api/coverage/wohnen")["services"], wohnen_before["services"]);
    EXPECT_EQ(get_json(c, "/api/inventory")["actors"].size(), actors_before + 1);

    r = c.request("DELETE", "/api/inventory/actors/" + actor_id, bearer(), "");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(get_json(c, "/api/inventory")["actors"].size(), actors_before);

    // After a restart the store's newest version is served.
    EXPECT_EQ(server.stop(), 0);
    test::AtlasServer again({"--config", erfurt.config});
    test::HttpConnection c2(again.port());
    EXPECT_EQ(get_json(c2, "/api/inventory")["actors"].size(), actors_before);
    EXPECT_EQ(
        json::parse(
            c2.request("GET", "/api/datasets/inventory/versions", bearer(), "").body)["versions"]
            .size(),
        5u);
}

TEST(InventoryApi, EveryOutputOfTheExamplesCarriesTheFictionalLabel) {
    test::AtlasServer server;
    test::HttpConnection c(server.port());
    const auto fictional = [](const json& properties) {
        return properties["data_status"] == "example" &&
               properties["data_status_label"] == "Beispieldaten (fiktiv)";
    };
    for (const char* collection : {"actors", "offers", "cooperations"}) {
        const json items =
            get_json(c, std::string("/ogc/collections/") + collection + "/items?limit=1000");
        std::size_t examples = 0, sourced = 0;
        for (const auto& f : items["features"]) {
            if (f["properties"]["data_status"] == "source") {
                ++sourced;
                continue;
            }
            EXPECT_TRUE(fictional(f["properties"])) << f.dump();
            ++examples;
        }
        EXPECT_GT(examples, 0u) << collection;
        const json meta = get_json(c, std::string("/ogc/collections/") + collection);
        EXPECT_NE(meta["description"].get<std::string>().find("Beispieldaten (fiktiv)"),
                  std::string::npos);
        // Downloads carry the label in every row.
        const auto csv = c.get(std::string("/ogc/collections/") + collection +
                               "/items?f=csv&data_status=example&limit=1000");
        ASSERT_EQ(csv.status, 200);
        EXPECT_EQ(static_cast<std::size_t>(std::count(csv.body.begin(), csv.body.end(), '\n') - 1),
                  examples);
        std::size_t labelled = 0;
        for (std::size_t at = csv.body.find("Beispieldaten (fiktiv)"); at != std::string::npos;
             at = csv.body.find("Beispieldaten (fiktiv)", at + 1))
            ++labelled;
        EXPECT_EQ(labelled, examples) << collection;
    }
    // The six sourced places with coordinates are offers too, never labelled fictional.
    EXPECT_EQ(get_json(c, "/ogc/collections/offers/items?data_status=source")["numberMatched"], 6);
    // Coverage, legends and analyses of fields resting on examples say so.
    for (const char* field : {"arbeit", "wohnen", "teilhabe"}) {
        const std::string f = field;
        EXPECT_EQ(get_json(c, "/api/coverage/" + f)["data_status"], "example");
        const json legend = get_json(c, "/api/legend/versorgungsluecke?field=" + f);
        EXPECT_TRUE(legend["example_data"].get<bool>()) << f;
        EXPECT_NE(legend["note"].get<std::string>().find("Beispieldaten (fiktiv)"),
                  std::string::npos);
        EXPECT_EQ(get_json(c, "/api/structure/" + f)["data_status"], "example");
    }
    const auto table = c.get("/api/structure/alle.csv");
    ASSERT_EQ(table.status, 200);
    EXPECT_EQ(std::count(table.body.begin(), table.body.end(), '\n'), 1 + 9 * 54);
    const json network = get_json(c, "/api/network");
    EXPECT_NE(network["data_note"].get<std::string>().find("Beispieldaten (fiktiv)"),
              std::string::npos);
    EXPECT_GT(network["synergy_candidates"].size(), 0u);
    EXPECT_EQ(network["components"].get<std::size_t>(), network["component_sizes"].size());
    // The offers' vector tiles carry the label too (GDAL's MVT reader decodes them).
    const auto tile = c.get("/tiles/offers/0/0/0.mvt");
    ASSERT_EQ(tile.status, 200);
    test::TempDir dir;
    const std::string path = dir.write("0.mvt", tile.body);
    GDALAllRegister();
    GDALDatasetUniquePtr mvt(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(mvt);
    OGRLayer* layer = mvt->GetLayerByName("offers");
    ASSERT_NE(layer, nullptr);
    std::size_t tiled = 0;
    for (auto& f : *layer) {
        const std::string status = f->GetFieldAsString("data_status");
        if (status == "example") {
            EXPECT_STREQ(f->GetFieldAsString("data_status_label"), "Beispieldaten (fiktiv)");
        }
        ++tiled;
    }
    EXPECT_EQ(tiled,
              get_json(c, "/ogc/collections/offers/items")["numberMatched"].get<std::size_t>());
}

TEST(InventoryCommand, ImportsASheetIntoTheStoreOrRefusesAllOfIt) {
    EditableErfurt erfurt;
    const std::string good = erfurt.dir.write(
        "angebote.csv",
        "Träger;Trägerart;Angebot;Handlungsfelder;Stadtteil;Sprachen\n"
        "Nachbarschaftsladen Herrenberg;Verein;Mietsprechstunde;Wohnen;Herrenberg;de, ru\n");
    const std::string bad = erfurt.dir.write("kaputt.csv",
                                             "Träger;Trägerart;Angebot;Handlungsfelder;Stadtteil\n"
                                             "Verein A;Verein;Kurs;Sprache;Herrenberg\n"
                                             "Verein B;Firma;Kurs;Sprache;Herrenberg\n");
    auto run = test::run_atlas({"import-inventory", "--config", erfurt.config, bad});
    EXPECT_EQ(run.exit_code, 1) << run.out;
    EXPECT_NE(run.out.find("kaputt.csv:3: field 'Trägerart': 'Firma' is not one of"),
              std::string::npos)
        << run.out;
    run = test::run_atlas({"import-inventory", "--config", erfurt.config, good});
    ASSERT_EQ(run.exit_code, 0) << run.out;
    EXPECT_NE(run.out.find("1 new actors, 1 new offers"), std::string::npos) << run.out;

    test::AtlasServer server({"--config", erfurt.config});
    test::HttpConnection c(server.port());
    const json offers = get_json(c, "/api/inventory/offers?field=wohnen&data_status=official");
    ASSERT_EQ(offers["count"], 1);
    EXPECT_EQ(offers["offers"][0]["district_name"], "Herrenberg");
    EXPECT_EQ(offers["offers"][0]["place_label"], "Stadtteil");
    const json versions = json::parse(
        c.request("GET", "/api/datasets/inventory/versions", bearer(), "").body)["versions"];
    ASSERT_EQ(versions.size(), 1u);
    EXPECT_EQ(versions[0]["action"], "import angebote.csv");
}

}  // namespace
}  // namespace atlas
