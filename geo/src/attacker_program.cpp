#include "attacker_program.hpp"

#include <CbcModel.hpp>
#include <OsiClpSolverInterface.hpp>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace atlas::secrecy {

namespace {

constexpr double kIntegral = 1e-6;
constexpr double kBinding = 1e-9;
// Enough for the small per-year programs of district tables; when CBC stops early, the best
// integer point found is used, which understates the attacker's range (more is withheld).
constexpr int kMaxNodes = 20000;

bool integral(const double* solution, int n) {
    for (int j = 0; j < n; ++j)
        if (std::abs(solution[j] - std::round(solution[j])) > kIntegral) return false;
    return true;
}

}  // namespace

void AttackerProgram::load(const std::vector<int>& rows, const std::vector<int>& columns,
                           const std::vector<double>& elements) {
    const int n = static_cast<int>(cells_.size());
    matrix_ = CoinPackedMatrix(true, rows.data(), columns.data(), elements.data(),
                               static_cast<CoinBigIndex>(elements.size()));
    // A column or row without entries is not in the triplets; give the matrix its full shape.
    matrix_.setDimensions(static_cast<int>(rhs_.size()), n);
    const std::vector<double> lower(cells_.size(), lowest_), upper(cells_.size(), COIN_DBL_MAX),
        objective(cells_.size(), 0.0);
    lp_.setLogLevel(0);
    lp_.loadProblem(matrix_, lower.data(), upper.data(), objective.data(), rhs_.data(),
                    rhs_.data());
}

AttackerProgram::Bound AttackerProgram::solve(const Cell& c, int sense) {
    const int column = static_cast<int>(variable_.at(c));
    if (objective_column_ >= 0) lp_.setObjectiveCoefficient(objective_column_, 0.0);
    lp_.setObjectiveCoefficient(column, 1.0);
    objective_column_ = column;
    lp_.setOptimizationDirection(sense);
    lp_.primal(0, 3);  // from the last basis and factorisation: only the objective changed
    ++lp_solves_;
    if (!lp_.isProvenOptimal() && !lp_.isProvenDualInfeasible()) {
        lp_.allSlackBasis();
        lp_.primal();
        ++lp_solves_;
    }
    Bound bound;
    if (lp_.isProvenDualInfeasible()) {
        bound.finite = false;
        return bound;
    }
    if (!lp_.isProvenOptimal()) {
        // The published data itself is a solution, so this is a numerical failure: refuse to
        // claim anything rather than publish on a guess.
        throw std::runtime_error(
            "statistical secrecy: the LP solver (CLP) failed on a program "
            "that has a solution (status " +
            std::to_string(lp_.status()) + ")");
    }
    const double* duals = lp_.dualRowSolution();
    for (std::size_t r = 0; r < row_relation_.size(); ++r)
        if (std::abs(duals[r]) > kBinding) bound.binding.push_back(row_relation_[r]);
    if (integral(lp_.primalColumnSolution(), lp_.numberColumns())) {
        remember(lp_.primalColumnSolution());
        bound.value = std::round(lp_.primalColumnSolution()[column]);
    } else {
        bound.value = integer_optimum(column, sense);
    }
    return bound;
}

double AttackerProgram::integer_optimum(int column, int sense) {
    ++integer_solves_;
    OsiClpSolverInterface solver;
    solver.messageHandler()->setLogLevel(0);
    const std::vector<double> lower(cells_.size(), lowest_), upper(cells_.size(), COIN_DBL_MAX);
    std::vector<double> objective(cells_.size(), 0.0);
    objective[static_cast<std::size_t>(column)] = 1.0;
    solver.loadProblem(matrix_, lower.data(), upper.data(), objective.data(), rhs_.data(),
                       rhs_.data());
    for (int j = 0; j < static_cast<int>(cells_.size()); ++j) solver.setInteger(j);
    solver.setObjSense(sense);
    CbcModel model(solver);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.setMaximumNodes(kMaxNodes);
    model.branchAndBound();
    if (model.bestSolution() == nullptr) {
        throw std::runtime_error(
            "statistical secrecy: the integer solver (CBC) found no "
            "solution of a program that has one");
    }
    remember(model.bestSolution());
    return std::round(model.bestSolution()[column]);
}

void AttackerProgram::remember(const double* solution) {
    for (std::size_t j = 0; j < cells_.size(); ++j) {
        const double v = std::round(solution[j]);
        auto& [low, high] = seen_.at(cells_[j]);
        low = std::min(low, v);
        high = std::max(high, v);
    }
}

}  // namespace atlas::secrecy
