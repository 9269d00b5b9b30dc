#pragma once
// The cooperation network of the inventory's actors (Boost.Graph): degree, betweenness,
// components, isolated actors, actors that bridge Handlungsfelder, and synergy candidates.
// Definitions: docs/inventory.md.

#include <optional>
#include <string>
#include <vector>

#include "atlas/geo/inventory.hpp"

namespace atlas {

struct ActorNetworkMeasures {
    std::string actor_id;
    std::size_t degree = 0;             // distinct cooperation partners
    double betweenness = 0;             // shortest paths between other pairs through the actor
    double betweenness_normalised = 0;  // divided by (n-1)(n-2)/2, 0..1
    int component = 0;                  // 1 = the largest component, 2 = the next, ...
    bool isolated = false;              // no cooperation at all
    std::vector<std::string> fields;    // Handlungsfelder of the actor's offers
    // Pairs of fields "a|b" the actor links: two partners of it whose fields do not overlap.
    std::vector<std::string> bridged_fields;
};

// Two actors active in the same Handlungsfeld and district (by their offers) with no
// cooperation between them: a chance for synergy.
struct SynergyCandidate {
    std::string actor_a;
    std::string actor_b;
    std::vector<std::string> fields;
    std::vector<std::size_t> districts;  // indexes into Dataset::districts
};

struct NetworkResult {
    std::vector<ActorNetworkMeasures> actors;  // in inventory order
    std::size_t edges = 0;                     // distinct cooperating pairs
    std::size_t components = 0;                // including isolated actors
    std::vector<std::size_t> component_sizes;  // largest first
    std::vector<std::string> isolated;
    std::vector<SynergyCandidate> synergies;
};

// `offer_district` is the district index of each offer (aligned with inventory.offers; none for
// citywide, mobile and unplaced offers), as Dataset::offer_district holds it.
NetworkResult analyse_network(const Inventory& inventory,
                              const std::vector<std::optional<std::size_t>>& offer_district);

}  // namespace atlas
