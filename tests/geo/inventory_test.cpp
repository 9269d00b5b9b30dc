#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <map>
#include <nlohmann/json.hpp>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/error.hpp"
#include "atlas/geo/inventory.hpp"
#include "atlas/geo/inventory_analysis.hpp"
#include "atlas/geo/network.hpp"
#include "support.hpp"

namespace atlas {
namespace {

using nlohmann::json;

InventoryRules rules() {
    InventoryRules r;
    r.fields = {{"sprache", "Sprache", "Language"},
                {"arbeit", "Ausbildung/Arbeitsmarkt", "Work"},
                {"soziales-gesundheit", "Soziales/Gesundheit", "Health"}};
    r.target_groups = {{"gefluechtete", "Geflüchtete", "Refugees"}, {"frauen", "Frauen", "Women"}};
    r.district_keys = {"Altstadt", "Löbervorstadt"};
    r.district_names = {"Altstadt", "Löbervorstadt"};
    return r;
}

Actor actor(std::string id, std::string kind = "verein") {
    Actor a;
    a.id = id;
    a.name = "Name " + id;
    a.kind = std::move(kind);
    return a;
}

Offer offer(std::string id, std::string actor_id, std::vector<std::string> fields) {
    Offer o;
    o.id = std::move(id);
    o.actor_id = std::move(actor_id);
    o.title = "Angebot " + o.id;
    o.fields = std::move(fields);
    o.place = PlaceKind::district;
    o.district = "Altstadt";
    return o;
}

Cooperation cooperation(std::string a, std::string b) {
    Cooperation c;
    c.id = a + "-" + b;
    c.actor_a = std::move(a);
    c.actor_b = std::move(b);
    c.kind = "netzwerk";
    return c;
}

// The field an InputError names, for assertions.
template <typename F>
std::string error_field(F&& action) {
    try {
        action();
    } catch (const InputError& e) {
        return e.where().field;
    }
    return "(no error)";
}

// A path A-B-C-D and an isolated E, by hand:
//   betweenness: B lies on the shortest paths A-C and A-D, C on B-D and A-D -> 2 each, A, D, E 0;
//   normalised by (n-1)(n-2)/2 = 6 pairs; components {A,B,C,D} and {E}.
//   Fields: A, B, D, E offer Sprache in Altstadt, C Arbeit elsewhere; B links A (Sprache) and
//   C (Arbeit), so B bridges arbeit|sprache. Synergy candidates: the Sprache/Altstadt actors
//   without a tie: A-D, A-E, B-D, B-E, D-E (A-B cooperate).
TEST(Network, MeasuresOfAHandComputedGraph) {
    Inventory inv;
    for (const char* id : {"a", "b", "c", "d", "e"}) inv.actors.push_back(actor(id));
    inv.offers = {offer("oa", "a", {"sprache"}), offer("ob", "b", {"sprache"}),
                  offer("oc", "c", {"arbeit"}), offer("od", "d", {"sprache"}),
                  offer("oe", "e", {"sprache"})};
    inv.cooperations = {cooperation("a", "b"), cooperation("b", "c"), cooperation("c", "d")};
    // A second tie of the same pair (an agreement besides the network) is still one edge.
    Cooperation again = cooperation("b", "a");
    again.id = "agreement";
    again.kind = "vereinbarung";
    inv.cooperations.push_back(again);
    validate_inventory(inv, rules(), "hand");
    const std::vector<std::optional<std::size_t>> where = {0, 0, 1, 0, 0};
    const NetworkResult n = analyse_network(inv, where);

    EXPECT_EQ(n.edges, 3u);
    const std::vector<std::size_t> degree = {1, 2, 2, 1, 0};
    const std::vector<double> betweenness = {0, 2, 2, 0, 0};
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(n.actors[i].degree, degree[i]) << i;
        EXPECT_DOUBLE_EQ(n.actors[i].betweenness, betweenness[i]) << i;
    }
    EXPECT_DOUBLE_EQ(n.actors[1].betweenness_normalised, 2.0 / 6);
    EXPECT_EQ(n.components, 2u);
    EXPECT_EQ(n.component_sizes, (std::vector<std::size_t>{4, 1}));
    EXPECT_EQ(n.actors[0].component, 1);
    EXPECT_EQ(n.actors[4].component, 2);
    EXPECT_EQ(n.isolated, std::vector<std::string>{"e"});
    EXPECT_EQ(n.actors[1].bridged_fields, std::vector<std::string>{"arbeit|sprache"});
    EXPECT_TRUE(n.actors[2].bridged_fields.empty());  // B and D share Sprache

