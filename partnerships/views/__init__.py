"""Views of partnerships, in modules by page family: directory (partnerships and bodies),
terms (terms of reference), structure (the chart as at a date) and imports."""
