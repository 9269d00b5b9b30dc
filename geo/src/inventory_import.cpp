// Importing the inventory from the spreadsheets offices keep (CSV with German conventions, XLSX,
// ODS through GDAL): one row per offer with its actor, optionally a sheet of cooperations.

#include <cpl_conv.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "atlas/geo/crs.hpp"
#include "atlas/geo/error.hpp"
#include "atlas/geo/inventory.hpp"
#include "gdal_util.hpp"
#include "inventory_checks.hpp"

namespace atlas {

namespace {

using inventory_detail::EntryChecker;

// At most this many row problems are spelled out; the rest are counted.
constexpr std::size_t kMaxListedIssues = 25;

std::string trim(std::string_view text) {
    const auto begin = text.find_first_not_of(" \t\r\n\xA0");
    if (begin == std::string_view::npos) return {};
    const auto end = text.find_last_not_of(" \t\r\n\xA0");
    return std::string(text.substr(begin, end - begin + 1));
}

// ASCII lower case plus the German capitals, for matching labels typed by people.
std::string fold(std::string_view text) {
    std::string out = trim(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [upper, lower] : {std::pair{"Ä", "ä"}, {"Ö", "ö"}, {"Ü", "ü"}}) {
        for (auto at = out.find(upper); at != std::string::npos; at = out.find(upper, at))
            out.replace(at, 2, lower);
    }
    return out;
}

std::vector<std::string> split_list(std::string_view cell, std::string_view separators) {
    std::vector<std::string> out;
    std::string current;
    for (const char c : cell) {
        if (separators.find(c) != std::string_view::npos) {
            if (auto item = trim(current); !item.empty()) out.push_back(std::move(item));
            current.clear();
        } else {
            current += c;
        }
    }
    if (auto item = trim(current); !item.empty()) out.push_back(std::move(item));
    return out;
}

// An id that stays readable in URLs: "Caritas Regionalstelle Erfurt" ->
// "caritas-regionalstelle-erfurt".
std::string slug(std::string_view text) {
    std::string out;
    const std::string folded = fold(text);
    for (std::size_t i = 0; i < folded.size() && out.size() < 60; ++i) {
        const auto c = static_cast<unsigned char>(folded[i]);
        const std::string_view rest(folded.data() + i, folded.size() - i);
        if (rest.starts_with("ä"))
            out += "ae", ++i;
        else if (rest.starts_with("ö"))
            out += "oe", ++i;
        else if (rest.starts_with("ü"))
            out += "ue", ++i;
        else if (rest.starts_with("ß"))
            out += "ss", ++i;
        else if (std::isalnum(c) && c < 128)
            out += static_cast<char>(c);
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "eintrag" : out;
}

std::string unique_id(std::string base, std::set<std::string, std::less<>>& taken) {
    std::string id = base;
    for (int n = 2; taken.contains(id); ++n) id = base + "-" + std::to_string(n);
    taken.insert(id);
    return id;
}

// A term by id or German label, case-insensitive.
std::optional<std::string> match_term(const std::vector<Term>& terms, std::string_view cell) {
    const std::string wanted = fold(cell);
    for (const auto& t : terms) {
        if (wanted == fold(t.id) || wanted == fold(t.label_de)) return std::string(t.id);
    }
    return std::nullopt;
}

// "31.12.2026", "2026-12-31" (also with a time, as spreadsheets export dates) -> ISO.
std::optional<std::string> iso_date(std::string_view cell) {
    const std::string text = trim(cell);
    if (text.size() >= 10 && text[4] == '-' && inventory_detail::is_iso_date(text.substr(0, 10)))
        return text.substr(0, 10);
    const auto parts = split_list(text, ".");
    if (parts.size() == 3 && parts[2].size() == 4 && parts[0].size() <= 2 && parts[1].size() <= 2) {
        std::string iso = parts[2] + "-" + (parts[1].size() == 1 ? "0" : "") + parts[1] + "-" +
                          (parts[0].size() == 1 ? "0" : "") + parts[0];
        if (inventory_detail::is_iso_date(iso)) return iso;
    }
    return std::nullopt;
}

std::string status_code(std::string_view cell) {
    const std::string v = fold(cell);
    if (v == "beispiel" || v == "beispieldaten" || v == "example")
        return std::string(kStatusExample);
    if (v == "quelle" || v == "source") return std::string(kStatusSource);
    if (v == "amtlich" || v == "official") return std::string(kStatusOfficial);
    return std::string(cell);  // validation names it
}

class RowError : public std::runtime_error {
  public:
    RowError(std::string column, const std::string& problem)
        : std::runtime_error(problem), column_(std::move(column)) {}
    const std::string& column() const { return column_; }

  private:
    std::string column_;
};

// A closed-list cell (by id or German label); anything else names the column and the choices.
std::string required_term(const std::vector<Term>& terms, const std::string& cell,
                          const std::string& column) {
    const auto id = match_term(terms, cell);
    if (!id)
        throw RowError(column,
                       "'" + cell + "' is not one of: " + inventory_detail::term_ids(terms));
    return *id;
}

// The columns of a table by role; a role whose column is absent reads as empty.
class RowReader {
  public:
    RowReader(const CsvTable& table, DecimalMark mark) : table_(table), mark_(mark) {}

    std::string text(const std::string& column, const CsvRow& row) const {
        const auto found = index(column);
        if (!found || *found >= row.cells.size()) return {};
        return trim(row.cells[*found]);
    }
    std::optional<double> number(const std::string& column, const CsvRow& row) const {
        const std::string cell = text(column, row);
        if (cell.empty()) return std::nullopt;
        bool ok = true;
        // Spreadsheet numbers arrive as "12.5" from GDAL; typed text may still use a comma.
        const DecimalMark mark = table_.rows_are_features && cell.find(',') == std::string::npos
                                     ? DecimalMark::point
                                     : mark_;
        auto value = parse_number(cell, mark, ok);
        if (!ok || !value) throw RowError(column, "'" + cell + "' is not a number");
        return value;
    }
    bool has(const std::string& column) const { return index(column).has_value(); }

  private:
    std::optional<std::size_t> index(const std::string& column) const {
        for (std::size_t i = 0; i < table_.header.size(); ++i)
            if (fold(table_.header[i]) == fold(column)) return i;
        return std::nullopt;
    }
    const CsvTable& table_;
    DecimalMark mark_;
};

DecimalMark numbers_of(const CsvTable& table, const InventoryColumns& k) {
    std::vector<std::size_t> columns;
    for (const auto* name : {&k.lon, &k.lat, &k.easting, &k.northing, &k.capacity, &k.staff}) {
        for (std::size_t i = 0; i < table.header.size(); ++i)
            if (fold(table.header[i]) == fold(*name)) columns.push_back(i);
    }
    return detect_decimal_mark(table, columns);
}

// Sets GDAL options for this thread while reading and restores them, so that two imports on
// two threads do not see each other's settings.
class ThreadOption {
  public:
    ThreadOption(const char* key, const char* value)
        : key_(key),
          old_(CPLGetThreadLocalConfigOption(key, nullptr)
                   ? CPLGetThreadLocalConfigOption(key, nullptr)
                   : "") {
        CPLSetThreadLocalConfigOption(key, value);
    }
    ~ThreadOption() { CPLSetThreadLocalConfigOption(key_, old_.empty() ? nullptr : old_.c_str()); }
    ThreadOption(const ThreadOption&) = delete;
    ThreadOption& operator=(const ThreadOption&) = delete;

  private:
    const char* key_;
    std::string old_;
};

bool is_csv(const std::string& path) {
    std::string lower = path;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv");
}

// The JSON-side field a check names -> the spreadsheet column a person sees.
std::string column_of(const std::string& entry_field, const InventoryColumns& k) {
    const auto dot = entry_field.rfind('.');
    const std::string field = dot == std::string::npos ? entry_field : entry_field.substr(dot + 1);
    const std::map<std::string, const std::string*> columns = {{"name", &k.actor},
                                                               {"kind", &k.actor_kind},
                                                               {"website", &k.website},
                                                               {"contact", &k.contact},
                                                               {"title", &k.title},
                                                               {"fields", &k.fields},
                                                               {"target_groups", &k.target_groups},
                                                               {"languages", &k.languages},
                                                               {"location", &k.lon},
                                                               {"district", &k.district},
                                                               {"address", &k.address},
                                                               {"capacity", &k.capacity},
                                                               {"capacity_unit", &k.capacity_unit},
                                                               {"valid_from", &k.valid_from},
                                                               {"valid_to", &k.valid_to},
                                                               {"funding", &k.funding},
                                                               {"staff_fte", &k.staff},
                                                               {"source", &k.source},
                                                               {"data_status", &k.data_status},
                                                               {"actor_a", &k.partner_a},
                                                               {"actor_b", &k.partner_b},
                                                               {"since", &k.since}};
    const auto found = columns.find(field);
    return found == columns.end() ? field : *found->second;
}

struct Importer {
    const InventoryConfig& config;
    const InventoryRules& rules;
    std::string_view status;
    ImportResult result;
    std::set<std::string, std::less<>> ids;
    std::map<std::string, std::string> actor_by_name;  // folded name -> id
    std::set<std::string, std::less<>> actor_ids;
    std::optional<Transformer> from_projected;

    std::vector<std::string> fields(const std::string& cell, const std::string& column) const {
        std::vector<std::string> out;
        for (const auto& item : split_list(cell, ";,")) {
            std::optional<std::string> id;
            for (const auto& f : rules.fields)
                if (fold(item) == fold(f.id) || fold(item) == fold(f.label_de)) id = f.id;
            if (!id)
                throw RowError(column, "'" + item + "' is not a Handlungsfeld of this dataset");
            if (std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
        }
        return out;
    }

    std::vector<std::string> target_groups(const std::string& cell,
                                           const std::string& column) const {
        std::vector<std::string> out;
        for (const auto& item : split_list(cell, ";,")) {
            std::optional<std::string> id;
            for (const auto& g : rules.target_groups)
                if (fold(item) == fold(g.id) || fold(item) == fold(g.label_de)) id = g.id;
            if (!id) throw RowError(column, "'" + item + "' is not a configured target group");
            if (std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
        }
        return out;
    }

    void place(Offer& o, const RowReader& r, const CsvRow& row) {
        const InventoryColumns& k = config.columns;
        const auto lon = r.number(k.lon, row);
        const auto lat = r.number(k.lat, row);
        const auto east = r.number(k.easting, row);
        const auto north = r.number(k.northing, row);
        const std::string where = fold(r.text(k.place, row));
        const std::string district = r.text(k.district, row);
        if (lon || lat) {
            if (!lon || !lat) throw RowError(lon ? k.lat : k.lon, "needs both Länge and Breite");
            o.place = PlaceKind::point;
            o.location = Point{*lon, *lat};
        } else if (east || north) {
            if (!east || !north)
                throw RowError(east ? k.northing : k.easting, "needs both Rechtswert and Hochwert");
            if (!from_projected) from_projected.emplace(config.coordinates_crs, "OGC:CRS84");
            o.place = PlaceKind::point;
            o.location = from_projected->apply(Point{*east, *north});
        } else if (where == "stadtweit" || where == "citywide") {
            o.place = PlaceKind::citywide;
        } else if (where == "mobil" || where == "mobile") {
            o.place = PlaceKind::mobile;
        } else if (!district.empty()) {
            o.place = PlaceKind::district;
            for (std::size_t d = 0; d < rules.district_keys.size(); ++d) {
                if (fold(district) == fold(rules.district_keys[d]) ||
                    (d < rules.district_names.size() &&
                     fold(district) == fold(rules.district_names[d])))
                    o.district = rules.district_keys[d];
            }
            if (o.district.empty())
                throw RowError(k.district, "'" + district + "' is not a district of this dataset");
        } else if (where == "nicht verortet" || where == "unplaced") {
            o.place = PlaceKind::unplaced;
        } else {
            throw RowError(k.lon, "the offer cannot be placed: give " + k.lon + "/" + k.lat + ", " +
                                      k.easting + "/" + k.northing + ", a " + k.district + ", or " +
                                      k.place + " = stadtweit, mobil or nicht verortet");
        }
    }

    void offer_row(const RowReader& r, const CsvRow& row, const std::string& file) {
        const InventoryColumns& k = config.columns;
        const std::string name = r.text(k.actor, row);
        if (name.empty()) throw RowError(k.actor, "is required");
        const std::string row_status = r.text(k.data_status, row).empty()
                                           ? std::string(status)
                                           : status_code(r.text(k.data_status, row));
        const std::string source = r.text(k.source, row);

        std::optional<Actor> new_actor;
        std::string actor_id;
        if (const auto known = actor_by_name.find(fold(name)); known != actor_by_name.end()) {
            actor_id = known->second;
        } else {
            Actor a;
            a.name = name;
            const std::string kind = r.text(k.actor_kind, row);
            if (kind.empty()) throw RowError(k.actor_kind, "is required for a new actor");
            a.kind = required_term(kActorKinds, kind, k.actor_kind);
            a.website = r.text(k.website, row);
            a.contact = r.text(k.contact, row);
            a.address = r.text(k.address, row);
            a.data_status = row_status;
            a.source = source;
            new_actor = std::move(a);
        }

        Offer o;
        o.title = r.text(k.title, row);
        if (o.title.empty()) throw RowError(k.title, "is required");
        o.fields = fields(r.text(k.fields, row), k.fields);
        o.target_groups = target_groups(r.text(k.target_groups, row), k.target_groups);
        for (const auto& l : split_list(r.text(k.languages, row), ";, /"))
            o.languages.push_back(fold(l));
        place(o, r, row);
        o.address = r.text(k.address, row);
        o.capacity = r.number(k.capacity, row);
        const std::string unit = r.text(k.capacity_unit, row);
        if (!unit.empty()) o.capacity_unit = required_term(kCapacityUnits, unit, k.capacity_unit);
        for (const auto* column : {&k.valid_from, &k.valid_to}) {
            const std::string cell = r.text(*column, row);
            if (cell.empty()) continue;
            const auto date = iso_date(cell);
            if (!date) throw RowError(*column, "'" + cell + "' is not a date (31.12.2026)");
            (column == &k.valid_from ? o.valid_from : o.valid_to) = *date;
        }
        for (const auto& item : split_list(r.text(k.funding, row), ";")) {
            // "Bund bis 31.12.2026"
            const auto bis = fold(item).find(" bis ");
            const std::string what = trim(item.substr(0, bis));
            Funding f{required_term(kFundingSources, what, k.funding), {}};
            if (bis != std::string::npos) {
                const auto date = iso_date(item.substr(bis + 5));
                if (!date) throw RowError(k.funding, "'" + item + "': the end date is not a date");
                f.until = *date;
            }
            o.funding.push_back(std::move(f));
        }
        o.staff_fte = r.number(k.staff, row);
        o.data_status = row_status;
        o.source = source;

        // Same checks as every stored entry, named by this row's line and column.
        std::set<std::string, std::less<>> known = actor_ids;
        const std::string pending_actor = new_actor ? unique_id_preview(slug(name)) : actor_id;
        if (new_actor) known.insert(pending_actor);
        o.actor_id = pending_actor;
        const EntryChecker check(file, "row", row.line);
        try {
            if (new_actor) inventory_detail::check_actor(*new_actor, check);
            inventory_detail::check_offer(o, known, rules, check);
        } catch (const InputError& e) {
            throw RowError(column_of(e.where().field, k), e.problem());
        }

        // Valid: commit the row.
        if (new_actor) {
            new_actor->id = unique_id(slug(name), ids);
            actor_by_name[fold(name)] = new_actor->id;
            actor_ids.insert(new_actor->id);
            o.actor_id = new_actor->id;
            result.inventory.actors.push_back(std::move(*new_actor));
            ++result.actors_added;
        }
        for (auto& existing : result.inventory.offers) {
            if (existing.actor_id == o.actor_id && fold(existing.title) == fold(o.title)) {
                o.id = existing.id;
                existing = std::move(o);
                ++result.offers_updated;
                return;
            }
        }
        o.id = unique_id(slug(name + " " + o.title), ids);
        result.inventory.offers.push_back(std::move(o));
        ++result.offers_added;
    }

    std::string unique_id_preview(const std::string& base) const {
        std::string id = base;
        for (int n = 2; ids.contains(id); ++n) id = base + "-" + std::to_string(n);
        return id;
    }

    void cooperation_row(const RowReader& r, const CsvRow& row, const std::string& file) {
        const InventoryColumns& k = config.columns;
        Cooperation c;
        for (const auto& [column, target] :
             {std::pair{&k.partner_a, &c.actor_a}, std::pair{&k.partner_b, &c.actor_b}}) {
            const std::string name = r.text(*column, row);
            const auto found = actor_by_name.find(fold(name));
            if (found == actor_by_name.end())
                throw RowError(*column, name.empty() ? "is required"
                                                     : "'" + name +
                                                           "' is no actor of the inventory "
                                                           "or of this import");
            *target = found->second;
        }
        c.kind =
            required_term(kCooperationKinds, r.text(k.cooperation_kind, row), k.cooperation_kind);
        c.since = r.text(k.since, row);
        if (c.since.size() > 4) {
            const auto date = iso_date(c.since);
            if (!date) throw RowError(k.since, "'" + c.since + "' is not a year or a date");
            c.since = *date;
        }
        c.source = r.text(k.source, row);
        c.data_status = r.text(k.data_status, row).empty()
                            ? std::string(status)
                            : status_code(r.text(k.data_status, row));
        try {
            inventory_detail::check_cooperation(c, actor_ids, EntryChecker(file, "row", row.line));
        } catch (const InputError& e) {
            throw RowError(column_of(e.where().field, k), e.problem());
        }
        for (const auto& existing : result.inventory.cooperations) {
            if (existing.kind == c.kind &&
                ((existing.actor_a == c.actor_a && existing.actor_b == c.actor_b) ||
                 (existing.actor_a == c.actor_b && existing.actor_b == c.actor_a)))
                return;  // already known
        }
        c.id = unique_id(slug("koop " + c.actor_a + " " + c.actor_b), ids);
        result.inventory.cooperations.push_back(std::move(c));
        ++result.cooperations_added;
    }
};

}  // namespace

std::string new_entry_id(const Inventory& inventory, std::string_view text) {
    std::set<std::string, std::less<>> taken;
    for (const auto& a : inventory.actors) taken.insert(a.id);
    for (const auto& o : inventory.offers) taken.insert(o.id);
    for (const auto& c : inventory.cooperations) taken.insert(c.id);
    return unique_id(slug(text), taken);
}

SpreadsheetTables read_inventory_spreadsheet(const std::string& path,
                                             const InventoryColumns& columns) {
    if (is_csv(path)) return {read_csv_file(path), std::nullopt};
    // Every cell as text, the first row as the header: offices' sheets are all text at first.
    const ThreadOption headers_xlsx("OGR_XLSX_HEADERS", "FORCE");
    const ThreadOption headers_ods("OGR_ODS_HEADERS", "FORCE");
    const ThreadOption types_xlsx("OGR_XLSX_FIELD_TYPES", "STRING");
    const ThreadOption types_ods("OGR_ODS_FIELD_TYPES", "STRING");
    auto source = gdal::open_vector(path);
    OGRLayer* offers = source->GetLayerByName(columns.offers_sheet.c_str());
    if (!offers) offers = &gdal::layer(*source, path, "");
    // Spreadsheet users count rows with the header as row 1.
    SpreadsheetTables tables{gdal::read_layer_table(*offers, path, 2), std::nullopt};
    if (OGRLayer* cooperations = source->GetLayerByName(columns.cooperations_sheet.c_str());
        cooperations && cooperations != offers)
        tables.cooperations = gdal::read_layer_table(*cooperations, path, 2);
    return tables;
}

ImportResult import_inventory(const SpreadsheetTables& tables, const InventoryConfig& config,
                              const InventoryRules& rules, Inventory base, bool partial,
                              std::string_view status) {
    Importer im{config, rules, status, {}, {}, {}, {}, {}};
    im.result.inventory = std::move(base);
    for (const auto& a : im.result.inventory.actors) {
        im.ids.insert(a.id);
        im.actor_ids.insert(a.id);
        im.actor_by_name[fold(a.name)] = a.id;
    }
    for (const auto& o : im.result.inventory.offers) im.ids.insert(o.id);
    for (const auto& c : im.result.inventory.cooperations) im.ids.insert(c.id);

    std::vector<ImportIssue> issues;
    const auto run = [&](const CsvTable& table, auto&& each) {
        const RowReader reader(table, numbers_of(table, config.columns));
        for (const auto& row : table.rows) {
            if (std::all_of(row.cells.begin(), row.cells.end(),
                            [](const std::string& c) { return trim(c).empty(); }))
                continue;
            try {
                each(reader, row);
            } catch (const RowError& e) {
                issues.push_back({{table.file, row.line, {}, e.column()}, e.what()});
            } catch (const Error& e) {
                issues.push_back({{table.file, row.line, {}, {}}, e.what()});
            }
        }
    };
    if (!RowReader(tables.offers, DecimalMark::point).has(config.columns.actor))
        throw InputError({tables.offers.file, {}, {}, config.columns.actor},
                         "the offers table has no column '" + config.columns.actor +
                             "' (columns: [inventory.columns])");
    run(tables.offers,
        [&](const RowReader& r, const CsvRow& row) { im.offer_row(r, row, tables.offers.file); });
    if (tables.cooperations) {
        run(*tables.cooperations, [&](const RowReader& r, const CsvRow& row) {
            im.cooperation_row(r, row, tables.cooperations->file);
        });
    }
    if (!issues.empty() && !partial) {
        std::string message = std::to_string(issues.size()) +
                              (issues.size() == 1 ? " row cannot" : " rows cannot") +
                              " be imported, so nothing was imported: ";
        for (std::size_t i = 0; i < issues.size() && i < kMaxListedIssues; ++i)
            message += (i ? "; " : "") + issues[i].where.describe() + ": " + issues[i].problem;
        if (issues.size() > kMaxListedIssues)
            message += "; and " + std::to_string(issues.size() - kMaxListedIssues) + " more";
        throw InputError(issues.front().where, message);
    }
    im.result.skipped = std::move(issues);
    return std::move(im.result);
}

}  // namespace atlas
