"""People, the seats on bodies they hold, their substitutes and their registered interests."""

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from partnerships.audit import track_history
from partnerships.models import Body, DateRange, Organisation, SingleIdRange, TimeStampedModel


class Constituency(models.Model):
    """Who a seat speaks for: "Voluntary & Community Sector", "Primary school heads", "GP" …"""

    name = models.CharField(max_length=150, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "constituencies"

    def __str__(self):
        return self.name


@track_history()
class Person(TimeStampedModel):
    """Someone who sits on, advises or attends a body."""

    name = models.CharField(max_length=200, help_text="Without a title, for example Marcus Hart")
    honorific = models.CharField(max_length=50, blank=True, help_text="For example, Councillor")
    sort_name = models.CharField(max_length=200, blank=True, help_text="For example, Hart, Marcus")
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    job_title = models.CharField(max_length=300, blank=True)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="people")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    publish_name = models.BooleanField(
        default=True,
        help_text="Untick for children and young people: public pages then show the seat only",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.sort_name:
            given, _, family = self.name.rpartition(" ")
            self.sort_name = f"{family}, {given}" if given else family
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("membership:person-detail", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()


class SeatRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    CO_CHAIR = "co_chair", "Co-chair"
    MEMBER = "member", "Member"
    ADVISOR = "advisor", "Advisor"
    PARTICIPANT_OBSERVER = "participant_observer", "Participant observer"
    IN_ATTENDANCE = "in_attendance", "In attendance"


# Advisors, observers and officers in attendance neither vote nor count for a quorum by default.
NON_VOTING_ROLES = {SeatRole.ADVISOR, SeatRole.PARTICIPANT_OBSERVER, SeatRole.IN_ATTENDANCE}


class StatutoryCategory(models.TextChoices):
    """Categories the law requires on a body; see membership/compliance.py for when each applies."""

    S10_LOCAL_AUTHORITY = "s10_local_authority", "Children's services authority"
    S10_DISTRICT_COUNCIL = "s10_district_council", "District council (two-tier areas)"
    S10_POLICE_AUTHORITY = "s10_police_authority", "Police authority or local policing body"
    S10_CHIEF_OFFICER_OF_POLICE = "s10_chief_officer_of_police", "Chief officer of police"
    S10_PROBATION = "s10_probation", "Probation"
    S10_YOUTH_OFFENDING = "s10_youth_offending", "Youth offending team"
    S10_STRATEGIC_HEALTH_AUTHORITY = "s10_sha", "Strategic health authority"
    S10_PRIMARY_CARE_TRUST = "s10_pct", "Primary care trust"
    S10_NHS_ENGLAND = "s10_nhs_england", "NHS Commissioning Board (NHS England)"
    S10_CLINICAL_COMMISSIONING = (
        "s10_ccg_icb",
        "Clinical commissioning group or integrated care board",
    )
    S10_CONNEXIONS = "s10_connexions", "Connexions or youth support services"
    S10_LEARNING_AND_SKILLS_COUNCIL = "s10_lsc", "Learning and Skills Council"
    S10_MAINTAINED_SCHOOLS = "s10_maintained_schools", "Maintained schools"
    S10_ACADEMIES = "s10_academies", "Academies and city technology colleges"
    S10_NON_MAINTAINED_SPECIAL_SCHOOLS = "s10_special_schools", "Non-maintained special schools"
    S10_FURTHER_EDUCATION = "s10_further_education", "Further education institutions"
    S10_JOBCENTRE_PLUS = "s10_jobcentre_plus", "Jobcentre Plus"
    HWB_COUNCILLOR = "hwb_councillor", "Councillor of the local authority"
    HWB_DASS = "hwb_dass", "Director of adult social services"
    HWB_DCS = "hwb_dcs", "Director of children's services"
    HWB_DPH = "hwb_dph", "Director of public health"
    HWB_HEALTHWATCH = "hwb_healthwatch", "Local Healthwatch"
    HWB_CLINICAL_COMMISSIONING = (
        "hwb_ccg_icb",
        "Each clinical commissioning group or integrated care board",
    )


class SeatQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or datetime.date.today()
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on)
        )


