"""The customer's side: complain without an account, then follow the case by its code."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from redress.cases.selectors import case_by_tracking_code, case_timeline
from redress.common.errors import DomainError, NotFound
from redress.intake.services import public_complaint_submit
from redress.intake.throttle import public_intake_allowed
from redress.web.errors import attach_to_form
from redress.web.forms import ComplaintForm


def complain(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST or None)
    if request.method == "POST":
        if not public_intake_allowed(request):
            form.add_error(None, _("Too many complaints from this address just now. "
                                   "Please wait a minute and try again."))
            return render(request, "web/portal/complain.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = public_complaint_submit(
                    description=data["description"], name=data["name"], phone=data["phone"],
                    email=data["email"], location=data["location"], order_ref=data["order_ref"],
                )
            except DomainError as error:
                attach_to_form(form, error)
            else:
                # The case is committed at this point: only now is the customer told.
                return redirect(reverse("web:track", args=[case.tracking_code]) + "?received=1")
        return render(request, "web/portal/complain.html", {"form": form}, status=422)
    return render(request, "web/portal/complain.html", {"form": form})


def track(request: HttpRequest, tracking_code: str) -> HttpResponse:
    try:
        case = case_by_tracking_code(tracking_code=tracking_code)
    except NotFound:
        return render(request, "web/portal/track_unknown.html", status=404)
    return render(request, "web/portal/track.html", {
        "case": case,
        "timeline": case_timeline(case=case, for_customer=True),
        "just_received": request.GET.get("received") == "1",
        # The address to keep, without the "just received" marker.
        "track_url": request.build_absolute_uri(request.path),
    })
