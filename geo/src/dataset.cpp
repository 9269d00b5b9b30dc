#include "atlas/geo/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "atlas/geo/crs.hpp"
#include "atlas/geo/csv.hpp"
#include "atlas/geo/error.hpp"
#include "atlas/geo/grid.hpp"
#include "atlas/geo/secrecy.hpp"
#include "gdal_util.hpp"
#include "geos_util.hpp"

namespace atlas {

namespace {

using Severity = ReportEntry::Severity;
constexpr const char* kWgs84 = "OGC:CRS84";

std::optional<std::size_t> district_at(Point metric, const std::vector<geos::PreparedPtr>& prepared,
                                       const std::vector<Box>& boxes) {
    const auto geos_point = geos::to_geos(metric);
    for (std::size_t d = 0; d < prepared.size(); ++d) {
        if (boxes[d].contains(metric) &&
            GEOSPreparedCovers_r(geos::context(), prepared[d].get(), geos_point.get()) == 1)
            return d;
    }
    return std::nullopt;
}

void load_districts(const DatasetConfig& config, Dataset& out) {
    const auto& cfg = config.districts;
    auto source = gdal::open_vector(cfg.source, cfg.encoding);
    OGRLayer& layer = gdal::layer(*source, cfg.source, cfg.layer);
    const int key_field = gdal::field_index(layer, cfg.source, cfg.key_field);
    const int name_field = gdal::field_index(layer, cfg.source, cfg.name_field);
    const int official_field = cfg.official_id_field.empty()
                                   ? -1
                                   : gdal::field_index(layer, cfg.source, cfg.official_id_field);
    const std::string crs = gdal::layer_crs(layer, cfg.source, cfg.crs);
    const auto to_wgs84 = gdal::make_transformer(crs, kWgs84, cfg.source, "crs");
    const auto to_metric =
        gdal::make_transformer(crs, config.working_crs, config.path, "dataset.working_crs");

    std::set<std::string> keys;
    std::map<std::string, std::vector<std::string>> official_ids;
    long index = 0;
    for (auto& feature : layer) {
        const InputLocation where{cfg.source, {}, index++, {}};
        District d;
        d.key =
            gdal::feature_text(*feature, key_field, {where.file, {}, where.feature, cfg.key_field});
        d.name = gdal::feature_text(*feature, name_field,
                                    {where.file, {}, where.feature, cfg.name_field});
        if (official_field >= 0) {
            d.official_id = gdal::feature_text(
                *feature, official_field, {where.file, {}, where.feature, cfg.official_id_field});
        }
        if (d.key.empty()) {
            throw InputError({where.file, {}, where.feature, cfg.key_field},
                             "the district key is empty");
        }
        if (!keys.insert(d.key).second) {
            throw InputError({where.file, {}, where.feature, cfg.key_field},
                             "district key '" + d.key + "' occurs twice; keys must be unique");
        }
        auto shape = gdal::multipolygon_from_ogr(feature->GetGeometryRef());
        if (!shape || shape->empty()) {
            throw InputError({where.file, {}, where.feature, "geometry"},
                             "district '" + d.key + "' has no polygon geometry");
        }
        auto repair = geos::make_valid(*shape);
        if (!repair.reason.empty()) {
            if (repair.repaired.empty()) {
                throw InputError({where.file, {}, where.feature, "geometry"},
                                 "district '" + d.key + "' is invalid (" + repair.reason +
                                     ") and MakeValid leaves no area");
            }
            out.report.add(Severity::warning, "repaired",
                           where.describe() + ": district '" + d.key + "' was invalid (" +
                               repair.reason + "); repaired with GEOS MakeValid (" +
                               std::to_string(shape->size()) + " -> " +
                               std::to_string(repair.repaired.size()) + " polygon parts)");
            shape = std::move(repair.repaired);
        }
        d.wgs84 = *shape;
        d.metric = std::move(*shape);
        try {
            to_wgs84.apply(d.wgs84);
            to_metric.apply(d.metric);
        } catch (const Error& err) {
            throw InputError({where.file, {}, where.feature, "geometry"}, err.what());
        }
        d.area_km2 = planar_area(d.metric) / 1e6;
        if (!d.official_id.empty()) official_ids[d.official_id].push_back(d.key);
        out.districts.push_back(std::move(d));
    }
    if (out.districts.empty()) throw InputError({cfg.source, {}, {}, {}}, "contains no districts");
    std::sort(out.districts.begin(), out.districts.end(),
              [](const District& a, const District& b) { return a.key < b.key; });
    for (std::size_t i = 0; i < out.districts.size(); ++i)
        out.districts[i].id = static_cast<int>(i + 1);
    for (const auto& [official, holders] : official_ids) {
        if (holders.size() < 2) continue;
        std::string names;
        for (const auto& h : holders) names += (names.empty() ? "" : ", ") + h;
        out.report.add(Severity::info, "duplicate-official-id",
                       cfg.source + ": field '" + cfg.official_id_field + "': official id " +
                           official + " is shared by " + names + "; districts are keyed by '" +
                           cfg.key_field + "' instead");
    }
}

bool is_text_table(const std::string& file) {
    std::string lower = file;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt");
}

// Text tables go through our German-aware CSV reader; anything else (GeoPackage, XLSX, ODS,
// PG:) through GDAL, with every value as text so both paths share the checks below.
CsvTable read_table(const IndicatorTableConfig& cfg) {
    if (is_text_table(cfg.file)) return read_csv_file(cfg.file, cfg.delimiter);
    auto source = gdal::open_vector(cfg.file);
    return gdal::read_layer_table(gdal::layer(*source, cfg.file, cfg.layer), cfg.file, 0);
}

// A grid table: each district gets the sum of the cells whose centre it covers, for one year.
// Every district gets a value (0 where it has no cell: the census lists populated cells only).
void load_grid_table(const IndicatorTableConfig& cfg, Dataset& out) {
    const CsvTable table = read_table(cfg);
    const auto id_col = table.column(cfg.grid_id_column);
    std::vector<std::size_t> value_cols;
    for (const auto& ind : cfg.indicators) value_cols.push_back(table.column(ind.column));
    const DecimalMark mark = detect_decimal_mark(table, value_cols);
    const DistrictLocator locator(out, cfg.grid_crs, "indicator_tables.grid_crs");
    std::vector<std::vector<double>> sums(cfg.indicators.size(),
                                          std::vector<double>(out.districts.size(), 0));
    std::size_t inside = 0, outside = 0, secret = 0;
    for (const auto& row : table.rows) {
        const std::string& id = row.cells[id_col];
        const auto corner = parse_inspire_id(id, cfg.cell_size_m);
        if (!corner) {
            throw InputError(table.where(row, cfg.grid_id_column),
                             "'" + id + "' is not an INSPIRE grid id of " +
                                 std::to_string(static_cast<long>(cfg.cell_size_m)) + " m cells");
        }
        const auto district =
            locator.district_of({corner->x + cfg.cell_size_m / 2, corner->y + cfg.cell_size_m / 2});
        if (!district) {
            ++outside;
            continue;
        }
        ++inside;
        for (std::size_t i = 0; i < cfg.indicators.size(); ++i) {
            const GridCount count =
                parse_grid_count(table, row, value_cols[i], cfg.indicators[i].column, mark);
            secret += count.withheld;
            sums[i][*district] += count.value.value_or(0);
        }
    }
    for (std::size_t i = 0; i < cfg.indicators.size(); ++i) {
        IndicatorSeries series{cfg.indicators[i], {}, {}};
        auto& values = series.by_year[*cfg.year];
        for (const double sum : sums[i]) values.emplace_back(sum);
        out.indicators.push_back(std::move(series));
    }
    out.report.add(Severity::info, "grid",
                   cfg.file + ": " + std::to_string(inside) +
                       " cells summed into the districts by "
                       "their centre, " +
                       std::to_string(outside) + " outside every district not used" +
                       (secret ? ", " + std::to_string(secret) +
                                     " withheld values (\"-\", \"–\", \".\" or -1) counted as 0"
                               : std::string()));
}

void load_indicator_table(const IndicatorTableConfig& cfg, Dataset& out,
                          const std::unordered_map<std::string, std::size_t>& district_index) {
    if (!cfg.grid_id_column.empty()) return load_grid_table(cfg, out);
    const CsvTable table = read_table(cfg);
    const auto key_col = table.column(cfg.key_column);
    const auto year_col = table.column(cfg.year_column);
    std::vector<std::size_t> value_cols;
    for (const auto& ind : cfg.indicators) value_cols.push_back(table.column(ind.column));
    const DecimalMark mark = detect_decimal_mark(table, value_cols);

    const std::size_t first_series = out.indicators.size();
    for (const auto& ind : cfg.indicators) out.indicators.push_back({ind, {}, {}});

    std::map<std::pair<std::size_t, int>, long> seen;  // (district, year) -> row.line
    std::set<std::string> unmatched_reported;
    std::vector<bool> district_has_row(out.districts.size(), false);
    for (const auto& row : table.rows) {
        const std::string& key = row.cells[key_col];
        const auto year = parse_year(row.cells[year_col]);
        if (!year) {
            throw InputError(
                table.where(row, cfg.year_column),
                "'" + row.cells[year_col] + "' is not a year (2021, 2021-12-31 or 31.12.2021)");
        }
        if (*year < kFirstPlausibleYear || *year > kLastPlausibleYear) {
            throw InputError(table.where(row, cfg.year_column),
                             "year " + std::to_string(*year) + " lies outside " +
                                 std::to_string(kFirstPlausibleYear) + "–" +
                                 std::to_string(kLastPlausibleYear));
        }
        const auto found = district_index.find(key);
        if (found == district_index.end()) {
            out.report.add(Severity::warning, "unmatched",
                           cfg.file + ":" + std::to_string(row.line) + ": field '" +
                               cfg.key_column + "': '" + key +
                               "' matches no district; row not used");
            continue;
        }
        const std::size_t d = found->second;
        district_has_row[d] = true;
        if (auto [it, fresh] = seen.emplace(std::pair{d, *year}, row.line); !fresh) {
            throw InputError(table.where(row, cfg.key_column),
                             "district '" + key + "' has a second row for " +
                                 std::to_string(*year) + " (first on line " +
                                 std::to_string(it->second) + ")");
        }
        for (std::size_t i = 0; i < cfg.indicators.size(); ++i) {
            const std::string& cell = row.cells[value_cols[i]];
            bool ok = true;
            const auto value = parse_number(cell, mark, ok);
            if (!ok) {
                throw InputError(table.where(row, cfg.indicators[i].column),
                                 "'" + cell + "' is not a number");
            }
            if (value && *value < 0 && cfg.indicators[i].kind == IndicatorKind::count) {
                throw InputError(table.where(row, cfg.indicators[i].column),
                                 "a count cannot be negative (" + cell + ")");
            }
            auto& values = out.indicators[first_series + i].by_year[*year];
            values.resize(out.districts.size());
            values[d] = value;
        }
    }
    std::string missing;
    std::size_t missing_count = 0;
    for (std::size_t d = 0; d < out.districts.size(); ++d) {
        if (district_has_row[d]) continue;
        missing += (missing.empty() ? "" : ", ") + out.districts[d].key;
        ++missing_count;
    }
    if (missing_count > 0) {
        // Sparse official tables are normal (few districts publish a figure), so this informs.
        out.report.add(Severity::info, "no-data",
                       cfg.file + ": " + std::to_string(missing_count) + " of " +
                           std::to_string(out.districts.size()) +
                           " districts have no row: " + missing);
    }
}

// value(year) - value(base): since a fixed year, or over a period ending in each year.
// A derived value is suppressed when any value it is computed from is: otherwise the
// suppressed one could be computed back (share × denominator, value − change, density × area).
void mark_dependent(IndicatorSeries& series, int year, std::size_t district) {
    auto& flags = series.secrecy[year];
    flags.resize(series.by_year[year].size(), Secrecy::published);
    flags[district] = Secrecy::dependent;
    series.by_year[year][district].reset();
}

// `start` gives the base year's values: `of` itself, or another indicator (a census).
IndicatorSeries change_series(const IndicatorConfig& cfg, const IndicatorSeries& of,
                              const IndicatorSeries& start) {
    IndicatorSeries series{cfg, {}, {}};
    // A change is only as official as both of its ends.
    series.meta.official = of.meta.official && start.meta.official;
    for (const auto& [year, values] : of.by_year) {
        const int base = cfg.base_year ? *cfg.base_year : year - *cfg.period;
        if (year <= base) continue;
        const auto before = start.by_year.find(base);
        if (before == start.by_year.end()) continue;
        auto& change = series.by_year[year];
        change.resize(values.size());
        for (std::size_t d = 0; d < values.size(); ++d) {
            if (values[d] && before->second[d]) change[d] = *values[d] - *before->second[d];
            if (of.suppressed(year, d) || start.suppressed(base, d))
                mark_dependent(series, year, d);
        }
    }
    return series;
}

IndicatorSeries density_series(const IndicatorConfig& cfg, const IndicatorSeries& of,
                               const std::vector<District>& districts) {
    IndicatorSeries series{cfg, {}, {}};
    series.meta.official = of.meta.official;
    for (const auto& [year, values] : of.by_year) {
        auto& density = series.by_year[year];
        density.resize(values.size());
        for (std::size_t d = 0; d < values.size(); ++d) {
            if (values[d] && districts[d].area_km2 > 0)
                density[d] = *values[d] / districts[d].area_km2 * cfg.scale;
            if (of.suppressed(year, d)) mark_dependent(series, year, d);
        }
    }
    return series;
}

}  // namespace

IndicatorSeries change_since(const IndicatorSeries& of, int base_year) {
    IndicatorConfig cfg = of.meta;
    cfg.id = of.meta.id + "_seit_" + std::to_string(base_year);
    cfg.change_of = of.meta.id;
    cfg.base_year = base_year;
    cfg.period.reset();
    cfg.base_of.clear();
    if (cfg.unit == "%") cfg.unit = "Prozentpunkte";
    return change_series(cfg, of, of);
}

namespace {

void derive_indicator(const IndicatorConfig& cfg, Dataset& out) {
    if (!cfg.change_of.empty()) {
        const IndicatorSeries& of = *out.indicator(cfg.change_of);
        const IndicatorSeries& start = cfg.base_of.empty() ? of : *out.indicator(cfg.base_of);
        out.indicators.push_back(change_series(cfg, of, start));
        return;
    }
    if (cfg.kind == IndicatorKind::density) {
        out.indicators.push_back(density_series(cfg, *out.indicator(cfg.numerator), out.districts));
        return;
    }
    const IndicatorSeries* num = out.indicator(cfg.numerator);
    const IndicatorSeries* den = out.indicator(cfg.denominator);
    IndicatorSeries series{cfg, {}, {}};
    // A share is only as official as its least official part.
    series.meta.official = num->meta.official && den->meta.official;
    for (const auto& [year, numerators] : num->by_year) {
        const auto denominators = den->by_year.find(year);
        if (denominators == den->by_year.end()) continue;
        auto& values = series.by_year[year];
        values.resize(out.districts.size());
        for (std::size_t d = 0; d < values.size(); ++d) {
            const auto& n = numerators[d];
            const auto& q = denominators->second[d];
            if (n && q && *q != 0) values[d] = *n / *q * cfg.scale;
            if (num->suppressed(year, d) || den->suppressed(year, d))
                mark_dependent(series, year, d);
        }
    }
    out.indicators.push_back(std::move(series));
}

void load_services(const DatasetConfig& config, const ServiceLayerConfig& cfg, Dataset& out,
                   const std::vector<geos::PreparedPtr>& prepared, const std::vector<Box>& boxes) {
    auto source = gdal::open_vector(cfg.source, cfg.encoding);
    OGRLayer& layer = gdal::layer(*source, cfg.source, cfg.layer);
    const int name_field = gdal::field_index(layer, cfg.source, cfg.name_field);
    const int category_field = gdal::field_index(layer, cfg.source, cfg.category_field);
    const int capacity_field =
        cfg.capacity_field.empty() ? -1 : gdal::field_index(layer, cfg.source, cfg.capacity_field);
    const std::string crs = gdal::layer_crs(layer, cfg.source, cfg.crs);
    const auto to_wgs84 = gdal::make_transformer(crs, kWgs84, cfg.source, "crs");
    const auto to_metric =
        gdal::make_transformer(crs, config.working_crs, config.path, "dataset.working_crs");

    std::map<std::string, int> unknown_categories;
    long index = 0;
    std::size_t outside = 0;
    for (auto& feature : layer) {
        const long fid = index++;
        const OGRGeometry* geometry = feature->GetGeometryRef();
        if (!geometry || wkbFlatten(geometry->getGeometryType()) != wkbPoint) {
            throw InputError({cfg.source, {}, fid, "geometry"}, "a service must be a point");
        }
        Service s;
        s.layer = cfg.id;
        s.feature = fid;
        s.name = gdal::feature_text(*feature, name_field, {cfg.source, {}, fid, cfg.name_field});
        s.category =
            gdal::feature_text(*feature, category_field, {cfg.source, {}, fid, cfg.category_field});
        if (capacity_field >= 0 && feature->IsFieldSetAndNotNull(capacity_field)) {
            s.capacity = feature->GetFieldAsDouble(capacity_field);
            if (!(s.capacity > 0) || !std::isfinite(s.capacity)) {
                throw InputError({cfg.source, {}, fid, cfg.capacity_field},
                                 "capacity must be a positive number");
            }
        }
        const auto* point = geometry->toPoint();
        try {
            s.wgs84 = to_wgs84.apply(Point{point->getX(), point->getY()});
            s.metric = to_metric.apply(Point{point->getX(), point->getY()});
        } catch (const Error& err) {
            throw InputError({cfg.source, {}, fid, "geometry"}, err.what());
        }
        if (auto mapped = cfg.category_fields.find(s.category);
            mapped != cfg.category_fields.end()) {
            s.fields = mapped->second;
        } else {
            unknown_categories[s.category]++;
        }
        s.district = district_at(s.metric, prepared, boxes);
        if (!s.district) {
            ++outside;
            out.report.add(
                Severity::info, "outside",
                cfg.source + ": feature " + std::to_string(fid) + ": service '" + s.name +
                    "' lies outside every district; kept on the map, left out of counts");
        }
        out.services.push_back(std::move(s));
    }
    for (const auto& [category, count] : unknown_categories) {
        out.report.add(Severity::warning, "unknown-category",
                       cfg.source + ": field '" + cfg.category_field + "': category '" + category +
                           "' (" + std::to_string(count) +
                           " services) maps to no Handlungsfeld in the config");
    }
}

Inventory read_inventory_file(const std::string& file, const InventoryRules& rules) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError({file, {}, {}, {}}, "cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    Inventory inventory = inventory_from_json(text.str(), file);
    validate_inventory(inventory, rules, file);
    return inventory;
}

// The inventory's offers at a point join the service locations of their Handlungsfelder (the
// per-field [inventory.coverage] setting decides whether a field uses offers, services or both).
void load_inventory(const DatasetConfig& config, Dataset& out,
                    const std::vector<geos::PreparedPtr>& prepared, const std::vector<Box>& boxes) {
    const InventoryConfig& cfg = *config.inventory;
    std::vector<std::string> keys, names;
    for (const auto& d : out.districts) keys.push_back(d.key), names.push_back(d.name);
    const InventoryRules rules = inventory_rules(config, keys, names);
    if (std::filesystem::exists(cfg.file)) {
        out.inventory = read_inventory_file(cfg.file, rules);
    } else {
        out.report.add(Severity::info, "inventory",
                       cfg.file + ": no inventory yet; it is created by the first edit or import");
    }
    if (!cfg.examples_file.empty()) {
        const Inventory examples = read_inventory_file(cfg.examples_file, rules);
        // Fictional entries must never pass as real ones: the examples file holds nothing else.
        const auto fictional = [&](const std::string& status, const char* list, std::size_t i) {
            if (status != kStatusExample)
                throw InputError({cfg.examples_file,
                                  {},
                                  static_cast<std::int64_t>(i),
                                  std::string(list) + "[" + std::to_string(i) + "].data_status"},
                                 "an examples file may hold only data_status \"example\"");
        };
        for (std::size_t i = 0; i < examples.actors.size(); ++i)
            fictional(examples.actors[i].data_status, "actors", i);
        for (std::size_t i = 0; i < examples.offers.size(); ++i)
            fictional(examples.offers[i].data_status, "offers", i);
        for (std::size_t i = 0; i < examples.cooperations.size(); ++i)
            fictional(examples.cooperations[i].data_status, "cooperations", i);
        out.inventory = merge_inventories(std::move(out.inventory), examples, cfg.examples_file);
    }

    const auto use = [&](const std::string& field) {
        const auto found = cfg.coverage.find(field);
        return found == cfg.coverage.end() ? std::string("both") : found->second;
    };
    for (auto& s : out.services) {
        std::erase_if(s.fields, [&](const std::string& f) { return use(f) == "inventory"; });
    }
    std::unordered_map<std::string, std::size_t> by_key;
    for (std::size_t d = 0; d < out.districts.size(); ++d) by_key[out.districts[d].key] = d;
    const auto to_metric =
        gdal::make_transformer(kWgs84, config.working_crs, config.path, "dataset.working_crs");
    for (std::size_t i = 0; i < out.inventory.offers.size(); ++i) {
        const Offer& o = out.inventory.offers[i];
        std::optional<std::size_t> district;
        if (o.place == PlaceKind::district) district = by_key.at(o.district);
        if (o.place == PlaceKind::point) {
            Service s;
            s.layer = "inventory";
            s.feature = static_cast<long>(i);
            s.name = o.title;
            s.category = "inventar";
            s.wgs84 = *o.location;
            s.metric = to_metric.apply(s.wgs84);
            s.district = district = district_at(s.metric, prepared, boxes);
            for (const auto& f : o.fields)
                if (use(f) != "services") s.fields.push_back(f);
            s.data_status = o.data_status;
            s.offer_id = o.id;
            if (!s.district)
                out.report.add(Severity::info, "outside",
                               cfg.file + ": offer '" + o.id +
                                   "' lies outside every district; kept on the map, left out of "
                                   "counts");
            out.services.push_back(std::move(s));
        }
        out.offer_district.push_back(district);
    }
}

}  // namespace

std::size_t LoadReport::count(std::string_view topic) const {
    return static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(),
                                                  [&](const auto& e) { return e.topic == topic; }));
}

