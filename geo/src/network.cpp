#include "atlas/geo/network.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/connected_components.hpp>
#include <map>
#include <set>

namespace atlas {

namespace {

using Graph = boost::adjacency_list<boost::setS, boost::vecS, boost::undirectedS>;

bool overlap(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::any_of(a.begin(), a.end(), [&](const std::string& f) {
        return std::find(b.begin(), b.end(), f) != b.end();
    });
}

}  // namespace

NetworkResult analyse_network(const Inventory& inv,
                              const std::vector<std::optional<std::size_t>>& offer_district) {
    const std::size_t n = inv.actors.size();
    std::map<std::string, std::size_t, std::less<>> index;
    for (std::size_t i = 0; i < n; ++i) index[inv.actors[i].id] = i;

    // setS edges: several cooperations of one pair (network and agreement) are one tie.
    Graph graph(n);
    for (const auto& c : inv.cooperations) {
        const auto a = index.find(c.actor_a);
        const auto b = index.find(c.actor_b);
        if (a == index.end() || b == index.end() || a->second == b->second) continue;
        boost::add_edge(a->second, b->second, graph);
    }

    NetworkResult result;
    result.edges = boost::num_edges(graph);
    result.actors.resize(n);

    std::vector<std::set<std::string>> fields(n);
    std::map<std::pair<std::string, std::size_t>, std::set<std::size_t>> active;  // field, district
    for (std::size_t o = 0; o < inv.offers.size(); ++o) {
        const Offer& offer = inv.offers[o];
        const auto a = index.find(offer.actor_id);
        if (a == index.end()) continue;
        for (const auto& f : offer.fields) {
            fields[a->second].insert(f);
            if (o < offer_district.size() && offer_district[o])
                active[{f, *offer_district[o]}].insert(a->second);
        }
    }

    std::vector<double> centrality(n, 0.0);
    if (n > 0) {
        boost::brandes_betweenness_centrality(
            graph, boost::centrality_map(boost::make_iterator_property_map(
                       centrality.begin(), boost::get(boost::vertex_index, graph))));
    }
    std::vector<int> component(n, 0);
    const int count =
        n > 0 ? boost::connected_components(
                    graph, boost::make_iterator_property_map(
                               component.begin(), boost::get(boost::vertex_index, graph)))
              : 0;
    result.components = static_cast<std::size_t>(count);
    // Number components by size (largest first, ties by first actor) so ids are stable.
    std::vector<std::size_t> sizes(static_cast<std::size_t>(count), 0);
    std::vector<std::size_t> first(static_cast<std::size_t>(count), n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<std::size_t>(component[i]);
        ++sizes[c];
        first[c] = std::min(first[c], i);
    }
    std::vector<std::size_t> order(sizes.size());
    for (std::size_t c = 0; c < order.size(); ++c) order[c] = c;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return sizes[a] != sizes[b] ? sizes[a] > sizes[b] : first[a] < first[b];
    });
    std::vector<int> rank(sizes.size());
    for (std::size_t r = 0; r < order.size(); ++r) {
        rank[order[r]] = static_cast<int>(r + 1);
        result.component_sizes.push_back(sizes[order[r]]);
    }

    // Boost 1.74's Brandes already counts each unordered pair once on undirected graphs (the
    // hand-computed test graph pins this); normalising divides by the number of other pairs.
    const double pairs = n > 2 ? static_cast<double>(n - 1) * static_cast<double>(n - 2) / 2 : 0;
    for (std::size_t i = 0; i < n; ++i) {
        ActorNetworkMeasures& m = result.actors[i];
        m.actor_id = inv.actors[i].id;
        m.degree = boost::degree(i, graph);
        m.betweenness = centrality[i];
        m.betweenness_normalised = pairs > 0 ? m.betweenness / pairs : 0;
        m.component = rank[static_cast<std::size_t>(component[i])];
        m.isolated = m.degree == 0;
        m.fields.assign(fields[i].begin(), fields[i].end());
        if (m.isolated) result.isolated.push_back(m.actor_id);
    }
    for (std::size_t i = 0; i < n; ++i) {
        std::set<std::string> bridged;
        std::vector<std::size_t> partners;
        for (auto [e, end] = boost::adjacent_vertices(i, graph); e != end; ++e)
            partners.push_back(*e);
        for (std::size_t p = 0; p < partners.size(); ++p) {
            for (std::size_t q = p + 1; q < partners.size(); ++q) {
                const auto& fp = result.actors[partners[p]].fields;
                const auto& fq = result.actors[partners[q]].fields;
                if (fp.empty() || fq.empty() || overlap(fp, fq)) continue;
                for (const auto& a : fp)
                    for (const auto& b : fq) bridged.insert(a < b ? a + "|" + b : b + "|" + a);
            }
        }
        result.actors[i].bridged_fields.assign(bridged.begin(), bridged.end());
    }

    std::map<std::pair<std::size_t, std::size_t>, SynergyCandidate> synergies;
    for (const auto& [key, actors] : active) {
        const auto& [field, district] = key;
        for (auto a = actors.begin(); a != actors.end(); ++a) {
            for (auto b = std::next(a); b != actors.end(); ++b) {
                if (boost::edge(*a, *b, graph).second) continue;
                SynergyCandidate& s = synergies[{*a, *b}];
                s.actor_a = inv.actors[*a].id;
                s.actor_b = inv.actors[*b].id;
                if (std::find(s.fields.begin(), s.fields.end(), field) == s.fields.end())
                    s.fields.push_back(field);
                if (std::find(s.districts.begin(), s.districts.end(), district) ==
                    s.districts.end())
                    s.districts.push_back(district);
            }
        }
    }
    for (auto& [pair, s] : synergies) {
        std::sort(s.fields.begin(), s.fields.end());
        std::sort(s.districts.begin(), s.districts.end());
        result.synergies.push_back(std::move(s));
    }
    return result;
}

}  // namespace atlas
