"""Demo rosters from the seed papers; `load()` is idempotent.

- Worcestershire, August 2009 (seed 004): the Partnership Advisory Body and Joint Commissioning
  Board, imported from the example files in docs/examples, so the demo takes the tested path.
- Central Bedfordshire, November 2008 (seed 001): the seats the paper describes, imported the same
  way. It names no holders, so every seat is vacant.
- Cambridgeshire, June 2015 (seed 000): the Executive Group is "each chair of the Area
  Partnerships and a representative of the County Council's Children's Services". The paper names
  no one, so the Area Partnership chairs are vacant seats and the Executive Group's seats follow
  them ex officio. (The meetings demo adds a few illustrative Children's Trust Board members, each
  marked as such, so its 2015 meetings have a chair to sign minutes and people to attend.)
"""

import csv
import io

from django.conf import settings

from partnerships.demo import cambridgeshire, central_bedfordshire
from partnerships.models import Body, Organisation

from .importer import COLUMNS, import_roster
from .models import Seat, SeatRole
from .services import create_seat

EXAMPLES = settings.BASE_DIR / "docs" / "examples"
ROSTER_FILES = ["worcestershire-pab-roster.csv", "worcestershire-jcb-roster.csv"]

CB = central_bedfordshire
THEMATIC_GROUPS = [slug for slug, *_ in CB.THEMATIC_GROUPS]
VOLUNTARY_SECTOR = "Voluntary & Community Sector"

# (body, seat, nominating organisation, role, represents), with the paper's paragraph.
CENTRAL_BEDFORDSHIRE_SEATS = [
    (CB.BOARD, "Lead Member for Children's Services", CB.COUNCIL, "Member", ""),  # ¶1, ¶12
    (CB.BOARD, "Director of Children's Services", CB.COUNCIL, "Member", ""),  # ¶1
    (CB.BOARD, "Executive member of a primary care trust", "", "Member", ""),  # ¶12
    (CB.BOARD, "Non-executive member of a primary care trust", "", "Member", ""),  # ¶12
    (CB.BOARD, "Voluntary and Community Sector Representative", "", "Member", VOLUNTARY_SECTOR),
    (CB.JCB, "Commissioning lead for Children's Services", CB.COUNCIL, "Member", ""),  # ¶18
    (CB.JCB, "Voluntary and Community Sector Representative", "", "Member", VOLUNTARY_SECTOR),
    # ¶26: a senior manager of a partner chairs with a co-chair, one of them from the council.
    *(
        (group, "Co-chair from a partner organisation", "", "Co-chair", "")
        for group in THEMATIC_GROUPS
    ),
    *(
        (group, "Co-chair from the council", CB.COUNCIL, "Co-chair", "")
        for group in THEMATIC_GROUPS
    ),
]


def load() -> None:
    """Build the demo rosters; running it again changes nothing."""
    for name in ROSTER_FILES:
        _import(name, (EXAMPLES / name).read_bytes())
    _import("Central Bedfordshire's seats", _vacancies(CENTRAL_BEDFORDSHIRE_SEATS))
    _load_cambridgeshire()


def _import(name: str, source: bytes | str) -> None:
    result = import_roster(source)
    if result.problems:
        problems = "; ".join(str(problem) for problem in result.problems)
        raise RuntimeError(f"The demo roster {name} did not import: {problems}")


def _vacancies(seats: list[tuple[str, str, str, str, str]]) -> str:
    """A roster file of vacant seats."""
    text = io.StringIO()
    writer = csv.DictWriter(text, COLUMNS)
    writer.writeheader()
    for body, seat, organisation, role, represents in seats:
        writer.writerow(
            {
                "body": body,
                "seat": seat,
                "organisation": organisation,
                "role": role,
                "represents": represents,
            }
        )
    return text.getvalue()


def _load_cambridgeshire() -> None:
    executive = Body.objects.get(slug=cambridgeshire.EXECUTIVE)
    for number, slug in enumerate(cambridgeshire.AREAS, start=1):
        chair = _seat(Body.objects.get(slug=slug), "Chair", role=SeatRole.CHAIR)
        _seat(
            executive,
            f"Chair of Area Partnership {number}",
            kind=Seat.Kind.EX_OFFICIO,
            ex_officio_of=chair,
            starts_on=cambridgeshire.CHANGE,
        )
    _seat(
        executive,
        "Representative of Children's Services",
        nominating_organisation=Organisation.objects.get(name=cambridgeshire.COUNCIL),
        starts_on=cambridgeshire.CHANGE,
    )


def _seat(body: Body, label: str, **fields) -> Seat:
    return body.seats.filter(label=label).first() or create_seat(body=body, label=label, **fields)
