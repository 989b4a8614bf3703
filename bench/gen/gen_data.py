#!/usr/bin/env python3
"""Deterministic synthetic Russian CRM data as CSV (RFC 4180, UTF-8) for import and search benchmarks.

    bench/gen/gen_data.py clients --count 1000000 --seed 42 --out /tmp/clients.csv
    bench/gen/gen_data.py leads   --count 1000000 --seed 42 --dup-rate 0.05 > leads.csv

Same seed and arguments -> byte-identical output. Phones come in the formats people really type
(+7 (916) 123-45-67, 8 916 123 45 67, 89161234567, ...); INNs have valid check digits; a share of rows
(--dup-rate) repeats an earlier person with the phone or e-mail written differently, for dedupe.
Standard library only; streams rows, so memory stays flat at any count.
"""
import argparse
import csv
import random
import sys

MALE_FIRST = ["Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Василий", "Виктор",
              "Владимир", "Дмитрий", "Евгений", "Иван", "Игорь", "Кирилл", "Константин", "Максим", "Михаил",
              "Николай", "Олег", "Павел", "Роман", "Сергей", "Станислав", "Юрий"]
FEMALE_FIRST = ["Анастасия", "Анна", "Валентина", "Вера", "Виктория", "Дарья", "Екатерина", "Елена", "Ирина",
                "Ксения", "Любовь", "Марина", "Мария", "Наталья", "Ольга", "Полина", "Светлана", "Софья",
                "Татьяна", "Юлия"]
# Male surname -> female form is derived (Иванов -> Иванова, Горский -> Горская); the rest do not change.
SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
            "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
            "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
            "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Горский", "Вишневский", "Черных",
            "Шевченко", "Коваленко", "Ким", "Цой", "Мельник"]
MALE_PATRONYMIC = ["Александрович", "Алексеевич", "Андреевич", "Викторович", "Владимирович", "Дмитриевич",
                   "Евгеньевич", "Иванович", "Игоревич", "Михайлович", "Николаевич", "Олегович", "Петрович",
                   "Сергеевич", "Юрьевич"]
CITIES = ["Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань", "Нижний Новгород", "Челябинск",
          "Самара", "Омск", "Ростов-на-Дону", "Уфа", "Красноярск", "Воронеж", "Пермь", "Волгоград", "Краснодар",
          "Тюмень", "Иркутск", "Ярославль", "Владивосток"]
COMPANY_FORMS = ["ООО", "АО", "ПАО", "ИП"]
COMPANY_WORDS = ["Альфа", "Вектор", "Гранит", "Дельта", "Енисей", "Заря", "Импульс", "Кварц", "Лидер", "Меридиан",
                 "Нева", "Орион", "Прогресс", "Ресурс", "Сибирь", "Техно", "Урал", "Факел", "Эталон", "Север",
                 "Строй", "Торг", "Снаб", "Логистик", "Софт", "Пром", "Агро", "Мед", "Транс", "Энерго"]
MOBILE_CODES = ["900", "901", "903", "905", "906", "909", "910", "912", "915", "916", "917", "919", "920", "925",
                "926", "929", "950", "952", "960", "977", "985", "987", "999"]
CITY_CODES = ["495", "499", "812", "383", "343", "843", "831", "351", "846", "863"]
MAIL_DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru", "ya.ru"]
LEAD_SOURCES = ["website", "phone", "email", "telegram", "whatsapp", "referral", "exhibition", "import"]
LEAD_TOPICS = ["Запрос коммерческого предложения", "Консультация по тарифам", "Заявка с сайта", "Обратный звонок",
               "Поставка оборудования", "Интеграция с 1С", "Продление лицензии", "Сервисное обслуживание",
               "Оптовый заказ", "Демонстрация продукта"]

TRANSLIT = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
            "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
            "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
            "ь": "", "э": "e", "ю": "yu", "я": "ya"}


def translit(s: str) -> str:
    return "".join(TRANSLIT.get(ch, ch) for ch in s.lower() if ch.isalnum())


def female_surname(m: str) -> str:
    if m.endswith(("ов", "ев", "ёв", "ин")):
        return m + "а"
    if m.endswith("ский"):
        return m[:-4] + "ская"
    return m  # Черных, Шевченко, Ким...


def female_patronymic(m: str) -> str:
    return m[:-2] + "на" if m.endswith("вич") else m  # Сергеевич -> Сергеевна


_INN10_W = [2, 4, 10, 3, 5, 9, 4, 6, 8]
_INN12_W1 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
_INN12_W2 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]


def _check(digits, weights) -> int:
    return sum(d * w for d, w in zip(digits, weights)) % 11 % 10


def inn_is_valid(inn: str) -> bool:
    if not inn.isdigit() or len(inn) not in (10, 12):
        return False
    d = [int(c) for c in inn]
    if len(d) == 10:
        return _check(d[:9], _INN10_W) == d[9]
    return _check(d[:10], _INN12_W1) == d[10] and _check(d[:11], _INN12_W2) == d[11]