    std::set<std::pair<std::string, std::string>> pairs;
    for (const auto& s : n.synergies) {
        pairs.insert({s.actor_a, s.actor_b});
        EXPECT_EQ(s.fields, std::vector<std::string>{"sprache"});
        EXPECT_EQ(s.districts, std::vector<std::size_t>{0});
    }
    EXPECT_EQ(pairs, (std::set<std::pair<std::string, std::string>>{
                         {"a", "d"}, {"a", "e"}, {"b", "d"}, {"b", "e"}, {"d", "e"}}));
}

TEST(Inventory, ValidationNamesEntryAndField) {
    Inventory inv;
    inv.actors = {actor("a")};
    inv.offers = {offer("o", "a", {"sprache"})};
    validate_inventory(inv, rules(), "x");
    const auto broken = [&](auto&& change) {
        Inventory copy = inv;
        change(copy);
        return error_field([&] { validate_inventory(copy, rules(), "x"); });
    };
    EXPECT_EQ(broken([](Inventory& i) {
                  i.offers[0].languages = {"de", "xx"};
              }),
              "offers[0].languages");
    EXPECT_EQ(broken([](Inventory& i) { i.offers[0].actor_id = "nobody"; }), "offers[0].actor_id");
    EXPECT_EQ(broken([](Inventory& i) { i.offers[0].fields = {"zoo"}; }), "offers[0].fields");
    EXPECT_EQ(broken([](Inventory& i) { i.offers[0].target_groups = {"touristen"}; }),
              "offers[0].target_groups");
    EXPECT_EQ(broken([](Inventory& i) { i.offers[0].district = "Atlantis"; }),
              "offers[0].district");
    EXPECT_EQ(broken([](Inventory& i) { i.offers[0].valid_to = "2025-02-30"; }),
              "offers[0].valid_to");
    EXPECT_EQ(broken([](Inventory& i) { i.offers[0].capacity = 5; }), "offers[0].capacity_unit");
    EXPECT_EQ(broken([](Inventory& i) {
                  i.offers[0].funding = {{"lotto", ""}};
              }),
              "offers[0].funding");
    EXPECT_EQ(broken([](Inventory& i) { i.actors[0].kind = "firma"; }), "actors[0].kind");
    EXPECT_EQ(broken([](Inventory& i) { i.actors.push_back(actor("a")); }), "actors[1].id");
    EXPECT_EQ(broken([](Inventory& i) { i.cooperations = {cooperation("a", "a")}; }),
              "cooperations[0].actor_b");
    EXPECT_EQ(broken([](Inventory& i) {
                  i.offers[0].place = PlaceKind::point;
                  i.offers[0].location = Point{200, 50};
              }),
              "offers[0].location");
}

TEST(Inventory, JsonRoundTripIsStable) {
    Inventory inv;
    inv.actors = {actor("a"), actor("b", "kommunal")};
    inv.actors[0].location = Point{11.03, 50.98};
    Offer o = offer("o", "a", {"sprache", "arbeit"});
    o.languages = {"de", "ar"};
    o.capacity = 12.5;
    o.capacity_unit = "plaetze";
    o.funding = {{"bund", "2026-12-31"}, {"eigenmittel", ""}};
    o.staff_fte = 0.5;
    inv.offers = {o};
    inv.cooperations = {cooperation("a", "b")};
    const std::string text = inventory_to_json(inv);
    const Inventory back = inventory_from_json(text, "t");
    EXPECT_EQ(inventory_to_json(back), text);
    EXPECT_EQ(back.offers[0].funding[0].until, "2026-12-31");
    EXPECT_EQ(*back.offers[0].capacity, 12.5);
    EXPECT_EQ(error_field([] { inventory_from_json(R"({"offers":[{"capacity":"viel"}]})", "t"); }),
              "offers[0].capacity");
}

const char* kSheet =
    "Träger;Trägerart;Angebot;Handlungsfelder;Zielgruppen;Sprachen;Breite;Länge;Stadtteil;Ort;"
    "Kapazität;Einheit;Förderung;Personal (VZÄ);gültig ab\n"
    "Bürgerhaus Löbervorstadt e.V.;Verein;Sprachcafé;Sprache;Geflüchtete, Frauen;de, ar, uk;"
    "50,9712;11,0301;;;12,5;Plätze;Bund bis 31.12.2026; 0,75;01.03.2024\n"
    "Bürgerhaus Löbervorstadt e.V.;;Bewerbungstraining;Ausbildung/Arbeitsmarkt;;de;;;"
    "Löbervorstadt;;;;Land bis 30.06.2027;;\n"
    "Stadtverwaltung Amt für Soziales;kommunal;Migrationsberatung;soziales-gesundheit;;"
    "de,en;;;;stadtweit;400;Beratungen/Jahr;kommunal;2;\n";

TEST(InventoryImport, GermanCsvWithUmlautsAndDecimalCommas) {
    test::TempDir dir;
    const std::string file = dir.write("angebote.csv", kSheet);
    const InventoryConfig config;
    const ImportResult r = import_inventory(read_inventory_spreadsheet(file, config.columns),
                                            config, rules(), {}, false);
    ASSERT_EQ(r.inventory.actors.size(), 2u);
    EXPECT_EQ(r.actors_added, 2u);
    EXPECT_EQ(r.offers_added, 3u);
    const Actor& a = r.inventory.actors[0];
    EXPECT_EQ(a.name, "Bürgerhaus Löbervorstadt e.V.");
    EXPECT_EQ(a.id, "buergerhaus-loebervorstadt-e-v");
    EXPECT_EQ(a.kind, "verein");
    const Offer& cafe = r.inventory.offers[0];
    EXPECT_EQ(cafe.actor_id, a.id);
    EXPECT_EQ(cafe.place, PlaceKind::point);
    EXPECT_DOUBLE_EQ(cafe.location->x, 11.0301);
    EXPECT_DOUBLE_EQ(cafe.location->y, 50.9712);
    EXPECT_DOUBLE_EQ(*cafe.capacity, 12.5);
    EXPECT_EQ(cafe.capacity_unit, "plaetze");
    EXPECT_DOUBLE_EQ(*cafe.staff_fte, 0.75);
    EXPECT_EQ(cafe.languages, (std::vector<std::string>{"de", "ar", "uk"}));
    EXPECT_EQ(cafe.target_groups, (std::vector<std::string>{"gefluechtete", "frauen"}));
    ASSERT_EQ(cafe.funding.size(), 1u);
    EXPECT_EQ(cafe.funding[0].source, "bund");
    EXPECT_EQ(cafe.funding[0].until, "2026-12-31");
    EXPECT_EQ(cafe.valid_from, "2024-03-01");
    const Offer& training = r.inventory.offers[1];
    EXPECT_EQ(training.actor_id, a.id);  // same actor by name
    EXPECT_EQ(training.fields, std::vector<std::string>{"arbeit"});
    EXPECT_EQ(training.place, PlaceKind::district);
    EXPECT_EQ(training.district, "Löbervorstadt");
    EXPECT_EQ(r.inventory.offers[2].place, PlaceKind::citywide);
    EXPECT_EQ(r.inventory.offers[2].data_status, "official");
    validate_inventory(r.inventory, rules(), file);

    // Importing the same sheet again updates, it does not duplicate.
    const ImportResult again = import_inventory(read_inventory_spreadsheet(file, config.columns),
                                                config, rules(), r.inventory, false);
    EXPECT_EQ(again.inventory.offers.size(), 3u);
    EXPECT_EQ(again.offers_updated, 3u);
}

TEST(InventoryImport, BadRowsAreNamedAndNothingIsImported) {
    test::TempDir dir;
    std::string sheet = kSheet;
    sheet += "Verein X;Verein;Kurs;Sprache;;de;;;Atlantis;;;;;;\n";            // line 5: district
    sheet += "Verein Y;Verein;Kurs;Sprache;;klingonisch;;;;stadtweit;;;;;\n";  // line 6: language
    sheet += "Verein Z;Verein;Kurs;Sprache;;de;;;;;;;;;\n";                    // line 7: no place
    const std::string file = dir.write("angebote.csv", sheet);
    const InventoryConfig config;
    Inventory base;
    base.actors = {actor("vorher")};
    try {
        import_inventory(read_inventory_spreadsheet(file, config.columns), config, rules(), base,
                         false);
        FAIL() << "no error";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_EQ(e.where().line, 5);
        EXPECT_EQ(e.where().field, "Stadtteil");
        EXPECT_NE(m.find("3 rows cannot be imported, so nothing was imported"), std::string::npos)
            << m;
        EXPECT_NE(m.find("angebote.csv:5: field 'Stadtteil': 'Atlantis' is not a district"),
                  std::string::npos)
            << m;
        EXPECT_NE(m.find("angebote.csv:6: field 'Sprachen'"), std::string::npos) << m;
        EXPECT_NE(m.find("angebote.csv:7:"), std::string::npos) << m;
        EXPECT_NE(m.find("cannot be placed"), std::string::npos) << m;
    }
    // Partial mode keeps the good rows and reports the rest.
    const ImportResult partial = import_inventory(read_inventory_spreadsheet(file, config.columns),
                                                  config, rules(), base, true);
    EXPECT_EQ(partial.offers_added, 3u);
    ASSERT_EQ(partial.skipped.size(), 3u);
    EXPECT_EQ(partial.skipped[1].where.line, 6);
    EXPECT_EQ(partial.inventory.actors.front().id, "vorher");
}

// Writes an XLSX (or ODS) with GDAL's own writer: a sheet of offers and one of cooperations.
void write_spreadsheet(const std::string& path, const char* driver_name) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    ASSERT_NE(driver, nullptr);
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    const auto sheet = [&](const char* name, const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& rows) {
        OGRLayer* layer = ds->CreateLayer(name, nullptr, wkbNone, nullptr);
        for (const auto& h : header) {
            OGRFieldDefn field(h.c_str(), OFTString);
            layer->CreateField(&field);
        }
        for (const auto& row : rows) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            for (std::size_t i = 0; i < row.size(); ++i)
                if (!row[i].empty()) f->SetField(static_cast<int>(i), row[i].c_str());
            ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
        }
    };
    sheet("Angebote",
          {"Träger", "Trägerart", "Angebot", "Handlungsfelder", "Rechtswert", "Hochwert",
           "Kapazität", "Einheit"},
          {{"Förderverein Grüne Aue", "Verein", "Hausaufgabenhilfe für Geflüchtete", "Sprache",
            "642000", "5650000", "15", "Plätze"},
           {"Migrantenbeirat Süd", "Migrantenorganisation", "Sprechstunde", "Soziales/Gesundheit",
            "643000", "5651000", "", ""}});
    sheet("Kooperationen", {"Träger A", "Träger B", "Art", "seit"},
          {{"Förderverein Grüne Aue", "Migrantenbeirat Süd", "Netzwerk", "2019"}});
}

