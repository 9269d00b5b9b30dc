#pragma once
// The structure and resource analysis's inventory: who does integration work (actors), what
// they offer where, for whom, in which languages and with which resources (offers), and how
// they cooperate (cooperations). Plain validated values; one JSON document is the stored form
// (its versions live in the data store like every other updated dataset).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atlas/geo/config.hpp"
#include "atlas/geo/csv.hpp"
#include "atlas/geo/types.hpp"

namespace atlas {

// Where the facts of an entry come from. The stored codes are English (the outside contract);
// every output also carries the German label of data_status_label().
inline constexpr std::string_view kStatusExample = "example";  // fictional, for demonstration
inline constexpr std::string_view kStatusSource = "source";    // from a cited public source
inline constexpr std::string_view kStatusOfficial =
    "official";  // entered or confirmed by an office

std::string data_status_label(std::string_view status);  // "Beispieldaten (fiktiv)", ...

struct Actor {
    std::string id;
    std::string name;
    std::string kind;     // kActorKinds
    std::string website;  // organisational only
    std::string contact;  // organisational contact (office mail, phone): never a person's name
    std::string address;
    std::optional<Point> location;  // WGS84 seat; none: not placed yet
    std::string data_status = std::string(kStatusOfficial);
    std::string source;
};

// How an offer is located: at a point, in one district, for the whole city, mobile, or not
// placed yet (a real entry whose position nobody has confirmed; never guessed).
enum class PlaceKind { point, district, citywide, mobile, unplaced };

struct Funding {
    std::string source;  // kFundingSources
    std::string until;   // ISO date; empty: no end date known
};

struct Offer {
    std::string id;
    std::string actor_id;
    std::string title;
    std::vector<std::string> fields;         // Handlungsfeld ids
    std::vector<std::string> target_groups;  // ids of [inventory] target_groups
    std::vector<std::string> languages;      // ISO 639-1
    PlaceKind place = PlaceKind::unplaced;
    std::optional<Point> location;  // WGS84, for PlaceKind::point
    std::string district;           // district key, for PlaceKind::district
    std::string address;
    std::optional<double> capacity;
    std::string capacity_unit;  // kCapacityUnits; required with a capacity
    std::string valid_from;     // ISO dates; empty: open
    std::string valid_to;
    std::vector<Funding> funding;
    std::optional<double> staff_fte;  // full-time equivalents
    std::string data_status = std::string(kStatusOfficial);
    std::string source;
};

struct Cooperation {
    std::string id;
    std::string actor_a;
    std::string actor_b;
    std::string kind;   // kCooperationKinds
    std::string since;  // year or ISO date
    std::string data_status = std::string(kStatusOfficial);
    std::string source;
};

struct Inventory {
    std::vector<Actor> actors;
    std::vector<Offer> offers;
    std::vector<Cooperation> cooperations;

    const Actor* actor(std::string_view id) const;
    const Offer* offer(std::string_view id) const;
    // Where an actor is drawn: its own location, else its first offer at a point; none when
    // neither is known (never guessed from an address).
    std::optional<Point> seat(const Actor& actor) const;
    bool empty() const { return actors.empty() && offers.empty() && cooperations.empty(); }
};

// A closed list with German labels: codes are stored, labels shown and accepted on import.
struct Term {
    std::string_view id;
    std::string_view label_de;
};
extern const std::vector<Term> kActorKinds;
extern const std::vector<Term> kCapacityUnits;
extern const std::vector<Term> kFundingSources;
extern const std::vector<Term> kCooperationKinds;
extern const std::vector<Term> kPlaceKinds;  // point, district, citywide, mobile, unplaced

std::string_view place_kind_id(PlaceKind kind);
std::string term_label(const std::vector<Term>& terms, std::string_view id);
bool is_iso639_1(std::string_view code);

// What entries are checked against: the dataset's Handlungsfelder, target groups and districts.
struct InventoryRules {
    std::vector<HandlungsfeldConfig> fields;
    std::vector<TargetGroupConfig> target_groups;
    std::vector<std::string> district_keys;
    std::vector<std::string> district_names;  // aligned with district_keys; import matches both
    bool has_field(std::string_view id) const;
};
InventoryRules inventory_rules(const DatasetConfig& config,
                               const std::vector<std::string>& district_keys,
                               const std::vector<std::string>& district_names);

// Checks every entry (closed lists, ISO codes and dates, coordinates, unique ids, references,
// no cooperation of an actor with itself). Throws InputError naming `file`, the entry
// ("offers[3]", as feature index) and the field.
void validate_inventory(const Inventory& inventory, const InventoryRules& rules,
                        const std::string& file);

// The stored form. Reading checks types and names the entry and field of a problem; it does
// not validate (validate_inventory does). Writing is stable (same inventory, same bytes).
Inventory inventory_from_json(std::string_view text, const std::string& file);
std::string inventory_to_json(const Inventory& inventory);

// The entries of `extra` added to `base`; an id present in both is an InputError naming `file`.
Inventory merge_inventories(Inventory base, const Inventory& extra, const std::string& file);

// A readable id for a new entry ("Sprachcafé Nord" -> "sprachcafe-nord", "-2" when taken).
std::string new_entry_id(const Inventory& inventory, std::string_view text);

// ---------------------------------------------------------------- spreadsheet import
// One row of an office's spreadsheet is one offer with its actor (created or matched by name);
// an optional second sheet lists cooperations between actors by name. Columns: [inventory.columns].
struct ImportIssue {
    InputLocation where;
    std::string problem;
};

struct ImportResult {
    Inventory inventory;  // base plus everything imported
    std::size_t actors_added = 0;
    std::size_t offers_added = 0;
    std::size_t offers_updated = 0;  // same actor and title as an existing offer
    std::size_t cooperations_added = 0;
    std::vector<ImportIssue> skipped;  // partial mode only: rows left out, with the reason
};

struct SpreadsheetTables {
    CsvTable offers;
    std::optional<CsvTable> cooperations;
};

// CSV (German conventions, csv.hpp) or any GDAL table source (XLSX, ODS, GeoPackage): the
// sheet [inventory.columns].offers_sheet (or the first) and, when present, cooperations_sheet.
SpreadsheetTables read_inventory_spreadsheet(const std::string& path,
                                             const InventoryColumns& columns);

// Imports into `base`. Without `partial`, any bad row (named by line and reason, all of them)
// makes it an InputError and nothing is imported; with `partial`, bad rows are skipped and
// reported. `status` is the data_status of rows that do not name one.
ImportResult import_inventory(const SpreadsheetTables& tables, const InventoryConfig& config,
                              const InventoryRules& rules, Inventory base, bool partial,
                              std::string_view status = kStatusOfficial);

}  // namespace atlas
