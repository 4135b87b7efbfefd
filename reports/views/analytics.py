"""A partnership's governance analytics, and every compliance finding across its bodies."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from membership import compliance
from membership.visibility import can_see_withheld_names
from partnerships.models import Partnership

from .. import analytics
from ..charts import RAG_COLOURS, Bar, bar_chart
from ..models import RAG

PEOPLE_SHOWN = 20


def dashboard(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    names_visible = can_see_withheld_names(request.user)
    data = analytics.dashboard(partnership, user=request.user, names_visible=names_visible)
    attendance = data.attendance
    quarters = [
        (analytics.quarter_label(quarter), attendance.overall[quarter])
        for quarter in attendance.quarters
    ]
    people = data.people[:PEOPLE_SHOWN]
    return render(
        request,
        "reports/analytics.html",
        {
            "partnership": partnership,
            "data": data,
            "quarters": quarters,
            "quarter_labels": [label for label, _ in quarters],
            "people": people,
            "attendance_chart": _rate_chart(
                quarters,
                chart_id="attendance-by-quarter",
                title=f"Attendance at meetings of {partnership.name}, by quarter",
            ),
            "organisation_chart": _rate_chart(
                attendance.by_organisation,
                chart_id="attendance-by-organisation",
                title=f"Attendance at meetings of {partnership.name}, by organisation",
            ),
            "people_chart": _hours_chart(
                people,
                chart_id="burden-by-person",
                title=f"Hours a year of meetings, the {len(people)} busiest people",
            ),
            "organisation_burden_chart": _hours_chart(
                data.organisations,
                chart_id="burden-by-organisation",
                title="Hours a year of meetings, by organisation",
            ),
            "rag_rows": [(RAG(value).label, data.rag_counts[value]) for value in RAG.values],
            "rag_chart": bar_chart(
                [
                    Bar(
                        RAG(value).label,
                        data.rag_counts[value],
                        str(data.rag_counts[value]),
                        RAG_COLOURS[value],
                    )
                    for value in RAG.values
                ],
                chart_id="rag",
                title="Red, amber and green ratings in the latest reports",
                description=", ".join(
                    f"{RAG(value).label}: {data.rag_counts[value]}" for value in RAG.values
                )
                + ". The table after the chart gives the same figures.",
            ),
        },
    )


def _rate_chart(rows, *, chart_id, title):
    bars = [
        Bar(label, rate.percent or 0, f"{rate.percent}%" if rate.expected else "No one expected")
        for label, rate in rows
    ]
    description = "; ".join(f"{bar.label}: {bar.shown}" for bar in bars)
    return bar_chart(
        bars,
        chart_id=chart_id,
        title=title,
        description=f"{description}. The table after the chart gives the same figures.",
        maximum=100,
    )


def _hours_chart(rows, *, chart_id, title):
    bars = [Bar(row.name, row.hours, f"{row.hours:g} hours") for row in rows]
    description = "; ".join(f"{bar.label}: {bar.shown}" for bar in bars)
    return bar_chart(
        bars,
        chart_id=chart_id,
        title=title,
        description=f"{description}. The table after the chart gives the same figures.",
    )


def health(request, slug):
    """Every compliance finding across the partnership's bodies today, worst first."""
    partnership = get_object_or_404(Partnership, slug=slug)
    on = timezone.localdate()
    findings = compliance.check_partnership(
        partnership, on, names_visible=can_see_withheld_names(request.user)
    )
    bodies = sorted(findings.items(), key=lambda row: row[0].name.lower())
    groups = []
    for severity in compliance.Severity:
        by_body = [
            (body, [finding for finding in found if finding.severity == severity])
            for body, found in bodies
        ]
        by_body = [(body, found) for body, found in by_body if found]
        groups.append(
            {
                "severity": severity,
                "count": sum(len(found) for _, found in by_body),
                "bodies": by_body,
            }
        )
    return render(
        request,
        "reports/health.html",
        {
            "partnership": partnership,
            "on": on,
            "groups": groups,
            "total": sum(group["count"] for group in groups),
            "body_count": len(bodies),
        },
    )
