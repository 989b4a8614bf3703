#pragma once
// Raw e-mails for the MIME and IMAP tests: UTF-8, cp1251, koi8-r quoted-printable, multipart with an attachment,
// HTML only, and a broken one.
#include <string>

namespace otdel::intake::samples {

inline const std::string kUtf8 =
    "From: =?UTF-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <Ivan@Example.RU>\r\n"
    "To: sales@shop.example\r\n"
    "Subject: =?UTF-8?B?0JrRg9GF0L3RjyDQvdCwINC30LDQutCw0Lc=?=\r\n"
    "Message-ID: <m1@example.ru>\r\n"
    "Date: Sun, 01 Mar 2026 10:15:00 +0300\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Добрый день! Нужна кухня 3 метра, телефон +7 912 555-11-22.\r\n";

inline const std::string kCp1251 =
    "From: petr@example.ru\r\n"
    "Subject: =?windows-1251?B?x+D/4urgIO3gIPjq4PQ=?=\r\n"
    "Message-ID: <m2@example.ru>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=windows-1251\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "\xc7\xe4\xf0\xe0\xe2\xf1\xf2\xe2\xf3\xe9\xf2\xe5\x21\x20\xcd\xf3\xe6\xe5\xed\x20\xf8\xea\xe0\xf4\x2d\xea\xf3\xef"
    "\xe5\x20\x32\x20\xec\xe5\xf2\xf0\xe0\x2c\x20\xe1\xfe\xe4\xe6\xe5\xf2\x20\x38\x30\x20\xf2\xfb\xf1\xff\xf7\x2e\r\n";

inline const std::string kKoi8 =
    "From: Anna <anna@example.ru>\r\n"
    "Subject: =?koi8-r?B?69XIztE=?=\r\n"
    "Message-ID: <m3@example.ru>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=koi8-r\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "=F0=C5=D2=C5=DA=D7=CF=CE=C9=D4=C5 =CD=CE=C5 =D0=CF =D0=CF=D7=CF=C4=D5 =CB=\r\n"
    "=D5=C8=CE=C9, =D4=C5=CC=C5=C6=CF=CE 8 912 555-44-33\r\n";

inline const std::string kMultipart =
    "From: Olga <olga@example.ru>\r\n"
    "Subject: Smeta\r\n"
    "Message-ID: <m4@example.ru>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"BOUNDARY\"\r\n"
    "\r\n"
    "--BOUNDARY\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Посмотрите смету во вложении.\r\n"
    "--BOUNDARY\r\n"
    "Content-Type: application/pdf; name=\"smeta.pdf\"\r\n"
    "Content-Disposition: attachment; filename=\"smeta.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==\r\n"
    "--BOUNDARY--\r\n";

inline const std::string kHtmlOnly =
    "From: shop@example.ru\r\n"
    "Subject: Order\r\n"
    "Message-ID: <m5@example.ru>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>Заказ &laquo;стол&raquo;"
    "</p><div>2&nbsp;шт.</div></body></html>\r\n";

inline const std::string kBroken =
    "From: \r\n"
    "Content-Type: multipart/mixed; boundary=\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "\xff\xfe not base64 at all \x80 позвоните 8 912 555 66 77\r\n";

}  // namespace otdel::intake::samples
