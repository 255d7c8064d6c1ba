from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from redress.web.views import (
    answers,
    console,
    followup,
    health,
    insights,
    lessons,
    playbook,
    portal,
    remedies,
    triage,
)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", RedirectView.as_view(pattern_name="web:complain"), name="home"),
    path("complain/", portal.complain, name="complain"),
    path("track/<str:tracking_code>/", portal.track, name="track"),
    path("console/login/", auth_views.LoginView.as_view(
        template_name="web/console/login.html", redirect_authenticated_user=True,
    ), name="login"),
    path("console/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("console/", console.queue, name="queue"),
    path("console/cases/new/", console.case_new, name="case_new"),
    path("console/cases/<str:reference>/", console.case_detail, name="case"),
    path("console/cases/<str:reference>/move/", console.case_move, name="case_move"),
    path("console/cases/<str:reference>/details/", console.case_details, name="case_details"),
    path("console/cases/<str:reference>/handover/", console.case_handover_view,
         name="case_handover"),
    path("console/cases/<str:reference>/messages/", console.case_message, name="case_message"),
    path("console/cases/<str:reference>/agree/", console.case_agree, name="case_agree"),
    path("console/notifications/", console.notifications, name="notifications"),
    *remedies.urlpatterns,
    *playbook.urlpatterns,
    *answers.urlpatterns,
    *followup.urlpatterns,
    *lessons.urlpatterns,
    *insights.urlpatterns,
    *triage.urlpatterns,
]
