"""Partnerships, the bodies in them, how they report to each other, and their terms of reference."""

import datetime

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import (
    ArrayField,
    BigIntegerRangeField,
    DateRangeField,
    RangeOperators,
)
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.urls import reverse

from .audit import AccessEvent, track_history  # noqa: F401 - AccessEvent is a model of this app


class TimeStampedModel(models.Model):
    """Adds when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DatePrecision(models.TextChoices):
    """How much of a date the source gave: council papers often say only "August 2009" or "2015"."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_approximate_date(value: datetime.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


class DateRange(Func):
    """PostgreSQL daterange(lower, upper, '[)'); a null bound is unbounded."""

    function = "DATERANGE"
    output_field = DateRangeField()


class SingleIdRange(Func):
    """int8range(id, id, '[]'): lets a GiST exclusion constraint compare ids.

    The usual `id WITH =` needs the btree_gist extension, which the embedded PostgreSQL lacks;
    ranges of one value overlap exactly when the ids are equal.
    """

    function = "INT8RANGE"
    template = "%(function)s(%(expressions)s, %(expressions)s, '[]')"
    output_field = BigIntegerRangeField()


@track_history()
class Organisation(TimeStampedModel):
    """A partner agency: a council, NHS body, police force, school, voluntary organisation …"""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        DISTRICT_COUNCIL = "district_council", "District council"
        NHS_COMMISSIONER = "nhs_commissioner", "NHS commissioner (PCT, CCG or ICB)"
        NHS_PROVIDER = "nhs_provider", "NHS provider trust"
        NHS_ENGLAND = "nhs_england", "NHS England or strategic health authority"
        POLICE = "police", "Police"
        POLICE_AND_CRIME_COMMISSIONER = "pcc", "Police and crime commissioner"
        PROBATION = "probation", "Probation"
        YOUTH_OFFENDING = "youth_offending", "Youth offending service"
        SCHOOL = "school", "School"
        FURTHER_EDUCATION = "further_education", "Further or higher education"
        SKILLS_AND_EMPLOYMENT = "skills_employment", "Skills and employment (LSC, Jobcentre Plus)"
        VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary and community sector"
        PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
        YOUTH_FORUM = "youth_forum", "Youth forum or cabinet"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        SAFEGUARDING = "safeguarding", "Safeguarding partnership"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True, help_text="For example, WCC")
    aliases = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="Other names the papers use for it, so imports and searches find it",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@track_history()
