#pragma once
// Reading CSV as German spreadsheet tools export it: ';' or ',' delimiter, decimal comma and
// thousands dot (or the English forms), UTF-8 with or without BOM, or Windows-1252.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atlas/geo/error.hpp"

namespace atlas {

enum class TextEncoding { utf8, utf8_bom, windows1252 };

struct CsvRow {
    long line = 0;  // 1-based physical line where the record starts (feature index for layers)
    std::vector<std::string> cells;
};

struct CsvTable {
    std::string file;
    TextEncoding encoding = TextEncoding::utf8;
    char delimiter = ',';
    std::vector<std::string> header;
    std::vector<CsvRow> rows;

    // Rows read from a GDAL layer (GeoPackage, XLSX, PostGIS ...) count features, not lines.
    bool rows_are_features = false;

    // Index of a header column; throws InputError naming file and field when absent.
    std::size_t column(std::string_view name) const;
    // Where a row (and optionally a field) is, for messages.
    InputLocation where(const CsvRow& row, std::string field = {}) const;
};

// Parses CSV text (already read from `file`, which is only used in messages). The delimiter is
// detected from the header line unless given. Cells are returned as UTF-8.
CsvTable parse_csv(std::string_view bytes, const std::string& file,
                   std::optional<char> delimiter = std::nullopt);

CsvTable read_csv_file(const std::string& path, std::optional<char> delimiter = std::nullopt);

// How numbers in a table are written.
enum class DecimalMark { point, comma };

// Decides the decimal mark of a table from the cells of the given columns: unambiguous cells
// decide ("12,5", "1.234,5" mean comma); with no evidence a ';' table uses comma, others point.
DecimalMark detect_decimal_mark(const CsvTable& table, const std::vector<std::size_t>& columns);

// Parses one numeric cell. Empty (after trimming) means missing and returns nullopt; anything
// else that is not a number returns nullopt through `ok = false`.
std::optional<double> parse_number(std::string_view cell, DecimalMark mark, bool& ok);

// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates).
bool is_valid_utf8(std::string_view s);

// Parses a year written as "2021", "2021-12-31" or "31.12.2021".
std::optional<int> parse_year(std::string_view cell);

// Years an indicator table may carry: a statistics series of districts starts after 1900 and
// does not run beyond 2100. Outside is a typo (or an attack on memory: every year is a column).
constexpr int kFirstPlausibleYear = 1900;
constexpr int kLastPlausibleYear = 2100;

}  // namespace atlas
