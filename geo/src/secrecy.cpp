#include "atlas/geo/secrecy.hpp"

#include <limits>
#include <string>

namespace atlas {

namespace {

std::size_t index_of(const std::vector<IndicatorSeries>& indicators, const std::string& id) {
    for (std::size_t i = 0; i < indicators.size(); ++i)
        if (indicators[i].meta.id == id) return i;
    return indicators.size();
}

Secrecy& flag(std::vector<IndicatorSeries>& indicators, const SecrecyRelation::Cell& c) {
    auto& series = indicators[c.indicator];
    auto& flags = series.secrecy[c.year];
    flags.resize(series.by_year[c.year].size(), Secrecy::published);
    return flags[c.district];
}

const std::optional<double>& value(const std::vector<IndicatorSeries>& indicators,
                                   const SecrecyRelation::Cell& c) {
    return indicators[c.indicator].by_year.at(c.year)[c.district];
}

}  // namespace

std::vector<SecrecyRelation> secrecy_relations(const SecrecyConfig& config,
                                               const std::vector<IndicatorSeries>& indicators) {
    std::vector<SecrecyRelation> relations;
    for (std::size_t i = 0; i < indicators.size(); ++i) {
        if (indicators[i].meta.kind != IndicatorKind::count) continue;
        for (const auto& [year, values] : indicators[i].by_year) {
            SecrecyRelation column;
            for (std::size_t d = 0; d < values.size(); ++d) column.cells.push_back({i, year, d});
            relations.push_back(std::move(column));
        }
    }
    for (const auto& total : config.totals) {
        const std::size_t t = index_of(indicators, total.total);
        if (t == indicators.size()) continue;
        for (const auto& [year, values] : indicators[t].by_year) {
            for (std::size_t d = 0; d < values.size(); ++d) {
                SecrecyRelation row;
                row.cells.push_back({t, year, d});
                for (const auto& part : total.parts) {
                    const std::size_t p = index_of(indicators, part);
                    if (p < indicators.size() && indicators[p].by_year.contains(year))
                        row.cells.push_back({p, year, d});
                }
                if (row.cells.size() == total.parts.size() + 1) relations.push_back(std::move(row));
            }
        }
    }
    return relations;
}

void apply_secrecy(const SecrecyConfig& config, std::vector<IndicatorSeries>& indicators,
                   LoadReport& report) {
    std::vector<std::size_t> primary(indicators.size()), secondary(indicators.size());
    for (std::size_t i = 0; i < indicators.size(); ++i) {
        if (indicators[i].meta.kind != IndicatorKind::count) continue;
        for (const auto& [year, values] : indicators[i].by_year) {
            for (std::size_t d = 0; d < values.size(); ++d) {
                if (values[d] && *values[d] > 0 && *values[d] < config.min_count) {
                    flag(indicators, {i, year, d}) = Secrecy::primary;
                    ++primary[i];
                }
            }
        }
    }
    // Values stay readable until the end: choosing what else to suppress needs them.
    const auto unknown = [&](const SecrecyRelation::Cell& c) {
        return !value(indicators, c) || indicators[c.indicator].suppressed(c.year, c.district);
    };
    const auto relations = secrecy_relations(config, indicators);
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& relation : relations) {
            std::size_t unknowns = 0;
            const SecrecyRelation::Cell* hidden = nullptr;
            for (const auto& c : relation.cells) {
                if (!unknown(c)) continue;
                ++unknowns;
                hidden = &c;
            }
            if (unknowns != 1 ||
                !indicators[hidden->indicator].suppressed(hidden->year, hidden->district))
                continue;
            // The smallest other published cell (positive ones first) protects it best at the
            // least loss.
            const SecrecyRelation::Cell* pick = nullptr;
            double best = std::numeric_limits<double>::infinity();
            for (const auto& c : relation.cells) {
                if (unknown(c)) continue;
                const double v = *value(indicators, c);
                const double rank = v > 0 ? v : std::numeric_limits<double>::max();
                if (!pick || rank < best) pick = &c, best = rank;
            }
            if (!pick) continue;
            flag(indicators, *pick) = Secrecy::secondary;
            ++secondary[pick->indicator];
            changed = true;
        }
    }
    for (std::size_t i = 0; i < indicators.size(); ++i) {
        for (auto& [year, flags] : indicators[i].secrecy) {
            auto& values = indicators[i].by_year.at(year);
            for (std::size_t d = 0; d < flags.size(); ++d)
                if (flags[d] != Secrecy::published) values[d].reset();
        }
        if (primary[i] + secondary[i] == 0) continue;
        report.add(ReportEntry::Severity::info, "suppressed",
                   indicators[i].meta.id + ": " + std::to_string(primary[i]) + " counts below " +
                       std::to_string(config.min_count) + " and " + std::to_string(secondary[i]) +
                       " further cells suppressed (statistical secrecy)");
    }
}

}  // namespace atlas
