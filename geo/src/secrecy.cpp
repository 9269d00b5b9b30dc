#include "atlas/geo/secrecy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "attacker_program.hpp"

namespace atlas {

namespace {

using secrecy::AttackerProgram;
using Cell = SecrecyRelation::Cell;

std::size_t index_of(const std::vector<IndicatorSeries>& indicators, const std::string& id) {
    for (std::size_t i = 0; i < indicators.size(); ++i)
        if (indicators[i].meta.id == id) return i;
    return indicators.size();
}

Secrecy& flag(std::vector<IndicatorSeries>& indicators, const Cell& c) {
    auto& series = indicators[c.indicator];
    auto& flags = series.secrecy[c.year];
    flags.resize(series.by_year[c.year].size(), Secrecy::published);
    return flags[c.district];
}

Secrecy flag_of(const std::vector<IndicatorSeries>& indicators, const Cell& c) {
    const auto& flags = indicators[c.indicator].secrecy;
    const auto found = flags.find(c.year);
    if (found == flags.end() || c.district >= found->second.size()) return Secrecy::published;
    return found->second[c.district];
}

const std::optional<double>& value(const std::vector<IndicatorSeries>& indicators, const Cell& c) {
    return indicators[c.indicator].by_year.at(c.year)[c.district];
}

bool withheld(const std::vector<IndicatorSeries>& indicators, const Cell& c) {
    return flag_of(indicators, c) != Secrecy::published;
}

void withhold_small_counts(const SecrecyConfig& config, std::vector<IndicatorSeries>& indicators,
                           SecrecyAudit& audit) {
    for (std::size_t i = 0; i < indicators.size(); ++i) {
        if (indicators[i].meta.kind != IndicatorKind::count) continue;
        for (const auto& [year, values] : indicators[i].by_year) {
            for (std::size_t d = 0; d < values.size(); ++d) {
                if (values[d] && *values[d] > 0 && *values[d] < config.min_count) {
                    flag(indicators, {i, year, d}) = Secrecy::primary;
                    ++audit.primary;
                }
            }
        }
    }
}

// Against an attacker who subtracts along one relation at a time.
void withhold_against_subtraction(const std::vector<SecrecyRelation>& relations,
                                  std::vector<IndicatorSeries>& indicators, SecrecyAudit& audit) {
    const auto unknown = [&](const Cell& c) {
        return !value(indicators, c) || withheld(indicators, c);
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& relation : relations) {
            std::size_t unknowns = 0;
            const Cell* hidden = nullptr;
            for (const auto& c : relation.cells) {
                if (!unknown(c)) continue;
                ++unknowns;
                hidden = &c;
            }
            if (unknowns != 1 || !withheld(indicators, *hidden)) continue;
            // The smallest other published cell (positive ones first) protects it best at the
            // least loss.
            const Cell* pick = nullptr;
            double best = std::numeric_limits<double>::infinity();
            for (const auto& c : relation.cells) {
                if (unknown(c)) continue;
                const double v = *value(indicators, c);
                const double rank = v > 0 ? v : std::numeric_limits<double>::max();
                if (!pick || rank < best) pick = &c, best = rank;
            }
            if (!pick) continue;
            flag(indicators, *pick) = Secrecy::secondary;
            ++audit.secondary;
            changed = true;
        }
    }
}

// How many derived indicators are computed from each indicator: withholding a cell withholds
// that many derived values with it.
std::vector<std::size_t> dependents(const std::vector<IndicatorConfig>& derived,
                                    const std::vector<IndicatorSeries>& indicators) {
    std::vector<std::size_t> out(indicators.size(), 0);
    for (const auto& d : derived) {
        for (const auto* source : {&d.numerator, &d.denominator, &d.change_of, &d.base_of}) {
            const std::size_t i = index_of(indicators, *source);
            if (i < indicators.size()) ++out[i];
        }
    }
    return out;
}

// Where zeros are not published: every zero in a relation with a withheld cell is withheld,
// until no such zero is left. Returns the zeros it withheld.
std::vector<Cell> withhold_zeros_in(
    const std::map<Cell, std::vector<const SecrecyRelation*>>& of_cell,
    std::vector<IndicatorSeries>& indicators, SecrecyAudit& audit) {
    std::vector<Cell> added, open;
    for (const auto& [cell, relations] : of_cell)
        if (withheld(indicators, cell)) open.push_back(cell);
    while (!open.empty()) {
        const Cell c = open.back();
        open.pop_back();
        for (const SecrecyRelation* r : of_cell.at(c)) {
            for (const Cell& x : r->cells) {
                const auto& v = value(indicators, x);
                if (!v || *v != 0 || withheld(indicators, x)) continue;
                flag(indicators, x) = Secrecy::secondary;
                ++audit.secondary;
                added.push_back(x);
                open.push_back(x);
            }
        }
    }
    return added;
}

std::map<Cell, std::vector<const SecrecyRelation*>> relations_of_cells(
    const std::vector<SecrecyRelation>& relations) {
    std::map<Cell, std::vector<const SecrecyRelation*>> out;
    for (const auto& r : relations)
        for (const auto& c : r.cells) out[c].push_back(&r);
    return out;
}

// The audit-driven secondary suppression: one attacker program per year (every relation lies
// within one year), rebuilt whenever a cell of that year is withheld.
class Auditor {
  public:
    Auditor(const SecrecyConfig& config, const std::vector<SecrecyRelation>& relations,
            std::vector<std::size_t> cost_rank, std::vector<IndicatorSeries>& indicators)
        : config_(config),
          dependents_(std::move(cost_rank)),
          indicators_(indicators),
          of_cell_(relations_of_cells(relations)) {
        for (const auto& relation : relations)
            by_year_[relation.cells.front().year].push_back(&relation);
    }

