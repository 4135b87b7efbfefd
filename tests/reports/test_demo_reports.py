"""The demo reports and money: loading twice changes nothing, and the Cambridgeshire roll-up
adds up."""

from collections import Counter
from decimal import Decimal

import pytest

from config.demo import load_world
from partnerships.demo import cambridgeshire, central_bedfordshire
from reports import demo
from reports.models import (
    AnnualReport,
    Escalation,
    FundingAllocation,
    FundingStream,
    PooledFundAgreement,
    PoolShare,
    ReportLine,
    SupportPost,
)
from reports.services import roll_up_summary

pytestmark = pytest.mark.django_db

MODELS = [
    AnnualReport,
    ReportLine,
    Escalation,
    FundingStream,
    FundingAllocation,
    SupportPost,
    PooledFundAgreement,
    PoolShare,
]


@pytest.fixture
def world():
    load_world()
    demo.load()


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS} | {
        "compiled": AnnualReport.compiles.through.objects.count()
    }


def test_loading_twice_changes_nothing(world):
    before = _counts()

    demo.load()

    assert _counts() == before
    assert before["AnnualReport"] == 4


def test_executive_group_report_rolls_up_the_three_area_partnership_reports(world):
    report = AnnualReport.objects.get(
        body__slug=cambridgeshire.EXECUTIVE,
        receiving_body__slug=cambridgeshire.HWB,
        period_starts_on="2015-04-01",
    )
    compiled = report.compiles.order_by("body__slug")

    assert report.period_label == "2015/16"
    assert report.status == AnnualReport.Status.SUBMITTED
    assert [r.body.slug for r in compiled] == cambridgeshire.AREAS
    assert {r.status for r in compiled} == {AnnualReport.Status.RECEIVED}
    assert [(line.title, line.rag) for line in report.lines.all()] == [
        ("Area Partnerships", "amber"),
        ("Together for Families", "green"),
        ("Child Poverty", "amber"),
        ("Children's Mental Health", "red"),
        ("SEND", "green"),
    ]
    assert all(line.work_area.priority.number == 1 for line in report.lines.all())


def test_combined_rag_summary_counts_match_the_lines(world):
    report = AnnualReport.objects.get(
        body__slug=cambridgeshire.EXECUTIVE, receiving_body__slug=cambridgeshire.HWB
    )
    lines = ReportLine.objects.filter(report__compiled_into=report).select_related("work_area")
    expected = Counter((line.work_area.name, line.rag) for line in lines)

    summary = roll_up_summary(report)

    assert len(lines) == 9
    assert summary.counts == {
        name: {rag: expected[(name, rag)] for rag in ("red", "amber", "green")}
        for name, _ in expected
    }
    assert summary.counts == {
        "Area Partnerships": {"red": 0, "amber": 1, "green": 2},
        "Child Poverty": {"red": 1, "amber": 1, "green": 0},
        "Children's Mental Health": {"red": 1, "amber": 1, "green": 0},
        "SEND": {"red": 0, "amber": 0, "green": 1},
        "Together for Families": {"red": 0, "amber": 0, "green": 1},
    }
    assert [len(items) for _, items in summary.escalations] == [1, 1, 1]


def test_cambridgeshire_funding_ends_in_2015(world):
    stream = FundingStream.objects.get(name="Children's Trust funding")

    assert stream.amount_per_year == Decimal("34000.00")
    assert stream.ends_on.isoformat() == "2015-06-01"
    assert sorted(
        (a.body.slug, a.amount_per_year) for a in stream.allocations.select_related("body")
    ) == [(slug, Decimal("3333.00")) for slug in cambridgeshire.AREAS]
    posts = {post.title: post for post in SupportPost.objects.all()}
    assert posts["Children's Trust Manager"].fte == Decimal("0.65")
    assert posts["Children's Trust Manager"].ends_on.isoformat() == "2015-06-01"
    assert posts["Area Partnership Manager"].ends_on.isoformat() == "2015-08-31"


def test_central_bedfordshire_pools_sixty_forty_under_section_10(world):
    agreement = PooledFundAgreement.objects.get(body__slug=central_bedfordshire.ASSURANCE)

    assert agreement.legal_basis == PooledFundAgreement.LegalBasis.CHILDREN_ACT_S10
    assert agreement.host.name == central_bedfordshire.COUNCIL
    assert [(s.organisation.name, s.percentage) for s in agreement.shares.all()] == [
        (central_bedfordshire.COUNCIL, Decimal("60.00")),
        (central_bedfordshire.BEDFORD, Decimal("40.00")),
    ]
