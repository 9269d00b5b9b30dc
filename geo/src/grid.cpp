#include "atlas/geo/grid.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "atlas/geo/crs.hpp"
#include "atlas/geo/csv.hpp"
#include "atlas/geo/error.hpp"
#include "gdal_util.hpp"
#include "geos_util.hpp"

namespace atlas {

namespace {

constexpr const char* kWgs84 = "OGC:CRS84";

std::string whole(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", v);
    return buffer;
}

const std::vector<std::optional<double>>* values_of(const Dataset& ds, const std::string& id,
                                                    int year) {
    const IndicatorSeries* series = ds.indicator(id);
    if (!series) return nullptr;
    const auto found = series->by_year.find(year);
    return found == series->by_year.end() ? nullptr : &found->second;
}

std::int64_t cell_key(std::int64_t col, std::int64_t row) {
    return (row << 32) ^ (col & 0xffffffff);
}

// Residential land use in the grid CRS as one GEOS geometry (union of all polygons).
geos::GeometryPtr load_landuse(const LandUseConfig& cfg, const std::string& grid_crs) {
    auto source = gdal::open_vector(cfg.source);
    OGRLayer& layer = gdal::layer(*source, cfg.source, cfg.layer);
    const auto to_grid = gdal::make_transformer(gdal::layer_crs(layer, cfg.source, cfg.crs),
                                                grid_crs, cfg.source, "crs");
    MultiPolygon all;
    long index = 0;
    for (auto& feature : layer) {
        auto shape = gdal::multipolygon_from_ogr(feature->GetGeometryRef());
        if (!shape) {
            throw InputError({cfg.source, {}, index, "geometry"}, "land use must be polygons");
        }
        ++index;
        to_grid.apply(*shape);
        for (auto& p : *shape) all.push_back(std::move(p));
    }
    geos::GeometryPtr collection = geos::to_geos(all);
    geos::GeometryPtr merged(GEOSUnaryUnion_r(geos::context(), collection.get()));
    if (!merged)
        throw InputError({cfg.source, {}, {}, "geometry"},
                         "cannot union land use: " + geos::last_error());
    return merged;
}

double area_of(const GEOSGeometry* g) {
    double area = 0;
    GEOSArea_r(geos::context(), g, &area);
    return area;
}

struct CellIndex {
    std::unordered_map<std::int64_t, std::size_t> by_key;
    PopulationGrid& grid;
    const Transformer& to_metric;

