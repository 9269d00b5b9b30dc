#pragma once
// Private: opening GDAL vector sources with errors that name the source.

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <string>

namespace atlas::gdal {

// Registers the drivers once per process; safe to call from any thread.
void ensure_registered();

// Opens a vector source read-only. Throws InputError naming the source on failure.
GDALDatasetUniquePtr open_vector(const std::string& source);

// The named layer, or the first one when `name` is empty.
OGRLayer& layer(GDALDataset& dataset, const std::string& source, const std::string& name);

// Index of a field in the layer's schema; throws InputError naming source and field.
int field_index(OGRLayer& layer, const std::string& source, const std::string& field);

// The CRS of a layer as WKT, or `override_crs` when set. Throws when neither is known.
std::string layer_crs(OGRLayer& layer, const std::string& source, const std::string& override_crs);

}  // namespace atlas::gdal
