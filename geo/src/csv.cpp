#include "atlas/geo/csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "atlas/geo/error.hpp"

namespace atlas {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Windows-1252 differs from Latin-1 only in 0x80-0x9F; 0 marks the five undefined bytes.
constexpr std::array<std::uint16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string windows1252_to_utf8(std::string_view s, const std::string& file) {
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    long line = 1;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\n') ++line;
        if (c < 0x80) {
            out += ch;
        } else if (c < 0xA0) {
            const std::uint16_t cp = kCp1252High[c - 0x80];
            if (cp == 0) {
                throw InputError({file, line, {}, {}},
                                 "byte 0x" + std::to_string(c) +
                                     " is neither UTF-8 nor Windows-1252 text; save the file as "
                                     "UTF-8");
            }
            append_utf8(out, cp);
        } else {
            append_utf8(out, c);
        }
    }
    return out;
}

char detect_delimiter(std::string_view text) {
    std::size_t semicolons = 0, commas = 0, tabs = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n') break;
        semicolons += c == ';';
        commas += c == ',';
        tabs += c == '\t';
    }
    if (semicolons >= commas && semicolons >= tabs && semicolons > 0) return ';';
    if (tabs > commas) return '\t';
    return ',';
}

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Removes the thousands separators of a number written with `thousands` and checks that they
// stand every three digits; returns false when the grouping is not a valid one.
bool strip_grouping(std::string_view integer_part, char thousands, std::string& out) {
    if (integer_part.find(thousands) == std::string_view::npos) {
        if (!all_digits(integer_part)) return false;
        out.append(integer_part);
        return true;
    }
    std::size_t start = 0;
    bool first = true;
    while (true) {
        const auto pos = integer_part.find(thousands, start);
        const auto group = integer_part.substr(start, pos - start);
        if (!all_digits(group)) return false;
        if (first ? group.size() > 3 : group.size() != 3) return false;
        out.append(group);
        first = false;
        if (pos == std::string_view::npos) return true;
        start = pos + 1;
    }
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        // The second byte's range excludes overlong forms and surrogates (RFC 3629 table).
        unsigned char low = 0x80, high = 0xBF;
        if (c < 0x80) {
            extra = 0;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) low = 0xA0;
            if (c == 0xED) high = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) low = 0x90;
            if (c == 0xF4) high = 0x8F;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            if (i + k >= s.size()) return false;
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if (k == 1 ? (cc < low || cc > high) : (cc & 0xC0) != 0x80) return false;
        }
        i += extra + 1;
    }
    return true;
}

std::size_t CsvTable::column(std::string_view name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
        throw InputError({file, 1, {}, std::string(name)}, "column is missing from the header");
    }
    return static_cast<std::size_t>(it - header.begin());
}

InputLocation CsvTable::where(const CsvRow& row, std::string field) const {
    if (rows_are_features) return {file, {}, row.line, std::move(field)};
    return {file, row.line, {}, std::move(field)};
}

