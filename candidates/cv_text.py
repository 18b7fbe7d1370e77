"""The text of a CV, for search: PDF, DOCX, ODT and TXT, read within limits.

A CV is a file from anyone, and a hostile one may try to hang or exhaust whatever parses
it: a PDF whose streams loop or inflate without end, a DOCX that unzips to gigabytes. So
each file is read in a child process of its own (this module run as a script, with nothing
of Django), which the kernel holds to CPU_SECONDS of processor time and MEMORY_BYTES of
memory, and which is killed after WALL_SECONDS whatever it is doing. Inside it, reading
stops at MAX_PAGES pages of a PDF, MAX_XML_BYTES of a document's unzipped XML, and
MAX_CHARS characters of text.

The result is (status, text): "extracted" with the text, "no_text" when the file has none
we can read (a scanned PDF, a DOC or RTF file), or "failed" when it could not be read
within the limits (broken, encrypted, hostile).
"""

import json
import re
import subprocess  # nosec B404
import sys
import zipfile
from io import BytesIO
from pathlib import Path, PurePath
from xml.parsers import expat

EXTRACTED, NO_TEXT, FAILED = "extracted", "no_text", "failed"
READ = {".pdf", ".docx", ".odt", ".txt"}

MAX_PAGES = 50
MAX_CHARS = 100_000
MAX_XML_BYTES = 10 * 1024 * 1024
CPU_SECONDS = 10
MEMORY_BYTES = 1024 * 1024 * 1024
WALL_SECONDS = 20

SPACES = re.compile(r"[^\S\n]+")
BLANK_LINES = re.compile(r"\n\s*\n+")


class Enough(Exception):
    """MAX_CHARS of text were read: the rest of the file is not needed."""


def read_text(data, name):
    """(status, text) for a CV's bytes; `name` gives its type by extension."""
    extension = PurePath(name).suffix.lower()
    if extension not in READ:
        return NO_TEXT, ""
    try:
        # Our own script, with a fixed argument list and no shell.
        child = subprocess.run(  # noqa: S603  # nosec B603
            [sys.executable, "-I", str(Path(__file__).resolve()), extension],
            input=data,
            capture_output=True,
            timeout=WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return FAILED, ""
    if child.returncode != 0:
        return FAILED, ""
    try:
        status, text = json.loads(child.stdout)
    except ValueError:
        return FAILED, ""
    return (status, text) if status in (EXTRACTED, NO_TEXT) else (FAILED, "")


def tidy(text):
    """One space between words, at most one blank line, no NUL (PostgreSQL refuses it)."""
    text = text.replace("\x00", " ")
    text = SPACES.sub(" ", text)
    return BLANK_LINES.sub("\n\n", text).strip()[:MAX_CHARS]


class Collector:
    """Text gathered up to MAX_CHARS."""

    def __init__(self):
        self.parts, self.length = [], 0

    def add(self, text):
        self.parts.append(text)
        self.length += len(text)
        if self.length >= MAX_CHARS:
            raise Enough

    def text(self):
        return tidy("".join(self.parts))


def pdf_text(data):
    from pypdf import PdfReader  # only the child process reads PDFs

    reader = PdfReader(BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted")
    collector = Collector()
    try:
        for page in reader.pages[:MAX_PAGES]:
            collector.add((page.extract_text() or "") + "\n\n")
    except Enough:
        pass
    return collector.text()


# Where the words are in each format's XML, and which elements end a line.
DOCX = ("word/document.xml", "w:t", {"w:p", "w:br", "w:tab", "w:cr"})
ODT = ("content.xml", None, {"text:p", "text:h", "text:line-break", "text:tab", "text:s"})
NAMESPACES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
    "urn:oasis:names:tc:opendocument:xmlns:text:1.0": "text",
}


def xml_text(data, member, text_element, breaks):
    """Text from one XML file inside a zip, read as a stream: at most MAX_XML_BYTES of it
    unzipped (a zip bomb is read only that far), and no DTD (so no entity expansion)."""
    collector = Collector()
    inside = []

    def qualified(name):
        uri, _, local = name.rpartition(" ")
        return f"{NAMESPACES.get(uri, '?')}:{local}"

    def start(name, attributes):
        inside.append(qualified(name))

    def end(name):
        element = inside.pop()
        if element in breaks:
            collector.add("\n" if element in ("w:p", "text:p", "text:h") else " ")

    def characters(text):
        if text_element is None or (inside and inside[-1] == text_element):
            collector.add(text)

    def no_doctype(*args):
        raise ValueError("a document type declaration")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    read = 0
    with zipfile.ZipFile(BytesIO(data)) as archive, archive.open(member) as stream:
        try:
            while read < MAX_XML_BYTES and (chunk := stream.read(64 * 1024)):
                read += len(chunk)
                parser.Parse(chunk, False)
        except Enough:
            pass
    return collector.text()


def plain_text(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return tidy(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return tidy(data.decode("latin-1"))


def extract(data, extension):
    """In the child: the text of the file, by its type."""
    if extension == ".pdf":
        return pdf_text(data)
    if extension == ".docx":
        return xml_text(data, *DOCX)
    if extension == ".odt":
        return xml_text(data, *ODT)
    return plain_text(data)


def limit_this_process():
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def main():
    limit_this_process()
    text = extract(sys.stdin.buffer.read(), sys.argv[1])
    print(json.dumps([EXTRACTED if text else NO_TEXT, text]))


if __name__ == "__main__":
    main()
