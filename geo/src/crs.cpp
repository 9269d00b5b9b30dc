#include "atlas/geo/crs.hpp"

#include <proj.h>

#include <cmath>

#include "atlas/geo/error.hpp"

namespace atlas {

namespace {
struct ContextDeleter {
    void operator()(PJ_CONTEXT* ctx) const { proj_context_destroy(ctx); }
};
struct PjDeleter {
    void operator()(PJ* pj) const { proj_destroy(pj); }
};
using ContextPtr = std::unique_ptr<PJ_CONTEXT, ContextDeleter>;
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

ContextPtr offline_context() {
    ContextPtr ctx(proj_context_create());
    // Grids are never fetched over the network: results must not depend on connectivity.
    proj_context_set_enable_network(ctx.get(), 0);
    // Failures surface as exceptions with our own message; PROJ must not print to stderr.
    proj_log_level(ctx.get(), PJ_LOG_NONE);
    return ctx;
}
}  // namespace

struct Transformer::Impl {
    ContextPtr ctx;
    PjPtr pj;
};

Transformer::Transformer(const std::string& from, const std::string& to)
    : impl_(std::make_unique<Impl>()) {
    impl_->ctx = offline_context();
    for (const auto* crs : {&from, &to}) {
        PjPtr probe(proj_create(impl_->ctx.get(), crs->c_str()));
        if (!probe) throw Error("unknown CRS '" + *crs + "'");
    }
    PjPtr raw(proj_create_crs_to_crs(impl_->ctx.get(), from.c_str(), to.c_str(), nullptr));
    if (!raw) throw Error("no transformation from '" + from + "' to '" + to + "'");
    impl_->pj.reset(proj_normalize_for_visualization(impl_->ctx.get(), raw.get()));
    if (!impl_->pj)
        throw Error("cannot normalise the axis order of '" + from + "' -> '" + to + "'");
}

Transformer::~Transformer() = default;
Transformer::Transformer(Transformer&&) noexcept = default;
Transformer& Transformer::operator=(Transformer&&) noexcept = default;

Point Transformer::apply(Point p) const {
    PJ_COORD c = proj_coord(p.x, p.y, 0, 0);
    c = proj_trans(impl_->pj.get(), PJ_FWD, c);
    if (!std::isfinite(c.xy.x) || !std::isfinite(c.xy.y)) {
        throw Error("coordinate (" + std::to_string(p.x) + ", " + std::to_string(p.y) +
                    ") cannot be transformed");
    }
    return {c.xy.x, c.xy.y};
}

void Transformer::apply(Ring& ring) const {
    if (ring.empty()) return;
    const auto stride = sizeof(Point);
    proj_trans_generic(impl_->pj.get(), PJ_FWD, &ring[0].x, stride, ring.size(), &ring[0].y, stride,
                       ring.size(), nullptr, 0, 0, nullptr, 0, 0);
    for (const auto& p : ring) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
            throw Error("a coordinate cannot be transformed");
    }
}

void Transformer::apply(MultiPolygon& shape) const {
    for (auto& polygon : shape) {
        apply(polygon.outer);
        for (auto& hole : polygon.holes) apply(hole);
    }
}

bool is_known_crs(const std::string& definition) {
    auto ctx = offline_context();
    PjPtr pj(proj_create(ctx.get(), definition.c_str()));
    return pj != nullptr && proj_is_crs(pj.get());
}

}  // namespace atlas
