"""Advert text: Markdown in, sanitised HTML out; plain-text adverts tidied into Markdown."""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


# Python-Markdown's parser is super-linear on brackets it cannot pair ("[" * 8000 took 26 s,
# and escaping them only made it 60 times quicker) and recurses once per nested list, quote
# or indent (a line of "1. " markers raised RecursionError). So text is tamed first: stray
# brackets and every "<" (raw HTML is text: nh3 would drop it anyway) become characters
# Markdown passes over, put back after rendering; only plain [text](url) links keep their
# brackets; nesting stops at three levels; and an advert is at most MAX_LENGTH characters.
MAX_LENGTH = 20_000
STRAY = {"[": "\ue000", "]": "\ue001", "<": "\ue002"}
BACK = {"\ue000": "[", "\ue001": "]", "\ue002": "&lt;"}
SENTINELS = re.compile("[\ue000-\ue002]")
LINK = re.compile(r'\[[^\[\]\n]{0,500}\]\([^()\s<]{1,2000}(?:[ ]+"[^"\n]{0,200}")?\)')
MARKER = re.compile(r"(?:[-*+>]|\d{1,9}[.)])[ \t]+")
NESTED_MARKERS = re.compile(rf"^([ \t]*(?:{MARKER.pattern}){{3}})((?:{MARKER.pattern})+)", re.M)
INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
# A line of rule or underline characters ends its block: the parser re-reads the rest of a
# block after each one it peels off ("a\n-\n" * 5000 took 4 s).
RULE_LINE = re.compile(r"^[ \t]*[-=*_+#][-=*_+# \t]*$", re.MULTILINE)
MAX_INDENT = 12  # three levels of four spaces


def hide_stray(text):
    return text.translate(str.maketrans(STRAY))


def escape_marker(marker):
    # "\-" and "1\." are text to Markdown, not the start of a list or a quote.
    if marker[0] in "-*+>":
        return "\\" + marker
    return re.sub(r"^(\d+)", r"\1\\", marker)


def shallow(match):
    return match[1] + "".join(escape_marker(m[0]) for m in MARKER.finditer(match[2]))


def shallow_indent(match):
    return match[0] if len(match[0].expandtabs(4)) <= MAX_INDENT else " " * MAX_INDENT


def tame(text):
    text = SENTINELS.sub("", text[:MAX_LENGTH])
    parts, last = [], 0
    for link in LINK.finditer(text):
        parts += [hide_stray(text[last : link.start()]), link[0]]
        last = link.end()
    parts.append(hide_stray(text[last:]))
    text = INDENT.sub(shallow_indent, "".join(parts))
    text = RULE_LINE.sub(lambda match: match[0] + "\n", text)
    return NESTED_MARKERS.sub(shallow, text)


