import datetime
import zoneinfo

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partnerships.Organisation"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "local_authority"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partnerships.Partnership"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Children's Trust {n}")
    slug = factory.LazyAttribute(lambda p: slugify(p.name))


class BodyFactory(factory.django.DjangoModelFactory):
    """A body, active since 1 April 2010 unless `status` and `status_on` say otherwise."""

    class Meta:
        model = "partnerships.Body"
        skip_postgeneration_save = True

    class Params:
        status = "active"
        status_on = datetime.date(2010, 4, 1)

    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.LazyAttribute(lambda body: slugify(body.name))
    partnership = factory.SubFactory(PartnershipFactory)
    kind = "trust_board"
    lifecycle = factory.RelatedFactory(
        "tests.factories.BodyStatusChangeFactory",
        factory_related_name="body",
        status=factory.SelfAttribute("..status"),
        effective_on=factory.SelfAttribute("..status_on"),
    )


class BodyStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partnerships.BodyStatusChange"

    body = factory.SubFactory(BodyFactory)
    status = "active"
    effective_on = datetime.date(2010, 4, 1)


class ReportingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partnerships.ReportingLine"

    from_body = factory.SubFactory(BodyFactory)
    to_body = factory.SubFactory(BodyFactory)
    kind = "reports_to"
    is_primary = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "membership.Person"

    name = factory.Faker("name", locale="en_GB")
    job_title = "Head of Service"


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "membership.Seat"

    body = factory.SubFactory(BodyFactory)
    label = factory.Sequence(lambda n: f"Representative {n}")
    role = "member"
    order = factory.Sequence(lambda n: n)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A current holding since 1 May 2010 (bodies from BodyFactory are active from April 2010)."""

    class Meta:
        model = "membership.Membership"

    seat = factory.SubFactory(SeatFactory)
    person = factory.SubFactory(PersonFactory)
    starts_on = datetime.date(2010, 5, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A public meeting at 2pm on Wednesday 29 April 2015, agenda not yet published."""

    class Meta:
        model = "meetings.Meeting"

    body = factory.SubFactory(BodyFactory, meets_in_public=True)
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(2015, 4, 29, 14, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    )
    venue = "Shire Hall, Cambridge"
    is_public = True


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = "report"
    title = factory.Sequence(lambda n: f"Report {n}")
    purpose = "decision"


class AnnualReportFactory(factory.django.DjangoModelFactory):
    """A 2015/16 annual report (financial year) from a body to another, being drafted."""

    class Meta:
        model = "reports.AnnualReport"

    body = factory.SubFactory(BodyFactory)
    receiving_body = factory.SubFactory(BodyFactory)
    period_starts_on = datetime.date(2015, 4, 1)
    period_ends_on = datetime.date(2016, 3, 31)
