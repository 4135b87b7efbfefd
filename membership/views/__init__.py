"""Views of membership, in modules by page family: roster (seats, holders, vacancies), people
(people, organisations, interests, analytics), compliance, and imports (roster import/export)."""
