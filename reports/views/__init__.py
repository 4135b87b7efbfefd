"""Views of reports, in modules by page family: reports (obligations, editor, roll-up),
exports (PDF and Word), analytics (charts, partnership health) and funding."""
