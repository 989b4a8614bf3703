#include "http/json.hpp"

#include <gtest/gtest.h>

#include <climits>

namespace otdel::http {
namespace {

using core::ErrorCode;

Request JsonRequest(std::string body, std::string content_type = "application/json") {
    Request r;
    r.method = "POST";
    r.path = "/api/v1/things";
    if (!content_type.empty()) r.headers["content-type"] = std::move(content_type);
    r.body = std::move(body);
    return r;
}

json::object Parse(std::string_view text) {
    return json::parse(text).as_object();
}

std::string Repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

// One level of nesting per level: {"a":[[...]]} with `levels` levels in total.
std::string Nested(int levels) {
    return "{\"a\":" + Repeat("[", levels - 1) + Repeat("]", levels - 1) + "}";
}

// ---- ParseJsonObject ----

TEST(ParseJsonObject, AcceptsAJsonObject) {
    auto r = ParseJsonObject(JsonRequest(R"({"name":"ООО Ромашка","n":3})"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->at("name").as_string(), "ООО Ромашка");
    EXPECT_EQ(r->at("n").as_int64(), 3);
}

TEST(ParseJsonObject, AcceptsJsonWithACharsetParameter) {
    EXPECT_TRUE(ParseJsonObject(JsonRequest("{}", "application/json; charset=utf-8")).ok());
}

TEST(ParseJsonObject, ContentTypeIsCaseInsensitive) {
    EXPECT_TRUE(ParseJsonObject(JsonRequest("{}", "Application/JSON")).ok());
}

TEST(ParseJsonObject, AcceptsAStructuredJsonSuffix) {
    EXPECT_TRUE(ParseJsonObject(JsonRequest("{}", "application/merge-patch+json")).ok());
}

TEST(ParseJsonObject, TextPlainIsUnsupportedMediaType) {
    auto r = ParseJsonObject(JsonRequest("{}", "text/plain"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(ParseJsonObject, MissingContentTypeIsUnsupportedMediaType) {
    auto r = ParseJsonObject(JsonRequest("{}", ""));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(ParseJsonObject, FormEncodedIsUnsupportedMediaType) {
    auto r = ParseJsonObject(JsonRequest("a=1", "application/x-www-form-urlencoded"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(ParseJsonObject, MalformedJsonIsRejected) {
    auto r = ParseJsonObject(JsonRequest(R"({"name": )"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedJson);
}

TEST(ParseJsonObject, EmptyBodyIsMalformed) {
    auto r = ParseJsonObject(JsonRequest(""));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedJson);
}

TEST(ParseJsonObject, ArrayIsRejectedBecauseBodiesAreObjects) {
    auto r = ParseJsonObject(JsonRequest(R"([{"name":"x"}])"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedJson);
}

TEST(ParseJsonObject, TrailingGarbageIsRejected) {
    auto r = ParseJsonObject(JsonRequest(R"({"a":1} x)"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedJson);
}

TEST(ParseJsonObject, NestingUpTo32LevelsIsAccepted) {
    EXPECT_TRUE(ParseJsonObject(JsonRequest(Nested(32))).ok());
}

TEST(ParseJsonObject, NestingDeeperThan32LevelsIsRejected) {
    auto r = ParseJsonObject(JsonRequest(Nested(33)));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kMalformedJson);
    EXPECT_FALSE(ParseJsonObject(JsonRequest(Nested(10000))).ok());
}

// ---- FieldReader ----

TEST(FieldReader, ReadsValidFieldsAndFinishesOk) {
    auto obj = Parse(R"({"name":"Иван","age":33,"vip":true,"stage":"won","address":{"city":"Тверь"}})");
    FieldReader f(obj);
    EXPECT_EQ(f.String("name", {.required = true}), "Иван");
    EXPECT_EQ(f.Int("age", true, 0, 150), 33);
    EXPECT_EQ(f.Bool("vip", true), true);
    EXPECT_EQ(f.Enum("stage", true, {"new", "won", "lost"}), "won");
    const json::object* addr = f.Object("address", true);
    ASSERT_NE(addr, nullptr);
    EXPECT_EQ(addr->at("city").as_string(), "Тверь");
    EXPECT_TRUE(f.Finish().ok());
}

TEST(FieldReader, MissingRequiredFieldIsReported) {
    auto obj = Parse("{}");
    FieldReader f(obj);
    EXPECT_FALSE(f.String("email", {.required = true}));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "email");
    EXPECT_EQ(r.error().fields[0].code, "required");
}

TEST(FieldReader, NullCountsAsMissing) {
    auto obj = Parse(R"({"email":null,"phone":null})");
    FieldReader f(obj);
    EXPECT_FALSE(f.String("email", {.required = true}));
    EXPECT_FALSE(f.String("phone", {}));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "email");
    EXPECT_EQ(r.error().fields[0].code, "required");
}

TEST(FieldReader, BlankRequiredStringIsRequired) {
    auto obj = Parse(R"({"name":"   "})");
    FieldReader f(obj);
    EXPECT_FALSE(f.String("name", {.required = true}));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].code, "required");
}

TEST(FieldReader, StringsAreTrimmed) {
    auto obj = Parse(R"({"name":"  Иван Петров \n"})");
    FieldReader f(obj);
    EXPECT_EQ(f.String("name", {}), "Иван Петров");
}

TEST(FieldReader, NumberWhereStringExpectedIsWrongType) {
    auto obj = Parse(R"({"name":42})");
    FieldReader f(obj);
    EXPECT_FALSE(f.String("name", {}));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].code, "wrong_type");
    EXPECT_EQ(r.error().fields[0].param, "string");
}

TEST(FieldReader, LengthLimitCountsCharactersNotBytes) {
    const std::string russian = Repeat("ж", 200);  // 400 bytes
    ASSERT_EQ(russian.size(), 400u);
    auto obj = Parse(json::serialize(json::object{{"name", russian}}));
    FieldReader f(obj);
    EXPECT_EQ(f.String("name", {.max_len = 200}), russian);
    EXPECT_TRUE(f.Finish().ok());
}

TEST(FieldReader, OneCharacterOverTheLimitIsTooLong) {
    auto obj = Parse(json::serialize(json::object{{"name", Repeat("ж", 201)}}));
    FieldReader f(obj);
    EXPECT_FALSE(f.String("name", {.max_len = 200}));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].code, "too_long");
    EXPECT_EQ(r.error().fields[0].param, "200");
}

TEST(FieldReader, ShorterThanMinimumIsTooShort) {
    auto obj = Parse(R"({"password":"абв"})");
    FieldReader f(obj);
    EXPECT_FALSE(f.String("password", {.min_len = 4}));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].code, "too_short");
    EXPECT_EQ(r.error().fields[0].param, "4");
}

TEST(FieldReader, UnknownFieldIsReported) {
    auto obj = Parse(R"({"name":"x","is_admin":true})");
    FieldReader f(obj);
    EXPECT_TRUE(f.String("name", {}));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "is_admin");
    EXPECT_EQ(r.error().fields[0].code, "unknown_field");
}

