#include "gdal_util.hpp"

#include <cpl_error.h>

#include <mutex>

#include "atlas/geo/error.hpp"

namespace atlas::gdal {

void ensure_registered() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

GDALDatasetUniquePtr open_vector(const std::string& source, const std::string& encoding) {
    ensure_registered();
    CPLErrorReset();
    // Quiet: the message goes into our exception instead of GDAL's stderr handler.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    const std::string option = "ENCODING=" + encoding;
    const char* options[] = {option.c_str(), nullptr};
    GDALDatasetUniquePtr dataset(GDALDataset::Open(source.c_str(),
                                                   GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                                   encoding.empty() ? nullptr : options, nullptr));
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

namespace {

Ring ring_from_ogr(const OGRLinearRing& ring) {
    Ring out;
    out.reserve(static_cast<std::size_t>(ring.getNumPoints()));
    for (int i = 0; i < ring.getNumPoints(); ++i) out.push_back({ring.getX(i), ring.getY(i)});
    return out;
}

Polygon polygon_from_ogr(const OGRPolygon& polygon) {
    Polygon out;
    out.outer = ring_from_ogr(*polygon.getExteriorRing());
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i) {
        out.holes.push_back(ring_from_ogr(*polygon.getInteriorRing(i)));
    }
    return out;
}

}  // namespace

std::optional<MultiPolygon> multipolygon_from_ogr(const OGRGeometry* geometry) {
    if (!geometry) return std::nullopt;
    switch (wkbFlatten(geometry->getGeometryType())) {
        case wkbPolygon:
            return MultiPolygon{polygon_from_ogr(*geometry->toPolygon())};
        case wkbMultiPolygon: {
            MultiPolygon out;
            for (const auto* part : *geometry->toMultiPolygon())
                out.push_back(polygon_from_ogr(*part));
            return out;
        }
        default:
            return std::nullopt;
    }
}

std::string feature_text(OGRFeature& feature, int field) {
    return feature.IsFieldSetAndNotNull(field) ? feature.GetFieldAsString(field) : "";
}

std::string feature_text(OGRFeature& feature, int field, const InputLocation& where) {
    std::string text = feature_text(feature, field);
    if (!is_valid_utf8(text)) {
        throw InputError(where,
                         "is not UTF-8 text; a Shapefile whose .dbf is in Latin-1 and has no .cpg "
                         "file needs encoding = \"ISO-8859-1\" in its config section");
    }
    return text;
}

Transformer make_transformer(const std::string& from, const std::string& to,
                             const std::string& source, const std::string& crs_field) {
    try {
        return Transformer(from, to);
    } catch (const Error& err) {
        throw InputError({source, {}, {}, crs_field}, err.what());
    }
}

CsvTable read_layer_table(OGRLayer& layer, const std::string& file, long first_row) {
    CsvTable table;
    table.file = file;
    table.rows_are_features = true;
    const OGRFeatureDefn* schema = layer.GetLayerDefn();
    for (int i = 0; i < schema->GetFieldCount(); ++i)
        table.header.emplace_back(schema->GetFieldDefn(i)->GetNameRef());
    long index = first_row;
    for (auto& feature : layer) {
        CsvRow row;
        row.line = index++;
        for (int i = 0; i < schema->GetFieldCount(); ++i)
            row.cells.push_back(feature_text(*feature, i, {file, {}, row.line, table.header[i]}));
        table.rows.push_back(std::move(row));
    }
    return table;
}

}  // namespace atlas::gdal