class Partnership(TimeStampedModel):
    """The arrangement partners run together, such as "Cambridgeshire Children's Trust"."""

    class LegalBasis(models.TextChoices):
        CHILDREN_ACT_S10 = "s10_children_act_2004", "Co-operation duty (Children Act 2004, s.10)"
        HWB = "s194_hsca_2012", "Health and Wellbeing Board (Health and Social Care Act 2012)"
        LSP_THEME = "lsp_theme", "Theme of a local strategic partnership"
        INFORMAL = "informal", "Informal arrangement"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True)
    description = models.TextField(blank=True)
    legal_basis = models.CharField(
        max_length=30, choices=LegalBasis.choices, default=LegalBasis.CHILDREN_ACT_S10
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_partnerships",
        help_text="Usually the council that services the partnership",
    )
    two_tier_area = models.BooleanField(
        default=False,
        help_text="A county with district councils, which are then relevant partners "
        "(Children Act 2004, s.10(4)(a))",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:partnership-detail", kwargs={"slug": self.slug})


class BodyStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SHADOW = "shadow", "Shadow"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    ON_HOLD = "on_hold", "On hold"
    DISBANDED = "disbanded", "Disbanded"
    REPLACED = "replaced", "Replaced"
    COMPLETED = "completed", "Completed"


# Statuses in which a body exists and may meet; the structure chart draws these.
LIVE_STATUSES = frozenset(
    {BodyStatus.SHADOW, BodyStatus.ACTIVE, BodyStatus.UNDER_REVIEW, BodyStatus.ON_HOLD}
)
ENDED_STATUSES = frozenset({BodyStatus.DISBANDED, BodyStatus.REPLACED, BodyStatus.COMPLETED})
ALLOWED_TRANSITIONS = {
    None: {BodyStatus.PROPOSED, BodyStatus.SHADOW, BodyStatus.ACTIVE},
    BodyStatus.PROPOSED: {BodyStatus.SHADOW, BodyStatus.ACTIVE, BodyStatus.DISBANDED},
    BodyStatus.SHADOW: {BodyStatus.ACTIVE, BodyStatus.DISBANDED, BodyStatus.REPLACED},
    BodyStatus.ACTIVE: {
        BodyStatus.UNDER_REVIEW,
        BodyStatus.ON_HOLD,
        BodyStatus.DISBANDED,
        BodyStatus.REPLACED,
        BodyStatus.COMPLETED,
    },
    BodyStatus.UNDER_REVIEW: {
        BodyStatus.ACTIVE,
        BodyStatus.DISBANDED,
        BodyStatus.REPLACED,
        BodyStatus.COMPLETED,
    },
    BodyStatus.ON_HOLD: {BodyStatus.ACTIVE, BodyStatus.DISBANDED, BodyStatus.REPLACED},
}


class BodyQuerySet(models.QuerySet):
    def with_status(self, on: datetime.date | None = None):
        """Annotate `status_on_date`: the body's lifecycle status on the date (today by default)."""
        on = on or datetime.date.today()
        latest = (
            BodyStatusChange.objects.filter(body=OuterRef("pk"), effective_on__lte=on)
            .order_by("-effective_on", "-id")
            .values("status")[:1]
        )
        return self.annotate(status_on_date=Subquery(latest))

    def alive(self, on: datetime.date | None = None):
        """Bodies that exist on the date: shadow, active, under review or on hold."""
        return self.with_status(on).filter(status_on_date__in=LIVE_STATUSES)


@track_history()
class Body(TimeStampedModel):
    """A group that meets: a board, executive group, sub-group, area partnership …"""

    class Kind(models.TextChoices):
        TRUST_BOARD = "trust_board", "Trust board"
        EXECUTIVE_GROUP = "executive_group", "Executive group"
        JOINT_COMMISSIONING_BOARD = "joint_commissioning_board", "Joint commissioning board"
        ADVISORY_BODY = "advisory_body", "Advisory body"
        THEMATIC_SUBGROUP = "thematic_subgroup", "Thematic sub-group"
        AREA_PARTNERSHIP = "area_partnership", "Area partnership"
        TASK_AND_FINISH_GROUP = "task_and_finish_group", "Task and finish group"
        CONFERENCE = "conference", "Conference"
        YOUTH_SHADOW_BOARD = "youth_shadow_board", "Young people's shadow board"
        HEALTH_AND_WELLBEING_BOARD = "health_and_wellbeing_board", "Health and wellbeing board"
        SAFEGUARDING_BOARD = "safeguarding_board", "Safeguarding board"
        OTHER = "other", "Other"

    class AccessToInformation(models.TextChoices):
        STATUTORY = "statutory", "Statutory (Local Government Act 1972, Part VA)"
        VOLUNTARY = "voluntary", "Adopted voluntarily"
        NONE = "none", "None"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="bodies")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    meets_in_public = models.BooleanField(
        default=False, help_text="Whether members of the public may attend its meetings"
    )
    access_to_information = models.CharField(
        max_length=20,
        choices=AccessToInformation.choices,
        default=AccessToInformation.NONE,
        help_text="Whether the rules on publishing agendas and exempt items apply",
    )
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True
    )
    notes = models.TextField(blank=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="body_name_unique_in_partnership"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:body-detail", kwargs={"slug": self.slug})

    @property
    def follows_access_to_information_rules(self) -> bool:
        return self.access_to_information != self.AccessToInformation.NONE


@track_history()
class BodyStatusChange(TimeStampedModel):
    """A dated step in a body's lifecycle; the latest on or before a date is its status then."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=BodyStatus.choices)
    effective_on = models.DateField()
    effective_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["effective_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "effective_on", "status"], name="status_change_unique_per_day"
            )
        ]

    def __str__(self):
        return f"{self.body}: {self.get_status_display()} from {self.effective_display}"

    @property
    def effective_display(self) -> str:
        return format_approximate_date(self.effective_on, self.effective_precision)


class ReportingLineQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Lines in force on the date (today by default)."""
        on = on or datetime.date.today()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on)
        )

    def current_between(self, starts_on: datetime.date | None, ends_on: datetime.date | None):
        """Lines in force at some time in [starts_on, ends_on); None means unbounded."""
        lines = self
        if ends_on is not None:
            lines = lines.filter(Q(starts_on__isnull=True) | Q(starts_on__lt=ends_on))
        if starts_on is not None:
            lines = lines.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on))
        return lines

    def primary(self):
        return self.filter(is_primary=True)


