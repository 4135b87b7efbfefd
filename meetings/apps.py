from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings, agendas, papers, attendance, minutes, decisions and actions."""

    name = "meetings"
