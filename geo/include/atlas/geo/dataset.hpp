#pragma once
// A loaded dataset: districts, indicator time series joined to them, and service locations,
// plus the report of everything noticed while loading (repairs, unmatched keys, ...).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "atlas/geo/config.hpp"
#include "atlas/geo/inventory.hpp"
#include "atlas/geo/location_planning.hpp"
#include "atlas/geo/types.hpp"

namespace atlas {

struct District {
    int id = 0;  // stable: 1..N in byte order of the key
    std::string key;
    std::string name;
    std::string official_id;  // as the source writes it; may repeat or be empty
    MultiPolygon wgs84;       // lon/lat, for output
    MultiPolygon metric;      // working CRS, for measurement
    double area_km2 = 0;
};

struct Service {
    std::string layer;  // service layer id
    std::string name;
    std::string category;
    std::vector<std::string> fields;  // Handlungsfeld ids
    double capacity = 1;
    Point wgs84;
    Point metric;
    std::optional<std::size_t> district;  // index into Dataset::districts; none: outside all
    long feature = 0;
    // kStatusExample for the inventory's fictional offers, which every output must label;
    // kStatusSource for the service layers (the Regelstruktur) and sourced offers.
    std::string data_status = std::string(kStatusSource);
    std::string offer_id;  // the inventory offer this location is, or empty
};

// Why a value is not published (statistical secrecy, see secrecy.hpp).
enum class Secrecy : std::uint8_t {
    published,
    primary,    // a count below the threshold
    secondary,  // suppressed so that a primary one cannot be recovered by subtraction
    dependent,  // derived from a suppressed value (share, density, change)
};

// One indicator: a value per district (index as in Dataset::districts) and year. A suppressed
// value is nullopt in by_year and says why in `secrecy`; no output ever sees the number.
struct IndicatorSeries {
    IndicatorConfig meta;
    std::map<int, std::vector<std::optional<double>>> by_year;
    std::map<int, std::vector<Secrecy>> secrecy;  // years without an entry: all published

    bool suppressed(int year, std::size_t district) const;
};

// What an attacker who knows every published value and relation can prove about one withheld
// count: it lies in [lower, upper] (upper infinite when nothing bounds it). See secrecy.hpp.
struct ProvenInterval {
    std::size_t indicator = 0;  // index into Dataset::indicators
    int year = 0;
    std::size_t district = 0;
    Secrecy why = Secrecy::primary;
    double lower = 0;
    double upper = 0;
    bool protects = true;  // reaches the protection level (primary) or is not pinned (secondary)
};

// The outcome of statistical secrecy on the count tables.
struct SecrecyAudit {
    std::size_t primary = 0;
    std::size_t secondary = 0;
    std::vector<ProvenInterval> withheld;  // every primary and secondary cell, exactly measured
    std::size_t lp_solves = 0;             // linear programs (CLP)
    std::size_t integer_solves = 0;        // integer programs where the LP optimum was fractional
    std::size_t unprotected = 0;           // primary cells no further suppression could protect
};

struct ReportEntry {
    enum class Severity { info, warning, error };
    Severity severity = Severity::info;
    std::string topic;    // "repaired", "unmatched", "outside", ...
    std::string message;  // names file, line/feature and field
};

struct LoadReport {
    std::vector<ReportEntry> entries;
    void add(ReportEntry::Severity s, std::string topic, std::string message) {
        entries.push_back({s, std::move(topic), std::move(message)});
    }
    std::size_t count(std::string_view topic) const;
    bool has_errors() const;
};

struct Dataset {
    DatasetConfig config;
    std::vector<District> districts;
    std::vector<IndicatorSeries> indicators;
    std::vector<Service> services;  // service layers (Regelstruktur), then placed offers
    // The structure analysis ([inventory]): the document plus its example entries, and where
    // each offer lies (point or district offers; none for citywide, mobile, unplaced).
    Inventory inventory;
    std::vector<std::optional<std::size_t>> offer_district;
    SecrecyAudit secrecy;
    // Candidate sites for location planning, by [[planning.candidates]] id.
    std::map<std::string, std::vector<SiteCandidate>> candidate_sites;
    LoadReport report;

    const IndicatorSeries* indicator(std::string_view id) const;
    const District* district_by_id(int id) const;
    // All years any indicator has, ascending.
    std::vector<int> years() const;
    // The newest year with any value; nullopt when there are no indicators.
    std::optional<int> latest_year() const;
};

// The change of `of` since `base_year` (value(year) - value(base_year)) for every later year,
// withheld where either value is: any two years, not only those a config derives.
IndicatorSeries change_since(const IndicatorSeries& of, int base_year);

// Loads everything the config names. Throws InputError (file, line/feature, field) on input that
// cannot be used; problems that leave the data usable go to Dataset::report.
Dataset load_dataset(const DatasetConfig& config);

}  // namespace atlas