@track_history()
class ReportingLine(TimeStampedModel):
    """A dated line from a body to the body or organisation it reports to, advises, observes …"""

    class Kind(models.TextChoices):
        REPORTS_TO = "reports_to", "Reports to"
        ACCOUNTABLE_TO = "accountable_to", "Accountable to"
        DELEGATES_TO = "delegates_to", "Delegates to"
        PROVIDES_REPORTS_TO = "provides_reports_to", "Provides reports to"
        ADVISES = "advises", "Advises"
        OBSERVES = "observes", "Observes"
        REFERS_DECISIONS_TO = "refers_decisions_to", "Refers decisions to"

    class Cadence(models.TextChoices):
        ANNUAL = "annual", "Annual"
        QUARTERLY = "quarterly", "Quarterly"
        PER_MEETING = "per_meeting", "After each meeting"
        AD_HOC = "ad_hoc", "When needed"

    from_body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="lines_up")
    to_body = models.ForeignKey(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="lines_down"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="lines_in"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.REPORTS_TO)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, blank=True)
    starts_on = models.DateField(
        null=True, blank=True, help_text="Leave empty if it always applied"
    )
    ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="The first day it no longer applies; empty if it still does",
    )
    is_primary = models.BooleanField(
        default=False,
        help_text="The body's main upward line, used for the structure chart. One at a time.",
    )
    note = models.CharField(max_length=500, blank=True)

    objects = ReportingLineQuerySet.as_manager()

    class Meta:
        ordering = ["from_body__name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_body__isnull=False, to_organisation__isnull=True)
                | Q(to_body__isnull=True, to_organisation__isnull=False),
                name="reporting_line_has_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(from_body=F("to_body")), name="reporting_line_not_to_itself"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gt=F("starts_on")),
                name="reporting_line_ends_after_it_starts",
            ),
            ExclusionConstraint(
                name="one_primary_line_per_body_at_a_time",
                expressions=[
                    (SingleIdRange(F("from_body")), RangeOperators.OVERLAPS),
                    (DateRange(F("starts_on"), F("ends_on")), RangeOperators.OVERLAPS),
                ],
                condition=Q(is_primary=True),
                violation_error_message="This body already has a primary reporting line then.",
            ),
        ]

    def __str__(self):
        return f"{self.from_body} {self.get_kind_display().lower()} {self.target}"

    @property
    def target(self):
        return self.to_body or self.to_organisation


FREQUENCY_LABELS = {
    1: "Annually",
    2: "Twice a year",
    3: "Three times a year",
    4: "Quarterly",
    6: "Every two months",
    12: "Monthly",
}


