#include "atlas/geo/inventory.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "atlas/geo/error.hpp"
#include "inventory_checks.hpp"

namespace atlas {

using inventory_detail::EntryChecker;
using inventory_detail::in_terms;
using inventory_detail::term_ids;

using nlohmann::json;

// YYYY-MM-DD with a real calendar day.
bool inventory_detail::is_iso_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9') return false;
    const int year = std::stoi(std::string(text.substr(0, 4)));
    const int month = std::stoi(std::string(text.substr(5, 2)));
    const int day = std::stoi(std::string(text.substr(8, 2)));
    if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= (month == 2 && !leap ? 28 : kDays[month - 1]);
}

namespace {

using inventory_detail::is_iso_date;

// A year ("2019") or an ISO date.
bool is_year_or_date(std::string_view text) {
    if (text.size() == 4 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return text >= "1900" && text <= "2200";
    return is_iso_date(text);
}

json point_json(const Point& p) {
    return {{"lon", p.x}, {"lat", p.y}};
}

// Reading helpers that name the entry and field of a wrong type.
class JsonEntry {
  public:
    JsonEntry(const json& node, const std::string& file, std::string entry, std::int64_t index)
        : node_(node), file_(file), entry_(std::move(entry)), index_(index) {
        if (!node_.is_object()) fail("", "must be an object");
    }
    [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
        throw InputError({file_, {}, index_, field.empty() ? entry_ : entry_ + "." + field},
                         problem);
    }
    std::string text(const char* key) const {
        const auto found = node_.find(key);
        if (found == node_.end() || found->is_null()) return {};
        if (!found->is_string()) fail(key, "must be a string");
        return found->get<std::string>();
    }
    std::vector<std::string> texts(const char* key) const {
        std::vector<std::string> out;
        const auto found = node_.find(key);
        if (found == node_.end() || found->is_null()) return out;
        if (!found->is_array()) fail(key, "must be an array of strings");
        for (const auto& item : *found) {
            if (!item.is_string()) fail(key, "must be an array of strings");
            out.push_back(item.get<std::string>());
        }
        return out;
    }
    std::optional<double> number(const char* key) const {
        const auto found = node_.find(key);
        if (found == node_.end() || found->is_null()) return std::nullopt;
        if (!found->is_number()) fail(key, "must be a number");
        return found->get<double>();
    }
    std::optional<Point> point(const char* key) const {
        const auto found = node_.find(key);
        if (found == node_.end() || found->is_null()) return std::nullopt;
        if (!found->is_object()) fail(key, "must be an object with lon and lat");
        const JsonEntry p(*found, file_, entry_ + "." + key, index_);
        const auto lon = p.number("lon");
        const auto lat = p.number("lat");
        if (!lon || !lat) fail(key, "needs both lon and lat");
        return Point{*lon, *lat};
    }
    const json* child(const char* key) const {
        const auto found = node_.find(key);
        return found == node_.end() || found->is_null() ? nullptr : &*found;
    }

  private:
    const json& node_;
    const std::string& file_;
    std::string entry_;
    std::int64_t index_;
};

PlaceKind place_kind(std::string_view id, const JsonEntry& entry) {
    for (const auto kind : {PlaceKind::point, PlaceKind::district, PlaceKind::citywide,
                            PlaceKind::mobile, PlaceKind::unplaced}) {
        if (place_kind_id(kind) == id) return kind;
    }
    entry.fail("place", "'" + std::string(id) + "' is not one of: " + term_ids(kPlaceKinds));
}

const json* array_of(const json& doc, const char* key, const std::string& file) {
    const auto found = doc.find(key);
    if (found == doc.end() || found->is_null()) return nullptr;
    if (!found->is_array()) throw InputError({file, {}, {}, key}, "must be an array");
    return &*found;
}

}  // namespace

const std::vector<Term> kActorKinds = {
    {"kommunal", "kommunal"},
    {"verein", "Verein"},
    {"verband", "Verband"},
    {"freier_traeger", "freier Träger"},
    {"migrantenorganisation", "Migrantenorganisation"},
    {"religionsgemeinschaft", "Religionsgemeinschaft"},
    {"bildungstraeger", "Bildungsträger"},
    {"wirtschaft", "Wirtschaft"},
    {"sonstige", "sonstige"},
};
const std::vector<Term> kCapacityUnits = {
    {"plaetze", "Plätze"},
    {"stunden_woche", "Stunden/Woche"},
    {"beratungen_jahr", "Beratungen/Jahr"},
};
const std::vector<Term> kFundingSources = {
    {"kommunal", "kommunal"}, {"land", "Land"},
    {"bund", "Bund"},         {"eu", "EU"},
    {"stiftung", "Stiftung"}, {"eigenmittel", "Eigenmittel"},
};
const std::vector<Term> kCooperationKinds = {
    {"netzwerk", "Netzwerk"},
    {"vereinbarung", "Vereinbarung"},
    {"gemeinsames_angebot", "gemeinsames Angebot"},
};
const std::vector<Term> kPlaceKinds = {
    {"point", "Standort"}, {"district", "Stadtteil"},      {"citywide", "stadtweit"},
    {"mobile", "mobil"},   {"unplaced", "nicht verortet"},
};

std::string_view place_kind_id(PlaceKind kind) {
    switch (kind) {
        case PlaceKind::point:
            return "point";
        case PlaceKind::district:
            return "district";
        case PlaceKind::citywide:
            return "citywide";
        case PlaceKind::mobile:
            return "mobile";
        case PlaceKind::unplaced:
            break;
    }
    return "unplaced";
}

std::string term_label(const std::vector<Term>& terms, std::string_view id) {
    for (const auto& t : terms)
        if (t.id == id) return std::string(t.label_de);
    return std::string(id);
}

std::string data_status_label(std::string_view status) {
    if (status == kStatusExample) return "Beispieldaten (fiktiv)";
    if (status == kStatusSource) return "öffentliche Quelle";
    return "amtlich erfasst";
}

bool is_iso639_1(std::string_view code) {
    // ISO 639-1, all 183 two-letter codes.
    static const std::set<std::string, std::less<>> codes = {
        "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg",
        "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy",
        "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj",
        "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht",
        "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv",
        "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky",
        "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn",
        "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny",
        "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru",
        "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss",
        "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts",
        "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo",
        "za", "zh", "zu"};
    return codes.contains(code);
}

const Actor* Inventory::actor(std::string_view id) const {
    for (const auto& a : actors)
        if (a.id == id) return &a;
    return nullptr;
}

const Offer* Inventory::offer(std::string_view id) const {
    for (const auto& o : offers)
        if (o.id == id) return &o;
    return nullptr;
}

std::optional<Point> Inventory::seat(const Actor& a) const {
    if (a.location) return a.location;
    for (const auto& o : offers)
        if (o.actor_id == a.id && o.place == PlaceKind::point && o.location) return o.location;
    return std::nullopt;
}

InventoryRules inventory_rules(const DatasetConfig& config,
                               const std::vector<std::string>& district_keys,
                               const std::vector<std::string>& district_names) {
    InventoryRules rules;
    rules.fields = config.fields;
    if (config.inventory) rules.target_groups = config.inventory->target_groups;
    rules.district_keys = district_keys;
    rules.district_names = district_names;
    return rules;
}

bool InventoryRules::has_field(std::string_view id) const {
    return std::any_of(fields.begin(), fields.end(),
                       [&](const HandlungsfeldConfig& f) { return f.id == id; });
}

void inventory_detail::check_actor(const Actor& a, const EntryChecker& check) {
    check.text(a.name, "name");
    check.term(kActorKinds, a.kind, "kind");
    check.optional_text(a.website, "website");
    check.require(
        a.website.empty() || a.website.starts_with("http://") || a.website.starts_with("https://"),
        "website", "must start with http:// or https://");
    check.optional_text(a.contact, "contact");
    check.optional_text(a.address, "address");
    check.optional_text(a.source, "source", 2000);
    if (a.location) check.point(*a.location, "location");
    check.status(a.data_status);
}

void inventory_detail::check_offer(const Offer& o,
                                   const std::set<std::string, std::less<>>& actor_ids,
                                   const InventoryRules& rules, const EntryChecker& check) {
    const auto has = [](const auto& list, std::string_view value) {
        return std::find(list.begin(), list.end(), value) != list.end();
    };
    check.text(o.title, "title");
    check.require(actor_ids.contains(o.actor_id), "actor_id",
                  "'" + o.actor_id + "' is not an actor of the inventory");
    check.require(!o.fields.empty(), "fields", "needs at least one Handlungsfeld");
    for (const auto& f : o.fields)
        check.require(rules.has_field(f), "fields",
                      "'" + f + "' is not a Handlungsfeld of this dataset");
    for (const auto& g : o.target_groups)
        check.require(std::any_of(rules.target_groups.begin(), rules.target_groups.end(),
                                  [&](const TargetGroupConfig& t) { return t.id == g; }),
                      "target_groups", "'" + g + "' is not a configured target group");
    for (const auto& l : o.languages)
        check.require(is_iso639_1(l), "languages",
                      "'" + l + "' is not an ISO 639-1 language code (de, ar, uk, ...)");
    switch (o.place) {
        case PlaceKind::point:
            check.require(o.location.has_value(), "location", "a point offer needs lon/lat");
            check.point(*o.location, "location");
            break;
        case PlaceKind::district:
            check.require(has(rules.district_keys, o.district), "district",
                          "'" + o.district + "' is not a district of this dataset");
            break;
        default:
            break;
    }
    check.optional_text(o.address, "address");
    if (o.capacity) {
        check.require(std::isfinite(*o.capacity) && *o.capacity >= 0 && *o.capacity < 1e9,
                      "capacity", "must be a number from 0 to 1e9");
        check.term(kCapacityUnits, o.capacity_unit, "capacity_unit");
    } else {
        check.require(o.capacity_unit.empty(), "capacity_unit", "needs a capacity");
    }
    check.require(o.valid_from.empty() || is_iso_date(o.valid_from), "valid_from",
                  "must be a date YYYY-MM-DD");
    check.require(o.valid_to.empty() || is_iso_date(o.valid_to), "valid_to",
                  "must be a date YYYY-MM-DD");
    check.require(o.valid_from.empty() || o.valid_to.empty() || o.valid_from <= o.valid_to,
                  "valid_to", "lies before valid_from");
    for (const auto& f : o.funding) {
        check.term(kFundingSources, f.source, "funding");
        check.require(f.until.empty() || is_iso_date(f.until), "funding",
                      "end date must be YYYY-MM-DD");
    }
    if (o.staff_fte)
        check.require(std::isfinite(*o.staff_fte) && *o.staff_fte >= 0 && *o.staff_fte < 1e5,
                      "staff_fte", "must be a number of full-time equivalents from 0");
    check.optional_text(o.source, "source", 2000);
    check.status(o.data_status);
}

void inventory_detail::check_cooperation(const Cooperation& c,
                                         const std::set<std::string, std::less<>>& actor_ids,
                                         const EntryChecker& check) {
    check.require(actor_ids.contains(c.actor_a), "actor_a",
                  "'" + c.actor_a + "' is not an actor of the inventory");
    check.require(actor_ids.contains(c.actor_b), "actor_b",
                  "'" + c.actor_b + "' is not an actor of the inventory");
    check.require(c.actor_a != c.actor_b, "actor_b", "an actor cannot cooperate with itself");
    check.term(kCooperationKinds, c.kind, "kind");
    check.require(c.since.empty() || is_year_or_date(c.since), "since",
                  "must be a year or a date YYYY-MM-DD");
    check.optional_text(c.source, "source", 2000);
    check.status(c.data_status);
}

using inventory_detail::check_actor;
using inventory_detail::check_cooperation;
using inventory_detail::check_offer;

void validate_inventory(const Inventory& inv, const InventoryRules& rules,
                        const std::string& file) {
    std::set<std::string, std::less<>> ids;
    const auto unique_id = [&](const EntryChecker& check, const std::string& id) {
        check.text(id, "id", 120);
        check.require(id.find_first_of(" /?#%\"<>\\") == std::string::npos, "id",
                      "may not contain spaces or / ? # % \" < > \\");
        check.require(ids.insert(id).second, "id", "'" + id + "' is used twice");
    };
    std::set<std::string, std::less<>> actor_ids;
    for (const auto& a : inv.actors) actor_ids.insert(a.id);
    const auto checker = [&](const char* list, std::size_t i) {
        return EntryChecker(file, std::string(list) + "[" + std::to_string(i) + "]",
                            static_cast<std::int64_t>(i));
    };
    for (std::size_t i = 0; i < inv.actors.size(); ++i) {
        const EntryChecker check = checker("actors", i);
        unique_id(check, inv.actors[i].id);
        check_actor(inv.actors[i], check);
    }
    for (std::size_t i = 0; i < inv.offers.size(); ++i) {
        const EntryChecker check = checker("offers", i);
        unique_id(check, inv.offers[i].id);
        check_offer(inv.offers[i], actor_ids, rules, check);
    }
    for (std::size_t i = 0; i < inv.cooperations.size(); ++i) {
        const EntryChecker check = checker("cooperations", i);
        unique_id(check, inv.cooperations[i].id);
        check_cooperation(inv.cooperations[i], actor_ids, check);
    }
}

Inventory inventory_from_json(std::string_view text, const std::string& file) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        throw InputError({file, {}, {}, {}},
                         "is not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    if (!doc.is_object())
        throw InputError({file, {}, {}, {}},
                         "must be a JSON object with actors, offers, cooperations");
    Inventory inv;
    if (const json* actors = array_of(doc, "actors", file)) {
        for (std::size_t i = 0; i < actors->size(); ++i) {
            const JsonEntry e((*actors)[i], file, "actors[" + std::to_string(i) + "]",
                              static_cast<std::int64_t>(i));
            Actor a;
            a.id = e.text("id");
            a.name = e.text("name");
            a.kind = e.text("kind");
            a.website = e.text("website");
            a.contact = e.text("contact");
            a.address = e.text("address");
            a.location = e.point("location");
            a.data_status = e.text("data_status");
            if (a.data_status.empty()) a.data_status = std::string(kStatusOfficial);
            a.source = e.text("source");
            inv.actors.push_back(std::move(a));
        }
    }
    if (const json* offers = array_of(doc, "offers", file)) {
        for (std::size_t i = 0; i < offers->size(); ++i) {
            const JsonEntry e((*offers)[i], file, "offers[" + std::to_string(i) + "]",
                              static_cast<std::int64_t>(i));
            Offer o;
            o.id = e.text("id");
            o.actor_id = e.text("actor_id");
            o.title = e.text("title");
            o.fields = e.texts("fields");
            o.target_groups = e.texts("target_groups");
            o.languages = e.texts("languages");
            o.location = e.point("location");
            o.district = e.text("district");
            const std::string place = e.text("place");
            o.place = place.empty() ? (o.location            ? PlaceKind::point
                                       : !o.district.empty() ? PlaceKind::district
                                                             : PlaceKind::unplaced)
                                    : place_kind(place, e);
            o.address = e.text("address");
            o.capacity = e.number("capacity");
            o.capacity_unit = e.text("capacity_unit");
            o.valid_from = e.text("valid_from");
            o.valid_to = e.text("valid_to");
            if (const json* funding = e.child("funding")) {
                if (!funding->is_array()) e.fail("funding", "must be an array");
                for (const auto& item : *funding) {
                    const JsonEntry f(item, file, "offers[" + std::to_string(i) + "].funding",
                                      static_cast<std::int64_t>(i));
                    o.funding.push_back({f.text("source"), f.text("until")});
                }
            }
            o.staff_fte = e.number("staff_fte");
            o.data_status = e.text("data_status");
            if (o.data_status.empty()) o.data_status = std::string(kStatusOfficial);
            o.source = e.text("source");
            inv.offers.push_back(std::move(o));
        }
    }
    if (const json* cooperations = array_of(doc, "cooperations", file)) {
        for (std::size_t i = 0; i < cooperations->size(); ++i) {
            const JsonEntry e((*cooperations)[i], file, "cooperations[" + std::to_string(i) + "]",
                              static_cast<std::int64_t>(i));
            Cooperation c;
            c.id = e.text("id");
            c.actor_a = e.text("actor_a");
            c.actor_b = e.text("actor_b");
            c.kind = e.text("kind");
            c.since = e.text("since");
            c.data_status = e.text("data_status");
            if (c.data_status.empty()) c.data_status = std::string(kStatusOfficial);
            c.source = e.text("source");
            inv.cooperations.push_back(std::move(c));
        }
    }
    return inv;
}

std::string inventory_to_json(const Inventory& inv) {
    const auto optional = [](const auto& v) { return v ? json(*v) : json(nullptr); };
    json actors = json::array();
    for (const auto& a : inv.actors) {
        actors.push_back({{"id", a.id},
                          {"name", a.name},
                          {"kind", a.kind},
                          {"website", a.website},
                          {"contact", a.contact},
                          {"address", a.address},
                          {"location", a.location ? point_json(*a.location) : json(nullptr)},
                          {"data_status", a.data_status},
                          {"source", a.source}});
    }
    json offers = json::array();
    for (const auto& o : inv.offers) {
        json funding = json::array();
        for (const auto& f : o.funding)
            funding.push_back({{"source", f.source}, {"until", f.until}});
        offers.push_back({{"id", o.id},
                          {"actor_id", o.actor_id},
                          {"title", o.title},
                          {"fields", o.fields},
                          {"target_groups", o.target_groups},
                          {"languages", o.languages},
                          {"place", place_kind_id(o.place)},
                          {"location", o.location ? point_json(*o.location) : json(nullptr)},
                          {"district", o.district},
                          {"address", o.address},
                          {"capacity", optional(o.capacity)},
                          {"capacity_unit", o.capacity_unit},
                          {"valid_from", o.valid_from},
                          {"valid_to", o.valid_to},
                          {"funding", funding},
                          {"staff_fte", optional(o.staff_fte)},
                          {"data_status", o.data_status},
                          {"source", o.source}});
    }
    json cooperations = json::array();
    for (const auto& c : inv.cooperations) {
        cooperations.push_back({{"id", c.id},
                                {"actor_a", c.actor_a},
                                {"actor_b", c.actor_b},
                                {"kind", c.kind},
                                {"since", c.since},
                                {"data_status", c.data_status},
                                {"source", c.source}});
    }
    return json{{"actors", actors}, {"offers", offers}, {"cooperations", cooperations}}.dump(1) +
           "\n";
}

Inventory merge_inventories(Inventory base, const Inventory& extra, const std::string& file) {
    std::set<std::string, std::less<>> ids;
    for (const auto& a : base.actors) ids.insert(a.id);
    for (const auto& o : base.offers) ids.insert(o.id);
    for (const auto& c : base.cooperations) ids.insert(c.id);
    const auto check = [&](const std::string& id, const std::string& entry, std::size_t i) {
        if (ids.contains(id))
            throw InputError({file, {}, static_cast<std::int64_t>(i), entry + ".id"},
                             "'" + id + "' is already an id of the inventory");
    };
    for (std::size_t i = 0; i < extra.actors.size(); ++i) {
        check(extra.actors[i].id, "actors[" + std::to_string(i) + "]", i);
        base.actors.push_back(extra.actors[i]);
    }
    for (std::size_t i = 0; i < extra.offers.size(); ++i) {
        check(extra.offers[i].id, "offers[" + std::to_string(i) + "]", i);
        base.offers.push_back(extra.offers[i]);
    }
    for (std::size_t i = 0; i < extra.cooperations.size(); ++i) {
        check(extra.cooperations[i].id, "cooperations[" + std::to_string(i) + "]", i);
        base.cooperations.push_back(extra.cooperations[i]);
    }
    return base;
}

}  // namespace atlas