def make_inn(rng: random.Random, legal: bool) -> str:
    region = rng.randint(1, 92)
    if legal:  # organisation: 10 digits
        d = [region // 10, region % 10] + [rng.randint(0, 9) for _ in range(7)]
        d.append(_check(d, _INN10_W))
    else:  # individual (sole trader, person): 12 digits
        d = [region // 10, region % 10] + [rng.randint(0, 9) for _ in range(8)]
        d.append(_check(d, _INN12_W1))
        d.append(_check(d, _INN12_W2))
    return "".join(map(str, d))


def phone_digits(rng: random.Random) -> str:
    """Ten national digits (without the country code)."""
    code = rng.choice(MOBILE_CODES) if rng.random() < 0.85 else rng.choice(CITY_CODES)
    return code + "".join(str(rng.randint(0, 9)) for _ in range(7))


def format_phone(rng: random.Random, d: str) -> str:
    a, b, c, e = d[:3], d[3:6], d[6:8], d[8:]
    return rng.choice([
        f"+7 ({a}) {b}-{c}-{e}", f"8 ({a}) {b}-{c}-{e}", f"+7{d}", f"8{d}", f"8 {a} {b} {c} {e}",
        f"+7 {a} {b} {c} {e}", f"7{d}", f"+7-{a}-{b}-{c}-{e}", f"8-{a}-{b}{c}{e}", f"({a}) {b}-{c}-{e}",
    ])


class Person:
    __slots__ = ("first", "middle", "last", "phone", "email", "city")


def make_person(rng: random.Random) -> Person:
    p = Person()
    if rng.random() < 0.5:
        p.first, p.middle, p.last = rng.choice(MALE_FIRST), rng.choice(MALE_PATRONYMIC), rng.choice(SURNAMES)
    else:
        p.first = rng.choice(FEMALE_FIRST)
        p.middle = female_patronymic(rng.choice(MALE_PATRONYMIC))
        p.last = female_surname(rng.choice(SURNAMES))
    p.phone = phone_digits(rng)
    sep = rng.choice([".", "_", ""])
    p.email = f"{translit(p.first)}{sep}{translit(p.last)}{rng.randint(1, 9999)}@{rng.choice(MAIL_DOMAINS)}"
    p.city = rng.choice(CITIES)
    return p


def respell(rng: random.Random, p: Person):
    """The same person written differently: another phone format, e-mail case, surname in capitals."""
    email = p.email.upper() if rng.random() < 0.3 else p.email
    last = p.last.upper() if rng.random() < 0.2 else p.last
    return last, format_phone(rng, p.phone), email


def company_name(rng: random.Random, person: Person) -> str:
    form = rng.choice(COMPANY_FORMS)
    if form == "ИП":
        return f"ИП {person.last} {person.first[0]}.{person.middle[0]}."
    return f"{form} «{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_WORDS).lower()}»"


def generate(kind: str, count: int, seed: int, dup_rate: float, out):
    rng = random.Random(seed)
    w = csv.writer(out, lineterminator="\r\n")
    base_ms = 1_735_689_600_000  # 2025-01-01T00:00:00Z, so output does not depend on today
    recent = []  # a bounded pool of earlier people to duplicate (memory stays flat)
    if kind == "clients":
        w.writerow(["external_id", "last_name", "first_name", "middle_name", "company", "inn", "phone", "email",
                    "city", "created_at"])
    else:
        w.writerow(["external_id", "title", "contact_name", "company", "inn", "phone", "email", "source",
                    "amount_rub", "created_at"])
    for i in range(1, count + 1):
        if recent and rng.random() < dup_rate:
            p = rng.choice(recent)
            last, phone, email = respell(rng, p)
        else:
            p = make_person(rng)
            last, phone, email = p.last, format_phone(rng, p.phone), p.email
            if len(recent) < 10_000:
                recent.append(p)
            else:
                recent[rng.randrange(len(recent))] = p
        is_company = rng.random() < 0.6
        company = company_name(rng, p) if is_company else ""
        inn = make_inn(rng, legal=not company.startswith("ИП")) if is_company else (
            make_inn(rng, legal=False) if rng.random() < 0.2 else "")
        if rng.random() < 0.05:
            email = ""  # some records only have a phone
        created = base_ms + i * 30_000 + rng.randint(0, 29_999)
        if kind == "clients":
            w.writerow([f"c{i}", last, p.first, p.middle, company, inn, phone, email, p.city, created])
        else:
            amount = rng.choice([0, rng.randint(10, 5_000) * 1_000])
            w.writerow([f"l{i}", rng.choice(LEAD_TOPICS), f"{p.first} {last}", company, inn, phone, email,
                        rng.choice(LEAD_SOURCES), amount, created])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["clients", "leads"])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dup-rate", type=float, default=0.05, help="share of rows repeating an earlier person")
    ap.add_argument("--out", default="-", help="file path, or - for stdout")
    a = ap.parse_args()
    if a.count < 0 or not 0 <= a.dup_rate <= 1:
        ap.error("count must be >= 0 and dup-rate within 0..1")
    if a.out == "-":
        generate(a.kind, a.count, a.seed, a.dup_rate, sys.stdout)
    else:
        with open(a.out, "w", encoding="utf-8", newline="") as f:
            generate(a.kind, a.count, a.seed, a.dup_rate, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
