import importlib.util
from pathlib import Path

from packaging.version import Version

spec = importlib.util.spec_from_file_location(
    "audit_pins", Path(__file__).resolve().parents[2] / "scripts" / "audit_pins.py"
)
audit_pins = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_pins)


def test_newest_patch_stays_in_the_pinned_series():
    versions = [Version(v) for v in ("5.2.18", "5.2.19", "5.2.20rc1", "6.0.1", "5.1.99")]
    assert audit_pins.newest_patch(Version("5.2.18"), versions) == Version("5.2.19")
    assert audit_pins.newest_patch(Version("5.2.19"), versions) == Version("5.2.19")
    assert audit_pins.newest_patch(Version("4.0"), versions) == Version("4.0")


def test_pins_are_read_from_requirement_files(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# comment\n-r other.txt\npsycopg[binary]==3.3.9\nDjango==5.2.19\n")
    assert list(audit_pins.pins([requirements])) == [
        ("psycopg", Version("3.3.9")),
        ("Django", Version("5.2.19")),
    ]