TEST(InventoryImport, XlsxAndOdsSheetsWithProjectedCoordinatesAndCooperations) {
    for (const auto& [extension, driver] : {std::pair{"xlsx", "XLSX"}, std::pair{"ods", "ODS"}}) {
        test::TempDir dir;
        const std::string file = (dir.path() / (std::string("inventar.") + extension)).string();
        write_spreadsheet(file, driver);
        const InventoryConfig config;
        const SpreadsheetTables tables = read_inventory_spreadsheet(file, config.columns);
        ASSERT_TRUE(tables.cooperations.has_value()) << extension;
        const ImportResult r = import_inventory(tables, config, rules(), {}, false);
        ASSERT_EQ(r.inventory.offers.size(), 2u) << extension;
        EXPECT_EQ(r.inventory.actors[0].name, "Förderverein Grüne Aue");
        // EPSG:25832 (642000, 5650000) is 11.023062°E 50.984056°N (cs2cs of proj-bin).
        const Point p = *r.inventory.offers[0].location;
        EXPECT_NEAR(p.x, 11.023062, 1e-6) << extension;
        EXPECT_NEAR(p.y, 50.984056, 1e-6) << extension;
        EXPECT_DOUBLE_EQ(*r.inventory.offers[0].capacity, 15);
        ASSERT_EQ(r.inventory.cooperations.size(), 1u);
        EXPECT_EQ(r.inventory.cooperations[0].actor_b, r.inventory.actors[1].id);
        EXPECT_EQ(r.inventory.cooperations[0].kind, "netzwerk");
        EXPECT_EQ(r.inventory.cooperations[0].since, "2019");
    }
}

