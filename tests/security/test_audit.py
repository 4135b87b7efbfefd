"""The audit trail: database-trigger history with who and why, the history page, access events."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.audit import reason
from meetings.models import AgendaItem
from meetings.papers import save_paper
from partnerships.audit import AccessEvent
from partnerships.models import Body
from partnerships.views.history import tracked_models
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
    UserFactory,
)

AUDIT_MIDDLEWARE = "config.audit.AuditContextMiddleware"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _audit_middleware(settings):
    if AUDIT_MIDDLEWARE not in settings.MIDDLEWARE:
        after = settings.MIDDLEWARE.index("django.contrib.auth.middleware.LoginRequiredMiddleware")
        settings.MIDDLEWARE = [
            *settings.MIDDLEWARE[: after + 1],
            AUDIT_MIDDLEWARE,
            *settings.MIDDLEWARE[after + 1 :],
        ]


def history(obj):
    return list(obj.events.order_by("pgh_id"))


def history_url(obj):
    return reverse(
        "partnerships:object-history", kwargs={"model": obj._meta.label_lower, "pk": obj.pk}
    )


def member_of(body):
    user = UserFactory()
    MembershipFactory(seat=SeatFactory(body=body), person=PersonFactory(user=user))
    return user


def test_every_governance_record_is_tracked():
    assert set(tracked_models()) == {
        *(
            f"partnerships.{name}"
            for name in [
                "partnership",
                "organisation",
                "body",
                "bodystatuschange",
                "reportingline",
                "termsofreference",
                "torsection",
                "priority",
                "workarea",
            ]
        ),
        *(
            f"membership.{name}"
            for name in ["person", "seat", "membership", "substitute", "interestdeclaration"]
        ),
        *(
            f"meetings.{name}"
            for name in [
                "meeting",
                "agendaitem",
                "paper",
                "attendance",
                "declaration",
                "minutes",
                "minuteentry",
                "minutecorrection",
                "decision",
                "ratification",
                "action",
            ]
        ),
        *(
            f"reports.{name}"
            for name in [
                "annualreport",
                "reportline",
                "fundingstream",
                "fundingallocation",
                "supportpost",
                "pooledfundagreement",
                "poolshare",
            ]
        ),
    }


@pytest.mark.django_db
def test_a_bulk_update_is_recorded():
    body = BodyFactory(name="Children's Trust Board")

    Body.objects.filter(pk=body.pk).update(name="Children and Young People's Board")

    events = history(body)
    assert [event.pgh_label for event in events] == ["insert", "update"]
    assert events[0].name == "Children's Trust Board"
    assert events[1].name == "Children and Young People's Board"


@pytest.mark.django_db
def test_raw_sql_is_recorded():
    body = BodyFactory(name="Health and Wellbeing Board")

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Body._meta.db_table} SET name = %s WHERE id = %s",  # noqa: S608
            ["Health and Care Board", body.pk],
        )

    assert [(event.pgh_label, event.name) for event in history(body)] == [
        ("insert", "Health and Wellbeing Board"),
        ("update", "Health and Care Board"),
    ]


@pytest.mark.django_db
def test_a_save_that_changes_nothing_is_not_recorded():
    body = BodyFactory()

    body.save()

    assert [event.pgh_label for event in history(body)] == ["insert"]


@pytest.mark.django_db
def test_the_history_cannot_be_rewritten():
    body = BodyFactory()
    event = history(body)[0]

    with pytest.raises(Exception, match="append_only"):
        type(event).objects.filter(pk=event.pk).update(name="Forged")


@pytest.mark.django_db
def test_a_deleted_record_keeps_its_history():
    item = AgendaItemFactory(title="Budget")
    pk = item.pk

    item.delete()

    assert [event.pgh_label for event in item.events.model.objects.filter(pgh_obj_id=pk)] == [
        "insert",
        "delete",
    ]


@pytest.mark.django_db
def test_who_changed_it_is_recorded_for_a_request(client, officer):
    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, order=1, title="Minutes")
    AgendaItemFactory(meeting=meeting, order=2, title="Budget")
    client.force_login(officer)

    response = client.post(
        reverse("meetings:item-move", kwargs={"pk": first.pk}), {"direction": "down"}
    )

    assert response.status_code == 302
    last = history(first)[-1]
    assert last.order == 2
    assert last.pgh_context.metadata == {
        "user": officer.pk,
        "url": reverse("meetings:item-move", kwargs={"pk": first.pk}),
        "method": "POST",
    }


@pytest.mark.django_db
def test_a_service_can_say_why():
    body = BodyFactory(name="Adult Safeguarding Board")

    with reason("Renamed by the partnership's annual review"):
        Body.objects.filter(pk=body.pk).update(name="Safeguarding Adults Board")

    assert history(body)[-1].pgh_context.metadata == {
        "reason": "Renamed by the partnership's annual review"
    }


@pytest.mark.django_db
def test_the_history_page_shows_what_changed_on_an_item(client, officer):
    item = AgendaItemFactory(order=1, title="Budget 2015/16")
    with reason("Retitled at the chair's request"):
        AgendaItem.objects.filter(pk=item.pk).update(title="Revenue budget 2015/16")
    client.force_login(officer)

    response = client.get(history_url(item))

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "History of 1. Revenue budget 2015/16" in page
    assert (
        '<dt class="govuk-summary-list__key">Title</dt>\n'
        '                      <dd class="govuk-summary-list__value"><del>Budget 2015/16</del>'
        " → <ins>Revenue budget 2015/16</ins></dd>"
    ) in page
    assert "Reason: Retitled at the chair&#x27;s request" in page
    assert page.count('<td class="govuk-table__cell">Changed') == 1
    assert page.count('<td class="govuk-table__cell">Created') == 1


@pytest.mark.django_db
def test_the_history_page_names_who_made_the_change(client, officer, partnership_manager):
    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, order=1)
    AgendaItemFactory(meeting=meeting, order=2)
    client.force_login(officer)
    client.post(reverse("meetings:item-move", kwargs={"pk": first.pk}), {"direction": "down"})
    client.force_login(partnership_manager)

    page = client.get(history_url(first)).content.decode()

    assert f"{officer.get_full_name() or officer.username}<br>" in page


@pytest.mark.django_db
def test_the_history_page_is_only_for_officers(client, board_member):
    body = BodyFactory()
    item = AgendaItemFactory(meeting=MeetingFactory(body=body))
    member = member_of(body)
    url = history_url(item)

    anonymous = client.get(url)
    client.force_login(board_member)
    as_board_member = client.get(url)
    client.force_login(member)
    as_member_of_the_body = client.get(url)

    assert anonymous.status_code == 302
    assert as_board_member.status_code == 404
    assert as_member_of_the_body.status_code == 404


@pytest.mark.django_db
def test_the_history_page_knows_only_tracked_models(client, officer):
    client.force_login(officer)

    untracked = client.get(
        reverse("partnerships:object-history", kwargs={"model": "auth.user", "pk": officer.pk})
    )
    missing = client.get(
        reverse("partnerships:object-history", kwargs={"model": "partnerships.body", "pk": 999999})
    )

    assert untracked.status_code == 404
    assert missing.status_code == 404


def exempt_paper(officer):
    meeting = MeetingFactory(agenda_published_at=timezone.now())
    item = AgendaItemFactory(meeting=meeting)
    return save_paper(
        item=item,
        upload=SimpleUploadedFile("Terms.pdf", PDF, content_type="application/pdf"),
        title="Contract terms",
        by=officer,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercial terms under negotiation",
    )


@pytest.mark.django_db
def test_downloading_an_exempt_paper_is_recorded(client, officer):
    paper = exempt_paper(officer)
    member = member_of(paper.item.meeting.body)
    url = reverse("meetings:paper-download", kwargs={"pk": paper.pk})
    client.force_login(member)

    response = client.get(url)

    assert response.status_code == 200
    event = AccessEvent.objects.get()
    assert (event.kind, event.user_id, event.method, event.path) == (
        "exempt_viewed",
        member.pk,
        "GET",
        url,
    )
    assert (event.object_type, event.object_id) == ("meetings.paper", paper.pk)


@pytest.mark.django_db
def test_downloading_a_public_paper_is_not_recorded(client, officer):
    meeting = MeetingFactory(agenda_published_at=timezone.now())
    paper = save_paper(
        item=AgendaItemFactory(meeting=meeting),
        upload=SimpleUploadedFile("Plan.pdf", PDF, content_type="application/pdf"),
        title="Plan",
        by=officer,
    )

    response = client.get(reverse("meetings:paper-download", kwargs={"pk": paper.pk}))

    assert response.status_code == 200
    assert AccessEvent.objects.count() == 0


@pytest.mark.django_db
def test_a_refused_request_is_recorded(client, officer):
    paper = exempt_paper(officer)
    outsider = UserFactory()
    url = reverse("meetings:paper-download", kwargs={"pk": paper.pk})

    anonymous = client.get(url)
    client.force_login(outsider)
    signed_in = client.get(url)

    assert (anonymous.status_code, signed_in.status_code) == (302, 404)
    assert list(AccessEvent.objects.order_by("pk").values_list("kind", "user_id", "path")) == [
        ("denied", None, url),
        ("denied", outsider.pk, url),
    ]


@pytest.mark.django_db
def test_a_refused_meeting_page_is_recorded(client):
    meeting = MeetingFactory(is_public=False, agenda_published_at=timezone.now())
    outsider = UserFactory()
    client.force_login(outsider)

    response = client.get(meeting.get_absolute_url())

    assert response.status_code == 404
    assert list(AccessEvent.objects.values_list("kind", "user_id")) == [("denied", outsider.pk)]


@pytest.mark.django_db
def test_a_meeting_page_showing_exempt_items_is_recorded_once(client):
    meeting = MeetingFactory(agenda_published_at=timezone.now())
    for order in (1, 2):
        AgendaItemFactory(
            meeting=meeting,
            order=order,
            is_exempt=True,
            exempt_paragraph=3,
            public_interest_statement="Commercial",
        )
    member = member_of(meeting.body)

    client.get(meeting.get_absolute_url())
    client.force_login(member)
    client.get(meeting.get_absolute_url())

    assert list(AccessEvent.objects.values_list("kind", "user_id", "object_id")) == [
        ("exempt_viewed", member.pk, meeting.pk)
    ]


@pytest.mark.django_db
def test_opening_an_exempt_item_page_is_recorded_and_an_open_one_is_not(client):
    meeting = MeetingFactory(agenda_published_at=timezone.now())
    open_item = AgendaItemFactory(meeting=meeting, order=1)
    exempt = AgendaItemFactory(
        meeting=meeting,
        order=2,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercial",
    )
    member = member_of(meeting.body)
    client.force_login(member)
    exempt_url = reverse("meetings:item-detail", kwargs={"pk": exempt.pk})

    opened = client.get(exempt_url)
    client.get(reverse("meetings:item-detail", kwargs={"pk": open_item.pk}))

    assert opened.status_code == 200
    assert list(
        AccessEvent.objects.values_list("kind", "user_id", "path", "object_type", "object_id")
    ) == [("exempt_viewed", member.pk, exempt_url, "meetings.agendaitem", exempt.pk)]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["attendance", "declarations", "minutes"])
def test_a_refused_register_or_minutes_page_is_recorded(client, page):
    meeting = MeetingFactory(is_public=False, status="held", agenda_published_at=timezone.now())
    outsider = UserFactory()
    url = reverse(f"meetings:{page}", kwargs={"pk": meeting.pk})

    anonymous = client.get(url)
    client.force_login(outsider)
    signed_in = client.get(url)

    assert (anonymous.status_code, signed_in.status_code) == (302, 404)
    assert list(AccessEvent.objects.order_by("pk").values_list("kind", "user_id", "path")) == [
        ("denied", None, url),
        ("denied", outsider.pk, url),
    ]


@pytest.mark.django_db
def test_the_access_log_cannot_be_rewritten(client, officer):
    paper = exempt_paper(officer)
    client.get(reverse("meetings:paper-download", kwargs={"pk": paper.pk}))

    with pytest.raises(Exception, match="access_event_append_only"):
        AccessEvent.objects.all().delete()


@pytest.mark.django_db
def test_the_history_page_lists_reads_of_exempt_material(client, officer, partnership_manager):
    paper = exempt_paper(officer)
    member = member_of(paper.item.meeting.body)
    client.force_login(member)
    client.get(reverse("meetings:paper-download", kwargs={"pk": paper.pk}))
    client.force_login(partnership_manager)

    page = client.get(history_url(paper)).content.decode()

    assert "Viewed confidential material" in page
    assert member.username in page or member.get_full_name() in page