TEST(FieldReader, EnumOutsideTheListIsNotOneOf) {
    auto obj = Parse(R"({"stage":"maybe"})");
    FieldReader f(obj);
    EXPECT_FALSE(f.Enum("stage", true, {"new", "won", "lost"}));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].code, "not_one_of");
    EXPECT_EQ(r.error().fields[0].param, "new, won, lost");
}

TEST(FieldReader, IntOutsideTheRangeIsOutOfRange) {
    auto obj = Parse(R"({"qty":1001})");
    FieldReader f(obj);
    EXPECT_FALSE(f.Int("qty", true, 1, 1000));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].code, "out_of_range");
    EXPECT_EQ(r.error().fields[0].param, "1…1000");
}

TEST(FieldReader, IntRangeBoundsAreInclusive) {
    auto obj = Parse(R"({"lo":1,"hi":1000})");
    FieldReader f(obj);
    EXPECT_EQ(f.Int("lo", true, 1, 1000), 1);
    EXPECT_EQ(f.Int("hi", true, 1, 1000), 1000);
    EXPECT_TRUE(f.Finish().ok());
}

TEST(FieldReader, FractionalNumberIsNotAnInt) {
    auto obj = Parse(R"({"qty":1.5})");
    FieldReader f(obj);
    EXPECT_FALSE(f.Int("qty", true, 0, 10));
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].code, "wrong_type");
    EXPECT_EQ(r.error().fields[0].param, "integer");
}

