from ninja import NinjaAPI

from redress.api import answers, cases, errors, followup, insights, lessons, public, remedies

api = NinjaAPI(
    title="Redress API",
    version="1",
    description="Service recovery: cases, their lifecycle, and the customer's public side.",
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", cases.router)
api.add_router("/", remedies.router)
api.add_router("/", followup.router)
api.add_router("/", lessons.router)
api.add_router("/", answers.router)
api.add_router("/", insights.router)
api.add_router("/public", public.router)
