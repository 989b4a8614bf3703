// Logos: a PNG by its signature and header, sane in pixels and bytes, decoding whole; the renderer skips a bad one.
#include <gtest/gtest.h>

#include "documents/pdf.hpp"
#include "test_support.hpp"

namespace otdel::documents {
namespace {

// The same header as the sample PNG claiming 5000×5000 (nothing behind it).
using test_support::kPng;

std::string Huge() {
    std::string png = kPng;
    png.replace(16, 8, std::string("\x00\x00\x13\x88\x00\x00\x13\x88", 8));
    return png;
}

std::string FieldCode(const core::Result<LogoInfo>& r) {
    return r ? "" : r.error().fields.empty() ? "" : r.error().fields[0].code;
}

TEST(Logo, AWholePngPasses) {
    auto info = ValidateLogo(kPng);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->width, 2);
    EXPECT_EQ(info->height, 2);
}

TEST(Logo, WhatIsNotAPngOrNotWholeIsRefused) {
    EXPECT_EQ(FieldCode(ValidateLogo("GIF89a\x01\x00\x01\x00 and more bytes to be long enough")), "not_png");
    EXPECT_EQ(FieldCode(ValidateLogo("")), "not_png");
    EXPECT_EQ(FieldCode(ValidateLogo(kPng.substr(0, 50))), "corrupt");
    std::string flipped = kPng;
    flipped[45] ^= 0x55;  // inside the compressed data: the CRC no longer matches
    EXPECT_EQ(FieldCode(ValidateLogo(flipped)), "corrupt");
}

TEST(Logo, SizeLimits) {
    EXPECT_EQ(FieldCode(ValidateLogo(Huge())), "too_large");
    auto big = ValidateLogo(kPng + std::string(kMaxLogoBytes, '\0'));
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, core::ErrorCode::kPayloadTooLarge);
}

TEST(Logo, TheRendererSkipsABadLogo) {
    PdfDocument doc;
    doc.title = "Без логотипа";
    doc.logo_png = Huge();
    EXPECT_EQ(RenderPdf(doc).rfind("%PDF-", 0), 0u);
    doc.logo_png = kPng;
    EXPECT_EQ(RenderPdf(doc).rfind("%PDF-", 0), 0u);
}

}  // namespace
}  // namespace otdel::documents