@track_history()
class Seat(TimeStampedModel):
    """A place on a body, held or vacant."""

    class Kind(models.TextChoices):
        NAMED = "named", "Held by named people"
        EX_OFFICIO = "ex_officio", "Ex officio: whoever holds another seat"
        ROTATION = "rotation", "Group seat filled in rotation"

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    label = models.CharField(
        max_length=300,
        help_text='As printed, for example "Representative of the Secondary School Heads"',
    )
    role = models.CharField(max_length=30, choices=SeatRole.choices, default=SeatRole.MEMBER)
    represents = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, null=True, blank=True, related_name="seats"
    )
    nominating_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominated_seats",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NAMED)
    ex_officio_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ex_officio_seats",
        help_text="The seat whose holder also holds this one",
    )
    max_holders = models.PositiveSmallIntegerField(default=1, help_text="2 for a job share")
    voting = models.BooleanField(default=True)
    counts_for_quorum = models.BooleanField(default=True)
    statutory_category = models.CharField(
        max_length=40, choices=StatutoryCategory.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(
        null=True, blank=True, help_text="The first day the seat no longer exists"
    )

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["body", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_holders__gte=1, max_holders__lte=4), name="seat_max_holders_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gt=F("starts_on")),
                name="seat_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(kind="ex_officio", ex_officio_of__isnull=False)
                | (~Q(kind="ex_officio") & Q(ex_officio_of__isnull=True)),
                name="seat_ex_officio_has_a_source",
            ),
            # R-MEM-1: one chair and one vice-chair seat per body at a time (a job-share seat
            # with two holders is still one chair).
            *(
                ExclusionConstraint(
                    name=f"one_{role}_seat_per_body_at_a_time",
                    expressions=[
                        (SingleIdRange(F("body")), RangeOperators.OVERLAPS),
                        (DateRange(F("starts_on"), F("ends_on")), RangeOperators.OVERLAPS),
                    ],
                    condition=Q(role=role),
                    violation_error_message=f"This body already has a {label.lower()} then.",
                )
                for role, label in [("chair", "Chair"), ("vice_chair", "Vice-chair")]
            ),
        ]

    def __str__(self):
        return f"{self.body}: {self.label}"


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Holdings in force on the date (today by default)."""
        on = on or datetime.date.today()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))


@track_history()
class Membership(TimeStampedModel):
    """Someone holding a seat for a time; a seat no one holds is a vacancy."""

    class Arrangement(models.TextChoices):
        SOLE = "sole", "Sole"
        JOB_SHARE = "job_share", "Job share"
        INTERIM = "interim", "Interim"
        ACTING = "acting", "Acting"
        ROTATION = "rotation", "Rotation"

    class EndReason(models.TextChoices):
        RESIGNED = "resigned", "Resigned"
        TERM_ENDED = "term_ended", "Term ended"
        LEFT_ORGANISATION = "left_organisation", "Left the organisation"
        REPLACED = "replaced", "Replaced by the nominating organisation"
        BODY_ENDED = "body_ended", "The body ended"
        OTHER = "other", "Other"

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Empty for a group seat filled in rotation",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Who the holder represents or works for in this seat",
    )
    job_title = models.CharField(max_length=300, blank=True, help_text="As when appointed")
    arrangement = models.CharField(
        max_length=12, choices=Arrangement.choices, default=Arrangement.SOLE
    )
    starts_on = models.DateField()
    ends_on = models.DateField(
        null=True, blank=True, help_text="The first day they no longer hold it"
    )
    term_ends_on = models.DateField(null=True, blank=True, help_text="When the term of office ends")
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    notes = models.CharField(max_length=500, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["seat", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="membership_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | Q(arrangement="rotation", organisation__isnull=False),
                name="membership_has_a_holder",
            ),
            ExclusionConstraint(
                name="membership_person_once_per_seat_at_a_time",
                expressions=[
                    (SingleIdRange(F("seat")), RangeOperators.OVERLAPS),
                    (SingleIdRange(F("person")), RangeOperators.OVERLAPS),
                    (DateRange(F("starts_on"), F("ends_on")), RangeOperators.OVERLAPS),
                ],
                condition=Q(person__isnull=False),
            ),
        ]

    def __str__(self):
        holder = self.person or self.organisation
        return f"{holder} in {self.seat}"


@track_history()
class Substitute(TimeStampedModel):
    """A named standing substitute for a seat."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="substitutes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="substitute_for")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["seat", "person__sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["seat", "person"], name="substitute_once_per_seat")
        ]

    def __str__(self):
        return f"{self.person} (substitute for {self.seat.label})"


@track_history()
class InterestDeclaration(TimeStampedModel):
    """An entry in a person's register of interests."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", "Employment, office, trade or profession"
        FINANCIAL = "financial", "Financial interest"
        CONTRACT = "contract", "Contracts"
        LAND = "land", "Land or property"
        SPONSORSHIP = "sponsorship", "Sponsorship"
        MEMBERSHIP = "membership", "Membership of an organisation or charity"
        GIFT = "gift", "Gift or hospitality"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="interests")
    body = models.ForeignKey(
        Body,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interest_declarations",
        help_text="Only if it concerns one body",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    registered_on = models.DateField()
    reviewed_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-registered_on"]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()}"
