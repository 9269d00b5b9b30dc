#include "atlas/geo/csv.hpp"

#include <gtest/gtest.h>

#include "atlas/geo/error.hpp"
#include "support.hpp"

namespace atlas {
namespace {

struct Parsed {
    std::string name;
    std::optional<int> year;
    std::optional<double> wert;
    std::optional<double> anzahl;
};

std::vector<Parsed> parse_fixture(const std::string& file, TextEncoding* encoding = nullptr) {
    const CsvTable table = read_csv_file(test::data_path("csv/" + file));
    if (encoding) *encoding = table.encoding;
    const auto wert = table.column("wert");
    const auto anzahl = table.column("anzahl");
    const DecimalMark mark = detect_decimal_mark(table, {wert, anzahl});
    std::vector<Parsed> out;
    for (const auto& row : table.rows) {
        bool ok_wert = false, ok_anzahl = false;
        Parsed p{row.cells[table.column("gebiet")], parse_year(row.cells[table.column("jahr")]),
                 parse_number(row.cells[wert], mark, ok_wert),
                 parse_number(row.cells[anzahl], mark, ok_anzahl)};
        EXPECT_TRUE(ok_wert && ok_anzahl) << file << " line " << row.line;
        out.push_back(p);
    }
    return out;
}

class GermanCsvVariants : public ::testing::TestWithParam<const char*> {};

TEST_P(GermanCsvVariants, ParseToTheSameNumbers) {
    const auto rows = parse_fixture(GetParam());
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].name, "Nord");
    EXPECT_EQ(rows[0].year, 2021);
    EXPECT_DOUBLE_EQ(*rows[0].wert, 1234.5);
    EXPECT_DOUBLE_EQ(*rows[0].anzahl, 12);
    EXPECT_EQ(rows[1].name,
              "S\xC3\xBC"
              "d");  // UTF-8 "Süd" whatever the file's encoding
    EXPECT_EQ(rows[1].year, 2021);
    EXPECT_DOUBLE_EQ(*rows[1].wert, 1000000.25);
    EXPECT_DOUBLE_EQ(*rows[1].anzahl, 3);
    EXPECT_EQ(rows[2].year, 2022);
    EXPECT_FALSE(rows[2].wert.has_value());
    EXPECT_DOUBLE_EQ(*rows[2].anzahl, 4);
}

INSTANTIATE_TEST_SUITE_P(AllSpellings, GermanCsvVariants,
                         ::testing::Values("semicolon_comma.csv", "bom_crlf.csv", "windows1252.csv",
                                           "comma_quoted.csv", "english.csv"));

TEST(Csv, DetectsEncodings) {
    TextEncoding encoding{};
    parse_fixture("bom_crlf.csv", &encoding);
    EXPECT_EQ(encoding, TextEncoding::utf8_bom);
    parse_fixture("windows1252.csv", &encoding);
    EXPECT_EQ(encoding, TextEncoding::windows1252);
    parse_fixture("semicolon_comma.csv", &encoding);
    EXPECT_EQ(encoding, TextEncoding::utf8);
}

TEST(Csv, Windows1252SpecialCharactersBecomeUtf8) {
    // 0x80 is the euro sign in Windows-1252, 0xDF is sharp s.
    const auto table = parse_csv(
        "a;b\n\x80;Stra\xDF"
        "e\n",
        "t.csv");
    EXPECT_EQ(table.rows[0].cells[0], "\xE2\x82\xAC");
    EXPECT_EQ(table.rows[0].cells[1],
              "Stra\xC3\x9F"
              "e");
}

TEST(Csv, QuotedFieldsKeepDelimitersQuotesAndNewlines) {
    const auto table =
        parse_csv("name;note\n\"a;b\";\"say \"\"hi\"\"\nnext line\"\nc;d\n", "q.csv");
    ASSERT_EQ(table.rows.size(), 2u);
    EXPECT_EQ(table.rows[0].cells[0], "a;b");
    EXPECT_EQ(table.rows[0].cells[1], "say \"hi\"\nnext line");
    EXPECT_EQ(table.rows[1].line, 4);  // the record after a two-line field starts on line 4
}

