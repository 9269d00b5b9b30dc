#pragma once
// The population surface: a regular grid (default: the Zensus 2022 100 m grid in
// ETRS89-LAEA, EPSG:3035) with residents and the target group per cell.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atlas/geo/config.hpp"
#include "atlas/geo/csv.hpp"
#include "atlas/geo/dataset.hpp"
#include "atlas/geo/types.hpp"

namespace atlas {

struct GridCell {
    std::string id;   // INSPIRE id, e.g. CRS3035RES100mN2689100E4337000
    double east = 0;  // lower-left corner in the grid CRS
    double north = 0;
    Point centre_metric;    // working CRS, for distances
    double population = 0;  // sum over the cell's parts
    double target = 0;
    std::optional<std::size_t> district;  // index of the district the cell belongs to
};

// The piece of a cell inside one district. A cell on a district border has several.
struct CellPart {
    std::size_t cell = 0;
    std::size_t district = 0;
    double weight = 0;  // overlap area (m², grid CRS) with the district or its residential part
    double population = 0;
    double target = 0;
};

struct PopulationGrid {
    int year = 0;
    std::string method;  // "dasymetric-area", "dasymetric-landuse" or "grid-file"
    std::string population_indicator;
    std::string target_indicator;
    bool official = false;  // true only when every input is official
    std::string crs;
    double cell_size = 100;
    std::vector<GridCell> cells;
    std::vector<CellPart> parts;
    std::vector<std::string> notes;  // what a reader of the result must know (fallbacks, gaps)
};

// "CRS3035RES100mN2689100E4337000" for the cell whose lower-left corner is (east, north).
std::string inspire_cell_id(double east, double north, double cell_size);
// The lower-left corner of such an id, or of the Zensus 2011 short form "100mN26891E43370"
// (corner in units of the cell size); nullopt when it is none or of another cell size.
std::optional<Point> parse_inspire_id(std::string_view id, double cell_size);

// One count of a census grid file. The offices mark what they withhold as "-", "–" (Zensus
// 2022), "." or the code -1 (Zensus 2011): those are `withheld`, an empty cell has no value.
// Text or any other negative number throws, naming the file, line and field.
struct GridCount {
    std::optional<double> value;
    bool withheld = false;
};
GridCount parse_grid_count(const CsvTable& table, const CsvRow& row, std::size_t column,
                           const std::string& field, DecimalMark mark);

// Which district covers a point given in a grid CRS (cell centres: how statistical offices
// assign grid cells to areas). `where` names the config key of the CRS for errors.
class DistrictLocator {
  public:
    DistrictLocator(const Dataset& dataset, const std::string& grid_crs, const std::string& where);
    ~DistrictLocator();
    DistrictLocator(const DistrictLocator&) = delete;
    DistrictLocator& operator=(const DistrictLocator&) = delete;

    std::optional<std::size_t> district_of(const Point& in_grid_crs) const;

  private:
    struct Shapes;
    std::unique_ptr<Shapes> shapes_;
};

// The year coverage is computed for: the config's, else the newest with both indicators.
int coverage_year(const Dataset& dataset, const CoverageConfig& config);

// Disaggregates each district's residents and target group onto the grid cells it overlaps,
// proportional to overlap area (or to overlap with residential land use when configured), so
// that every district's cells sum to its totals. With `grid_csv` configured, the file's cells
// are used instead. Throws InputError for unusable inputs.
PopulationGrid build_population_grid(const Dataset& dataset, const CoverageConfig& config,
                                     int year);

// The cell's square as a WGS84 lon/lat polygon (for output).
Polygon cell_polygon_wgs84(const GridCell& cell, const PopulationGrid& grid);

}  // namespace atlas