    // Where zeros are not published: withholds those in relations with a withheld cell.
    std::vector<Cell> withhold_zeros(SecrecyAudit& audit) {
        return withhold_zeros_in(of_cell_, indicators_, audit);
    }

    // Withholds further cells until every withheld one passes (see apply_secrecy).
    void protect(SecrecyAudit& audit) {
        auto queue = withheld_cells();
        // Withholding a further cell only adds unknowns, so a range the attacker can prove never
        // narrows: a cell checked once stays protected while later cells are added.
        for (std::size_t k = 0; k < queue.size(); ++k) {
            const Cell c = queue[k];
            const bool primary = flag_of(indicators_, c) == Secrecy::primary;
            while (of_cell_.contains(c)) {
                // Solutions met so far often show the range is wide enough already.
                program(c.year);
                const auto [low, high] = seen_.at(c);
                if (primary ? high >= target() : high > low) break;
                const Range range = interval(c);
                const double need =
                    primary ? target() - range.upper : 1 - (range.upper - range.lower);
                if (need <= 0) break;
                const auto pick = cheapest(c, range.binding, need);
                if (!pick) break;  // nothing left to withhold: measure() reports it
                flag(indicators_, *pick) = Secrecy::secondary;
                ++audit.secondary;
                retire(pick->year);
                queue.push_back(*pick);
                if (!config_.publish_zeros) {
                    for (const Cell& zero : withhold_zeros(audit)) {
                        retire(zero.year);
                        queue.push_back(zero);
                    }
                }
            }
        }
    }

