"""What the meetings app tells apps above it, once a change is committed.

Apps higher up the chain (subscriptions) act on agendas and minutes without the meetings app
importing them. Each signal is sent from `transaction.on_commit`, so a receiver never hears of a
publication or an approval that was rolled back, and with `send_robust`, so a failing receiver
cannot turn a committed change into an error page.
"""

from django.dispatch import Signal

# sender=Meeting; meeting_id, supplementary (True for the second and later publications).
agenda_published = Signal()

# sender=Minutes; minutes_id, the minutes just approved as a correct record.
minutes_approved = Signal()

# sender=MinuteEntry; entry_ids, the minute entries whose text was written by a QuerySet update
# or bulk_create (a draft edit, a recorded correction, new entries), which send no post_save.
minute_entry_changed = Signal()
