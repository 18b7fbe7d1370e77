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


def render_markdown(text):
    """Markdown to HTML that is safe to show, whatever the text contains."""
    html = markdown.markdown(text or "", extensions=["sane_lists"])
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