    // The exact range the attacker can prove for every withheld cell, whichever rule chose them.
    void measure(SecrecyAudit& audit) {
        auto cells = withheld_cells();
        // Year by year, so that each solve starts from a close basis.
        std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
            return std::tie(a.year, a.indicator, a.district) <
                   std::tie(b.year, b.indicator, b.district);
        });
        for (const Cell& c : cells) {
            const Range range = interval(c);
            const Secrecy why = flag_of(indicators_, c);
            const bool protects =
                why == Secrecy::primary ? range.upper >= target() : range.upper > range.lower;
            if (why == Secrecy::primary && !protects) ++audit.unprotected;
            audit.withheld.push_back(
                {c.indicator, c.year, c.district, why, range.lower, range.upper, protects});
        }
        while (!programs_.empty()) retire(programs_.begin()->first);
        audit.lp_solves = lp_solves_;
        audit.integer_solves = integer_solves_;
    }

  private:
    struct Range {
        double lower;
        double upper;  // infinity: unbounded
        std::vector<const SecrecyRelation*> binding;
    };

    double target() const { return config_.min_count + config_.protection; }
    double lowest() const { return config_.publish_zeros ? 1 : 0; }

    std::vector<Cell> withheld_cells() const {
        std::vector<Cell> cells;
        for (std::size_t i = 0; i < indicators_.size(); ++i)
            for (const auto& [year, flags] : indicators_[i].secrecy)
                for (std::size_t d = 0; d < flags.size(); ++d)
                    if (flags[d] != Secrecy::published) cells.push_back({i, year, d});
        return cells;
    }

    // A withheld cell changes the year's program: the next question rebuilds it.
    void retire(int year) {
        const auto found = programs_.find(year);
        if (found == programs_.end()) return;
        lp_solves_ += found->second->lp_solves();
        integer_solves_ += found->second->integer_solves();
        programs_.erase(found);
    }

    AttackerProgram& program(int year) {
        auto& slot = programs_[year];
        if (!slot) {
            slot = std::make_unique<AttackerProgram>(
                by_year_[year], [&](const Cell& c) { return withheld(indicators_, c); },
                [&](const Cell& c) { return *value(indicators_, c); }, seen_, lowest());
        }
        return *slot;
    }

    Range interval(const Cell& c) {
        constexpr double kUnbounded = std::numeric_limits<double>::infinity();
        if (!of_cell_.contains(c)) return {lowest(), kUnbounded, {}};
        auto& p = program(c.year);
        const auto upper = p.maximise(c);
        // A solution met at the lowest possible value makes that the exact minimum.
        const double lower = seen_.at(c).first <= lowest() ? lowest() : p.minimise(c).value;
        return {lower, upper.finite ? upper.value : kUnbounded, upper.binding};
    }

    // The published positive cell that widens `c`'s range at the least loss: of the relations
    // that bind its bound (else all of its relations), the smallest value whose withholding
    // could give the `need`ed room (value − lowest()), else the largest; ties go to fewer
    // dependent values, then to the first cell.
    std::optional<Cell> cheapest(const Cell& c, const std::vector<const SecrecyRelation*>& binding,
                                 double need) const {
        if (auto pick = cheapest_in(binding, need)) return pick;
        return cheapest_in(of_cell_.at(c), need);
    }

    std::optional<Cell> cheapest_in(const std::vector<const SecrecyRelation*>& pool,
                                    double need) const {
        std::optional<Cell> best;
        double best_value = 0;
        const auto better = [&](const Cell& x, double v) {
            if (!best) return true;
            const bool fits = v - lowest() >= need, best_fits = best_value - lowest() >= need;
            if (fits != best_fits) return fits;
            if (v != best_value) return fits ? v < best_value : v > best_value;
            if (dependents_[x.indicator] != dependents_[best->indicator])
                return dependents_[x.indicator] < dependents_[best->indicator];
            return x < *best;
        };
        for (const SecrecyRelation* r : pool) {
            for (const Cell& x : r->cells) {
                if (withheld(indicators_, x)) continue;
                const auto& v = value(indicators_, x);
                if (!v || *v <= 0) continue;  // zeros: published, or already withheld
                if (better(x, *v)) best = x, best_value = *v;
            }
        }
        return best;
    }

    const SecrecyConfig& config_;
    std::vector<std::size_t> dependents_;
    std::vector<IndicatorSeries>& indicators_;
    std::map<int, std::vector<const SecrecyRelation*>> by_year_;
    std::map<Cell, std::vector<const SecrecyRelation*>> of_cell_;
    secrecy::SeenRanges seen_;  // before the programs that write into it
    std::map<int, std::unique_ptr<AttackerProgram>> programs_;
    std::size_t lp_solves_ = 0;
    std::size_t integer_solves_ = 0;
};

}  // namespace

