import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("partnerships", "0003_two_tier_area"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("body", "Bodies"),
                            ("terms", "Terms of reference"),
                            ("person", "People"),
                            ("item", "Agenda items"),
                            ("paper", "Papers"),
                            ("minute", "Minutes"),
                            ("decision", "Decisions"),
                            ("action", "Actions"),
                            ("report", "Reports"),
                        ],
                        max_length=10,
                    ),
                ),
                ("object_id", models.BigIntegerField()),
                ("meeting_id", models.BigIntegerField(null=True)),
                ("date", models.DateField(null=True)),
                ("url", models.CharField(max_length=300)),
                ("title", models.CharField(max_length=500)),
                ("summary", models.TextField(blank=True)),
                ("text", models.TextField(blank=True)),
                ("attachment_text", models.TextField(blank=True)),
                (
                    "vector",
                    models.GeneratedField(
                        db_persist=True,
                        expression=django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.SearchVector(
                                        "title", config="english", weight="A"
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        "summary", config="english", weight="B"
                                    ),
                                    django.contrib.postgres.search.SearchConfig("english"),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    "text", config="english", weight="C"
                                ),
                                django.contrib.postgres.search.SearchConfig("english"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "attachment_text", config="english", weight="D"
                            ),
                            django.contrib.postgres.search.SearchConfig("english"),
                        ),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
                (
                    "body",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="partnerships.body",
                    ),
                ),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["vector"], name="search_document_vector"
                    ),
                    models.Index(fields=["meeting_id"], name="search_document_meeting"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="search_document_once"
                    )
                ],
            },
        ),
    ]
