"""Views of meetings, in modules by page family: meetings (list, detail, the public site),
agenda (builder, items, publication), papers (uploads, agenda pack), attendance (attendance,
quorum, declarations), minutes (minutes, decisions, approval), actions, calendars (ICS, schedule,
my meetings)."""
