#pragma once
// The dataset description (atlas.toml): which files hold districts, indicators and services,
// and how to read them. Paths in the file are relative to the file's own folder.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace atlas {

// density: per km² of district area.
enum class IndicatorKind { count, share, rate, density };

struct IndicatorConfig {
    std::string id;
    std::string column;  // column in the table; empty for derived indicators
    std::string label_de;
    std::string label_en;
    std::string unit;
    IndicatorKind kind = IndicatorKind::count;
    bool official = false;  // false: modelled; every output says so
    std::string source;
    // Derived share/rate: numerator / denominator * scale, per district and year; density:
    // numerator / area in km² * scale.
    std::string numerator;
    std::string denominator;
    double scale = 1;
    // Derived change: value(year) - value(base_year), or value(year) - value(year - period).
    // base_of: the base year's value comes from this indicator instead (a census year against a
    // modelled series); base_label_de/_en name that start in legends ("Zensus 2011").
    std::string change_of;
    std::optional<int> base_year;
    std::optional<int> period;
    std::string base_of;
    std::string base_label_de;
    std::string base_label_en;
};

struct IndicatorTableConfig {
    std::string id;     // name for updates (PUT /api/datasets/{id}); default: the file's stem
    std::string file;   // CSV, or any GDAL table source (GeoPackage, XLSX, ODS, PG:...)
    std::string layer;  // for GDAL sources; empty: the first layer
    std::string key_column;
    std::string year_column;
    // A grid table (the Zensus layout): one row per cell keyed by its INSPIRE id in
    // grid_id_column, all of one `year`; each district gets the sum of the cells whose centre
    // it covers. key_column and year_column are then unused.
    std::string grid_id_column;
    std::string grid_crs = "EPSG:3035";
    double cell_size_m = 100;
    std::optional<int> year;
    std::optional<char> delimiter;
    std::vector<IndicatorConfig> indicators;
};

struct DistrictSourceConfig {
    std::string source;  // file path or any GDAL connection string (PG:...)
    std::string layer;   // empty: the first layer
    std::string key_field;
    std::string name_field;
    std::string official_id_field;  // optional
    std::string crs;                // overrides the source's CRS when set
    std::string encoding;           // of a Shapefile's .dbf without .cpg ("ISO-8859-1")
};

struct ServiceLayerConfig {
    std::string id;
    std::string source;
    std::string layer;
    std::string name_field;
    std::string category_field;
    std::string capacity_field;  // optional
    std::string source_label;    // e.g. "OpenStreetMap"
    std::string crs;
    std::string encoding;  // of a Shapefile's .dbf without .cpg
    std::map<std::string, std::vector<std::string>> category_fields;  // category -> field ids
};

struct HandlungsfeldConfig {
    std::string id;
    std::string label_de;
    std::string label_en;
};

// A drop-in population grid (e.g. Zensus 2022, 100 m) that replaces the modelled surface.
struct GridCsvConfig {
    std::string file;
    std::string id_column;          // INSPIRE id "CRS3035RES100mN...E..."; or empty and:
    std::string x_column;           // cell centre easting in the grid CRS
    std::string y_column;           // cell centre northing
    std::string population_column;  // residents
    std::string target_column;  // target group; empty: the district's target spread by residents
    bool official = true;
    // Scale each district's cells to the district's own totals of the analysed year (the census
    // gives the distribution within the district, the year's table the size).
    bool scale_to_districts = false;
    std::optional<char> delimiter;
};

// Residential land use that weights the dasymetric disaggregation.
struct LandUseConfig {
    std::string source;
    std::string layer;
    std::string crs;
};

struct CoverageConfig {
    std::string population = "";    // indicator id of all residents
    std::string target = "";        // indicator id of the target group
    std::optional<int> year;        // default: newest year with both
    double min_population = 300;    // smaller districts get no class (Berlin, Hamburg monitoring)
    std::string need = "count";     // "count" or "share" of the target group
    std::string access = "e2sfca";  // "e2sfca" or "share_within"
    std::string grid_crs = "EPSG:3035";
    double cell_size_m = 100;
    double radius_m = 1000;                            // "within reach" radius
    double catchment_m = 2000;                         // E2SFCA catchment d0
    std::map<std::string, double> radius_by_group;     // field or category id -> metres
    std::map<std::string, double> catchment_by_group;  // field or category id -> metres
    std::optional<LandUseConfig> landuse;
    std::optional<GridCsvConfig> grid_csv;
};

// Parts that add up to a total in every district and year (age groups of all foreign
// nationals, say): secrecy must keep a suppressed part from being recovered by subtraction.
struct SecrecyTotal {
    std::string total;
    std::vector<std::string> parts;
};

// How further cells are chosen after the small counts (docs/secrecy.md): against an attacker
// who solves the whole integer program, or against one who subtracts along single relations.
enum class SecrecyMethod { audit, subtraction };

// Statistical secrecy ([secrecy]); always on, only the threshold and relations are configured.
struct SecrecyConfig {
    int min_count = 3;  // counts from 1 to min_count - 1 are suppressed; 0 is published
    // A withheld small count is protected when no attacker can prove it below
    // min_count + protection.
    int protection = 3;
    // The city publishes its totals of every count per year, so the attacker knows them.
    bool city_totals = true;
    SecrecyMethod method = SecrecyMethod::audit;
    // Zeros reveal no one and are published, so the attacker knows a withheld count is >= 1.
    // false: a zero is withheld too wherever a relation holds a withheld cell (the attacker then
    // only knows >= 0).
    bool publish_zeros = true;
    std::vector<SecrecyTotal> totals;
};

