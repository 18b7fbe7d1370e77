from django.conf import settings


def agency(request):
    return {"agency": settings.AGENCY, "company_facts": company_facts(settings.AGENCY)}


def company_facts(agency):
    """(label, value) for the footer's company details: only those the agency has set."""
    registered = agency["COMPANY_NUMBER"] and (
        f"{agency['LEGAL_NAME'] or agency['NAME']}, company number {agency['COMPANY_NUMBER']}"
    )
    facts = [
        ("Registered company", registered),
        ("Registered office", agency["REGISTERED_OFFICE"]),
        ("ICO registration", agency["ICO_NUMBER"]),
        ("Member of", agency["TRADE_BODY"]),
    ]
    return [(label, value) for label, value in facts if value]