TEST(FieldReader, NumericStringIsNotAnInt) {
    auto obj = Parse(R"({"qty":"5"})");
    FieldReader f(obj);
    EXPECT_FALSE(f.Int("qty", true, 0, 10));
    EXPECT_EQ(f.Finish().error().fields[0].code, "wrong_type");
}

TEST(FieldReader, HugeUnsignedNumberIsNotAnInt64) {
    auto obj = Parse(R"({"n":18446744073709551615})");
    FieldReader f(obj);
    EXPECT_FALSE(f.Int("n", true, 0, INT64_MAX));
    EXPECT_EQ(f.Finish().error().fields[0].code, "wrong_type");
}

TEST(FieldReader, ArrayWhereObjectExpectedIsWrongType) {
    auto obj = Parse(R"({"address":[1,2]})");
    FieldReader f(obj);
    EXPECT_EQ(f.Object("address", true), nullptr);
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].code, "wrong_type");
    EXPECT_EQ(r.error().fields[0].param, "object");
}

TEST(FieldReader, StringWhereBoolExpectedIsWrongType) {
    auto obj = Parse(R"({"vip":"true"})");
    FieldReader f(obj);
    EXPECT_FALSE(f.Bool("vip", true));
    EXPECT_EQ(f.Finish().error().fields[0].param, "boolean");
}

TEST(FieldReader, ReportsEveryErrorAtOnce) {
    auto obj = Parse(R"({"name":5,"stage":"x","qty":-1,"extra":1})");
    FieldReader f(obj);
    f.String("name", {});
    f.Enum("stage", true, {"new"});
    f.Int("qty", true, 0, 10);
    f.String("email", {.required = true});
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    std::map<std::string, std::string> got;
    for (const auto& e : r.error().fields) got[e.field] = e.code;
    EXPECT_EQ(got, (std::map<std::string, std::string>{{"name", "wrong_type"},
                                                       {"stage", "not_one_of"},
                                                       {"qty", "out_of_range"},
                                                       {"email", "required"},
                                                       {"extra", "unknown_field"}}));
}

TEST(FieldReader, AddErrorIsReportedByFinish) {
    auto obj = Parse("{}");
    FieldReader f(obj);
    f.AddError("advance_ms", "required");
    auto r = f.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].field, "advance_ms");
}

// ---- Cursors, pages, ids ----

TEST(Cursor, RoundTripsAnId) {
    for (std::int64_t id : {1LL, 42LL, 1'000'000'007LL, static_cast<long long>(INT64_MAX)}) {
        auto c = EncodeCursor(id);
        EXPECT_EQ(DecodeCursor(c), id) << c;
    }
}

TEST(Cursor, IsUrlSafe) {
    for (std::int64_t id = 1; id < 5000; id += 37) {
        auto c = EncodeCursor(id);
        EXPECT_EQ(c.find_first_of("+/="), std::string::npos) << c;
    }
}

TEST(Cursor, GarbageIsRejected) {
    EXPECT_EQ(DecodeCursor(""), std::nullopt);
    EXPECT_EQ(DecodeCursor("!!!!"), std::nullopt);
    EXPECT_EQ(DecodeCursor("42"), std::nullopt);
    EXPECT_EQ(DecodeCursor(std::string(65, 'A')), std::nullopt);
}

TEST(Cursor, WellFormedBase64OfTheWrongShapeIsRejected) {
    // base64url of "x:5", "i:0", "i:-3", "i:12ab", "i:"
    EXPECT_EQ(DecodeCursor("eDo1"), std::nullopt);
    EXPECT_EQ(DecodeCursor("aTow"), std::nullopt);
    EXPECT_EQ(DecodeCursor("aTotMw"), std::nullopt);
    EXPECT_EQ(DecodeCursor("aToxMmFi"), std::nullopt);
    EXPECT_EQ(DecodeCursor("aTo"), std::nullopt);
}

Request WithQuery(std::initializer_list<std::pair<std::string, std::string>> q) {
    Request r;
    for (const auto& [k, v] : q) r.query.emplace(k, v);
    return r;
}

TEST(ParsePage, DefaultsToFiftyFromTheStart) {
    auto p = ParsePage(WithQuery({}));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->limit, 50);
    EXPECT_EQ(p->after_id, std::nullopt);
}

