"""Fixtures shared by the compute tests."""

import pytest

from tests.unit import fakes


@pytest.fixture
def ctx(db):
    """A member's context on a fresh database."""
    return fakes.context()
