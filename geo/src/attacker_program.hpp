#pragma once
// The integer program of an attacker who knows every published count and relation of one year
// and wants to bound the withheld ones (docs/secrecy.md). Solved with COIN-OR: CLP for the LP
// relaxation, re-solved from the last basis for each objective; CBC only where the LP optimum is
// fractional, so the bound is the integer one the attacker can prove.

#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <map>
#include <utility>
#include <vector>

#include "atlas/geo/secrecy.hpp"

namespace atlas::secrecy {

using Cell = SecrecyRelation::Cell;
using SeenRanges = std::map<Cell, std::pair<double, double>>;  // lowest, highest

class AttackerProgram {
  public:
    struct Bound {
        bool finite = true;
        double value = 0;
        std::vector<const SecrecyRelation*> binding;  // relations that bind the optimum
    };

    // Variables: the cells for which `withheld` holds, integers >= `lowest` (1 where zeros are
    // published, so a withheld count is not 0). Equations: every relation with a withheld cell, its
    // published cells moved to the constant; `value` gives a cell's true number. Every integer
    // solution met widens `seen`, the range of each cell over them (the true data's own among
    // them): the attacker's proven range contains it, so it answers "is the range at least this
    // wide?" without a solve. Solutions stay solutions when more cells are withheld, so `seen` may
    // outlive the program.
    template <typename Withheld, typename Value>
    AttackerProgram(const std::vector<const SecrecyRelation*>& relations, Withheld withheld,
                    Value value, SeenRanges& seen, double lowest)
        : seen_(seen), lowest_(lowest) {
        std::vector<int> rows, columns;
        std::vector<double> elements;
        for (std::size_t r = 0; r < relations.size(); ++r) {
            const SecrecyRelation& relation = *relations[r];
            double rhs = relation.constant;
            bool any = false;
            for (std::size_t k = 0; k < relation.cells.size(); ++k) {
                const Cell& c = relation.cells[k];
                if (!withheld(c)) {
                    rhs -= relation.coefficients[k] * value(c);
                    continue;
                }
                auto [it, fresh] = variable_.emplace(c, cells_.size());
                if (fresh) {
                    cells_.push_back(c);
                    seen_.try_emplace(c, value(c), value(c));
                }
                rows.push_back(static_cast<int>(row_relation_.size()));
                columns.push_back(static_cast<int>(it->second));
                elements.push_back(relation.coefficients[k]);
                any = true;
            }
            if (!any) continue;
            row_relation_.push_back(&relation);
            rhs_.push_back(rhs);
        }
        load(rows, columns, elements);
    }

    // Cells that are variables of the program, in first-seen order.
    const std::vector<Cell>& cells() const { return cells_; }
    bool contains(const Cell& c) const { return variable_.contains(c); }

    Bound maximise(const Cell& c) { return solve(c, -1); }
    Bound minimise(const Cell& c) { return solve(c, 1); }

    std::size_t lp_solves() const { return lp_solves_; }
    std::size_t integer_solves() const { return integer_solves_; }

  private:
    void load(const std::vector<int>& rows, const std::vector<int>& columns,
              const std::vector<double>& elements);
    Bound solve(const Cell& c, int sense);
    void remember(const double* solution);
    double integer_optimum(int column, int sense);

    std::map<Cell, std::size_t> variable_;
    std::vector<Cell> cells_;
    std::vector<const SecrecyRelation*> row_relation_;
    std::vector<double> rhs_;
    SeenRanges& seen_;
    double lowest_;
    CoinPackedMatrix matrix_;
    ClpSimplex lp_;
    int objective_column_ = -1;
    std::size_t lp_solves_ = 0;
    std::size_t integer_solves_ = 0;
};

}  // namespace atlas::secrecy