    std::size_t get(std::int64_t col, std::int64_t row) {
        const auto [it, fresh] = by_key.emplace(cell_key(col, row), grid.cells.size());
        if (fresh) {
            GridCell cell;
            cell.east = static_cast<double>(col) * grid.cell_size;
            cell.north = static_cast<double>(row) * grid.cell_size;
            cell.id = inspire_cell_id(cell.east, cell.north, grid.cell_size);
            cell.centre_metric = to_metric.apply(
                Point{cell.east + grid.cell_size / 2, cell.north + grid.cell_size / 2});
            grid.cells.push_back(std::move(cell));
        }
        return it->second;
    }
};

// A cell on a border belongs to the district with the largest share of it, as statistical
// offices assign grid cells; a district that wins no cell keeps its largest one. Then a cell's
// values sum to one district's total, and every district's cells to exactly that total.
void give_each_cell_one_district(PopulationGrid& grid) {
    std::vector<const CellPart*> owner(grid.cells.size(), nullptr);
    std::map<std::size_t, const CellPart*> largest;  // per district
    for (const auto& part : grid.parts) {
        auto& o = owner[part.cell];
        if (!o || part.weight > o->weight) o = &part;
        auto& l = largest[part.district];
        if (!l || part.weight > l->weight) l = &part;
    }
    std::set<std::size_t> owning;
    for (const CellPart* o : owner)
        if (o) owning.insert(o->district);
    for (const auto& [district, part] : largest)
        if (!owning.contains(district)) owner[part->cell] = part;
    std::vector<CellPart> parts;
    for (const CellPart* o : owner)
        if (o) parts.push_back(*o);
    grid.parts = std::move(parts);
}

// Spreads each district's totals over its cells by per-part weights (population and target
// group each their own, indexed like grid.parts), in hundredths (the published precision) by the
// largest-remainder method: the rounded cells add up to the district's total exactly, so no
// reader summing cells gets a different number than the district table. A district whose
// weights are all 0 is spread by area.
void spread_exactly(PopulationGrid& grid, const std::vector<std::optional<double>>& population,
                    const std::vector<std::optional<double>>& target,
                    const std::vector<double>& population_weight,
                    const std::vector<double>& target_weight) {
    std::map<std::size_t, std::vector<std::size_t>> by_district;
    for (std::size_t k = 0; k < grid.parts.size(); ++k)
        by_district[grid.parts[k].district].push_back(k);
    const auto spread = [&grid](const std::vector<std::size_t>& parts, double total,
                                double CellPart::*field, const std::vector<double>& weights) {
        double weight = 0;
        for (const std::size_t k : parts) weight += weights[k];
        const bool by_area = !(weight > 0);
        const auto weight_of = [&](std::size_t k) {
            return by_area ? grid.parts[k].weight : weights[k];
        };
        if (by_area)
            for (const std::size_t k : parts) weight += grid.parts[k].weight;
        const auto units = static_cast<long long>(std::llround(total * 100));
        long long given = 0;
        std::vector<std::pair<double, std::size_t>> remainders;
        std::vector<CellPart*> out;
        for (const std::size_t k : parts) out.push_back(&grid.parts[k]);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const double exact = static_cast<double>(units) * weight_of(parts[i]) / weight;
            const double floor = std::floor(exact);
            out[i]->*field = floor;
            given += static_cast<long long>(floor);
            remainders.emplace_back(exact - floor, i);
        }
        std::stable_sort(remainders.begin(), remainders.end(),
                         [](const auto& a, const auto& b) { return a.first > b.first; });
        for (long long k = 0; k < units - given; ++k)
            out[remainders[static_cast<std::size_t>(k) % remainders.size()].second]->*field += 1;
        for (CellPart* p : out) p->*field /= 100;
    };
    for (auto& [d, parts] : by_district) {
        spread(parts, *population[d], &CellPart::population, population_weight);
        spread(parts, *target[d], &CellPart::target, target_weight);
    }
}

void disaggregate(const Dataset& ds, const CoverageConfig& cfg, PopulationGrid& grid,
                  const std::vector<std::optional<double>>& population,
                  const std::vector<std::optional<double>>& target) {
    const auto to_grid =
        gdal::make_transformer(kWgs84, cfg.grid_crs, ds.config.path, "coverage.grid_crs");
    const auto to_metric = gdal::make_transformer(cfg.grid_crs, ds.config.working_crs,
                                                  ds.config.path, "coverage.grid_crs");
    geos::GeometryPtr landuse;
    if (cfg.landuse) landuse = load_landuse(*cfg.landuse, cfg.grid_crs);
    grid.method = landuse ? "dasymetric-landuse" : "dasymetric-area";

    CellIndex index{{}, grid, to_metric};
    const double size = grid.cell_size;
    for (std::size_t d = 0; d < ds.districts.size(); ++d) {
        const District& district = ds.districts[d];
        if (!population[d] || !target[d]) {
            grid.notes.push_back(
                "district '" + district.key + "' has no " +
                (!population[d] ? grid.population_indicator : grid.target_indicator) +
                " value for " + std::to_string(grid.year) + "; its cells stay empty");
            continue;
        }
        MultiPolygon shape = district.wgs84;
        to_grid.apply(shape);
        geos::GeometryPtr area = geos::to_geos(shape);
        if (landuse) {
            geos::GeometryPtr residential(
                GEOSIntersection_r(geos::context(), area.get(), landuse.get()));
            if (residential && area_of(residential.get()) > 0) {
                area = std::move(residential);
            } else {
                grid.notes.push_back("district '" + district.key +
                                     "' has no residential land use; spread over its whole area");
            }
        }
        const geos::PreparedPtr prepared = geos::prepare(area.get());
        double minx = 0, miny = 0, maxx = 0, maxy = 0;
        GEOSGeom_getXMin_r(geos::context(), area.get(), &minx);
        GEOSGeom_getYMin_r(geos::context(), area.get(), &miny);
        GEOSGeom_getXMax_r(geos::context(), area.get(), &maxx);
        GEOSGeom_getYMax_r(geos::context(), area.get(), &maxy);

        for (auto row = static_cast<std::int64_t>(std::floor(miny / size)); row * size < maxy;
             ++row) {
            for (auto col = static_cast<std::int64_t>(std::floor(minx / size)); col * size < maxx;
                 ++col) {
                const double x0 = static_cast<double>(col) * size,
                             y0 = static_cast<double>(row) * size;
                geos::GeometryPtr rect(
                    GEOSGeom_createRectangle_r(geos::context(), x0, y0, x0 + size, y0 + size));
                double weight = 0;
                if (GEOSPreparedContainsProperly_r(geos::context(), prepared.get(), rect.get()) ==
                    1) {
                    weight = size * size;
                } else if (GEOSPreparedIntersects_r(geos::context(), prepared.get(), rect.get()) ==
                           1) {
                    geos::GeometryPtr clip(GEOSClipByRect_r(geos::context(), area.get(), x0, y0,
                                                            x0 + size, y0 + size));
                    if (clip) weight = area_of(clip.get());
                }
                if (weight <= 0) continue;
                grid.parts.push_back({index.get(col, row), d, weight, 0, 0});
            }
        }
    }
    give_each_cell_one_district(grid);
    std::vector<double> area;
    for (const auto& part : grid.parts) area.push_back(part.weight);
    spread_exactly(grid, population, target, area, area);
}

// The grid file's cells give the distribution within each district, the analysed year's
// district table the totals: each district's cells are scaled to them (mass-preserving, exact in
// hundredths). A district without a value (withheld, missing) or without a cell gets none.
// Cells of a district whose total is withheld or missing would publish 0 for people who are
// there: they leave the grid, and a note says so. Returns which districts kept a cell.
std::vector<bool> drop_districts_without(const Dataset& ds, PopulationGrid& grid,
                                         const std::vector<std::optional<double>>& population,
                                         const std::vector<std::optional<double>>& target) {
    std::vector<bool> has_cell(ds.districts.size(), false);
    std::vector<CellPart> kept;
    std::vector<GridCell> cells;
    for (const auto& part : grid.parts) {
        if (!population[part.district] || !target[part.district]) continue;
        has_cell[part.district] = true;
        kept.push_back(part);
        kept.back().cell = cells.size();
        cells.push_back(std::move(grid.cells[part.cell]));
    }
    grid.parts = std::move(kept);
    grid.cells = std::move(cells);
    for (std::size_t d = 0; d < ds.districts.size(); ++d) {
        if (population[d] && target[d]) continue;
        grid.notes.push_back("district '" + ds.districts[d].key + "' has no " +
                             (!population[d] ? grid.population_indicator : grid.target_indicator) +
                             " value for " + std::to_string(grid.year) + "; its cells stay empty");
    }
    return has_cell;
}

void scale_to_districts(const Dataset& ds, PopulationGrid& grid,
                        const std::vector<std::optional<double>>& population,
                        const std::vector<std::optional<double>>& target) {
    const std::vector<bool> has_cell = drop_districts_without(ds, grid, population, target);
    std::vector<double> population_weight, target_weight;
    for (const auto& part : grid.parts) {
        population_weight.push_back(part.population);
        // Without a target column, the target group follows the residents.
        target_weight.push_back(part.target > 0 ? part.target : 0);
    }
    // A district whose cells hold none of the target group (the census year's) spreads its
    // target group like its residents.
    std::map<std::size_t, double> target_in;
    for (std::size_t k = 0; k < grid.parts.size(); ++k)
        target_in[grid.parts[k].district] += target_weight[k];
    for (std::size_t k = 0; k < grid.parts.size(); ++k)
        if (!(target_in[grid.parts[k].district] > 0)) target_weight[k] = population_weight[k];
    spread_exactly(grid, population, target, population_weight, target_weight);
    for (std::size_t d = 0; d < ds.districts.size(); ++d) {
        if (has_cell[d] || !population[d] || !target[d] || *population[d] <= 0) continue;
        grid.notes.push_back("district '" + ds.districts[d].key +
                             "' has no cell in the grid file; its residents are not on the grid");
    }
}

void read_grid_file(const Dataset& ds, const CoverageConfig& cfg, PopulationGrid& grid,
                    const std::vector<std::optional<double>>& population,
                    const std::vector<std::optional<double>>& target) {
    const GridCsvConfig& file = *cfg.grid_csv;
    const CsvTable table = read_csv_file(file.file, file.delimiter);
    const auto pop_col = table.column(file.population_column);
    std::optional<std::size_t> target_col, id_col, x_col, y_col;
    if (!file.target_column.empty()) target_col = table.column(file.target_column);
    if (!file.id_column.empty()) {
        id_col = table.column(file.id_column);
    } else {
        x_col = table.column(file.x_column);
        y_col = table.column(file.y_column);
    }
    std::vector<std::size_t> numeric{pop_col};
    if (target_col) numeric.push_back(*target_col);
    if (x_col) numeric.insert(numeric.end(), {*x_col, *y_col});
    const DecimalMark mark = detect_decimal_mark(table, numeric);

    const auto to_metric = gdal::make_transformer(cfg.grid_crs, ds.config.working_crs,
                                                  ds.config.path, "coverage.grid_crs");
    const DistrictLocator locator(ds, cfg.grid_crs, "coverage.grid_crs");
    grid.method = "grid-file";
    std::size_t outside = 0, suppressed = 0;
    std::vector<double> grid_population(ds.districts.size(), 0);
    const auto coordinate = [&](const CsvRow& row, std::size_t col,
                                const std::string& field) -> std::optional<double> {
        bool ok = true;
        const auto value = parse_number(row.cells[col], mark, ok);
        if (!ok)
            throw InputError(table.where(row, field), "'" + row.cells[col] + "' is not a number");
        return value;
    };
    for (const auto& row : table.rows) {
        Point corner;
        if (id_col) {
            const auto parsed = parse_inspire_id(row.cells[*id_col], cfg.cell_size_m);
            if (!parsed) {
                throw InputError(table.where(row, file.id_column),
                                 "'" + row.cells[*id_col] + "' is not an INSPIRE grid id of " +
                                     whole(cfg.cell_size_m) + " m cells");
            }
            corner = *parsed;
        } else {
            const auto x = coordinate(row, *x_col, file.x_column),
                       y = coordinate(row, *y_col, file.y_column);
            if (!x || !y)
                throw InputError(table.where(row, file.x_column), "cell centre is missing");
            corner = {*x - cfg.cell_size_m / 2, *y - cfg.cell_size_m / 2};
        }
        const auto pop = parse_grid_count(table, row, pop_col, file.population_column, mark).value;
        if (!pop) ++suppressed;
        GridCell cell;
        cell.east = corner.x;
        cell.north = corner.y;
        cell.id = inspire_cell_id(corner.x, corner.y, cfg.cell_size_m);
        const Point centre{corner.x + cfg.cell_size_m / 2, corner.y + cfg.cell_size_m / 2};
        cell.centre_metric = to_metric.apply(centre);
        const std::optional<std::size_t> district = locator.district_of(centre);
        if (!district) {
            ++outside;
            continue;
        }
        CellPart part{grid.cells.size(), *district, cfg.cell_size_m * cfg.cell_size_m,
                      pop.value_or(0), 0};
        if (target_col) {
            part.target = parse_grid_count(table, row, *target_col, file.target_column, mark)
                              .value.value_or(0);
        }
        grid_population[*district] += part.population;
        grid.parts.push_back(part);
        grid.cells.push_back(std::move(cell));
    }
    if (file.scale_to_districts) {
        scale_to_districts(ds, grid, population, target);
    } else if (!target_col) {
        // Without a target column, each district's target group follows its residents in the
        // grid; the file's residents need no district total.
        const std::vector<std::optional<double>> from_file(ds.districts.size(), 0.0);
        drop_districts_without(ds, grid, from_file, target);
        for (auto& part : grid.parts) {
            const double pop = grid_population[part.district];
            if (target[part.district] && pop > 0)
                part.target = *target[part.district] * part.population / pop;
        }
    }
    if (outside)
        grid.notes.push_back(std::to_string(outside) +
                             " grid cells lie outside every district; not used");
    if (suppressed)
        grid.notes.push_back(
            std::to_string(suppressed) +
            " grid cells have no population value (withheld or empty); counted as 0");
}

}  // namespace

