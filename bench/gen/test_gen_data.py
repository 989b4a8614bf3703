#!/usr/bin/env python3
"""Checks of the data generator: python3 -m unittest discover -s bench/gen"""
import csv
import io
import random
import re
import unittest

import gen_data


def rows(kind, count, seed, dup_rate=0.1):
    buf = io.StringIO()
    gen_data.generate(kind, count, seed, dup_rate, buf)
    return buf.getvalue()


class InnTest(unittest.TestCase):
    def test_known_valid_and_invalid(self):
        self.assertTrue(gen_data.inn_is_valid("7707083893"))  # Sberbank
        self.assertTrue(gen_data.inn_is_valid("500100732259"))  # a published individual INN
        self.assertFalse(gen_data.inn_is_valid("7707083894"))
        self.assertFalse(gen_data.inn_is_valid("500100732258"))
        self.assertFalse(gen_data.inn_is_valid("77070838"))

    def test_generated_inns_are_valid(self):
        rng = random.Random(3)
        for legal in (True, False):
            for _ in range(2000):
                inn = gen_data.make_inn(rng, legal)
                self.assertEqual(len(inn), 10 if legal else 12)
                self.assertTrue(gen_data.inn_is_valid(inn), inn)


class OutputTest(unittest.TestCase):
    def test_deterministic_by_seed(self):
        self.assertEqual(rows("clients", 500, 7), rows("clients", 500, 7))
        self.assertNotEqual(rows("clients", 500, 7), rows("clients", 500, 8))

    def test_clients_are_well_formed(self):
        data = list(csv.DictReader(io.StringIO(rows("clients", 2000, 11))))
        self.assertEqual(len(data), 2000)
        phone_re = re.compile(r"^[+\d(][\d\s()+-]+$")
        for r in data:
            self.assertRegex(r["last_name"], r"^[А-ЯЁ][А-ЯЁа-яё-]+$")
            self.assertRegex(r["middle_name"], r"(вич|вна)$")
            digits = re.sub(r"\D", "", r["phone"])
            self.assertIn(len(digits), (10, 11), r["phone"])
            self.assertRegex(r["phone"], phone_re)
            if r["email"]:
                self.assertRegex(r["email"], r"(?i)^[^@\s]+@[a-z0-9.-]+\.[a-z]+$", r["email"])
            if r["inn"]:
                self.assertTrue(gen_data.inn_is_valid(r["inn"]), r["inn"])
        formats = {re.sub(r"\d", "9", r["phone"]) for r in data}
        self.assertGreaterEqual(len(formats), 6, "phones come in several formats")

    def test_duplicates_share_the_phone_digits(self):
        data = list(csv.DictReader(io.StringIO(rows("leads", 3000, 5, dup_rate=0.3))))
        national = [re.sub(r"\D", "", r["phone"])[-10:] for r in data]
        self.assertGreater(len(national) - len(set(national)), 300, "about 30% repeat an earlier person")


if __name__ == "__main__":
    unittest.main()