// The status × dynamics monitoring ([monitoring]); docs/monitoring.md.
struct MonitoringConfig {
    std::vector<std::string> indicators;  // need indicators: a higher value means more need
    std::string population;               // indicator of all residents (for min_population)
    int period = 2;                       // dynamics: change over this many years
    double min_population = 300;          // smaller districts are not classified
    // A district is classified from the indicators it has (missing or withheld ones left out)
    // when it has at least this many; 0: all but one of three or more, else all.
    std::size_t min_indicators = 0;
    std::size_t required_indicators() const {
        if (min_indicators > 0) return std::min(min_indicators, indicators.size());
        return indicators.size() >= 3 ? indicators.size() - 1 : indicators.size();
    }
};

// Who may replace data over HTTP: a bearer token, named for the version history.
struct UpdateToken {
    std::string name;
    std::string token;  // from `env` (an environment variable) or, discouraged, `token`
};

// A target group of integration offers ([[inventory.target_groups]]): Geflüchtete, Frauen, ...
struct TargetGroupConfig {
    std::string id;
    std::string label_de;
    std::string label_en;
};

// Column names of an office's inventory spreadsheet ([inventory.columns]); German defaults.
struct InventoryColumns {
    std::string offers_sheet = "Angebote";  // XLSX/ODS sheet; CSV files are one table
    std::string cooperations_sheet = "Kooperationen";
    std::string actor = "Träger";
    std::string actor_kind = "Trägerart";
    std::string website = "Website";
    std::string contact = "Kontakt";
    std::string title = "Angebot";
    std::string fields = "Handlungsfelder";
    std::string target_groups = "Zielgruppen";
    std::string languages = "Sprachen";
    std::string lon = "Länge";
    std::string lat = "Breite";
    std::string easting = "Rechtswert";  // in InventoryConfig::coordinates_crs
    std::string northing = "Hochwert";
    std::string district = "Stadtteil";
    std::string place = "Ort";  // "stadtweit", "mobil" or "nicht verortet"
    std::string address = "Adresse";
    std::string capacity = "Kapazität";
    std::string capacity_unit = "Einheit";
    std::string valid_from = "gültig ab";
    std::string valid_to = "gültig bis";
    std::string funding = "Förderung";  // "Bund bis 31.12.2026; Land"
    std::string staff = "Personal (VZÄ)";
    std::string source = "Quelle";
    std::string data_status = "Datenstatus";
    std::string partner_a = "Träger A";
    std::string partner_b = "Träger B";
    std::string cooperation_kind = "Art";
    std::string since = "seit";
};

// The structure and resource analysis ([inventory]); docs/inventory.md.
struct InventoryConfig {
    std::string file;           // the inventory document (JSON); updates are versions of it
    std::string examples_file;  // fictional example entries, read-only; empty: none
    std::vector<TargetGroupConfig> target_groups;
    std::string coordinates_crs = "EPSG:25832";  // of the Rechtswert/Hochwert columns
    InventoryColumns columns;
    // Handlungsfeld -> which locations its coverage analysis uses: "both" (default: inventory
    // offers and the service layers, the Regelstruktur), "inventory" or "services".
    std::map<std::string, std::string> coverage;
    std::string as_of;     // reference date of "resources at risk" (ISO); empty: today
    int risk_months = 12;  // funding ending within this many months puts an offer at risk
};

// Deployment settings read from [server]; the core only carries them to the HTTP edge.
struct ServerConfig {
    std::vector<UpdateToken> update_tokens;  // none: updates are switched off
    std::vector<UpdateToken> read_tokens;    // may read when public_read is off, never write
    bool public_read = true;                 // false: reads need a token too
    bool metrics_public = true;              // false: /metrics needs a token (default: public_read)
    std::string public_base_url;
    bool trust_forwarded_headers = false;
    std::string cors_origin = "*";
    std::size_t tile_cache_mb = 64;                    // bound of the in-memory tile cache
    std::map<std::string, std::string> cache_control;  // by layer id, and "default"
};

// Sites a planner may choose new offers from ([[planning.candidates]]): a CSV of points in
// WGS84 (the city's stops, municipal buildings, …).
struct CandidateLayerConfig {
    std::string id;
    std::string label_de;
    std::string file;
    std::string name_column = "name";
    std::string lon_column = "lon";
    std::string lat_column = "lat";
};

struct DatasetConfig {
    std::string path;  // the atlas.toml itself
    std::string id;
    std::string title_de;
    std::string title_en;
    // What the city calls its units (Stadtteil, Ortsteil, Planungsraum, …) and its report: the
    // German outputs speak the city's words.
    std::string district_word = "Stadtteil";
    std::string districts_word = "Stadtteile";
    std::string report_title = "Lagebericht Integration";
    std::string working_crs = "EPSG:25832";
    std::vector<std::string> attribution;
    std::vector<std::string> attribution_en;  // for English maps; default: `attribution`
    std::string licence_note;
    std::string styles_dir;     // folder of thematic map definitions (styles/*.toml); optional
    std::string default_style;  // the map the web page opens with; empty: the first style
    std::string store;          // GeoPackage (or PG:...) with the version history of updates
    std::string store_files;    // folder for the current files of updated data
    DistrictSourceConfig districts;
    std::vector<IndicatorTableConfig> indicator_tables;
    std::vector<IndicatorConfig> derived_indicators;
    std::vector<ServiceLayerConfig> service_layers;
    std::vector<HandlungsfeldConfig> fields;
    std::optional<CoverageConfig> coverage;
    SecrecyConfig secrecy;
    std::optional<MonitoringConfig> monitoring;
    std::optional<InventoryConfig> inventory;
    std::vector<CandidateLayerConfig> planning_candidates;
    ServerConfig server;
};

// Reads and checks an atlas.toml; throws InputError naming the file, line and key.
DatasetConfig load_config(const std::string& path);

}  // namespace atlas
