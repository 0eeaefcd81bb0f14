"""Production settings: `check --deploy` is clean, and nothing unsafe starts without secrets.

These run the console script in a subprocess with DJANGO_SETTINGS_MODULE pointing at the
production module, because settings are read once per process.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

STEERCO = [sys.executable, "-m", "steerco"]


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG", "EMAIL_BACKEND"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="steerco.config.production",
        STEERCO_DATA_DIR=str(tmp_path),
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="steerco.example.org",
        # Nothing connects during these checks; the URL only has to parse.
        DATABASE_URL="postgres://steerco:secret@db.example.org:5432/steerco",
        # The production settings assume one reverse proxy in front (X-Forwarded-Proto).
        STEERCO_TRUSTED_PROXIES="1",
        # Nothing is sent during these checks either; production refuses to print e-mails.
        EMAIL_HOST="smtp.example.org",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def steerco(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*STEERCO, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_reports_no_issues_with_production_settings(tmp_path):
    result = steerco(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_refuse_to_start_without(tmp_path, missing):
    result = steerco(production_env(tmp_path, **{missing: None}), "check")

    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists(), "no key may be generated in production"


def test_demo_refuses_to_run_under_production_settings(tmp_path):
    result = steerco(production_env(tmp_path), "demo")

    assert result.returncode != 0
    assert "cannot be loaded with production settings" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_are_secure(tmp_path):
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.STEERCO_PRODUCTION,"
        " s.WHITENOISE_USE_FINDERS, s.DATABASES['default']['ENGINE'])"
    )
    result = steerco(production_env(tmp_path), "shell", "-c", script)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "False",
        "django.db.backends.postgresql",
    ]


def test_production_settings_refuse_to_start_without_a_database_url(tmp_path):
    result = steerco(production_env(tmp_path, DATABASE_URL=None), "check")

    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr
    assert not (tmp_path / "steerco.sqlite3").exists()


@pytest.mark.parametrize(
    "email",
    [
        {"EMAIL_HOST": None},
        {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
    ],
    ids=["no-smtp-host", "console-backend"],
)
def test_production_settings_refuse_to_start_without_sending_e_mail(tmp_path, email):
    result = steerco(production_env(tmp_path, **email), "check")

    assert result.returncode != 0
    assert "EMAIL_HOST (or EMAIL_BACKEND) must be set" in result.stderr
    assert "printed or lost" in result.stderr


def test_production_sends_e_mail_through_the_smtp_host(tmp_path):
    script = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST)"
    result = steerco(production_env(tmp_path), "shell", "-c", script)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
    ]


def test_check_deploy_says_what_the_local_settings_lack(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="steerco.config.settings",
        DATABASE_URL=None,
        EMAIL_HOST=None,
    )
    result = steerco(env, "check", "--deploy")

    assert result.returncode != 0
    assert "steerco.E001" in result.stderr
    assert "DATABASE_URL is not set" in result.stderr
    assert "steerco.E002" in result.stderr
    assert "password-reset links would be printed or lost" in result.stderr
