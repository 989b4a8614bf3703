#pragma once
/// Normalisation of the keys clients and leads are deduplicated and searched by (LEAD-2, CLIENT-1, CLIENT-5):
/// phones to E.164 (libphonenumber, Russia by default), e-mails lower-cased, Russian registration numbers
/// (INN, KPP, OGRN/OGRNIP) and bank details checked with their control digits. Pure functions: no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otdel::clients {

struct Phone {
    /// "+79123456789".
    std::string e164;
    /// The country calling code and the national significant number: 7, "9123456789".
    int country_code = 0;
    std::string national;
};

/// Parses a phone in any common spelling: "8 912 345-67-89", "+7 (912) 345-67-89", "912-345-67-89",
/// "8(912)3456789 доб. 12" (the extension is dropped), "+1 650 253 0000". `default_region` is the ISO country
/// used when the number has no international prefix. nullopt when the text is not a possible number of that
/// country (too short, too long, letters only, an impossible prefix).
std::optional<Phone> NormalizePhone(std::string_view raw, std::string_view default_region = "RU");

/// The same reading always through libphonenumber's parser (NormalizePhone reads the common Russian spellings
/// without it): the reference the tests compare NormalizePhone with.
std::optional<Phone> NormalizePhoneByParser(std::string_view raw, std::string_view default_region = "RU");

/// The spellings a person may type to find this phone, space separated, for the search index:
/// "+79123456789 79123456789 89123456789 9123456789" (Russian numbers also with the trunk prefix 8).
std::string PhoneSearchTerms(const Phone& p);

/// Trims, lower-cases and checks the shape local@domain.tld (one @, no spaces, a dot in the domain, no empty
/// labels); nullopt when it is not an e-mail address. Internationalised domains are kept as typed, lower-cased.
std::optional<std::string> NormalizeEmail(std::string_view raw);

/// Keeps only the digits of `raw` ("77-07 083893" -> "7707083893").
std::string DigitsOnly(std::string_view raw);

/// INN: 10 digits (organisation) or 12 digits (person, sole trader) with valid control digits.
bool IsValidInn(std::string_view inn);
/// KPP: 9 characters, NNNNPPNNN, where PP are digits or capital Latin letters.
bool IsValidKpp(std::string_view kpp);
/// OGRN (13 digits) or OGRNIP (15 digits) with a valid control digit.
bool IsValidOgrn(std::string_view ogrn);
/// BIK: 9 digits starting with 04 (Russian banks) or 01/02 (treasury); no control digit exists.
bool IsValidBik(std::string_view bik);
/// A settlement (or correspondent) account of 20 digits whose control key matches the bank's BIK.
bool IsValidAccount(std::string_view account, std::string_view bik);
bool IsValidCorrAccount(std::string_view corr_account, std::string_view bik);

}  // namespace otdel::clients
