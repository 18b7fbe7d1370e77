"""How vacancy facts read to a UK candidate."""

from decimal import Decimal

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def format_money(amount, currency="GBP"):
    """£45,000 for whole amounts, £18.50 when there are pence."""
    amount = Decimal(amount)
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    if amount == amount.to_integral_value():
        return f"{symbol}{int(amount):,}"
    return f"{symbol}{amount:,.2f}"


def format_salary(minimum, maximum, per, currency="GBP", text=""):
    """'£45,000 – £55,000 a year', 'Up to £500 a day, plus bonus', or the advert's own words.

    `per` is how the period reads: "a year", "a day" (VacancySalaryPeriod's labels). Words
    given with figures follow them: "plus bonus and car" is part of the offer.
    """
    if minimum is None and maximum is None:
        return text or "Salary not stated"
    if minimum is not None and maximum is not None:
        figures = format_money(minimum, currency)
        if minimum != maximum:
            figures = f"{figures} – {format_money(maximum, currency)}"
    elif minimum is not None:
        figures = f"From {format_money(minimum, currency)}"
    else:
        figures = f"Up to {format_money(maximum, currency)}"
    figures = f"{figures} {per}".strip()
    return f"{figures}, {lower_first(text)}" if text else figures


def lower_first(words):
    """ "Plus bonus" reads "plus bonus" mid-sentence; "OTE £60k" stays as it is."""
    if words[:1].isupper() and words[1:2].islower():
        return words[0].lower() + words[1:]
    return words
