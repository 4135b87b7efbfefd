"""Progress reports up the reporting line, and the money behind the partnership."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from meetings.models import AgendaItem
from partnerships.audit import track_history
from partnerships.models import (
    Body,
    Organisation,
    Priority,
    ReportingLine,
    TimeStampedModel,
    WorkArea,
)

from .visibility import AnnualReportQuerySet


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Direction(models.TextChoices):
    IMPROVING = "improving", "Improving"
    STEADY = "steady", "No change"
    WORSENING = "worsening", "Worsening"


@track_history()
class AnnualReport(TimeStampedModel):
    """A body's progress report for a period to the body it reports to (annual or quarterly)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Annual report"
        QUARTERLY = "quarterly", "Quarterly progress report"

    class Status(models.TextChoices):
        DRAFTING = "drafting", "Drafting"
        SUBMITTED = "submitted", "Submitted"
        RECEIVED = "received", "Received"
        CONSIDERED = "considered", "Considered at a meeting"
        NOTED = "noted", "Noted"
        ENDORSED = "endorsed", "Endorsed"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="reports")
    receiving_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="reports_received"
    )
    reporting_line = models.ForeignKey(
        ReportingLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFTING)
    title = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    achievements = models.TextField(blank=True)
    gaps = models.TextField(blank=True, help_text="Gaps in provision or progress")
    next_priorities = models.TextField(blank=True, help_text="Priorities for next year")
    # The reports of the bodies beneath, compiled into this one (the roll-up).
    compiles = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="compiled_into"
    )
    # What the system held for the period when the report was submitted (meetings, attendance …).
    facts = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    considered_at = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_starts_on", "body__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_ends_on__gt=F("period_starts_on")),
                name="report_period_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["body", "receiving_body", "kind", "period_starts_on"],
                name="one_report_per_body_period",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.body} {self.get_kind_display().lower()} {self.period_label}"

    def get_absolute_url(self):
        return reverse("reports:report-detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        start, end = self.period_starts_on, self.period_ends_on
        if self.kind == self.Kind.ANNUAL and start.month == 4 and start.day == 1:
            return f"{start.year}/{str(start.year + 1)[2:]}"
        return f"{start:%-d %b %Y} to {end:%-d %b %Y}"


@track_history()
class ReportLine(models.Model):
    """Progress on one priority or work area, with a RAG rating and the direction of travel."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    priority = models.ForeignKey(
        Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    work_area = models.ForeignKey(
        WorkArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=300)
    rag = models.CharField(max_length=5, choices=RAG.choices, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    narrative = models.TextField(blank=True)

    class Meta:
        ordering = ["report", "order", "pk"]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    """A measure reported with its value, target and baseline."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=30, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    trend = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    rag = models.CharField(max_length=5, choices=RAG.choices, blank=True)

    class Meta:
        ordering = ["report", "order", "pk"]

    def __str__(self):
        return self.name


class Escalation(models.Model):
    """An issue the reporting body raises with the receiving body, and what it asks of it."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="escalations")
    order = models.PositiveSmallIntegerField(default=0)
    issue = models.TextField()
    ask = models.TextField(help_text="What the receiving body is asked to do")

    class Meta:
        ordering = ["report", "order", "pk"]

    def __str__(self):
        return self.issue[:80]


@track_history()
class FundingStream(TimeStampedModel):
    """Money a funder puts into the partnership for a period."""

    name = models.CharField(max_length=200)
    funder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="funding_streams"
    )
    amount_per_year = models.DecimalField(max_digits=12, decimal_places=2)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(
        null=True, blank=True, help_text="The first day it is no longer paid"
    )
    recipient_body = models.ForeignKey(
        Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="funding_streams"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_per_year__gte=0), name="funding_stream_amount_not_negative"
            )
        ]

    def __str__(self):
        return self.name


@track_history()
class SupportPost(TimeStampedModel):
    """A staff post that supports the partnership, such as a Children's Trust Manager."""

    title = models.CharField(max_length=200)
    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_posts"
    )
    fte = models.DecimalField(
        max_digits=4, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    funded_by = models.ForeignKey(
        FundingStream, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    ends_on = models.DateField(null=True, blank=True)
    supports = models.ManyToManyField(Body, blank=True, related_name="support_posts")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


@track_history()
class FundingAllocation(TimeStampedModel):
    """Part of a funding stream given to a body or a post; together never more than the stream."""

    stream = models.ForeignKey(FundingStream, on_delete=models.CASCADE, related_name="allocations")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    post = models.ForeignKey(
        SupportPost, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    purpose = models.CharField(max_length=300, blank=True)
    amount_per_year = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["stream", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_per_year__gt=0), name="allocation_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.body or self.post or self.purpose}: £{self.amount_per_year}"


@track_history()
class PooledFundAgreement(TimeStampedModel):
    """An agreement by partners to pool money, with each partner's share."""

    class LegalBasis(models.TextChoices):
        CHILDREN_ACT_S10 = "s10", "Children Act 2004, section 10"
        NHS_ACT_S75 = "s75", "NHS Act 2006, section 75"
        INFORMAL = "informal", "Informal arrangement"

    name = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=10, choices=LegalBasis.choices)
    host = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hosted_pools")
    body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pooled_funds",
        help_text="The body that oversees it, such as a joint commissioning board",
    )
    amount_per_year = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@track_history()
class PoolShare(models.Model):
    """One partner's percentage share of a pooled fund; the shares add up to 100."""

    agreement = models.ForeignKey(
        PooledFundAgreement, on_delete=models.CASCADE, related_name="shares"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    percentage = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["agreement", "-percentage"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="pool_share_once"),
            models.CheckConstraint(
                condition=Q(percentage__gt=0, percentage__lte=100), name="pool_share_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.percentage}%"
