#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <atomic>

#include "atlas/geo/error.hpp"
#include "atlas/geo/geojson.hpp"
#include "gdal_util.hpp"

namespace atlas {

namespace {

OGRFieldType ogr_type(ValueType t) {
    switch (t) {
        case ValueType::boolean:  // GDAL's Boolean subtype belongs to 32-bit integers
            return OFTInteger;
        case ValueType::integer:
            return OFTInteger64;
        case ValueType::number:
            return OFTReal;
        case ValueType::string:
            return OFTString;
    }
    return OFTString;
}

std::unique_ptr<OGRGeometry> ogr_geometry(const Geometry& geometry) {
    if (const auto* p = std::get_if<Point>(&geometry))
        return std::make_unique<OGRPoint>(p->x, p->y);
    if (const auto* line = std::get_if<LineString>(&geometry)) {
        auto out = std::make_unique<OGRLineString>();
        for (const auto& p : line->points) out->addPoint(p.x, p.y);
        return out;
    }
    auto multi = std::make_unique<OGRMultiPolygon>();
    for (const auto& polygon : std::get<MultiPolygon>(geometry)) {
        OGRPolygon ogr;
        const auto add_ring = [&](const Ring& ring) {
            OGRLinearRing r;
            for (const auto& p : ring) r.addPoint(p.x, p.y);
            ogr.addRing(&r);
        };
        add_ring(polygon.outer);
        for (const auto& hole : polygon.holes) add_ring(hole);
        multi->addGeometry(&ogr);
    }
    return multi;
}

// Deletes a /vsimem/ file when the download has been read.
struct VsiFile {
    std::string path;
    ~VsiFile() { VSIUnlink(path.c_str()); }
};

}  // namespace

std::string to_geopackage(const FeatureLayer& layer, const std::string& crs) {
    gdal::ensure_registered();
    static std::atomic<unsigned long> counter{0};
    VsiFile file{"/vsimem/atlas-download-" + std::to_string(counter++) + ".gpkg"};
    {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        GDALDatasetUniquePtr ds(driver->Create(file.path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw Error("cannot create a GeoPackage: " + std::string(CPLGetLastErrorMsg()));
        OGRSpatialReference srs;
        if (srs.SetFromUserInput(crs == "OGC:CRS84" ? "EPSG:4326" : crs.c_str()) != OGRERR_NONE)
            throw Error("unknown CRS '" + crs + "' for a GeoPackage");
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        OGRLayer* out = ds->CreateLayer(layer.id.c_str(), &srs,
                                        layer.geometry_type == "Point"        ? wkbPoint
                                        : layer.geometry_type == "LineString" ? wkbLineString
                                                                              : wkbMultiPolygon,
                                        nullptr);
        if (!out) throw Error("cannot create the GeoPackage layer " + layer.id);
        for (const auto& a : layer.schema) {
            OGRFieldDefn field(a.name.c_str(), ogr_type(a.type));
            if (a.type == ValueType::boolean) field.SetSubType(OFSTBoolean);
            if (out->CreateField(&field) != OGRERR_NONE)
                throw Error("cannot create field " + a.name);
        }
        if (out->StartTransaction() != OGRERR_NONE)
            throw Error("cannot start a GeoPackage transaction");
        for (const auto& f : layer.features) {
            OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(out->GetLayerDefn()));
            feature->SetFID(f.id);
            for (std::size_t i = 0; i < f.values.size(); ++i) {
                const int index = static_cast<int>(i);
                std::visit(
                    [&](const auto& x) {
                        using T = std::decay_t<decltype(x)>;
                        if constexpr (std::is_same_v<T, std::monostate> ||
                                      std::is_same_v<T, Suppressed>) {
                            feature->SetFieldNull(index);
                        } else if constexpr (std::is_same_v<T, bool>) {
                            feature->SetField(index, x ? 1 : 0);
                        } else if constexpr (std::is_same_v<T, std::int64_t>) {
                            feature->SetField(index, static_cast<GIntBig>(x));
                        } else if constexpr (std::is_same_v<T, double>) {
                            feature->SetField(index, x);
                        } else {
                            feature->SetField(index, x.c_str());
                        }
                    },
                    f.values[i]);
            }
            feature->SetGeometryDirectly(ogr_geometry(f.geometry).release());
            if (out->CreateFeature(feature.get()) != OGRERR_NONE)
                throw Error("cannot write a GeoPackage feature");
        }
        if (out->CommitTransaction() != OGRERR_NONE) throw Error("cannot commit the GeoPackage");
    }
    vsi_l_offset size = 0;
    GByte* bytes = VSIGetMemFileBuffer(file.path.c_str(), &size, FALSE);
    if (!bytes) throw Error("the GeoPackage was not written");
    return std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

}  // namespace atlas
