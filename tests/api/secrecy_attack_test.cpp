// An attacker independent of the core's secrecy code: it builds its integer program only from
// what `atlas serve` publishes over HTTP (every count indicator's CSV per year, "." where
// withheld), the relations the config documents ([[secrecy.totals]]), the city's totals (which
// the city publishes: here the sums of the raw tables) and "a withheld count is at least 1"
// (zeros are published). It bounds every withheld cell with COIN-OR (LP, then branch and bound
// where the LP optimum is fractional) and counts the small counts it can prove below the
// protection level and the cells it pins exactly.

#include <gtest/gtest.h>
#include <CbcModel.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <tuple>

#include "atlas/geo/config.hpp"
#include "process.hpp"
#include "support.hpp"

namespace atlas {
namespace {

using Key = std::tuple<std::string, int, std::string>;  // indicator, year, district name

std::vector<std::string> split_csv(const std::string& line, char delimiter) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (const char ch : line) {
        if (ch == '"')
            quoted = !quoted;
        else if (ch == delimiter && !quoted)
            out.emplace_back();
        else if (ch != '\r')
            out.back() += ch;
    }
    return out;
}

// The raw tables the config names: the truth, which the attacker only uses for city totals.
std::map<Key, double> raw_counts(const DatasetConfig& config) {
    std::map<Key, double> truth;
    for (const auto& table : config.indicator_tables) {
        // Grid tables (the census) are summed by the server; where nothing is withheld, the
        // published sums are the truth (see Attacker::truth).
        if (!table.grid_id_column.empty()) continue;
        std::ifstream in(table.file);
        std::string line;
        std::getline(in, line);
        const char delimiter = line.find(';') != std::string::npos ? ';' : ',';
        const auto header = split_csv(line, delimiter);
        const auto column = [&](const std::string& name) {
            return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) -
                                            header.begin());
        };
        while (std::getline(in, line)) {
            const auto cells = split_csv(line, delimiter);
            for (const auto& ind : table.indicators) {
                const std::string& v = cells.at(column(ind.column));
                if (ind.kind != IndicatorKind::count || v.empty()) continue;
                truth[{ind.id, std::stoi(cells.at(column(table.year_column))),
                       cells.at(column(table.key_column))}] = std::stod(v);
            }
        }
    }
    return truth;
}

struct Outcome {
    std::size_t withheld = 0;
    std::size_t small_below = 0;  // small counts provably below min_count + protection
    std::size_t pinned = 0;       // withheld cells the attacker knows exactly
    std::string example;
};

class Attacker {
  public:
    Attacker(int port, const DatasetConfig& config) : config_(config), truth_(raw_counts(config)) {
        test::HttpConnection http(port);
        for (const auto& table : config.indicator_tables) {
            for (const auto& ind : table.indicators) {
                if (ind.kind != IndicatorKind::count) continue;
                const auto meta = nlohmann::json::parse(http.get("/api/indicators/" + ind.id).body);
                for (const int year : meta.at("years")) {
                    const auto csv =
                        http.get("/api/indicators/" + ind.id + ".csv?year=" + std::to_string(year));
                    EXPECT_EQ(csv.status, 200);
                    std::istringstream in(csv.body);
                    std::string line;
                    std::getline(in, line);
                    while (std::getline(in, line)) {
                        const auto cells = split_csv(line, ',');
                        const Key key{ind.id, year, cells.at(1)};
                        if (cells.at(3) == ".")
                            published_[key] = std::nullopt;
                        else if (!cells.at(3).empty())
                            published_[key] = std::stod(cells.at(3));
                    }
                }
            }
        }
    }

    Outcome attack() {
        std::map<std::tuple<std::string, int>, std::vector<Key>> columns;
        for (const auto& [key, v] : published_)
            columns[{std::get<0>(key), std::get<1>(key)}].push_back(key);
        // Columns (the city total) and district rows: coefficients +1, the first key of a row
        // (its total) −1.
        std::map<int, std::vector<std::pair<std::vector<Key>, bool>>> by_year;
        for (const auto& [id_year, keys] : columns)
            by_year[std::get<1>(id_year)].push_back({keys, false});
        for (const auto& total : config_.secrecy.totals) {
            for (const auto& [key, v] : published_) {
                if (std::get<0>(key) != total.total) continue;
                std::vector<Key> row{key};
                for (const auto& part : total.parts)
                    row.emplace_back(part, std::get<1>(key), std::get<2>(key));
                if (std::all_of(row.begin(), row.end(),
                                [&](const Key& k) { return published_.contains(k); }))
                    by_year[std::get<1>(key)].push_back({row, true});
            }
        }
        Outcome out;
        for (const auto& [year, relations] : by_year) attack_year(relations, out);
        return out;
    }