bool LoadReport::has_errors() const {
    return std::any_of(entries.begin(), entries.end(),
                       [](const auto& e) { return e.severity == Severity::error; });
}

const IndicatorSeries* Dataset::indicator(std::string_view id) const {
    for (const auto& s : indicators) {
        if (s.meta.id == id) return &s;
    }
    return nullptr;
}

const District* Dataset::district_by_id(int id) const {
    if (id < 1 || static_cast<std::size_t>(id) > districts.size()) return nullptr;
    return &districts[static_cast<std::size_t>(id - 1)];
}

bool IndicatorSeries::suppressed(int year, std::size_t district) const {
    const auto flags = secrecy.find(year);
    return flags != secrecy.end() && district < flags->second.size() &&
           flags->second[district] != Secrecy::published;
}

std::vector<int> Dataset::years() const {
    std::set<int> all;
    for (const auto& s : indicators) {
        for (const auto& [year, values] : s.by_year) all.insert(year);
    }
    return {all.begin(), all.end()};
}

std::optional<int> Dataset::latest_year() const {
    const auto all = years();
    if (all.empty()) return std::nullopt;
    return all.back();
}

namespace {

// Candidate sites: one per row, WGS84 lon/lat; errors name file, line and column.
void load_candidates(const DatasetConfig& config, const CandidateLayerConfig& cfg, Dataset& out) {
    const CsvTable table = read_csv_file(cfg.file);
    const auto name_col = table.column(cfg.name_column);
    const auto lon_col = table.column(cfg.lon_column);
    const auto lat_col = table.column(cfg.lat_column);
    const auto to_metric =
        gdal::make_transformer(kWgs84, config.working_crs, config.path, "dataset.working_crs");
    auto& sites = out.candidate_sites[cfg.id];
    for (const auto& row : table.rows) {
        const auto coordinate = [&](std::size_t col, const std::string& column, double limit) {
            bool ok = true;
            const auto v = parse_number(row.cells[col], DecimalMark::point, ok);
            if (!ok || !v || std::abs(*v) > limit)
                throw InputError(table.where(row, column),
                                 "'" + row.cells[col] + "' is not a WGS84 coordinate");
            return *v;
        };
        SiteCandidate site;
        site.name = row.cells[name_col];
        site.id = cfg.id + ":" + std::to_string(row.line);
        site.wgs84 = {coordinate(lon_col, cfg.lon_column, 180),
                      coordinate(lat_col, cfg.lat_column, 90)};
        site.metric = to_metric.apply(site.wgs84);
        sites.push_back(std::move(site));
    }
    out.report.add(Severity::info, "candidates",
                   cfg.file + ": " + std::to_string(sites.size()) + " candidate sites '" + cfg.id +
                       "' for location planning");
}

}  // namespace