std::string inspire_cell_id(double east, double north, double cell_size) {
    return "CRS3035RES" + whole(cell_size) + "mN" + whole(north) + "E" + whole(east);
}

std::optional<Point> parse_inspire_id(std::string_view id, double cell_size) {
    const auto parse = [](std::string_view text, double& out) {
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return ec == std::errc() && end == text.data() + text.size() && !text.empty();
    };
    const auto res = id.find("RES");
    const bool full = res != std::string_view::npos;  // CRS3035RES100mN…: metres
    const std::size_t size_at = full ? res + 3 : 0;
    const auto unit = id.find_first_of("mk", size_at);
    if (unit == std::string_view::npos) return std::nullopt;
    const bool km = id.substr(unit, 2) == "km";
    if (id[unit] == 'k' && !km) return std::nullopt;
    const std::size_t n_at = unit + (km ? 2 : 1);
    if (n_at >= id.size() || id[n_at] != 'N') return std::nullopt;
    const auto e = id.find('E', n_at);
    double size = 0, north = 0, east = 0;
    if (e == std::string_view::npos || !parse(id.substr(size_at, unit - size_at), size) ||
        !parse(id.substr(n_at + 1, e - n_at - 1), north) || !parse(id.substr(e + 1), east)) {
        return std::nullopt;
    }
    if (km) size *= 1000;
    if (size != cell_size) return std::nullopt;
    if (!full) {  // the Zensus 2011 short form counts in cells
        north *= size;
        east *= size;
    }
    return Point{east, north};
}