  private:
    void attack_year(const std::vector<std::pair<std::vector<Key>, bool>>& relations,
                     Outcome& out) {
        std::map<Key, int> column_of;
        std::vector<Key> unknowns;
        std::vector<int> rows, cols;
        std::vector<double> elements, rhs;
        for (const auto& [keys, is_row] : relations) {
            double constant = 0;
            if (!is_row)
                for (const auto& k : keys) constant += truth(k);  // the city's total
            bool any = false;
            for (std::size_t i = 0; i < keys.size(); ++i) {
                const double coefficient = is_row && i == 0 ? -1 : 1;
                const auto& v = published_.at(keys[i]);
                if (v) {
                    constant -= coefficient * *v;
                    continue;
                }
                auto [it, fresh] = column_of.emplace(keys[i], static_cast<int>(unknowns.size()));
                if (fresh) unknowns.push_back(keys[i]);
                rows.push_back(static_cast<int>(rhs.size()));
                cols.push_back(it->second);
                elements.push_back(coefficient);
                any = true;
            }
            if (any) rhs.push_back(constant);
        }
        if (unknowns.empty()) return;
        CoinPackedMatrix matrix(true, rows.data(), cols.data(), elements.data(),
                                static_cast<CoinBigIndex>(elements.size()));
        matrix.setDimensions(static_cast<int>(rhs.size()), static_cast<int>(unknowns.size()));
        const std::vector<double> lower(unknowns.size(), 1), upper(unknowns.size(), 1e9);
        std::vector<double> objective(unknowns.size(), 0);
        OsiClpSolverInterface lp;
        lp.messageHandler()->setLogLevel(0);
        lp.loadProblem(matrix, lower.data(), upper.data(), objective.data(), rhs.data(),
                       rhs.data());
        for (int j = 0; j < static_cast<int>(unknowns.size()); ++j) lp.setInteger(j);
        lp.initialSolve();
        ASSERT_TRUE(lp.isProvenOptimal());
        const auto bound = [&](int j, double sense) {
            std::vector<double> obj(unknowns.size(), 0);
            obj[static_cast<std::size_t>(j)] = 1;
            lp.setObjective(obj.data());
            lp.setObjSense(sense);
            lp.resolve();
            EXPECT_TRUE(lp.isProvenOptimal());
            const double* x = lp.getColSolution();
            bool integral = true;
            for (std::size_t k = 0; k < unknowns.size(); ++k)
                integral = integral && std::abs(x[k] - std::round(x[k])) < 1e-6;
            if (integral) return std::round(x[j]);
            CbcModel model(lp);
            model.setLogLevel(0);
            model.branchAndBound();
            EXPECT_TRUE(model.isProvenOptimal());
            return std::round(model.bestSolution()[j]);
        };
        const double target = config_.secrecy.min_count + config_.secrecy.protection;
        for (int j = 0; j < static_cast<int>(unknowns.size()); ++j) {
            ++out.withheld;
            const double high = bound(j, -1), low = bound(j, 1);
            const double truth = this->truth(unknowns[static_cast<std::size_t>(j)]);
            const bool small = truth < config_.secrecy.min_count;
            if (high == low) ++out.pinned;
            if (small && high < target) ++out.small_below;
            if ((high == low || (small && high < target)) && out.example.empty()) {
                const auto& [id, year, district] = unknowns[static_cast<std::size_t>(j)];
                out.example = id + " " + std::to_string(year) + " " + district + ": [" +
                              std::to_string(low) + ", " + std::to_string(high) + "]";
            }
        }
    }

    double truth(const Key& key) const {
        if (const auto raw = truth_.find(key); raw != truth_.end()) return raw->second;
        return published_.at(key).value();  // throws for a withheld cell without a raw value
    }

    const DatasetConfig& config_;
    std::map<Key, double> truth_;
    std::map<Key, std::optional<double>> published_;  // nullopt: withheld (".")
};

Outcome attack_served(const std::string& config_path) {
    const DatasetConfig config = load_config(config_path);
    test::AtlasServer server({"--config", config_path});
    const Outcome outcome = Attacker(server.port(), config).attack();
    std::cout << "attacker: " << outcome.withheld << " withheld cells, " << outcome.small_below
              << " small counts proven below the protection level, " << outcome.pinned
              << " pinned (" << outcome.example << ")\n";
    return outcome;
}