CsvTable parse_csv(std::string_view bytes, const std::string& file, std::optional<char> delimiter) {
    CsvTable table;
    table.file = file;
    std::string text;
    // UTF-16 (what some spreadsheets call "Unicode text") and binary files have NUL bytes; as
    // Windows-1252 they would read as garbage rather than fail.
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos) {
        const long line =
            1 + static_cast<long>(std::count(
                    bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(nul), '\n'));
        throw InputError({file, line, {}, {}},
                         "is not text in UTF-8 or Windows-1252 (UTF-16 or a binary file?); "
                         "save it as \"CSV UTF-8\"");
    }
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        table.encoding = TextEncoding::utf8_bom;
        bytes.remove_prefix(3);
    }
    if (is_valid_utf8(bytes)) {
        text.assign(bytes);
    } else {
        if (table.encoding == TextEncoding::utf8_bom) {
            throw InputError({file, {}, {}, {}}, "starts with a UTF-8 BOM but is not valid UTF-8");
        }
        table.encoding = TextEncoding::windows1252;
        text = windows1252_to_utf8(bytes, file);
    }
    table.delimiter = delimiter.value_or(detect_delimiter(text));

    std::vector<CsvRow> records;
    CsvRow current;
    std::string cell;
    bool quoted = false;
    bool cell_was_quoted = false;
    long line = 1;
    current.line = 1;
    const auto finish_cell = [&] {
        current.cells.push_back(cell_was_quoted ? cell : std::string(trim(cell)));
        cell.clear();
        cell_was_quoted = false;
    };
    const auto finish_record = [&] {
        finish_cell();
        const bool blank = current.cells.size() == 1 && current.cells[0].empty();
        if (!blank) records.push_back(std::move(current));
        current = CsvRow{};
        current.line = line;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    cell += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                cell += c;
            }
        } else if (c == '"' && trim(cell).empty()) {
            quoted = true;
            cell_was_quoted = true;
            cell.clear();
        } else if (c == table.delimiter) {
            finish_cell();
        } else if (c == '\n') {
            ++line;
            finish_record();
        } else if (c != '\r' || (i + 1 < text.size() && text[i + 1] != '\n')) {
            cell += c;
        }
    }
    if (quoted) {
        throw InputError({file, current.line, {}, {}}, "a quoted field is never closed");
    }
    if (!cell.empty() || !current.cells.empty()) finish_record();
    if (records.empty()) throw InputError({file, {}, {}, {}}, "the file is empty (no header)");

    table.header = std::move(records.front().cells);
    for (std::size_t i = 1; i < records.size(); ++i) {
        auto& row = records[i];
        if (row.cells.size() != table.header.size()) {
            throw InputError({file, row.line, {}, {}},
                             "has " + std::to_string(row.cells.size()) +
                                 " fields, the header has " + std::to_string(table.header.size()) +
                                 " (delimiter '" + std::string(1, table.delimiter) + "')");
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

CsvTable read_csv_file(const std::string& path, std::optional<char> delimiter) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError({path, {}, {}, {}}, "cannot open the file");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return parse_csv(bytes.str(), path, delimiter);
}

DecimalMark detect_decimal_mark(const CsvTable& table, const std::vector<std::size_t>& columns) {
    int comma_votes = 0, point_votes = 0;
    for (const auto& row : table.rows) {
        for (auto col : columns) {
            const auto cell = trim(row.cells[col]);
            const auto comma = cell.rfind(',');
            const auto point = cell.rfind('.');
            if (comma != std::string_view::npos && point != std::string_view::npos) {
                (comma > point ? comma_votes : point_votes)++;
            } else if (comma != std::string_view::npos) {
                // A single mark followed by exactly three digits ("1,234") may be a thousands
                // group in either style, so it does not vote.
                if (cell.find(',') == comma && cell.size() - comma - 1 != 3) comma_votes++;
            } else if (point != std::string_view::npos) {
                if (cell.find('.') == point && cell.size() - point - 1 != 3) point_votes++;
            }
        }
    }
    if (comma_votes > 0 && point_votes > 0) {
        throw InputError({table.file, {}, {}, {}},
                         "numbers use both decimal comma and decimal point; use one style");
    }
    if (comma_votes > 0) return DecimalMark::comma;
    if (point_votes > 0) return DecimalMark::point;
    return table.delimiter == ';' ? DecimalMark::comma : DecimalMark::point;
}

std::optional<double> parse_number(std::string_view cell, DecimalMark mark, bool& ok) {
    ok = true;
    std::string compact;
    for (char c : cell) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\'') compact += c;
    }
    // U+00A0 and U+202F are common thousands spaces in German spreadsheets.
    for (const std::string_view space :
         {std::string_view("\xC2\xA0"), std::string_view("\xE2\x80\xAF")}) {
        for (auto pos = compact.find(space); pos != std::string::npos; pos = compact.find(space)) {
            compact.erase(pos, space.size());
        }
    }
    if (compact.empty()) return std::nullopt;

    std::string_view s = compact;
    bool negative = false;
    if (s.front() == '-' || s.front() == '+' || s.substr(0, 3) == "\xE2\x88\x92") {
        negative = s.front() == '-' || s.front() == '\xE2';
        s.remove_prefix(s.front() == '\xE2' ? 3 : 1);
    }
    const char decimal = mark == DecimalMark::comma ? ',' : '.';
    const char thousands = mark == DecimalMark::comma ? '.' : ',';
    const auto dec_pos = s.find(decimal);
    const auto integer_part = s.substr(0, dec_pos);
    std::string normal = negative ? "-" : "";
    if (integer_part.empty() && dec_pos == std::string_view::npos) {
        ok = false;
        return std::nullopt;
    }
    if (!integer_part.empty() && !strip_grouping(integer_part, thousands, normal)) {
        ok = false;
        return std::nullopt;
    }
    if (integer_part.empty()) normal += '0';
    if (dec_pos != std::string_view::npos) {
        const auto fraction = s.substr(dec_pos + 1);
        if (!all_digits(fraction)) {
            ok = false;
            return std::nullopt;
        }
        normal += '.';
        normal.append(fraction);
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(normal.data(), normal.data() + normal.size(), value);
    if (ec != std::errc() || end != normal.data() + normal.size()) {
        ok = false;
        return std::nullopt;
    }
    return value;
}

std::optional<int> parse_year(std::string_view cell) {
    cell = trim(cell);
    std::string_view digits;
    if (cell.size() == 4) {
        digits = cell;
    } else if (cell.size() == 10 && cell[4] == '-' && cell[7] == '-') {
        digits = cell.substr(0, 4);
    } else if (cell.size() == 10 && cell[2] == '.' && cell[5] == '.') {
        digits = cell.substr(6, 4);
    } else {
        return std::nullopt;
    }
    if (!all_digits(digits)) return std::nullopt;
    int year = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), year);
    return year;
}

}  // namespace atlas
