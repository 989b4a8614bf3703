#pragma once
/// The built web UI (web/dist) held in memory with gzip variants, served with an SPA fallback.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace otdel::http {

struct Asset {
    std::string content_type;
    std::string body;
    std::string gzip;  // empty when compression does not pay off
    std::string etag;
    bool immutable = false;  // hashed file names under /assets/ never change
};

class StaticFiles {
public:
    /// Loads every file under `root`. A missing root leaves the set empty (API-only server); logged by the caller.
    static std::unique_ptr<StaticFiles> Load(const std::string& root);

    /// The asset for a URL path, or the SPA's index.html for client-side routes; nullptr when nothing fits
    /// (a missing file with an extension, or no UI built).
    const Asset* Resolve(std::string_view path) const;
    std::size_t size() const { return files_.size(); }

private:
    std::unordered_map<std::string, Asset> files_;
};

/// gzip-compresses `data` (zlib, level 6); exposed for tests.
std::string Gzip(std::string_view data);

}  // namespace otdel::http
