"""Bar charts drawn on the server as SVG: readable without scripts, named for screen readers.

Each chart has a <title> and a <desc> (its figures in words), and sits beside a table with
the same figures, which is the text equivalent. Only presentation attributes, never a style
attribute: the Content Security Policy allows no inline styles.
"""

from django.utils.html import format_html, format_html_join

WIDTH = 700
LABEL_WIDTH = 290
VALUE_WIDTH = 110
BAR_HEIGHT = 22
GAP = 8
TOP = 8
BAR_COLOUR = "#205067"  # the admin's header blue: 9.6:1 on white
TEXT_COLOUR = "#1f1f1f"


def bar_chart(chart_id, title, rows):
    """rows: [(label, value, shown value)], drawn as horizontal bars from zero.

    Negative values draw no bar; their shown value says what they are.
    """
    largest = max((value for _, value, _ in rows if value > 0), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + len(rows) * (BAR_HEIGHT + GAP)
    bars = []
    for index, (label, value, shown) in enumerate(rows):
        y = TOP + index * (BAR_HEIGHT + GAP)
        width = round(room * value / largest, 1) if largest and value > 0 else 0
        bars.append(
            (
                y + BAR_HEIGHT * 0.7,
                LABEL_WIDTH - 8,
                label,
                LABEL_WIDTH,
                y,
                max(width, 0),
                BAR_HEIGHT,
                BAR_COLOUR,
                LABEL_WIDTH + width + 6,
                y + BAR_HEIGHT * 0.7,
                shown,
            )
        )
    description = "; ".join(f"{label}: {shown}" for label, _, shown in rows) or "No figures."
    body = format_html_join(
        "",
        '<text x="{1}" y="{0}" text-anchor="end" fill="' + TEXT_COLOUR + '">{2}</text>'
        '<rect x="{3}" y="{4}" width="{5}" height="{6}" fill="{7}"></rect>'
        '<text x="{8}" y="{9}" fill="' + TEXT_COLOUR + '">{10}</text>',
        bars,
    )
    return format_html(
        '<svg class="numbers-chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'aria-labelledby="{}-title {}-desc" xmlns="http://www.w3.org/2000/svg" '
        'font-family="sans-serif" font-size="13">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )
