"""API endpoints of the remedies app."""

from ninja import Router

router = Router(tags=["remedies"])