Dataset load_dataset(const DatasetConfig& config) {
    Dataset out;
    out.config = config;
    load_districts(config, out);

    std::unordered_map<std::string, std::size_t> district_index;
    for (std::size_t i = 0; i < out.districts.size(); ++i) district_index[out.districts[i].key] = i;
    for (const auto& table : config.indicator_tables)
        load_indicator_table(table, out, district_index);
    // Before anything is derived or leaves the core: derived values inherit the suppression.
    out.secrecy =
        apply_secrecy(config.secrecy, config.derived_indicators, out.indicators, out.report);
    for (const auto& derived : config.derived_indicators) derive_indicator(derived, out);

    std::vector<geos::GeometryPtr> shapes;
    std::vector<geos::PreparedPtr> prepared;
    std::vector<Box> boxes;
    for (const auto& d : out.districts) {
        shapes.push_back(geos::to_geos(d.metric));
        prepared.push_back(geos::prepare(shapes.back().get()));
        boxes.push_back(bounds(d.metric));
    }
    for (const auto& layer : config.service_layers)
        load_services(config, layer, out, prepared, boxes);
    if (config.inventory) load_inventory(config, out, prepared, boxes);
    for (const auto& layer : config.planning_candidates) load_candidates(config, layer, out);
    return out;
}

}  // namespace atlas
