"""API endpoints of the lessons app."""

from ninja import Router

router = Router(tags=["lessons"])
