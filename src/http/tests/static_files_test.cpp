#include "http/static_files.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "core/ids.hpp"
#include "http/tests/gunzip.hpp"

namespace otdel::http {
namespace {

namespace fs = std::filesystem;

using otdel::http::testing::Gunzip;

class StaticFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        root = fs::temp_directory_path() / ("otdel_static_" + core::RandomToken(6));
        fs::create_directories(root / "assets");
        Write("index.html", index_html);
        for (int i = 0; i < 200; ++i)
            app_js += "export function f" + std::to_string(i) + "() { return 'лид " + std::to_string(i) + "'; }\n";
        Write("assets/app-3f9a1c.js", app_js);
        Write("favicon.svg", "<svg/>");
        Write("logo.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(2000, '\0'));
        files = StaticFiles::Load(root.string());
    }
    void TearDown() override { fs::remove_all(root); }
    void Write(const std::string& rel, const std::string& body) { std::ofstream(root / rel, std::ios::binary) << body; }

    fs::path root;
    std::string index_html = "<!doctype html><title>Отдел</title><div id=root></div>";
    std::string app_js;
    std::unique_ptr<StaticFiles> files;
};

TEST_F(StaticFilesTest, LoadsEveryFile) {
    EXPECT_EQ(files->size(), 4u);
}

TEST_F(StaticFilesTest, ServesAnExactFileWithItsType) {
    const Asset* a = files->Resolve("/assets/app-3f9a1c.js");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->body, app_js);
    EXPECT_EQ(a->content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, RootServesIndexHtml) {
    const Asset* a = files->Resolve("/");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->body, index_html);
    EXPECT_EQ(a->content_type, "text/html; charset=utf-8");
}

TEST_F(StaticFilesTest, ClientSideRouteFallsBackToIndexHtml) {
    const Asset* a = files->Resolve("/leads/42");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->body, index_html);
}

TEST_F(StaticFilesTest, MissingFileWithAnExtensionIsNotFound) {
    EXPECT_EQ(files->Resolve("/missing.js"), nullptr);
    EXPECT_EQ(files->Resolve("/assets/app-000000.js"), nullptr);
}

TEST_F(StaticFilesTest, LargeTextGetsAGzipVariantThatInflatesToTheOriginal) {
    const Asset* a = files->Resolve("/assets/app-3f9a1c.js");
    ASSERT_NE(a, nullptr);
    ASSERT_FALSE(a->gzip.empty());
    EXPECT_LT(a->gzip.size(), a->body.size());
    EXPECT_EQ(Gunzip(a->gzip), app_js);
}

TEST_F(StaticFilesTest, SmallAndBinaryFilesAreNotCompressed) {
    EXPECT_TRUE(files->Resolve("/favicon.svg")->gzip.empty());
    const Asset* png = files->Resolve("/logo.png");
    ASSERT_NE(png, nullptr);
    EXPECT_EQ(png->content_type, "image/png");
    EXPECT_TRUE(png->gzip.empty());
}

TEST_F(StaticFilesTest, OnlyHashedAssetsAreImmutable) {
    EXPECT_TRUE(files->Resolve("/assets/app-3f9a1c.js")->immutable);
    EXPECT_FALSE(files->Resolve("/index.html")->immutable);
    EXPECT_FALSE(files->Resolve("/favicon.svg")->immutable);
}

TEST_F(StaticFilesTest, EtagsAreQuotedAndDifferPerContent) {
    const Asset* a = files->Resolve("/index.html");
    const Asset* b = files->Resolve("/favicon.svg");
    EXPECT_EQ(a->etag.front(), '"');
    EXPECT_EQ(a->etag.back(), '"');
    EXPECT_NE(a->etag, b->etag);
}

TEST(StaticFiles, MissingRootServesNothing) {
    auto files = StaticFiles::Load("/nonexistent/otdel/web/dist");
    EXPECT_EQ(files->size(), 0u);
    EXPECT_EQ(files->Resolve("/"), nullptr);
    EXPECT_EQ(files->Resolve("/leads/42"), nullptr);
}

TEST(Gzip, RoundTripsThroughZlib) {
    std::string text;
    for (int i = 0; i < 1000; ++i) text += "Привет, отдел продаж! ";
    std::string gz = Gzip(text);
    ASSERT_FALSE(gz.empty());
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
    EXPECT_EQ(Gunzip(gz), text);
}

}  // namespace
}  // namespace otdel::http