GridCount parse_grid_count(const CsvTable& table, const CsvRow& row, std::size_t column,
                           const std::string& field, DecimalMark mark) {
    const std::string& cell = row.cells[column];
    if (cell == "-" || cell == "\xE2\x80\x93" || cell == ".") return {std::nullopt, true};
    bool ok = true;
    const auto value = parse_number(cell, mark, ok);
    if (!ok) throw InputError(table.where(row, field), "'" + cell + "' is not a number");
    if (value && *value == -1) return {std::nullopt, true};
    if (value && *value < 0) {
        throw InputError(table.where(row, field),
                         "a count cannot be negative (" + cell +
                             "; only -1 is read, as the Zensus 2011 code for a withheld value)");
    }
    return {value, false};
}

struct DistrictLocator::Shapes {
    std::vector<geos::GeometryPtr> shapes;
    std::vector<geos::PreparedPtr> prepared;
};

DistrictLocator::DistrictLocator(const Dataset& dataset, const std::string& grid_crs,
                                 const std::string& where)
    : shapes_(std::make_unique<Shapes>()) {
    const auto to_grid = gdal::make_transformer(kWgs84, grid_crs, dataset.config.path, where);
    for (const auto& d : dataset.districts) {
        MultiPolygon shape = d.wgs84;
        to_grid.apply(shape);
        shapes_->shapes.push_back(geos::to_geos(shape));
        shapes_->prepared.push_back(geos::prepare(shapes_->shapes.back().get()));
    }
}