@track_history()
class TermsOfReference(TimeStampedModel):
    """One version of a body's terms of reference."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"

    class QuorumBasis(models.TextChoices):
        FILLED = "filled", "Seats currently filled"
        ESTABLISHED = "established", "All established seats"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="terms_of_reference")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    effective_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True, help_text="When it is due for review")
    agreed_on = models.DateField(null=True, blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How often the body meets, as meetings a year"
    )
    frequency_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="For example: twice a year, with a third date for the partnership conference",
    )
    quorum_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The fewest voting members present for a quorum"
    )
    quorum_fraction = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Or a share of the seats, such as 0.33 for a third",
    )
    quorum_basis = models.CharField(
        max_length=12, choices=QuorumBasis.choices, default=QuorumBasis.ESTABLISHED
    )
    quorum_counts_advisors = models.BooleanField(
        default=False, help_text="Whether advisors and observers count towards the quorum"
    )
    quorum_requires_chair = models.BooleanField(
        default=False, help_text="The chair or vice-chair must be present"
    )
    quorum_required_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        help_text="Organisations that must be represented for a quorum",
    )

    class Meta:
        ordering = ["body", "-version"]
        verbose_name = "terms of reference"
        verbose_name_plural = "terms of reference"
        constraints = [
            models.UniqueConstraint(fields=["body", "version"], name="tor_version_unique"),
            models.UniqueConstraint(
                fields=["body"], condition=Q(status="agreed"), name="one_agreed_tor_per_body"
            ),
            models.CheckConstraint(
                condition=Q(quorum_fraction__isnull=True)
                | Q(quorum_fraction__gt=0, quorum_fraction__lte=1),
                name="tor_quorum_fraction_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed") | Q(agreed_on__isnull=False),
                name="agreed_tor_has_agreed_date",
            ),
        ]

    def __str__(self):
        return f"{self.body}: terms of reference version {self.version}"

    def get_absolute_url(self):
        return reverse(
            "partnerships:tor-detail", kwargs={"slug": self.body.slug, "version": self.version}
        )

    @property
    def frequency_display(self) -> str:
        if self.meetings_per_year is None:
            return self.frequency_note or "Not stated"
        label = FREQUENCY_LABELS.get(
            self.meetings_per_year, f"{self.meetings_per_year} times a year"
        )
        return f"{label} ({self.frequency_note})" if self.frequency_note else label

    @property
    def quorum_display(self) -> str:
        if self.quorum_count is None and self.quorum_fraction is None:
            return "Not stated"
        basis = "filled seats" if self.quorum_basis == self.QuorumBasis.FILLED else "seats"
        parts = []
        if self.quorum_count is not None:
            parts.append(f"at least {self.quorum_count} voting members")
        if self.quorum_fraction is not None:
            parts.append(f"{self.quorum_fraction:.0%} of {basis}")
        text = " and ".join(parts)
        if self.quorum_requires_chair:
            text += ", including the chair or vice-chair"
        return text[0].upper() + text[1:]


@track_history()
class ToRSection(models.Model):
    """A numbered section of a version of the terms of reference."""

    class Kind(models.TextChoices):
        PURPOSE = "purpose", "Purpose"
        ROLE_AND_FUNCTIONS = "role_functions", "Role and functions"
        MEMBERSHIP = "membership", "Membership"
        CHAIRING = "chairing", "Chairing"
        QUORUM = "quorum", "Quorum"
        DECISION_MAKING = "decision_making", "Decision making"
        FREQUENCY = "frequency", "Frequency of meetings"
        SUPPORT = "support", "Support"
        REPORTING_LINE = "reporting_line", "Reporting line"
        COSTS = "costs", "Costs"
        INTERESTS = "interests", "Declarations of interest"
        REVIEW = "review", "Review"
        OTHER = "other", "Other"

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    heading = models.CharField(max_length=200, blank=True, help_text="If not the usual heading")
    text = models.TextField()

    class Meta:
        ordering = ["terms", "order"]
        verbose_name = "terms of reference section"
        constraints = [
            models.UniqueConstraint(fields=["terms", "order"], name="tor_section_order_unique")
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.heading or self.get_kind_display()


@track_history()
class Priority(TimeStampedModel):
    """A numbered priority of a strategy, such as HWB Priority 1."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="priorities", help_text="Whose priority it is"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["body", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="priority_number_unique")
        ]

    def __str__(self):
        return f"Priority {self.number}: {self.title}"


@track_history()
class WorkArea(TimeStampedModel):
    """A strand of work under a priority, and the body that delivers it."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="work_areas")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    delivered_by = models.ForeignKey(
        Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="work_areas"
    )

    class Meta:
        ordering = ["priority", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "name"], name="work_area_unique_in_priority"
            )
        ]

    def __str__(self):
        return self.name
