"""Funding streams, allocations within them, pooled shares adding up to 100, endings flagged."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import funding
from reports.models import FundingAllocation, FundingStream, PooledFundAgreement, SupportPost
from tests.factories import BodyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2015, 1, 10)


@pytest.fixture
def county(db):
    return OrganisationFactory(name="Cambridgeshire County Council", kind="local_authority")


@pytest.fixture
def stream(county):
    # S1: the county's £34k a year for the Children's Trust, ceasing 1 June 2015.
    return FundingStream.objects.create(
        name="Children's Trust core funding",
        funder=county,
        amount_per_year=Decimal("34000"),
        ends_on=datetime.date(2015, 6, 1),
    )


def test_allocations_within_the_stream_are_added(stream, partnership_manager):
    for area in ("Fenland", "Huntingdonshire", "East Cambridgeshire"):
        funding.add_allocation(
            stream=stream,
            body=BodyFactory(name=f"{area} Area Partnership"),
            amount_per_year=Decimal("3333"),
            by=partnership_manager,
        )
    funding.add_allocation(
        stream=stream,
        purpose="Children's Trust Manager",
        amount_per_year=Decimal("24001"),
        by=partnership_manager,
    )

    assert stream.allocations.count() == 4


def test_an_allocation_over_the_streams_amount_is_refused(stream, partnership_manager):
    funding.add_allocation(
        stream=stream, purpose="Manager", amount_per_year=Decimal("30000"), by=partnership_manager
    )

    with pytest.raises(ValidationError) as refused:
        funding.add_allocation(
            stream=stream,
            purpose="Conference",
            amount_per_year=Decimal("5000"),
            by=partnership_manager,
        )

    assert refused.value.messages == [
        "Allocations would come to £35,000 a year, more than the stream's £34,000"
    ]
    assert stream.allocations.count() == 1


def test_an_allocation_needs_one_recipient(stream, partnership_manager):
    with pytest.raises(ValidationError) as refused:
        funding.add_allocation(stream=stream, amount_per_year=Decimal("10"), by=partnership_manager)

    assert refused.value.messages == ["Choose a body or a post, or say what the money is for"]


def test_the_allocation_form_refuses_going_over(client, stream, partnership_manager):
    FundingAllocation.objects.create(stream=stream, purpose="Manager", amount_per_year=30000)
    client.force_login(partnership_manager)

    response = client.post(
        reverse("reports:allocation-create", args=[stream.pk]),
        {"purpose": "Conference", "amount_per_year": "5000"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Allocations would come to £35,000 a year, more than the stream's £34,000"
    ]
    assert "There is a problem" in response.text
    assert stream.allocations.count() == 1


def test_the_allocation_form_adds_one_within_the_stream(client, stream, partnership_manager):
    body = BodyFactory(name="Fenland Area Partnership")
    client.force_login(partnership_manager)

    response = client.post(
        reverse("reports:allocation-create", args=[stream.pk]),
        {"body": body.pk, "purpose": "Annual support", "amount_per_year": "3333"},
    )

    assert response.status_code == 302
    assert response.url == reverse("reports:stream-detail", args=[stream.pk])
    allocation = stream.allocations.get()
    assert (allocation.body, allocation.amount_per_year) == (body, Decimal("3333"))


@pytest.fixture
def pool(county):
    return PooledFundAgreement.objects.create(
        name="Children's services pooled budget", legal_basis="s10", host=county
    )


def test_shares_adding_up_to_100_are_kept(pool, county, partnership_manager):
    district = OrganisationFactory(name="Fenland District Council", kind="district_council")

    funding.set_pool_shares(
        agreement=pool,
        shares=[(county, Decimal("60")), (district, Decimal("40"))],
        by=partnership_manager,
    )

    assert [(s.organisation, s.percentage) for s in pool.shares.all()] == [
        (county, Decimal("60.00")),
        (district, Decimal("40.00")),
    ]


def test_shares_not_adding_up_to_100_are_refused(pool, county, partnership_manager):
    district = OrganisationFactory(name="Fenland District Council")

    with pytest.raises(ValidationError) as refused:
        funding.set_pool_shares(
            agreement=pool,
            shares=[(county, Decimal("60")), (district, Decimal("30"))],
            by=partnership_manager,
        )

    assert refused.value.messages == ["The shares add up to 90%: they must add up to 100%"]
    assert not pool.shares.exists()


def test_a_partner_listed_twice_is_refused(pool, county, partnership_manager):
    with pytest.raises(ValidationError) as refused:
        funding.set_pool_shares(
            agreement=pool,
            shares=[(county, Decimal("50")), (county, Decimal("50"))],
            by=partnership_manager,
        )

    assert refused.value.messages == ["Cambridgeshire County Council is listed more than once"]


def test_a_section_75_pool_needs_the_nhs_and_a_council(pool, county, partnership_manager):
    pool.legal_basis = "s75"
    pool.save()
    district = OrganisationFactory(name="Fenland District Council", kind="district_council")

    with pytest.raises(ValidationError) as refused:
        funding.set_pool_shares(
            agreement=pool,
            shares=[(county, Decimal("60")), (district, Decimal("40"))],
            by=partnership_manager,
        )

    assert refused.value.messages == [
        "A section 75 agreement needs at least one NHS body and one local authority among its "
        "partners"
    ]


def _pool_form(host, rows):
    data = {
        "name": "Joint commissioning pool",
        "legal_basis": "s10",
        "host": host.pk,
        "shares-TOTAL_FORMS": "5",
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "20",
    }
    for index, (organisation, percentage) in enumerate(rows):
        data[f"shares-{index}-organisation"] = organisation.pk
        data[f"shares-{index}-percentage"] = percentage
    return data


def test_the_pool_form_refuses_shares_not_adding_up(client, county, partnership_manager):
    district = OrganisationFactory(name="Fenland District Council")
    client.force_login(partnership_manager)

    response = client.post(
        reverse("reports:pool-create"), _pool_form(county, [(county, "60"), (district, "30")])
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The shares add up to 90%: they must add up to 100%"
    ]
    assert not PooledFundAgreement.objects.exists()


def test_the_pool_form_adds_an_agreement_with_its_shares(client, county, partnership_manager):
    district = OrganisationFactory(name="Fenland District Council")
    client.force_login(partnership_manager)

    form = client.get(reverse("reports:pool-create"))
    response = client.post(
        reverse("reports:pool-create"), _pool_form(county, [(county, "60"), (district, "40")])
    )

    assert "Partner 5" in form.text

    agreement = PooledFundAgreement.objects.get()
    assert response.url == reverse("reports:pool-detail", args=[agreement.pk])
    assert sorted(agreement.shares.values_list("percentage", flat=True)) == [40, 60]
    page = client.get(response.url)
    assert "Fenland District Council" in page.text
    assert page.context["share_total"] == Decimal("100")


def test_ending_soon_lists_what_depends_on_the_stream(stream, county):
    fenland = BodyFactory(name="Fenland Area Partnership")
    board = BodyFactory(name="Children's Trust Board")
    manager = SupportPost.objects.create(
        title="Children's Trust Manager", employer=county, fte="0.65", funded_by=stream
    )
    manager.supports.add(board)
    FundingAllocation.objects.create(stream=stream, body=fenland, amount_per_year=3333)
    area_manager = SupportPost.objects.create(
        title="Area Partnership Manager",
        employer=county,
        fte="1",
        ends_on=datetime.date(2015, 8, 31),
    )
    area_manager.supports.add(fenland)
    FundingStream.objects.create(
        name="Later", funder=county, amount_per_year=1, ends_on=datetime.date(2016, 1, 1)
    )

    endings = funding.ending_soon(months=6, on=datetime.date(2015, 3, 1))

    assert [(str(e.thing), e.ends_on) for e in endings] == [
        ("Children's Trust core funding", datetime.date(2015, 6, 1)),
        ("Area Partnership Manager", datetime.date(2015, 8, 31)),
    ]
    assert endings[0].posts == [manager]
    assert endings[0].bodies == [board, fenland]
    assert endings[1].bodies == [fenland]
    assert funding.ending_soon(months=3, on=datetime.date(2015, 3, 1))[0].thing == stream
    assert len(funding.ending_soon(months=3, on=datetime.date(2015, 3, 1))) == 1


def test_add_months_keeps_to_the_end_of_a_short_month():
    assert funding.add_months(datetime.date(2015, 8, 31), 6) == datetime.date(2016, 2, 29)
    assert funding.add_months(datetime.date(2015, 12, 1), 1) == datetime.date(2016, 1, 1)


def test_the_list_warns_of_endings_within_the_months_chosen(
    client, stream, board_member, django_assert_num_queries, county
):
    stream.ends_on = datetime.date.today() + datetime.timedelta(days=120)
    stream.save()
    for n in range(5):
        post = SupportPost.objects.create(
            title=f"Post {n}", employer=county, fte="1", funded_by=stream
        )
        post.supports.add(BodyFactory(name=f"Area Partnership {n}"))
        PooledFundAgreement.objects.create(name=f"Pool {n}", legal_basis="s10", host=county)
    client.force_login(board_member)
    url = reverse("reports:funding-list")

    # session; user; the user's permissions (user, groups); streams (+ funder, body,
    # allocated); posts (+ employer, stream); their bodies; pools (+ host, body, shares);
    # ending streams; their allocations (+ body, post); posts they pay for; those posts'
    # bodies; ending posts
    with django_assert_num_queries(13):
        response = client.get(url)

    endings = response.context["endings"]
    assert [ending.thing for ending in endings] == [stream]
    assert [body.name for body in endings[0].bodies] == [f"Area Partnership {n}" for n in range(5)]
    assert "The funding stream" in response.text
    assert "Add a funding stream" not in response.text
    assert client.get(url, {"months": "3"}).context["endings"] == []


def test_only_partnership_managers_may_add_funding(client, officer, stream):
    client.force_login(officer)
    for name, args in [
        ("reports:stream-create", []),
        ("reports:allocation-create", [stream.pk]),
        ("reports:post-create", []),
        ("reports:pool-create", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403


def test_a_partnership_manager_adds_a_stream(client, partnership_manager, county):
    client.force_login(partnership_manager)

    page = client.get(reverse("reports:stream-create"))
    response = client.post(
        reverse("reports:stream-create"),
        {
            "name": "Area partnership support",
            "funder": county.pk,
            "amount_per_year": "9999",
            "ends_on_0": "1",
            "ends_on_1": "6",
            "ends_on_2": "2015",
        },
    )

    assert page.status_code == 200
    stream = FundingStream.objects.get()
    assert (stream.name, stream.ends_on) == ("Area partnership support", datetime.date(2015, 6, 1))
    assert response.url == reverse("reports:stream-detail", args=[stream.pk])


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("reports:funding-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
