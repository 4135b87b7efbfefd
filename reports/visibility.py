"""Who may read which reports: the reports' part of the one visibility layer.

A draft is visible to its owning body only (its members) and to the staff who run the
partnership; once submitted, the receiving body's members may read it too. Reports are
not public until considered at a meeting, when the agenda item carries them.
"""

from django.db import models
from django.db.models import Q

from meetings.visibility import member_body_ids, sees_everything


class AnnualReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self
        bodies = member_body_ids(user)
        return self.filter(
            Q(body_id__in=bodies) | (Q(receiving_body_id__in=bodies) & ~Q(status="drafting"))
        )
