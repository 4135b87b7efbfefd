from django.urls import path

from .views import (
    actions,
    agenda,
    attendance,
    calendars,
    meetings,
    minutes,
    papers,
    ratifications,
)

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="meeting-list"),
    path("new/", meetings.create_meeting, name="meeting-create"),
    path("schedule/", calendars.generate_schedule, name="schedule-generate"),
    path("my/", calendars.my_meetings, name="my-meetings"),
    path("calendar/public.ics", calendars.public_calendar, name="calendar-public"),
    path("calendar/bodies/<slug:slug>.ics", calendars.body_calendar, name="calendar-body"),
    path("calendar/people/<str:token>.ics", calendars.person_calendar, name="calendar-person"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    path("<int:pk>/edit/", meetings.edit_meeting, name="meeting-update"),
    path("<int:pk>/agenda/", agenda.agenda_builder, name="agenda-builder"),
    path("<int:pk>/agenda/items/new/", agenda.create_item, name="item-create"),
    path("<int:pk>/agenda/publish/", agenda.publish, name="agenda-publish"),
    path("items/<int:pk>/", agenda.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", agenda.edit_item, name="item-update"),
    path("items/<int:pk>/move/", agenda.move_item, name="item-move"),
    path("items/<int:pk>/papers/new/", papers.upload_paper, name="paper-upload"),
    path("papers/<int:pk>/", papers.download_paper, name="paper-download"),
    path("<int:pk>/pack/", papers.pack, name="pack"),
    path("<int:pk>/pack.pdf", papers.download_pack, name="pack-download"),
    path("<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path("<int:pk>/declarations/", attendance.declarations, name="declarations"),
    path("<int:pk>/minutes/", minutes.minutes, name="minutes"),
    path("minutes/entries/<int:pk>/edit/", minutes.edit_entry, name="minute-entry-update"),
    path("items/<int:pk>/approve-minutes/", minutes.approve, name="minutes-approve"),
    path("items/<int:pk>/decisions/new/", minutes.add_decision, name="decision-create"),
    path(
        "ratifications/<int:pk>/",
        ratifications.record_ratification,
        name="ratification-update",
    ),
    path("<int:pk>/actions/new/", actions.create_action, name="action-create"),
    path("actions/", actions.action_list, name="action-list"),
    path("actions/mine/", actions.my_actions, name="my-actions"),
    path("actions/<int:pk>/", actions.update_action, name="action-update"),
]
