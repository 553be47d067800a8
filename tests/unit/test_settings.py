"""Settings read the environment in one place; empty values (as in a copied .env.example) mean the default."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = "import django; django.setup(); from django.conf import settings as s; "


def settings_with(code: str, **environ: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DEBUG"}}
    env |= {"DJANGO_SETTINGS_MODULE": "cqc_site.settings", **environ}
    command = [sys.executable, "-c", SHOW + code]  # our own interpreter and code, no outside input
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603


def test_empty_variables_fall_back_to_the_defaults():
    shown = settings_with(
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['CONN_MAX_AGE'], s.DEBUG)",
        DATABASE_URL="", CONN_MAX_AGE="", DEBUG="", LOG_LEVEL="",
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["django.db.backends.sqlite3", "60", "True"]


def test_production_without_a_secret_key_stops_with_a_message():
    shown = settings_with("print(s.SECRET_KEY)", DEBUG="false", SECRET_KEY="")
    assert shown.returncode != 0
    assert "SECRET_KEY is not set" in shown.stderr


def test_a_malformed_number_is_named_in_the_error():
    shown = settings_with("print(s.DATABASES)", CONN_MAX_AGE="sixty")
    assert shown.returncode != 0
    assert "CONN_MAX_AGE='sixty' is not a whole number." in shown.stderr
