#include "atlas/geo/location_planning.hpp"

#include <CbcModel.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>
#include <algorithm>
#include <cmath>
#include <map>
#include <queue>

#include "atlas/geo/spatial_index.hpp"

namespace atlas {

namespace {

// The covering structure after aggregation: demand groups (points reached by exactly the same
// candidates, weights summed) and, per candidate, the groups it reaches.
struct CoverInstance {
    std::vector<double> group_weight;
    std::vector<std::vector<std::size_t>> reaches;  // candidate -> groups (sorted)
    std::vector<std::size_t> candidate;             // instance candidate -> input candidate
};

CoverInstance build_instance(const std::vector<DemandPoint>& demand,
                             const std::vector<SiteCandidate>& candidates, double radius_m) {
    std::vector<Point> sites;
    for (const auto& c : candidates) sites.push_back(c.metric);
    const PointIndex index(sites);
    std::map<std::vector<std::size_t>, std::size_t> group_of;
    CoverInstance out;
    std::vector<std::vector<std::size_t>> reaches(candidates.size());
    for (const auto& d : demand) {
        if (!(d.weight > 0)) continue;
        std::vector<std::size_t> reached;
        index.within(d.metric, radius_m,
                     [&](const PointIndex::Hit& hit) { reached.push_back(hit.index); });
        if (reached.empty()) continue;  // no candidate can serve it: it cannot count
        std::sort(reached.begin(), reached.end());
        auto [it, fresh] = group_of.emplace(reached, out.group_weight.size());
        if (fresh) {
            out.group_weight.push_back(0);
            for (const std::size_t c : reached) reaches[c].push_back(it->second);
        }
        out.group_weight[it->second] += d.weight;
    }
    // A candidate whose groups are a subset of another's is never needed: drop it (ties keep
    // the lower index).
    for (std::size_t a = 0; a < candidates.size(); ++a) {
        if (reaches[a].empty()) continue;
        bool dominated = false;
        for (std::size_t b = 0; b < candidates.size() && !dominated; ++b) {
            if (a == b || reaches[b].size() < reaches[a].size()) continue;
            if (reaches[b].size() == reaches[a].size() && b > a) continue;
            dominated = std::includes(reaches[b].begin(), reaches[b].end(), reaches[a].begin(),
                                      reaches[a].end());
        }
        if (dominated) continue;
        out.candidate.push_back(a);
        out.reaches.push_back(reaches[a]);
    }
    return out;
}

CoverSolution greedy(const CoverInstance& in, std::size_t k) {
    CoverSolution s;
    s.method = "greedy";
    s.demand_groups = in.group_weight.size();
    s.candidates_used = in.candidate.size();
    std::vector<bool> covered(in.group_weight.size(), false);
    const auto gain_of = [&](std::size_t c) {
        double g = 0;
        for (const std::size_t group : in.reaches[c])
            if (!covered[group]) g += in.group_weight[group];
        return g;
    };
    // Lazy evaluation: a stale gain only shrinks, so a candidate whose fresh gain still tops
    // the queue is the best one.
    std::priority_queue<std::pair<double, std::size_t>> queue;
    for (std::size_t c = 0; c < in.candidate.size(); ++c) queue.emplace(gain_of(c), c);
    while (s.chosen.size() < k && !queue.empty()) {
        auto [stale, c] = queue.top();
        queue.pop();
        const double fresh = gain_of(c);
        if (!queue.empty() && fresh < queue.top().first) {
            queue.emplace(fresh, c);
            continue;
        }
        if (fresh <= 0) break;
        for (const std::size_t group : in.reaches[c]) covered[group] = true;
        s.chosen.push_back(in.candidate[c]);
        s.gains.push_back(fresh);
        s.covered += fresh;
    }
    return s;
}

// max Σ w_g y_g  s.t.  y_g ≤ Σ_{c reaches g} x_c,  Σ x_c ≤ k,  0 ≤ y ≤ 1,  x ∈ {0,1}.
// Columns: x_0..x_{m-1}, then y_0..y_{n-1}.
void load_program(OsiClpSolverInterface& solver, const CoverInstance& in, std::size_t k) {
    const int m = static_cast<int>(in.candidate.size());
    const int n = static_cast<int>(in.group_weight.size());
    CoinPackedMatrix matrix(false, 0, 0);
    matrix.setDimensions(0, m + n);
    std::vector<std::vector<int>> reached_by(static_cast<std::size_t>(n));
    for (int c = 0; c < m; ++c)
        for (const std::size_t g : in.reaches[static_cast<std::size_t>(c)])
            reached_by[g].push_back(c);
    std::vector<double> row_lower, row_upper;
    for (int g = 0; g < n; ++g) {
        CoinPackedVector row;
        row.insert(m + g, 1.0);
        for (const int c : reached_by[static_cast<std::size_t>(g)]) row.insert(c, -1.0);
        matrix.appendRow(row);
        row_lower.push_back(-COIN_DBL_MAX);
        row_upper.push_back(0);
    }
    CoinPackedVector budget;
    for (int c = 0; c < m; ++c) budget.insert(c, 1.0);
    matrix.appendRow(budget);
    row_lower.push_back(-COIN_DBL_MAX);
    row_upper.push_back(static_cast<double>(k));
    std::vector<double> lower(static_cast<std::size_t>(m + n), 0.0),
        upper(static_cast<std::size_t>(m + n), 1.0),
        objective(static_cast<std::size_t>(m + n), 0.0);
    for (int g = 0; g < n; ++g)
        objective[static_cast<std::size_t>(m + g)] = in.group_weight[static_cast<std::size_t>(g)];
    solver.messageHandler()->setLogLevel(0);
    solver.loadProblem(matrix, lower.data(), upper.data(), objective.data(), row_lower.data(),
                       row_upper.data());
    solver.setObjSense(-1);  // maximise
}

// Loads the program into `solver` and solves its LP relaxation: no k sites cover more than its
// optimum. `fallback` (a feasible cover) when CLP fails.
double relaxation_bound(OsiClpSolverInterface& solver, const CoverInstance& in, std::size_t k,
                        double fallback) {
    load_program(solver, in, k);
    solver.initialSolve();
    return solver.isProvenOptimal() ? solver.getObjValue() : fallback;
}

}  // namespace

double covered_weight(const std::vector<DemandPoint>& demand,
                      const std::vector<SiteCandidate>& candidates,
                      const std::vector<std::size_t>& chosen, double radius_m) {
    double total = 0;
    for (const auto& d : demand) {
        for (const std::size_t c : chosen) {
            const double dx = d.metric.x - candidates[c].metric.x;
            const double dy = d.metric.y - candidates[c].metric.y;
            if (dx * dx + dy * dy <= radius_m * radius_m) {
                total += d.weight;
                break;
            }
        }
    }
    return total;
}

CoverSolution max_cover_greedy(const std::vector<DemandPoint>& demand,
                               const std::vector<SiteCandidate>& candidates, std::size_t k,
                               double radius_m) {
    const CoverInstance in = build_instance(demand, candidates, radius_m);
    CoverSolution s = greedy(in, k);
    OsiClpSolverInterface lp;
    s.lp_bound = relaxation_bound(lp, in, k, s.covered);
    return s;
}

CoverSolution max_cover_exact(const std::vector<DemandPoint>& demand,
                              const std::vector<SiteCandidate>& candidates, std::size_t k,
                              double radius_m) {
    const CoverInstance in = build_instance(demand, candidates, radius_m);
    CoverSolution start = greedy(in, k);
    OsiClpSolverInterface solver;
    const double lp_bound = relaxation_bound(solver, in, k, start.covered);
    start.lp_bound = lp_bound;
    if (in.candidate.empty()) return start;
    for (int c = 0; c < static_cast<int>(in.candidate.size()); ++c) solver.setInteger(c);
    CbcModel model(solver);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.setMaximumNodes(20000);
    // Greedy's choice is a feasible start: CBC only has to prove or improve it.
    std::vector<double> warm(static_cast<std::size_t>(in.candidate.size() + in.group_weight.size()),
                             0.0);
    std::vector<bool> covered(in.group_weight.size(), false);
    for (const std::size_t chosen : start.chosen) {
        const auto c = static_cast<std::size_t>(
            std::find(in.candidate.begin(), in.candidate.end(), chosen) - in.candidate.begin());
        warm[c] = 1;
        for (const std::size_t g : in.reaches[c]) covered[g] = true;
    }
    for (std::size_t g = 0; g < covered.size(); ++g) warm[in.candidate.size() + g] = covered[g];
    model.setBestSolution(warm.data(), static_cast<int>(warm.size()), -start.covered, true);
    model.branchAndBound();
    const double* best = model.bestSolution();
    if (!best || !model.isProvenOptimal()) return start;
    CoverSolution s;
    s.method = "cbc";
    s.optimal = true;
    s.lp_bound = lp_bound;
    s.demand_groups = in.group_weight.size();
    s.candidates_used = in.candidate.size();
    std::vector<std::size_t> picked;
    for (std::size_t c = 0; c < in.candidate.size(); ++c)
        if (best[c] > 0.5) picked.push_back(c);
    // Report in the order of marginal gain, as greedy would add them.
    std::vector<bool> done(in.group_weight.size(), false);
    while (!picked.empty()) {
        std::size_t best_i = 0;
        double best_gain = -1;
        for (std::size_t i = 0; i < picked.size(); ++i) {
            double g = 0;
            for (const std::size_t group : in.reaches[picked[i]])
                if (!done[group]) g += in.group_weight[group];
            if (g > best_gain) best_gain = g, best_i = i;
        }
        for (const std::size_t group : in.reaches[picked[best_i]]) done[group] = true;
        s.chosen.push_back(in.candidate[picked[best_i]]);
        s.gains.push_back(best_gain);
        s.covered += best_gain;
        picked.erase(picked.begin() + static_cast<long>(best_i));
    }
    return s;
}

}  // namespace atlas