// The at-risk horizon: whole months, the day clamped to the month's length.
TEST(InventoryAnalysis, RiskHorizonAddsCalendarMonths) {
    EXPECT_EQ(add_months("2026-01-31", 1), "2026-02-28");
    EXPECT_EQ(add_months("2026-12-03", 12), "2027-12-03");
    EXPECT_EQ(add_months("2024-02-29", 12), "2025-02-28");
}

// The shipped Erfurt inventory: the sourced places are what the atlas's own import makes of
// integrationsorte.csv; the examples are what the seeded generator makes.
TEST(ErfurtInventory, SourcedPlacesAreTheImportOfTheSheetAndNeverGuessed) {
    const DatasetConfig config = load_config(test::source_path("shapes/erfurt/atlas.toml"));
    DatasetConfig plain = config;
    plain.inventory.reset();
    const Dataset districts = load_dataset(plain);
    std::vector<std::string> keys, names;
    for (const auto& d : districts.districts) keys.push_back(d.key), names.push_back(d.name);
    const std::string sheet = test::source_path("shapes/erfurt/integrationsorte.csv");
    const ImportResult r = import_inventory(
        read_inventory_spreadsheet(sheet, config.inventory->columns), *config.inventory,
        inventory_rules(config, keys, names), {}, false, kStatusSource);
    EXPECT_EQ(inventory_to_json(r.inventory),
              test::read_file(test::source_path("shapes/erfurt/inventar.json")));
    EXPECT_EQ(r.inventory.actors.size(), 33u);
    std::size_t placed = 0, unplaced = 0;
    for (const auto& o : r.inventory.offers) {
        EXPECT_EQ(o.data_status, kStatusSource);
        EXPECT_FALSE(o.source.empty()) << o.id;
        placed += o.place == PlaceKind::point;
        unplaced += o.place == PlaceKind::unplaced;
    }
    EXPECT_EQ(placed, 6u);
    EXPECT_EQ(unplaced, 27u);
}