TEST(Csv, RowWithWrongFieldCountNamesFileAndLine) {
    try {
        parse_csv("a;b\n1;2\n3\n", "short.csv");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().file, "short.csv");
        EXPECT_EQ(e.where().line, 3);
    }
}

TEST(Csv, UnclosedQuoteIsAnError) {
    EXPECT_THROW(parse_csv("a\n\"open\n", "open.csv"), InputError);
}

TEST(Csv, MissingColumnNamesField) {
    const auto table = parse_csv("a;b\n1;2\n", "cols.csv");
    try {
        table.column("einwohner");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().field, "einwohner");
        EXPECT_EQ(e.where().file, "cols.csv");
    }
}

TEST(Csv, NumberSpellings) {
    bool ok = false;
    EXPECT_DOUBLE_EQ(*parse_number("12,5", DecimalMark::comma, ok), 12.5);
    EXPECT_DOUBLE_EQ(*parse_number("-1.234", DecimalMark::comma, ok), -1234);
    EXPECT_DOUBLE_EQ(*parse_number("1\xC2\xA0"
                                   "234,5",
                                   DecimalMark::comma, ok),
                     1234.5);  // NBSP group
    EXPECT_DOUBLE_EQ(*parse_number("\xE2\x88\x92"
                                   "3,5",
                                   DecimalMark::comma, ok),
                     -3.5);  // minus sign
    EXPECT_DOUBLE_EQ(*parse_number("1,234.5", DecimalMark::point, ok), 1234.5);
    EXPECT_DOUBLE_EQ(*parse_number(",5", DecimalMark::comma, ok), 0.5);
    EXPECT_TRUE(ok);
    for (const char* bad : {"12a", "1.23.4", "1.2345,6", "--1", "1,2,3", "-", "e5", "1e5", "nan"}) {
        parse_number(bad, DecimalMark::comma, ok);
        EXPECT_FALSE(ok) << bad;
    }
    EXPECT_FALSE(parse_number("  ", DecimalMark::comma, ok).has_value());
    EXPECT_TRUE(ok);  // blank means missing, not an error
}

TEST(Csv, MixedDecimalStylesAreRejected) {
    const auto table = parse_csv("a;b\n1,5;2.5\n", "mixed.csv");
    EXPECT_THROW(detect_decimal_mark(table, {0, 1}), InputError);
}

TEST(Csv, Years) {
    EXPECT_EQ(parse_year("2021"), 2021);
    EXPECT_EQ(parse_year("2021-12-31"), 2021);
    EXPECT_EQ(parse_year("31.12.2021"), 2021);
    EXPECT_FALSE(parse_year("21").has_value());
    EXPECT_FALSE(parse_year("Dezember").has_value());
}

// Arbitrary bytes never crash the parser: they parse or throw InputError.
TEST(Csv, SurvivesRandomBytes) {
    std::uint32_t state = 12345;
    for (int round = 0; round < 2000; ++round) {
        std::string bytes;
        const int length = static_cast<int>(state % 64);
        for (int i = 0; i < length; ++i) {
            state = state * 1664525u + 1013904223u;
            const char alphabet[] = {';', ',',    '"',    '\n',   '\r',   'a', '1',
                                     '.', '\x80', '\xC3', '\xBC', '\xFF', ' '};
            bytes += alphabet[(state >> 16) % sizeof alphabet];
        }
        try {
            const auto table = parse_csv(bytes, "fuzz.csv");
            for (const auto& row : table.rows) {
                bool ok = false;
                for (const auto& cell : row.cells) parse_number(cell, DecimalMark::comma, ok);
            }
        } catch (const InputError&) {
        }
    }
}

}  // namespace
}  // namespace atlas
