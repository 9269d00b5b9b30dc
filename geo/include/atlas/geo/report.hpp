#pragma once
// The situation report (atlas report): one PDF with a title page, a map page per thematic map,
// the status × dynamics table and the tables of grouped counts, every number after statistical
// secrecy ("." for withheld values) and every page with the data status and attribution.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "atlas/geo/dataset.hpp"
#include "atlas/geo/inventory_analysis.hpp"
#include "atlas/geo/monitoring.hpp"
#include "atlas/geo/style.hpp"

namespace atlas {

struct ReportContent {
    std::string title;         // e.g. "Lagebericht Integration"
    std::string created;       // date line for the title page
    std::vector<Legend> maps;  // one page each
    std::optional<MonitoringResult> monitoring;
    int table_year = 0;  // year of the grouped-count tables
    // The chapter "Struktur- und Ressourcenanalyse": one page per Handlungsfeld (offers map,
    // figures, languages, funding, resources at risk, network, synergy candidates).
    std::optional<InventoryAnalysis> structure;
    std::optional<NetworkResult> network;
};

// A4 landscape PDF. `progress(done, total)` is called after each page.
std::string render_report(const Dataset& dataset, const ReportContent& content,
                          const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace atlas