DistrictLocator::~DistrictLocator() = default;

std::optional<std::size_t> DistrictLocator::district_of(const Point& in_grid_crs) const {
    const geos::GeometryPtr point = geos::to_geos(in_grid_crs);
    for (std::size_t d = 0; d < shapes_->prepared.size(); ++d) {
        if (GEOSPreparedCovers_r(geos::context(), shapes_->prepared[d].get(), point.get()) == 1)
            return d;
    }
    return std::nullopt;
}

int coverage_year(const Dataset& dataset, const CoverageConfig& config) {
    if (config.year) return *config.year;
    const IndicatorSeries* population = dataset.indicator(config.population);
    const IndicatorSeries* target = dataset.indicator(config.target);
    for (auto it = population->by_year.rbegin(); it != population->by_year.rend(); ++it) {
        if (target->by_year.contains(it->first)) return it->first;
    }
    throw InputError(
        {dataset.config.path, {}, {}, "coverage.target"},
        "indicators '" + config.population + "' and '" + config.target + "' share no year");
}

PopulationGrid build_population_grid(const Dataset& dataset, const CoverageConfig& config,
                                     int year) {
    PopulationGrid grid;
    grid.year = year;
    grid.population_indicator = config.population;
    grid.target_indicator = config.target;
    grid.crs = config.grid_crs;
    grid.cell_size = config.cell_size_m;
    const auto* population = values_of(dataset, config.population, year);
    const auto* target = values_of(dataset, config.target, year);
    if (!population || !target) {
        throw InputError({dataset.config.path, {}, {}, "coverage.year"},
                         "no values of '" +
                             std::string(!population ? config.population : config.target) +
                             "' for " + std::to_string(year));
    }
    grid.official = dataset.indicator(config.population)->meta.official &&
                    dataset.indicator(config.target)->meta.official;
    if (config.grid_csv) {
        read_grid_file(dataset, config, grid, *population, *target);
        if (config.grid_csv->scale_to_districts) {
            // The sizes come from the year's tables: official only when they and the file are.
            grid.method = "grid-file-scaled";
            grid.official = config.grid_csv->official && grid.official;
        } else {
            grid.official = config.grid_csv->official &&
                            (!config.grid_csv->target_column.empty() || grid.official);
        }
    } else {
        disaggregate(dataset, config, grid, *population, *target);
    }
    for (const auto& part : grid.parts) {
        grid.cells[part.cell].population += part.population;
        grid.cells[part.cell].target += part.target;
        grid.cells[part.cell].district = part.district;
    }
    std::stable_sort(grid.parts.begin(), grid.parts.end(),
                     [](const CellPart& a, const CellPart& b) { return a.district < b.district; });
    return grid;
}

Polygon cell_polygon_wgs84(const GridCell& cell, const PopulationGrid& grid) {
    thread_local std::unique_ptr<Transformer> to_wgs84;
    thread_local std::string for_crs;
    if (!to_wgs84 || for_crs != grid.crs) {
        to_wgs84 = std::make_unique<Transformer>(grid.crs, kWgs84);
        for_crs = grid.crs;
    }
    const double s = grid.cell_size;
    Ring ring{{cell.east, cell.north},
              {cell.east + s, cell.north},
              {cell.east + s, cell.north + s},
              {cell.east, cell.north + s},
              {cell.east, cell.north}};
    to_wgs84->apply(ring);
    return Polygon{ring, {}};
}

}  // namespace atlas
