"""Every message key the onboarding handlers name exists, in English and Finnish."""

from __future__ import annotations

import re
from pathlib import Path

from handlers.messages import CATALOG, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    "handlers/onboarding.py",
    "handlers/checklist.py",
    "handlers/home.py",
    "handlers/blocks/checklist.py",
    "handlers/blocks/onboarding.py",
    "handlers/blocks/home.py",
]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_.]+)["']""")


def test_every_literal_key_is_in_the_catalogue() -> None:
    used = {
        key
        for name in FILES
        for key in LITERAL_KEY.findall((ROOT / name).read_text(encoding="utf-8"))
    }
    assert len(used) > 30
    assert sorted(key for key in used if key not in CATALOG) == []


def test_onboarding_texts_are_complete_in_both_languages() -> None:
    for key, texts in CATALOG.items():
        if key.startswith(("onboarding.", "onb.")):
            assert all(texts[lang].strip() for lang in LANGUAGES), key
