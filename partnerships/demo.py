"""Demo partnerships built from the seed papers (being written)."""


def load():
    pass
