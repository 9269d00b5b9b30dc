#include "atlas/geo/store.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "atlas/geo/error.hpp"
#include "gdal_util.hpp"

namespace atlas {

namespace {

namespace fs = std::filesystem;

constexpr const char* kTable = "atlas_versions";

std::string utc_now() {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out.flush()) throw Error("cannot write " + partial);
    }
    std::error_code error;
    fs::rename(partial, path, error);
    if (error) throw Error("cannot move " + partial + " to " + path + ": " + error.message());
}

struct DataStore::Impl {
    GDALDatasetUniquePtr dataset;
    OGRLayer* layer = nullptr;

    StoredVersion read(OGRFeature& f, bool with_content) {
        StoredVersion v;
        v.name = f.GetFieldAsString("name");
        v.version = f.GetFieldAsInteger("version");
        v.created = f.GetFieldAsString("created");
        v.who = f.GetFieldAsString("who");
        v.action = f.GetFieldAsString("action");
        v.format = f.GetFieldAsString("format");
        v.bytes = static_cast<std::size_t>(f.GetFieldAsInteger64("bytes"));
        if (with_content) {
            int size = 0;
            const GByte* data = f.GetFieldAsBinary(f.GetFieldIndex("content"), &size);
            v.content.assign(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
        }
        return v;
    }
};

DataStore::DataStore(std::string path) : impl_(std::make_unique<Impl>()), path_(std::move(path)) {
    gdal::ensure_registered();
    if (path_.starts_with("PG:")) {
        // PostgreSQL/PostGIS through GDAL: the table lives in the database, bytea content.
        impl_->dataset.reset(GDALDataset::Open(path_.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    } else if (fs::exists(path_)) {
        impl_->dataset.reset(GDALDataset::Open(path_.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    } else {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        impl_->dataset.reset(driver->Create(path_.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    }
    if (!impl_->dataset)
        throw InputError({path_, {}, {}, "dataset.store"}, "cannot open the data store");
    impl_->layer = impl_->dataset->GetLayerByName(kTable);
    if (!impl_->layer) {
        impl_->layer = impl_->dataset->CreateLayer(kTable, nullptr, wkbNone, nullptr);
        if (!impl_->layer)
            throw InputError({path_, {}, {}, "dataset.store"}, "cannot create its table");
        for (const auto& [name, type] : {std::pair{"name", OFTString},
                                         {"version", OFTInteger},
                                         {"created", OFTString},
                                         {"who", OFTString},
                                         {"action", OFTString},
                                         {"format", OFTString},
                                         {"bytes", OFTInteger64},
                                         {"content", OFTBinary}}) {
            OGRFieldDefn field(name, type);
            impl_->layer->CreateField(&field);
        }
    }
}

DataStore::~DataStore() = default;

std::vector<StoredVersion> DataStore::history(const std::string& name) {
    std::vector<StoredVersion> out;
    impl_->layer->ResetReading();
    for (auto& f : *impl_->layer) {
        if (name == f->GetFieldAsString("name")) out.push_back(impl_->read(*f, false));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
}

std::optional<StoredVersion> DataStore::version(const std::string& name, int version) {
    std::optional<StoredVersion> best;
    impl_->layer->ResetReading();
    for (auto& f : *impl_->layer) {
        if (name != f->GetFieldAsString("name")) continue;
        const int v = f->GetFieldAsInteger("version");
        if (version ? v == version : (!best || v > best->version)) best = impl_->read(*f, true);
    }
    return best;
}

int DataStore::add(const std::string& name, const std::string& content, const std::string& format,
                   const std::string& who, const std::string& action) {
    const auto all = history(name);
    const int next = all.empty() ? 1 : all.back().version + 1;
    if (impl_->dataset->StartTransaction() != OGRERR_NONE)
        throw Error("cannot start a transaction in " + path_);
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(impl_->layer->GetLayerDefn()));
    f->SetField("name", name.c_str());
    f->SetField("version", next);
    f->SetField("created", utc_now().c_str());
    f->SetField("who", who.c_str());
    f->SetField("action", action.c_str());
    f->SetField("format", format.c_str());
    f->SetField("bytes", static_cast<GIntBig>(content.size()));
    f->SetField(f->GetFieldIndex("content"), static_cast<int>(content.size()),
                reinterpret_cast<const GByte*>(content.data()));
    if (impl_->layer->CreateFeature(f.get()) != OGRERR_NONE ||
        impl_->dataset->CommitTransaction() != OGRERR_NONE) {
        impl_->dataset->RollbackTransaction();
        throw Error("cannot store version " + std::to_string(next) + " of '" + name + "'");
    }
    impl_->dataset->FlushCache();
    return next;
}

std::string* dataset_source(DatasetConfig& config, const std::string& name) {
    for (auto& t : config.indicator_tables)
        if (t.id == name) return &t.file;
    for (auto& s : config.service_layers)
        if (s.id == name) return &s.source;
    if (config.inventory && name == kInventoryDataset) return &config.inventory->file;
    return nullptr;
}

std::vector<std::string> apply_stored_versions(DatasetConfig& config, DataStore& store,
                                               const std::string& folder) {
    std::vector<std::string> names;
    for (auto& t : config.indicator_tables) names.push_back(t.id);
    for (auto& s : config.service_layers) names.push_back(s.id);
    if (config.inventory) names.emplace_back(kInventoryDataset);
    std::vector<std::string> replaced;
    for (const auto& name : names) {
        const auto current = store.version(name);
        if (!current) continue;
        fs::create_directories(folder);
        const fs::path file = fs::path(folder) / (name + "." + current->format);
        write_file_atomically(file.string(), current->content);
        *dataset_source(config, name) = file.string();
        replaced.push_back(name);
    }
    return replaced;
}

}  // namespace atlas
