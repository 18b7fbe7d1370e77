from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db
STRONG = "tall-violet-harbour-42"


@pytest.fixture
def superuser_env(monkeypatch):
    for name in ("USERNAME", "PASSWORD", "EMAIL"):
        monkeypatch.delenv(f"DJANGO_SUPERUSER_{name}", raising=False)
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "boss")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "boss@samsmall.example")
    return monkeypatch


def ensure_superuser():
    out = StringIO()
    call_command("ensure_superuser", stdout=out)
    return out.getvalue()


def test_ensure_superuser_creates_once_and_never_prints_a_chosen_password(superuser_env):
    superuser_env.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    output = ensure_superuser() + ensure_superuser()
    user = get_user_model().objects.get(username="boss")
    assert user.is_superuser and user.is_staff and user.check_password(STRONG)
    assert "Staff login: boss (created" in output and "already exists" in output
    assert STRONG not in output


def test_ensure_superuser_has_development_defaults_only_in_debug(superuser_env, settings):
    superuser_env.delenv("DJANGO_SUPERUSER_USERNAME")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Set DJANGO_SUPERUSER_USERNAME"):
        ensure_superuser()
    settings.DEBUG = True
    output = ensure_superuser()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("admin-dev-only")
    assert "admin-dev-only" not in output


@pytest.mark.parametrize("weak", ["admin-dev-only", "password123", "12345678901", "boss"])
def test_production_refuses_a_weak_or_default_password(superuser_env, settings, weak):
    settings.DEBUG = False
    superuser_env.setenv("DJANGO_SUPERUSER_PASSWORD", weak)
    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_PASSWORD is"):
        ensure_superuser()
    assert not get_user_model().objects.exists()


def test_production_without_a_password_generates_one_and_prints_it_once(superuser_env, settings):
    settings.DEBUG = False
    output = ensure_superuser()
    password = output.split(" / ")[1].split(" ")[0]
    assert len(password) >= 20
    assert get_user_model().objects.get(username="boss").check_password(password)
    assert password not in ensure_superuser()
