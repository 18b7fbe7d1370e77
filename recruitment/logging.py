"""Keep personal data out of the logs, whatever a library or a careless line writes."""

import contextvars
import json
import logging
import re

# Each pattern starts a match only where a run of its characters starts (the lookbehinds),
# and no run is read twice: linear in the text. "a" * 8000 in a Host header cost 500 ms
# when a match could start anywhere in the run.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/])\+?\d[\d ()-]{7,}\d")
# Client addresses are personal data too (django-axes names them in its lock-out lines).
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\w)")
HEX = r"[0-9a-f]{1,4}"
IPV6 = re.compile(
    # The lookahead turns away at once any start without a colon in its first five characters.
    rf"(?<![\w:])(?=[0-9a-f]{{0,4}}:)"
    rf"(?:(?:{HEX}:){{7}}{HEX}|(?:{HEX}(?::{HEX}){{0,6}})?::(?:{HEX}(?::{HEX}){{0,6}})?)"
    r"(?![\w:])",
    re.IGNORECASE,
)

# A secret link's token is a password to what it opens: the paths whose `<token:…>` part is one
# (a test checks every such URL pattern is listed here).
SECRET_LINK = re.compile(
    r"(/(?:j|review|enquiries|privacy/object|alerts|me/sign-in)/)[A-Za-z0-9_-]{8,64}"
)


def redact(text):
    text = SECRET_LINK.sub(r"\1[token]", text)
    text = PHONE.sub("[phone]", EMAIL.sub("[email]", text))
    return IPV6.sub("[address]", IPV4.sub("[address]", text))


class RedactPersonalData(logging.Filter):
    def filter(self, record):
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


current_request_id = contextvars.ContextVar("request_id", default="-")


def forget_request_id(**kwargs):
    current_request_id.set("-")


class AddRequestId(logging.Filter):
    """Every log line names the request it belongs to (or "-" outside one)."""

    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log collectors."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
