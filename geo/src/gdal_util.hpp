#pragma once
// Private: opening GDAL vector sources with errors that name the source.

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <optional>
#include <string>

#include "atlas/geo/crs.hpp"
#include "atlas/geo/csv.hpp"
#include "atlas/geo/error.hpp"
#include "atlas/geo/types.hpp"

namespace atlas::gdal {

// Registers the drivers once per process; safe to call from any thread.
void ensure_registered();

// Opens a vector source read-only. Throws InputError naming the source on failure.
// `encoding` (e.g. "ISO-8859-1") is the character set of a Shapefile's .dbf when no .cpg names it.
GDALDatasetUniquePtr open_vector(const std::string& source, const std::string& encoding = {});

// The named layer, or the first one when `name` is empty.
OGRLayer& layer(GDALDataset& dataset, const std::string& source, const std::string& name);

// Index of a field in the layer's schema; throws InputError naming source and field.
int field_index(OGRLayer& layer, const std::string& source, const std::string& field);

// The CRS of a layer as WKT, or `override_crs` when set. Throws when neither is known.
std::string layer_crs(OGRLayer& layer, const std::string& source, const std::string& override_crs);

// Polygonal geometry as a MultiPolygon; nullopt for other types or no geometry.
std::optional<MultiPolygon> multipolygon_from_ogr(const OGRGeometry* geometry);

// Every feature of a table layer as text cells, so GDAL tables (GeoPackage, XLSX, ODS, PG) and
// CSV files share one set of checks. Rows are numbered from `first_row` (0: feature indexes).
CsvTable read_layer_table(OGRLayer& layer, const std::string& file, long first_row);

// A field's value as text; empty when unset or null.
std::string feature_text(OGRFeature& feature, int field);
// The same, refusing text that is not UTF-8 with an InputError at `where` (its field set).
std::string feature_text(OGRFeature& feature, int field, const InputLocation& where);

// A Transformer whose CRS errors become InputErrors naming `source` and `crs_field`.
Transformer make_transformer(const std::string& from, const std::string& to,
                             const std::string& source, const std::string& crs_field);

}  // namespace atlas::gdal