TEST(ErfurtInventory, ExamplesAreLabelledAndCoverAllNineFields) {
    const Dataset ds = load_dataset(load_config(test::source_path("shapes/erfurt/atlas.toml")));
    std::set<std::string> fields;
    std::size_t examples = 0;
    for (const auto& o : ds.inventory.offers) {
        if (o.data_status != kStatusExample) continue;
        ++examples;
        EXPECT_TRUE(o.id.ends_with("_beispiel")) << o.id;
        EXPECT_TRUE(ds.inventory.actor(o.actor_id)->name.ends_with("(Beispiel)")) << o.id;
        fields.insert(o.fields.begin(), o.fields.end());
    }
    EXPECT_EQ(fields.size(), 9u);
    EXPECT_GT(examples, 50u);
    for (const auto& c : ds.inventory.cooperations) {
        // Fictional ties only between fictional actors: no real organisation is said to cooperate.
        EXPECT_EQ(ds.inventory.actor(c.actor_a)->data_status, kStatusExample);
        EXPECT_EQ(ds.inventory.actor(c.actor_b)->data_status, kStatusExample);
    }
    const InventoryAnalysis a = analyse_inventory(ds, nullptr, "2026-12-01");
    EXPECT_EQ(a.risk_until, "2027-12-01");
    for (const auto& id : a.at_risk) {
        const Offer* o = ds.inventory.offer(id);
        for (const auto& f : o->funding) {
            EXPECT_FALSE(f.until.empty());
            EXPECT_LE(f.until, "2027-12-01");
            EXPECT_GE(f.until, "2026-12-01");
        }
    }
    EXPECT_FALSE(a.at_risk.empty());
    const json doc = json::parse(inventory_analysis_json(ds, a));
    for (const auto& f : doc["fields"]) {
        EXPECT_EQ(f["data_status"], "example") << f["field"];
        EXPECT_NE(f["data_note"].get<std::string>().find("Beispieldaten (fiktiv)"),
                  std::string::npos);
    }
}

// [inventory.coverage]: per field, offers and services together (default), only the inventory,
// or only the service layers.
TEST(ErfurtInventory, CoverageUsesOffersServicesOrBothPerField) {
    DatasetConfig config = load_config(test::source_path("shapes/erfurt/atlas.toml"));
    const Dataset both = load_dataset(config);
    std::map<std::string, std::size_t> osm, offers;
    for (const auto& s : both.services)
        for (const auto& f : s.fields) ++(s.offer_id.empty() ? osm : offers)[f];
    ASSERT_GT(osm["bildung"], 0u);
    ASSERT_GT(offers["bildung"], 0u);
    config.inventory->coverage = {{"bildung", "inventory"}, {"kultur-sport", "services"}};
    const Dataset split = load_dataset(config);
    std::map<std::string, std::size_t> osm2, offers2;
    for (const auto& s : split.services)
        for (const auto& f : s.fields) ++(s.offer_id.empty() ? osm2 : offers2)[f];
    EXPECT_EQ(osm2["bildung"], 0u);
    EXPECT_EQ(offers2["bildung"], offers["bildung"]);
    EXPECT_EQ(osm2["kultur-sport"], osm["kultur-sport"]);
    EXPECT_EQ(offers2["kultur-sport"], 0u);
    EXPECT_EQ(osm2["sprache"], osm["sprache"]);  // unnamed fields use both
    EXPECT_EQ(offers2["sprache"], offers["sprache"]);
}

}  // namespace
}  // namespace atlas