std::vector<SecrecyRelation> secrecy_relations(const SecrecyConfig& config,
                                               const std::vector<IndicatorSeries>& indicators,
                                               LoadReport& report) {
    std::vector<SecrecyRelation> relations;
    if (config.city_totals) {
        for (std::size_t i = 0; i < indicators.size(); ++i) {
            if (indicators[i].meta.kind != IndicatorKind::count) continue;
            for (const auto& [year, values] : indicators[i].by_year) {
                // Districts without a value leave the relation: the attacker is granted the
                // total of the others, which is more than the city publishes.
                SecrecyRelation column;
                for (std::size_t d = 0; d < values.size(); ++d) {
                    if (!values[d]) continue;
                    column.cells.push_back({i, year, d});
                    column.coefficients.push_back(1);
                    column.constant += *values[d];
                }
                if (!column.cells.empty()) relations.push_back(std::move(column));
            }
        }
    }
    for (const auto& total : config.totals) {
        const std::size_t t = index_of(indicators, total.total);
        if (t == indicators.size()) continue;
        std::size_t broken = 0;
        std::string example;
        for (const auto& [year, values] : indicators[t].by_year) {
            for (std::size_t d = 0; d < values.size(); ++d) {
                SecrecyRelation row;
                row.cells.push_back({t, year, d});
                row.coefficients.push_back(-1);
                for (const auto& part : total.parts) {
                    const std::size_t p = index_of(indicators, part);
                    if (p < indicators.size() && indicators[p].by_year.contains(year)) {
                        row.cells.push_back({p, year, d});
                        row.coefficients.push_back(1);
                    }
                }
                if (row.cells.size() != total.parts.size() + 1) continue;
                double sum = 0;
                bool complete = true;
                for (std::size_t k = 0; k < row.cells.size(); ++k) {
                    const auto& v = value(indicators, row.cells[k]);
                    complete = complete && v.has_value();
                    if (v) sum += row.coefficients[k] * *v;
                }
                if (!complete) continue;
                if (std::abs(sum) > 1e-6) {
                    if (broken++ == 0)
                        example = std::to_string(year) + ", district " + std::to_string(d + 1);
                    continue;
                }
                relations.push_back(std::move(row));
            }
        }
        if (broken > 0) {
            report.add(ReportEntry::Severity::warning, "secrecy",
                       "[[secrecy.totals]] " + total.total +
                           ": the parts do not add up to the "
                           "total in " +
                           std::to_string(broken) + " districts and years (first: " + example +
                           "); those are not treated as a relation");
        }
    }
    return relations;
}

SecrecyAudit apply_secrecy(const SecrecyConfig& config, const std::vector<IndicatorConfig>& derived,
                           std::vector<IndicatorSeries>& indicators, LoadReport& report) {
    SecrecyAudit audit;
    withhold_small_counts(config, indicators, audit);
    // Values stay readable until the end: choosing what else to withhold needs them.
    const auto relations = secrecy_relations(config, indicators, report);
    Auditor auditor(config, relations, dependents(derived, indicators), indicators);
    if (!config.publish_zeros) auditor.withhold_zeros(audit);
    if (config.method == SecrecyMethod::subtraction) {
        // Zeros withheld make new unknowns, which may need further subtraction cells in turn.
        do {
            withhold_against_subtraction(relations, indicators, audit);
        } while (!config.publish_zeros && !auditor.withhold_zeros(audit).empty());
    } else {
        auditor.protect(audit);
    }
    auditor.measure(audit);
    for (std::size_t i = 0; i < indicators.size(); ++i) {
        std::size_t primary = 0, secondary = 0;
        for (auto& [year, flags] : indicators[i].secrecy) {
            auto& values = indicators[i].by_year.at(year);
            for (std::size_t d = 0; d < flags.size(); ++d) {
                if (flags[d] == Secrecy::published) continue;
                (flags[d] == Secrecy::primary ? primary : secondary)++;
                values[d].reset();
            }
        }
        if (primary + secondary == 0) continue;
        report.add(ReportEntry::Severity::info, "suppressed",
                   indicators[i].meta.id + ": " + std::to_string(primary) + " counts below " +
                       std::to_string(config.min_count) + " and " + std::to_string(secondary) +
                       " further cells withheld (statistical secrecy)");
    }
    if (audit.unprotected > 0) {
        report.add(ReportEntry::Severity::warning, "secrecy",
                   std::to_string(audit.unprotected) + " small counts stay provable below " +
                       std::to_string(config.min_count + config.protection) +
                       (config.method == SecrecyMethod::audit
                            ? ": their relations have no further cell to withhold"
                            : " ([secrecy] method = \"subtraction\"; \"audit\" protects them)"));
    }
    return audit;
}

}  // namespace atlas
