"""The search index: one row per searchable thing, weighted for PostgreSQL full-text search."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from partnerships.models import Body


class Kind(models.TextChoices):
    BODY = "body", "Bodies"
    TERMS = "terms", "Terms of reference"
    PERSON = "person", "People"
    ITEM = "item", "Agenda items"
    PAPER = "paper", "Papers"
    MINUTE = "minute", "Minutes"
    DECISION = "decision", "Decisions"
    ACTION = "action", "Actions"
    REPORT = "report", "Reports"


class SearchDocument(models.Model):
    """A copy of a thing's words for searching; who may see it is decided at query time.

    Rows carry no visibility flags of their own: search asks the visibility layer for every
    candidate, so this table can never drift into a second, different set of rules.
    """

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    body = models.ForeignKey(Body, on_delete=models.CASCADE, null=True, related_name="+")
    # The meeting the thing belongs to, so a moved meeting updates its documents in one go.
    meeting_id = models.BigIntegerField(null=True)
    date = models.DateField(null=True)
    url = models.CharField(max_length=300)
    # Weights: A title, B recommendations and decisions, C minutes and narrative, D paper text.
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    text = models.TextField(blank=True)
    attachment_text = models.TextField(blank=True)
    vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("text", weight="C", config="english")
        + SearchVector("attachment_text", weight="D", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once")
        ]
        indexes = [
            GinIndex(fields=["vector"], name="search_document_vector"),
            models.Index(fields=["meeting_id"], name="search_document_meeting"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"
