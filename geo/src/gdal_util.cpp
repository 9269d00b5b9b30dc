#include "gdal_util.hpp"

#include <cpl_error.h>

#include <mutex>

#include "atlas/geo/error.hpp"

namespace atlas::gdal {

void ensure_registered() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

GDALDatasetUniquePtr open_vector(const std::string& source) {
    ensure_registered();
    CPLErrorReset();
    // Quiet: the message goes into our exception instead of GDAL's stderr handler.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetUniquePtr dataset(GDALDataset::Open(
        source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    const std::string message = CPLGetLastErrorMsg();
    CPLPopErrorHandler();
    if (!dataset) {
        throw InputError({source, {}, {}, {}}, "cannot open as a vector source" +
                                                   (message.empty() ? "" : ": " + message));
    }
    return dataset;
}

OGRLayer& layer(GDALDataset& dataset, const std::string& source, const std::string& name) {
    OGRLayer* found = name.empty() ? (dataset.GetLayerCount() > 0 ? dataset.GetLayer(0) : nullptr)
                                   : dataset.GetLayerByName(name.c_str());
    if (!found) {
        throw InputError({source, {}, {}, "layer"},
                         name.empty() ? "has no layer" : "has no layer named '" + name + "'");
    }
    return *found;
}

int field_index(OGRLayer& layer, const std::string& source, const std::string& field) {
    const int index = layer.GetLayerDefn()->GetFieldIndex(field.c_str());
    if (index < 0) throw InputError({source, {}, {}, field}, "field is missing from the layer");
    return index;
}

std::string layer_crs(OGRLayer& layer, const std::string& source, const std::string& override_crs) {
    if (!override_crs.empty()) return override_crs;
    const OGRSpatialReference* srs = layer.GetSpatialRef();
    if (!srs) {
        throw InputError({source, {}, {}, "crs"},
                         "the layer has no CRS; set 'crs' for it in the config");
    }
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    if (srs->exportToWkt(&wkt, options) != OGRERR_NONE || !wkt) {
        CPLFree(wkt);
        throw InputError({source, {}, {}, "crs"}, "the layer's CRS cannot be written as WKT");
    }
    std::string out(wkt);
    CPLFree(wkt);
    return out;
}

}  // namespace atlas::gdal
