// Statistical secrecy: primary and secondary suppression by hand, and an attacker who tries
// every subtraction the published Erfurt tables allow (district totals minus groups, city
// totals minus districts, a year minus the change, shares and densities times their base).

#include "atlas/geo/secrecy.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "atlas/geo/config.hpp"
#include "atlas/geo/dataset.hpp"
#include "support.hpp"

namespace atlas {
namespace {

IndicatorSeries counts(const std::string& id, std::vector<std::optional<double>> values) {
    IndicatorSeries s{{}, {}, {}};
    s.meta.id = id;
    s.meta.kind = IndicatorKind::count;
    s.by_year[2024] = std::move(values);
    return s;
}

TEST(Secrecy, SmallCountsAndWhatWouldRevealThem) {
    // Three districts; total = young + old in each.
    std::vector<IndicatorSeries> ind = {counts("total", {10, 20, 30}), counts("young", {1, 8, 12}),
                                        counts("old", {9, 12, 18})};
    SecrecyConfig config;
    config.method = SecrecyMethod::subtraction;
    config.totals.push_back({"total", {"young", "old"}});
    LoadReport report;
    apply_secrecy(config, {}, ind, report);
    // young 1 is primary. Its district row (10 = 1 + 9) and its column (city total of young)
    // would each give it back: old 9 (the only other part) and young 8 (the smallest other
    // district) go too. Then old's column has one unknown: old 12 (smallest other) goes, and
    // with it district 2's row asks for one more: young 8 is already hidden, so nothing else.
    EXPECT_EQ(ind[1].secrecy[2024][0], Secrecy::primary);
    EXPECT_FALSE(ind[1].by_year[2024][0].has_value());
    EXPECT_EQ(ind[2].secrecy[2024][0], Secrecy::secondary);
    EXPECT_EQ(ind[1].secrecy[2024][1], Secrecy::secondary);
    EXPECT_EQ(ind[2].secrecy[2024][1], Secrecy::secondary);
    EXPECT_FALSE(ind[0].suppressed(2024, 0));  // the totals stay
    EXPECT_EQ(*ind[0].by_year[2024][0], 10);
    EXPECT_EQ(*ind[1].by_year[2024][2], 12);
    EXPECT_EQ(report.count("suppressed"), 2u);
}

TEST(Secrecy, ZeroIsPublishedAndTheThresholdIsConfigurable) {
    std::vector<IndicatorSeries> ind = {counts("n", {0, 3, 4, 50, 60})};
    SecrecyConfig config;
    config.min_count = 5;
    config.method = SecrecyMethod::subtraction;
    LoadReport report;
    apply_secrecy(config, {}, ind, report);
    EXPECT_FALSE(ind[0].suppressed(2024, 0));  // 0 reveals nobody
    EXPECT_EQ(ind[0].secrecy[2024][1], Secrecy::primary);
    EXPECT_EQ(ind[0].secrecy[2024][2], Secrecy::primary);
    EXPECT_FALSE(ind[0].suppressed(2024, 3));  // two hidden: the city total reveals neither
}

const ProvenInterval& proven(const SecrecyAudit& audit, std::size_t indicator,
                             std::size_t district) {
    for (const auto& cell : audit.withheld)
        if (cell.indicator == indicator && cell.district == district) return cell;
    throw std::runtime_error("not withheld");
}

TEST(Secrecy, AuditWithholdsTheCellThatGivesTheSmallCountRoom) {
    // One count in five districts; the city publishes its total (82). The 1 is primary; alone
    // it is 82 minus the others. Protection level 3 + 3 = 6: withholding 4 would leave
    // x + y = 5, so x <= 4; the smallest cell that leaves room for 6 is 7: x + y = 8, so the
    // attacker knows only 1 <= x <= 7.
    std::vector<IndicatorSeries> ind = {counts("n", {1, 4, 7, 20, 50})};
    SecrecyConfig config;
    LoadReport report;
    const SecrecyAudit audit = apply_secrecy(config, {}, ind, report);
    EXPECT_EQ(ind[0].secrecy[2024],
              (std::vector<Secrecy>{Secrecy::primary, Secrecy::published, Secrecy::secondary,
                                    Secrecy::published, Secrecy::published}));
    EXPECT_EQ(audit.primary, 1u);
    EXPECT_EQ(audit.secondary, 1u);
    ASSERT_EQ(audit.withheld.size(), 2u);
    EXPECT_EQ(proven(audit, 0, 0).lower, 1);
    EXPECT_EQ(proven(audit, 0, 0).upper, 7);
    EXPECT_EQ(proven(audit, 0, 2).upper, 7);
    EXPECT_TRUE(proven(audit, 0, 0).protects);
    EXPECT_EQ(audit.unprotected, 0u);

    // The single-subtraction rule takes the smallest other cell, 4; the same measurement then
    // shows the attacker can prove the 1 below 5.
    std::vector<IndicatorSeries> chain = {counts("n", {1, 4, 7, 20, 50})};
    config.method = SecrecyMethod::subtraction;
    const SecrecyAudit weak = apply_secrecy(config, {}, chain, report);
    EXPECT_EQ(chain[0].secrecy[2024][1], Secrecy::secondary);
    EXPECT_EQ(proven(weak, 0, 0).upper, 4);
    EXPECT_FALSE(proven(weak, 0, 0).protects);
    EXPECT_EQ(weak.unprotected, 1u);
}

TEST(Secrecy, ZerosWithheldWhereARelationHoldsAWithheldCell) {
    // zeros = "withhold": the 0 shares the column with the primary 1 and is withheld, so the
    // attacker knows only that withheld counts are >= 0: x0 + x1 = 1 would give x1 <= 1; the 7
    // goes too (7 - 0 leaves room for 6): x0 + x1 + x2 = 8, so 0 <= x1 <= 8.
    std::vector<IndicatorSeries> ind = {counts("n", {0, 1, 7, 20, 50})};
    SecrecyConfig config;
    config.publish_zeros = false;
    LoadReport report;
    const SecrecyAudit audit = apply_secrecy(config, {}, ind, report);
    EXPECT_EQ(ind[0].secrecy[2024],
              (std::vector<Secrecy>{Secrecy::secondary, Secrecy::primary, Secrecy::secondary,
                                    Secrecy::published, Secrecy::published}));
    EXPECT_EQ(proven(audit, 0, 1).lower, 0);
    EXPECT_EQ(proven(audit, 0, 1).upper, 8);
    EXPECT_EQ(proven(audit, 0, 0).upper, 8);  // the withheld 0 too: x1 and x2 may be 0
}

TEST(Secrecy, TwoSmallCountsOfOneDistrictAreNotPinnedByTheirSum) {
    // District 1 has 7 foreign nationals: 1 young, 5 adult, 1 old. Subtraction alone withholds
    // one more young and old cell elsewhere and leaves young + old = 2 in district 1, which
    // pins both at 1 (each is at least 1, as zeros are published). The audit does not stop there.
    const auto make = [] {
        return std::vector<IndicatorSeries>{
            counts("total", {7, 40, 50}), counts("young", {1, 10, 15}),
            counts("adult", {5, 20, 25}), counts("old", {1, 10, 10})};
    };
    SecrecyConfig config;
    config.totals.push_back({"total", {"young", "adult", "old"}});
    LoadReport report;
    auto chain = make();
    config.method = SecrecyMethod::subtraction;
    const SecrecyAudit weak = apply_secrecy(config, {}, chain, report);
    EXPECT_EQ(proven(weak, 1, 0).upper, 1);  // young, district 1: pinned
    EXPECT_EQ(proven(weak, 3, 0).upper, 1);  // old, district 1: pinned

    auto audited = make();
    config.method = SecrecyMethod::audit;
    const SecrecyAudit audit = apply_secrecy(config, {}, audited, report);
    EXPECT_EQ(audit.unprotected, 0u);
    for (const auto& cell : audit.withheld) {
        if (cell.why == Secrecy::primary) {
            EXPECT_EQ(cell.lower, 1);
            EXPECT_GE(cell.upper, 6);
        }
        EXPECT_GT(cell.upper, cell.lower);  // no further cell is pinned either
    }
    // District 1's total cannot stay published: with it, young + old <= 7 - 1.
    EXPECT_TRUE(audited[0].suppressed(2024, 0));
}

const Dataset& erfurt() {
    static const Dataset ds =
        load_dataset(load_config(test::source_path("shapes/erfurt/atlas.toml")));
    return ds;
}

using CellKey = std::tuple<std::string, int, std::size_t>;  // indicator, year, district

// Everything an attacker can write down as "these cells determine each other": any one of a
// relation's cells follows from all the others.
std::vector<std::vector<CellKey>> attack_relations(const Dataset& ds) {
    std::vector<std::vector<CellKey>> relations;
    const std::size_t n = ds.districts.size();
    for (const auto& s : ds.indicators) {
        const auto& m = s.meta;
        for (const auto& [year, values] : s.by_year) {
            if (m.kind == IndicatorKind::count && m.change_of.empty() && m.numerator.empty()) {
                // The city publishes its totals: a column minus all but one district.
                std::vector<CellKey> column;
                for (std::size_t d = 0; d < n; ++d) column.emplace_back(m.id, year, d);
                relations.push_back(column);
            }
            for (std::size_t d = 0; d < n; ++d) {
                if (!m.change_of.empty()) {
                    const int base = m.base_year ? *m.base_year : year - *m.period;
                    relations.push_back(
                        {{m.id, year, d}, {m.change_of, year, d}, {m.change_of, base, d}});
                } else if (m.kind == IndicatorKind::density) {
                    relations.push_back({{m.id, year, d}, {m.numerator, year, d}});
                } else if (!m.numerator.empty()) {
                    relations.push_back(
                        {{m.id, year, d}, {m.numerator, year, d}, {m.denominator, year, d}});
                }
            }
        }
    }
    for (const auto& total : ds.config.secrecy.totals) {
        for (const auto& [year, values] : ds.indicator(total.total)->by_year) {
            for (std::size_t d = 0; d < n; ++d) {
                std::vector<CellKey> row{{total.total, year, d}};
                for (const auto& part : total.parts) row.emplace_back(part, year, d);
                relations.push_back(row);
            }
        }
    }
    return relations;
}

// Repeats every subtraction until nothing new follows; returns the secret cells it learnt.
std::set<CellKey> attack(const Dataset& ds, const std::set<CellKey>& secret,
                         std::set<CellKey> known) {
    const auto relations = attack_relations(ds);
    std::set<CellKey> learnt;
    for (bool progress = true; progress;) {
        progress = false;
        for (const auto& relation : relations) {
            const CellKey* unknown = nullptr;
            std::size_t unknowns = 0;
            for (const auto& c : relation) {
                if (!known.contains(c)) {
                    ++unknowns;
                    unknown = &c;
                }
            }
            if (unknowns != 1) continue;
            known.insert(*unknown);
            if (secret.contains(*unknown)) learnt.insert(*unknown);
            progress = true;
        }
    }
    return learnt;
}

TEST(Secrecy, NoSubtractionAcrossThePublishedTablesRevealsASuppressedValue) {
    const Dataset& ds = erfurt();
    std::set<CellKey> secret, published, all_but_primary;
    for (const auto& s : ds.indicators) {
        for (const auto& [year, values] : s.by_year) {
            for (std::size_t d = 0; d < values.size(); ++d) {
                const CellKey key{s.meta.id, year, d};
                if (values[d]) published.insert(key);
                if (s.suppressed(year, d)) secret.insert(key);
                const auto flags = s.secrecy.find(year);
                const bool primary =
                    flags != s.secrecy.end() && flags->second[d] == Secrecy::primary;
                if ((values[d] || s.suppressed(year, d)) && !primary) all_but_primary.insert(key);
            }
        }
    }
    ASSERT_GT(secret.size(), 600u);  // the modelled small groups have many counts of 1 and 2
    // No published value is secret, and the attacker learns nothing secret.
    for (const auto& key : published) ASSERT_FALSE(secret.contains(key));
    const auto learnt = attack(ds, secret, published);
    EXPECT_TRUE(learnt.empty()) << learnt.size() << " suppressed cells recoverable, e.g. "
                                << std::get<0>(*learnt.begin()) << " "
                                << std::get<1>(*learnt.begin()) << " district "
                                << std::get<2>(*learnt.begin());
    // The attacker is not toothless: had only the small counts themselves been withheld, it
    // would recover them.
    EXPECT_GT(attack(ds, secret, all_but_primary).size(), 100u);
}

}  // namespace
}  // namespace atlas