def render_markdown(text):
    """Markdown to HTML that is safe to show, whatever the text contains."""
    html = markdown.markdown(tame(text or ""), extensions=["sane_lists"])
    html = SENTINELS.sub(lambda match: BACK[match[0]], html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


# One to three capitalised words and a colon, run into the text: "Client Liaison: Contribute…".
# Three words at most, so "…Managing Director Growing Existing Business:" finds the heading
# "Growing Existing Business" and leaves "Managing Director" to the sentence before it.
INLINE_HEADING = re.compile(r"(?<![^\s.])((?:[A-Z][\w'&/-]*[ ]){0,2}[A-Z][\w'&/-]*):(?=\s|$)")
SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+(?=[A-Z0-9'\"(])"
    # Adverts often lose a full stop before the closing call to action.
    r"|(?<=[a-z])\s+(?=(?:Our client is|We are|We offer|If you|Please|To apply)\b)"
)
CLOSING = re.compile(r"^(?:Our client is|We are|We offer|If you|Please|To apply|Interested)\b")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#+!|>~])")


def escape_markdown(text):
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def as_sentence(text):
    text = text.strip()
    return f"{text}." if text and text[-1].isalnum() else text


def split_sentences(text):
    return [as_sentence(part) for part in SENTENCE_END.split(text) if part.strip()]


def advert_text_to_markdown(text):
    """Turn a plain-text advert whose headings ran into its text into readable Markdown.

    Inline headings become `###` headings, the duties under each become bullet
    points, and the closing call to action becomes its own paragraph. Anything
    Markdown would read as formatting (e.g. redacted `****`) is escaped.
    """
    text = escape_markdown(" ".join(text.split()))
    intro, *sections = INLINE_HEADING.split(text)
    blocks = [" ".join(split_sentences(intro))] if intro.strip() else []
    closing = []
    for heading, body in zip(sections[::2], sections[1::2], strict=True):
        sentences = split_sentences(body)
        if heading is sections[-2]:
            at = next((i for i, s in enumerate(sentences) if CLOSING.match(s)), len(sentences))
            sentences, closing = sentences[:at], sentences[at:]
        blocks.append(f"### {heading}")
        if len(sentences) > 1:
            blocks.append("\n".join(f"- {sentence}" for sentence in sentences))
        elif sentences:
            blocks.append(sentences[0])
    if closing:
        blocks.append(" ".join(closing))
    return "\n\n".join(block for block in blocks if block)


def tidy_advert(text):
    """A pasted plain-text advert as Markdown, as the importer makes it; None when the text
    already has Markdown's headings or bullet points (tidying would flatten them)."""
    if MARKDOWN_STRUCTURE.search(text):
        return None
    return advert_text_to_markdown(POSTED_AS.sub("", text).strip())


# Starts only where a run of whitespace starts: a match tried at every space of a long run
# read the rest of the run each time (32,000 spaces took 7 s).
POSTED_AS = re.compile(r"(?<!\s)\s*This job was originally posted as\s+(?P<url>\S+).*$", re.DOTALL)
MARKDOWN_STRUCTURE = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,9}[.)][ \t])", re.M)
# What advert datasets leave where they took contact details out: masked numbers and words
# ("call **** ****", escaped or not) and addresses that lost their "@" ("Kellysamsmall.co.uk").
MASKED = re.compile(r"(?:\\?\*){3,}")
BARE_ADDRESS = re.compile(
    r"(?<![\w@/.-])(?!www\.)[A-Za-z][\w-]{0,60}(?:\.[\w-]{1,60}){0,3}"
    r"\.(?:co\.uk|org\.uk|com|net|org|uk)\b",
    re.IGNORECASE,
)
CONTACT_WORDS = re.compile(r"\b(?:contact|call|phone|ring|e-?mail|telephone|send)\b", re.I)
LINE_PREFIX = re.compile(r"^(\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,9}[.)]\s+|>\s*)?)(.*)$", re.DOTALL)


def is_redacted(sentence):
    """A sentence whose contact details a dataset masked: nothing in it helps a candidate."""
    return bool(MASKED.search(sentence)) or bool(
        CONTACT_WORDS.search(sentence) and BARE_ADDRESS.search(sentence)
    )


def without_redacted(line):
    prefix, body = LINE_PREFIX.match(line).groups()
    if not is_redacted(body):
        return line
    kept = [part for part in SENTENCE_END.split(body) if part.strip() and not is_redacted(part)]
    return prefix + " ".join(kept) if kept else None


def public_text(text):
    """Advert text (Markdown) as candidates may see it: without the "originally posted as"
    trailer and without the sentences whose contact details were masked."""
    text = POSTED_AS.sub("", text or "")
    lines = [without_redacted(line) for line in text.splitlines()]
    return "\n".join(line for line in lines if line is not None).strip()


MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\s]{0,2000}\)")
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]#+!|>~.-])")
EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")


def first_sentence(markdown_text, limit=200):
    """The advert's first sentence of prose, in plain text: what a job card shows when the
    consultant wrote no summary. Headings are skipped; a long sentence is cut at a word."""
    for line in public_text(markdown_text).splitlines():
        _, body = LINE_PREFIX.match(line).groups()
        if not body.strip() or line.lstrip().startswith("#"):
            continue
        body = MARKDOWN_LINK.sub(r"\1", body)
        body = MARKDOWN_ESCAPE.sub(r"\1", EMPHASIS.sub("", body)).replace("&lt;", "<")
        sentence = split_sentences(" ".join(body.split()))[0]
        if len(sentence) > limit:
            sentence = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return sentence
    return ""
