import importlib.util
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from packaging.version import Version

from candidates.tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "audit_pins.py"
RECORDED = Path(__file__).parent / "data" / "osv_querybatch.json"
spec = importlib.util.spec_from_file_location("audit_pins", SCRIPT)
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


@pytest.fixture
def requirements(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("Django==5.2.19\nnh3==0.3.8\n")
    return path


@pytest.fixture
def advisory_server():
    """A local stand-in for the OSV API: answers every POST with a body the test sets."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            server.asked.append(json.loads(self.rfile.read(length)))
            body = server.answer
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.asked, server.answer = [], RECORDED.read_bytes()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}/v1/querybatch"
    yield server
    server.shutdown()
    server.server_close()


def test_known_vulnerabilities_fail_the_audit(advisory_server, requirements, monkeypatch, capsys):
    monkeypatch.setenv("OSV_API_URL", advisory_server.url)
    assert audit_pins.main(["--advisories-only", str(requirements)]) == 1
    output = capsys.readouterr().out
    assert "Django==5.2.19: known vulnerabilities GHSA-test-0001-aaaa, PYSEC-2026-test" in output
    assert "nh3==" not in output
    assert "1 of 2 pin(s) have known vulnerabilities" in output
    [asked] = advisory_server.asked
    assert asked["queries"][0] == {
        "package": {"name": "Django", "ecosystem": "PyPI"},
        "version": "5.2.19",
    }


def test_an_answer_of_another_shape_is_no_clean_result(
    advisory_server, requirements, monkeypatch, capsys
):
    advisory_server.answer = b'{"results": [{}]}'  # one answer for two pins
    monkeypatch.setenv("OSV_API_URL", advisory_server.url)
    assert audit_pins.main(["--advisories-only", str(requirements)]) == 2
    assert "COULD NOT CHECK" in capsys.readouterr().out


def test_an_unreachable_advisory_source_fails_the_audit_instead_of_passing(requirements):
    nowhere = f"http://127.0.0.1:{free_port()}/v1/querybatch"  # nothing listens there
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(SCRIPT), "--advisories-only", str(requirements)],
        env={"OSV_API_URL": nowhere, "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "COULD NOT CHECK for known vulnerabilities" in result.stdout
    assert "not a clean result" in result.stdout
