"""Print everything held about one person as JSON, for a subject access request.

manage.py export_personal_data PERSON_ID > person-42.json
"""

import json

from django.core.management.base import BaseCommand, CommandError

from membership.data_protection import personal_data
from membership.models import Person


class Command(BaseCommand):
    help = "Print everything held about a person as JSON (subject access request)."

    def add_arguments(self, parser):
        parser.add_argument("person_id", type=int)

    def handle(self, *args, person_id, **options):
        try:
            person = Person.objects.get(pk=person_id)
        except Person.DoesNotExist as error:
            raise CommandError(f"There is no person with id {person_id}.") from error
        self.stdout.write(json.dumps(personal_data(person), indent=2, ensure_ascii=False))
