"""Meetings: agendas with exempt items, papers, attendance, minutes, decisions and actions."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from membership.models import Person, Seat
from partnerships.audit import track_history
from partnerships.models import Body, Organisation, TimeStampedModel

from .visibility import (
    AgendaItemQuerySet,
    MeetingQuerySet,
    MinuteEntryQuerySet,
    PaperQuerySet,
)

EXEMPT_PARAGRAPHS = [
    (1, "1. Information relating to any individual"),
    (2, "2. Information likely to reveal the identity of an individual"),
    (3, "3. Financial or business affairs of any particular person"),
    (4, "4. Labour relations consultations or negotiations"),
    (5, "5. Legal professional privilege"),
    (6, "6. Notices, orders or directions under any enactment"),
    (7, "7. Prevention, investigation or prosecution of crime"),
]


@track_history()
class Meeting(TimeStampedModel):
    """A meeting of a body."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Ordinary"
        EXTRAORDINARY = "extraordinary", "Extraordinary"
        DEVELOPMENT_DAY = "development_day", "Development day"
        WORKSHOP = "workshop", "Workshop"
        CONFERENCE = "conference", "Conference"
        JOINT = "joint", "Joint meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        POSTPONED = "postponed", "Postponed"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200, blank=True, help_text="If not just the body's name")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(blank=True, help_text="A link to join online, if any")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    is_public = models.BooleanField(
        default=False, help_text="Whether the public may attend and see its published agenda"
    )
    linked_meetings = models.ManyToManyField(
        "self", blank=True, help_text="Held the same day at the same venue"
    )
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    agenda_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agenda_version = models.PositiveIntegerField(default=0)
    # Bumped whenever the meeting's calendar entry changes (iCalendar SEQUENCE).
    calendar_sequence = models.PositiveIntegerField(default=0)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.title or self.body.name}, {self.starts_at:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.agenda_published_at is not None


@track_history()
class AgendaItem(TimeStampedModel):
    """A numbered item on a meeting's agenda."""

    class Kind(models.TextChoices):
        APOLOGIES = "apologies", "Apologies"
        DECLARATIONS = "declarations", "Declarations of interest"
        PREVIOUS_MINUTES = "previous_minutes", "Minutes of the previous meeting"
        ACTION_LOG = "action_log", "Action log"
        REPORT = "report", "Report"
        PRESENTATION = "presentation", "Presentation"
        VERBAL_UPDATE = "verbal_update", "Verbal update"
        REFERRED = "referred", "Referred from another body"
        OTHER = "other", "Other business"

    class Purpose(models.TextChoices):
        DECISION = "decision", "For decision"
        INFORMATION = "information", "For information"
        NOTING = "noting", "For noting"
        DISCUSSION = "discussion", "For discussion"
        ENDORSEMENT = "endorsement", "For endorsement"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_items"
    )
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REPORT)
    title = models.CharField(max_length=300)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)
    presenter = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="items_presented"
    )
    presenter_title = models.CharField(
        max_length=300, blank=True, help_text="Their job title at the meeting"
    )
    summary = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    questions = models.TextField(blank=True, help_text="Questions or decisions required")
    minutes_allocated = models.PositiveSmallIntegerField(null=True, blank=True)
    is_exempt = models.BooleanField(default=False)
    exempt_paragraph = models.PositiveSmallIntegerField(
        choices=EXEMPT_PARAGRAPHS, null=True, blank=True
    )
    public_interest_statement = models.TextField(blank=True)
    is_late = models.BooleanField(default=False)
    urgency_reason = models.TextField(
        blank=True, help_text="The chair's reason for taking the item although it is late"
    )
    concerns_organisations = models.ManyToManyField(Organisation, blank=True, related_name="+")
    minutes_to_approve = models.ForeignKey(
        "Minutes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_items",
        help_text="For a 'minutes of the previous meeting' item: the minutes to approve",
    )
    referred_decision = models.ForeignKey(
        "Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="referral_items"
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "parent", "order"],
                name="item_order_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(is_exempt=False)
                | (Q(exempt_paragraph__isnull=False) & ~Q(public_interest_statement="")),
                name="exempt_item_has_paragraph_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(is_late=False) | ~Q(urgency_reason=""),
                name="late_item_has_urgency_reason",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def number(self) -> str:
        if self.parent_id:
            return f"{self.parent.order}.{self.order}"
        return str(self.order)


def paper_path(paper, filename):
    # A random name: the original name is kept in the database, never trusted on disk.
    return f"papers/{paper.item.meeting_id}/{secrets.token_hex(16)}"


class PaperKind(models.TextChoices):
    # The law keeps them for different times: reports and their appendices are part of the
    # record for six years (s.100C); background papers listed in a report for four (s.100D).
    REPORT = "report", "Report"
    APPENDIX = "appendix", "Appendix to a report"
    PRESENTATION = "presentation", "Presentation"
    BACKGROUND = "background", "Background paper"


