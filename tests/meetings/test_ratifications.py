"""Partners' ratification of decisions that need it (R-DEC-1)."""

import datetime

import pytest
from django.urls import reverse

from meetings.minutes import record_decision
from meetings.models import Ratification
from tests.factories import AgendaItemFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ratification():
    item = AgendaItemFactory(title="Joint commissioning strategy")
    decision = record_decision(
        item=item,
        text="Agreed, subject to ratification by each partner.",
        outcome="agreed",
        needs_ratification=True,
        ratifying_organisations=[OrganisationFactory(name="NHS Worcestershire")],
        by=UserFactory(),
    )
    return decision.ratifications.get()


def test_democratic_services_record_a_partners_ratification(client, officer, ratification):
    client.force_login(officer)
    url = reverse("meetings:ratification-update", kwargs={"pk": ratification.pk})

    response = client.post(
        url,
        {"status": "ratified", "decided_on_0": "9", "decided_on_1": "6", "decided_on_2": "2015"},
    )

    assert response.status_code == 302
    ratification.refresh_from_db()
    assert (ratification.status, ratification.decided_on) == ("ratified", datetime.date(2015, 6, 9))


def test_an_answer_needs_the_date(client, officer, ratification):
    client.force_login(officer)

    response = client.post(
        reverse("meetings:ratification-update", kwargs={"pk": ratification.pk}),
        {"status": "declined"},
    )

    assert response.context["form"].errors["decided_on"] == ["Enter the date the partner decided"]
    assert Ratification.objects.get().status == "pending"


def test_board_members_cannot_record_ratifications(client, board_member, ratification):
    client.force_login(board_member)

    url = reverse("meetings:ratification-update", kwargs={"pk": ratification.pk})

    assert client.post(url, {"status": "ratified"}).status_code == 403
    assert Ratification.objects.get().status == "pending"