TEST(SecrecyAttack, ErfurtHoldsAgainstTheFullIntegerProgram) {
    test::TempDir dir;
    const std::string audited = dir.write("atlas.toml", test::erfurt_config_with_absolute_paths());
    const Outcome outcome = attack_served(audited);
    EXPECT_GT(outcome.withheld, 1000u);
    EXPECT_EQ(outcome.small_below, 0u) << outcome.example;
    EXPECT_EQ(outcome.pinned, 0u) << outcome.example;

    // The same attacker against the old rule (single subtractions only) proves small counts:
    // the check can fail.
    std::string config = test::erfurt_config_with_absolute_paths();
    const auto at = config.find("min_count = 3");
    ASSERT_NE(at, std::string::npos);
    config.insert(at, "method = \"subtraction\"\n");
    const Outcome chain = attack_served(dir.write("subtraction.toml", config));
    EXPECT_GT(chain.small_below, 50u);
    EXPECT_GT(chain.pinned, 0u);
}

// A made-up city of 48 square districts over four years in which most group counts are small:
// the total in each district equals its three age groups and its two residence groups.
std::string generated_city(const test::TempDir& dir) {
    std::ostringstream geo, csv;
    geo << R"({"type":"FeatureCollection","features":[)";
    csv << "gebiet;jahr;gesamt;jung;mittel;alt;status_a;status_b\n";
    std::mt19937 rng(20261203);
    for (int row = 0; row < 6; ++row) {
        for (int col = 0; col < 8; ++col) {
            const int n = row * 8 + col;
            const double x = 11.0 + col * 0.01, y = 50.9 + row * 0.01;
            geo << (n ? "," : "") << R"({"type":"Feature","properties":{"name":"G)" << n
                << R"("},"geometry":{"type":"Polygon","coordinates":[[[)" << x << "," << y << "],["
                << x + 0.01 << "," << y << "],[" << x + 0.01 << "," << y + 0.01 << "],[" << x << ","
                << y + 0.01 << "],[" << x << "," << y << "]]]}}";
            for (int year = 2021; year <= 2024; ++year) {
                const int total = std::uniform_int_distribution<int>(0, 14)(rng);
                std::uniform_int_distribution<int> share(0, 3);
                int age[3] = {0, 0, 0}, status[2] = {0, 0};
                for (int p = 0; p < total; ++p) {
                    ++age[std::min(share(rng), 2)];
                    ++status[share(rng) == 0 ? 1 : 0];
                }
                csv << "G" << n << ";" << year << ";" << total << ";" << age[0] << ";" << age[1]
                    << ";" << age[2] << ";" << status[0] << ";" << status[1] << "\n";
            }
        }
    }
    geo << "]}";
    const std::string districts = dir.write("gebiete.geojson", geo.str());
    const std::string table = dir.write("gruppen.csv", csv.str());
    std::string indicators;
    for (const char* id : {"gesamt", "jung", "mittel", "alt", "status_a", "status_b"}) {
        indicators += std::string("  [[indicator_tables.indicators]]\n  id = \"") + id +
                      "\"\n  column = \"" + id + "\"\n  label_de = \"" + id +
                      "\"\n  kind = \"count\"\n  official = false\n";
    }
    return dir.write("atlas.toml", R"([dataset]
id = "generiert"
title_de = "Erzeugte Stadt"
attribution = ["Testdaten"]
store = ")" + (dir.path() / "store.gpkg").string() +
                                       R"("

[districts]
source = ")" + districts + R"("
key_field = "name"

[[indicator_tables]]
file = ")" + table + R"("
key_column = "gebiet"
year_column = "jahr"
)" + indicators + R"(
[secrecy]
min_count = 3
  [[secrecy.totals]]
  total = "gesamt"
  parts = ["jung", "mittel", "alt"]
  [[secrecy.totals]]
  total = "gesamt"
  parts = ["status_a", "status_b"]
)");
}

TEST(SecrecyAttack, AGeneratedCityOfSmallCountsHolds) {
    test::TempDir dir;
    const Outcome outcome = attack_served(generated_city(dir));
    EXPECT_GT(outcome.withheld, 300u);
    EXPECT_EQ(outcome.small_below, 0u) << outcome.example;
    EXPECT_EQ(outcome.pinned, 0u) << outcome.example;
}

}  // namespace
}  // namespace atlas