TEST(ParsePage, AcceptsLimitsFromOneTo200) {
    EXPECT_EQ(ParsePage(WithQuery({{"limit", "1"}}))->limit, 1);
    EXPECT_EQ(ParsePage(WithQuery({{"limit", "200"}}))->limit, 200);
}

TEST(ParsePage, RejectsLimitsOutsideTheRange) {
    for (const char* bad : {"0", "201", "-5", "abc", "10x", "", "99999999999"}) {
        auto p = ParsePage(WithQuery({{"limit", bad}}));
        ASSERT_FALSE(p.ok()) << bad;
        EXPECT_EQ(p.error().code, ErrorCode::kBadRequest);
        ASSERT_EQ(p.error().fields.size(), 1u);
        EXPECT_EQ(p.error().fields[0].field, "limit");
    }
}

TEST(ParsePage, DecodesTheCursor) {
    auto p = ParsePage(WithQuery({{"cursor", EncodeCursor(777)}, {"limit", "10"}}));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->after_id, 777);
    EXPECT_EQ(p->limit, 10);
}

TEST(ParsePage, RejectsABadCursor) {
    auto p = ParsePage(WithQuery({{"cursor", "not-a-cursor"}}));
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().code, ErrorCode::kBadRequest);
    EXPECT_EQ(p.error().fields[0].field, "cursor");
}

Request WithParam(std::string value) {
    Request r;
    r.params["id"] = std::move(value);
    return r;
}

TEST(PathId, ParsesAPositiveId) {
    auto id = PathId(WithParam("42"));
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(*id, 42);
}

TEST(PathId, NonNumbersNameNoRow) {
    for (const char* bad : {"0", "-1", "abc", "42abc", "", "99999999999999999999", "4 2"}) {
        auto id = PathId(WithParam(bad));
        ASSERT_FALSE(id.ok()) << bad;
        EXPECT_EQ(id.error().code, ErrorCode::kNotFound) << bad;
    }
}

TEST(PathId, MissingParameterIsNotFound) {
    Request r;
    EXPECT_EQ(PathId(r, "deal_id").error().code, ErrorCode::kNotFound);
}

TEST(QueryId, AbsentIsUnsetAndAPositiveIdParses) {
    Request r;
    auto none = QueryId(r, "owner_id");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    r.query.emplace("owner_id", "17");
    auto id = QueryId(r, "owner_id");
    ASSERT_TRUE(id.ok());
    EXPECT_EQ(**id, 17);
}

TEST(QueryId, NonNumbersAreABadRequestNamingTheParameter) {
    for (const char* bad : {"0", "-3", "x", "12x", "", "99999999999999999999"}) {
        Request r;
        r.query.emplace("client_id", bad);
        auto id = QueryId(r, "client_id");
        ASSERT_FALSE(id.ok()) << bad;
        EXPECT_EQ(id.error().code, ErrorCode::kBadRequest) << bad;
        ASSERT_EQ(id.error().fields.size(), 1u) << bad;
        EXPECT_EQ(id.error().fields[0].field, "client_id") << bad;
    }
}

TEST(Json, SerialisesTheValueWithTheStatus) {
    Response r = Json(201, json::object{{"id", 5}});
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body, R"({"id":5})");
}

TEST(Request, ReadsOneCookie) {
    Request r;
    r.headers["cookie"] = "theme=dark; otdel_sid=abc123; lang=ru";
    EXPECT_EQ(r.Cookie("otdel_sid"), "abc123");
    EXPECT_EQ(r.Cookie("lang"), "ru");
    EXPECT_EQ(r.Cookie("sid"), std::nullopt);
}

}  // namespace
}  // namespace otdel::http
