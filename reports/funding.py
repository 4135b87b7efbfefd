"""Writes and reads for the money behind the partnership: allocations, pooled shares, endings.

R-FUND-1: allocations never come to more than their stream, and streams and posts that end
soon are flagged. R-FUND-2: what depends on them. R-POOL-1/2: pooled funds' partners and shares.
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from partnerships.models import Body, Organisation

from .models import FundingAllocation, FundingStream, PooledFundAgreement, PoolShare, SupportPost

NHS_KINDS = {
    Organisation.Kind.NHS_COMMISSIONER,
    Organisation.Kind.NHS_PROVIDER,
    Organisation.Kind.NHS_ENGLAND,
}
LOCAL_AUTHORITY_KINDS = {Organisation.Kind.LOCAL_AUTHORITY, Organisation.Kind.DISTRICT_COUNCIL}


def money(amount: Decimal) -> str:
    """£34,000, or £3,333.33 when there are pence."""
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


@transaction.atomic
def add_allocation(
    *,
    stream: FundingStream,
    amount_per_year: Decimal,
    body: Body | None = None,
    post: SupportPost | None = None,
    purpose: str = "",
    by,
) -> FundingAllocation:
    """Give part of a stream to a body, a post or a purpose, within what the stream provides."""
    # The lock makes a second allocation to the stream wait until this one commits, so two
    # cannot each see room for themselves and together go over.
    stream = FundingStream.objects.select_for_update().get(pk=stream.pk)
    errors = []
    if body is not None and post is not None:
        errors.append("Choose a body or a post, not both")
    if body is None and post is None and not purpose.strip():
        errors.append("Choose a body or a post, or say what the money is for")
    if amount_per_year is None or amount_per_year <= 0:
        errors.append("Enter an amount a year more than £0")
    else:
        allocated = stream.allocations.aggregate(total=Sum("amount_per_year"))["total"] or 0
        total = allocated + amount_per_year
        if total > stream.amount_per_year:
            errors.append(
                f"Allocations would come to {money(total)} a year, "
                f"more than the stream's {money(stream.amount_per_year)}"
            )
    if errors:
        raise ValidationError(errors)
    return FundingAllocation.objects.create(
        stream=stream,
        body=body,
        post=post,
        purpose=purpose.strip(),
        amount_per_year=amount_per_year,
    )


@transaction.atomic
def set_pool_shares(
    *,
    agreement: PooledFundAgreement,
    shares: list[tuple[Organisation, Decimal]],
    by,
) -> list[PoolShare]:
    """Replace the partners' shares of a pooled fund; together they must make exactly 100%."""
    agreement = PooledFundAgreement.objects.select_for_update().get(pk=agreement.pk)
    errors = []
    seen = set()
    for organisation, _ in shares:
        if organisation.pk in seen:
            errors.append(f"{organisation.name} is listed more than once")
        seen.add(organisation.pk)
    if any(percentage <= 0 or percentage > 100 for _, percentage in shares):
        errors.append("Enter each share as a percentage more than 0 and no more than 100")
    total = sum((percentage for _, percentage in shares), Decimal(0))
    if total != 100:
        errors.append(f"The shares add up to {percent(total)}: they must add up to 100%")
    if agreement.legal_basis == PooledFundAgreement.LegalBasis.NHS_ACT_S75:
        kinds = {organisation.kind for organisation, _ in shares}
        if not (kinds & NHS_KINDS and kinds & LOCAL_AUTHORITY_KINDS):
            errors.append(
                "A section 75 agreement needs at least one NHS body and one local authority "
                "among its partners"
            )
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    agreement.shares.all().delete()
    return PoolShare.objects.bulk_create(
        PoolShare(agreement=agreement, organisation=organisation, percentage=percentage)
        for organisation, percentage in shares
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass
class Ending:
    """A funding stream or post that ends soon, and what depends on it (R-FUND-2)."""

    thing: FundingStream | SupportPost
    ends_on: datetime.date
    allocations: list[FundingAllocation] = field(default_factory=list)
    posts: list[SupportPost] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)

    @property
    def is_stream(self) -> bool:
        return isinstance(self.thing, FundingStream)


def ending_soon(months: int = 6, on: datetime.date | None = None) -> list[Ending]:
    """Streams and posts ending after `on` and within `months` of it, soonest first (R-FUND-1)."""
    on = on or timezone.localdate()
    until = add_months(on, months)
    within = Q(ends_on__gt=on, ends_on__lte=until)
    supported = Prefetch("supports", Body.objects.order_by("name"))
    streams = FundingStream.objects.filter(within).prefetch_related(
        Prefetch(
            "allocations",
            FundingAllocation.objects.select_related("body", "post")
            .prefetch_related(Prefetch("post__supports", Body.objects.order_by("name")))
            .order_by("pk"),
        ),
        Prefetch("posts", SupportPost.objects.prefetch_related(supported).order_by("title")),
    )
    posts = SupportPost.objects.filter(within).prefetch_related(supported)
    endings = []
    for stream in streams:
        posts_funded = list(stream.posts.all())
        for allocation in stream.allocations.all():
            if allocation.post and allocation.post.pk not in {p.pk for p in posts_funded}:
                posts_funded.append(allocation.post)
        bodies = {a.body.pk: a.body for a in stream.allocations.all() if a.body}
        for post in posts_funded:
            bodies |= {body.pk: body for body in post.supports.all()}
        endings.append(
            Ending(
                thing=stream,
                ends_on=stream.ends_on,
                allocations=list(stream.allocations.all()),
                posts=posts_funded,
                bodies=sorted(bodies.values(), key=lambda body: body.name.lower()),
            )
        )
    for post in posts:
        endings.append(Ending(thing=post, ends_on=post.ends_on, bodies=list(post.supports.all())))
    return sorted(endings, key=lambda ending: (ending.ends_on, str(ending.thing)))
