"""Views: response bodies built from explicit key allowlists."""


def timestamp(value):
    """A datetime as Zun prints it ('2026-11-22 10:00:00'), or None."""
    return str(value.replace(microsecond=0)) if value is not None else None