@track_history()
class Paper(TimeStampedModel):
    """A document for an agenda item: a report, an appendix, a presentation."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    kind = models.CharField(
        max_length=20,
        choices=PaperKind.choices,
        default=PaperKind.REPORT,
        help_text="Background papers are kept for four years, the rest for six.",
    )
    file = models.FileField(upload_to=paper_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    order = models.PositiveSmallIntegerField(default=0)
    is_exempt = models.BooleanField(default=False)
    exempt_paragraph = models.PositiveSmallIntegerField(
        choices=EXEMPT_PARAGRAPHS, null=True, blank=True
    )
    public_interest_statement = models.TextField(blank=True)
    is_late = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["item", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_exempt=False)
                | (Q(exempt_paragraph__isnull=False) & ~Q(public_interest_statement="")),
                name="exempt_paper_has_paragraph_and_reason",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:paper-download", kwargs={"pk": self.pk})


@track_history()
class Attendance(TimeStampedModel):
    """Who was at a meeting, in which capacity, or who sent apologies."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"
        IN_ATTENDANCE = "in_attendance", "In attendance"
        GUEST = "guest", "Guest"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance"
    )
    seat = models.ForeignKey(
        Seat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance",
        help_text="The seat they sat in, if any",
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    substitute_for = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substituted_by",
        help_text="The member they stood in for",
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="For a guest or rotation attendee with no record"
    )
    left_before_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""), name="attendance_names_someone"
            ),
        ]

    def __str__(self):
        return f"{self.person or self.name}: {self.get_status_display()}"


@track_history()
class Declaration(TimeStampedModel):
    """An interest declared at a meeting, on an item, and whether the member withdrew."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="declarations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="declarations")
    interest = models.TextField()
    withdrew = models.BooleanField(
        default=False, help_text="They left the room for the item and did not vote"
    )

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.person}: {self.interest[:50]}"


@track_history()
class Minutes(TimeStampedModel):
    """The minutes of a meeting: drafted, circulated, approved at a later meeting and signed."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CIRCULATED = "circulated", "Circulated in draft"
        APPROVED = "approved", "Approved"

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="minutes_approved"
    )
    approved_on = models.DateField(null=True, blank=True)
    signed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="minutes_signed"
    )

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(approved_at__isnull=False, approved_on__isnull=False, signed_by__isnull=False),
                name="approved_minutes_record_when_and_who",
            ),
            models.CheckConstraint(
                condition=~Q(approved_at=F("meeting")), name="minutes_not_approved_at_own_meeting"
            ),
        ]

    def __str__(self):
        return f"Minutes of {self.meeting}"


@track_history()
class MinuteEntry(TimeStampedModel):
    """What was said and resolved on one agenda item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minute")
    text = models.TextField(blank=True, help_text="Sanitised HTML")
    resolution = models.TextField(blank=True)
    # Optimistic locking: a save must name the version it edited.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = MinuteEntryQuerySet.as_manager()

    class Meta:
        ordering = ["item__order"]
        verbose_name_plural = "minute entries"

    def __str__(self):
        return f"Minute of {self.item}"


@track_history()
class MinuteCorrection(TimeStampedModel):
    """A change to approved minutes, recorded rather than made silently."""

    entry = models.ForeignKey(MinuteEntry, on_delete=models.CASCADE, related_name="corrections")
    text_before = models.TextField()
    text_after = models.TextField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["entry", "created_at"]


@track_history()
class Decision(TimeStampedModel):
    """What a meeting decided on an item."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        AGREED_WITH_AMENDMENTS = "agreed_amended", "Agreed with amendments"
        NOTED = "noted", "Noted"
        ENDORSED = "endorsed", "Endorsed"
        DEFERRED = "deferred", "Deferred"
        REJECTED = "rejected", "Rejected"
        REFERRED = "referred", "Referred"

    class Mode(models.TextChoices):
        CONSENSUS = "consensus", "By consensus"
        VOTE = "vote", "By vote"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.CONSENSUS)
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)
    needs_ratification = models.BooleanField(
        default=False, help_text="Each partner must ratify it through its own governance"
    )
    was_inquorate = models.BooleanField(
        default=False, help_text="Taken without a quorum: needs ratification at a quorate meeting"
    )
    referred_to = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_received"
    )

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="referred") | Q(referred_to__isnull=False),
                name="referred_decision_names_the_body",
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.text[:60]}"


@track_history()
class Ratification(TimeStampedModel):
    """One partner's ratification of a decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RATIFIED = "ratified", "Ratified"
        DECLINED = "declined", "Declined"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ratifications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "organisation"], name="ratification_once")
        ]


@track_history()
class Action(TimeStampedModel):
    """An action from a meeting, owned by a person or an organisation, closed at a meeting."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done, to be closed"
        CLOSED = "closed", "Closed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_at = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions_closed"
    )
    closed_minute = models.CharField(max_length=20, blank=True, help_text="The minute reference")

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_organisation__isnull=False),
                name="action_has_an_owner",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="closed_action_names_the_meeting",
            ),
        ]

    def __str__(self):
        return self.description[:80]


class ActionUpdate(TimeStampedModel):
    """A progress note on an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["action", "created_at"]


class CalendarToken(models.Model):
    """The secret in a person's private "my meetings" calendar address."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Calendar address of {self.person}"
