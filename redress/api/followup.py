"""API endpoints of the followup app."""

from ninja import Router

router = Router(tags=["followup"])
