"""Triage on the case page, as an agent and a supervisor use it: the reading on the first
screen after recording a complaint, the cues behind each label, the suggested department
and its move, earlier cases of the same customer, and merging a duplicate; and the
refusals."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from redress.accounts.models import Department
from redress.cases.models import Case, CaseEvent, Channel, CloseReason, EventKind, Status
from redress.cases.selectors import case_get_for
from redress.cases.services import CustomerDetails
from redress.intake.services import public_complaint_submit, staff_case_record
from redress.triage.models import RoutingRule
from redress.triage.selectors import corrected_cases
from redress.triage.tests.conftest import at, moment, read_as  # noqa: F401  (fixtures)
from redress.web.views import triage as triage_views

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WORDS = "房间空调坏了，一晚上没睡好！再不处理我就打12315。"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _section(html: str) -> str:
    start = html.index('id="triage"')
    return html[start:html.index("</section>", start)]


@pytest.fixture
def kitchen(organisation) -> Department:
    return Department.objects.create(organisation=organisation, name="工程部")


@pytest.fixture
def angry_reading(read_as):  # noqa: F811
    return read_as(emotion="angry", risks=["legal_media"], confidence={
        "kind": 0.97, "scenario": 0.81, "emotion": 0.74},
        cues_by_label={"scenario": ["空调坏了"], "emotion": ["！"], "legal_media": ["12315"]})


class TestFirstScreen:
    def test_a_recorded_complaint_opens_with_its_reading(
        self, agent, angry_reading, moment  # noqa: F811
    ):
        client = _signed_in(agent)
        with moment(at(2026, 11, 24, 10, 0)):
            response = client.post("/console/cases/new/", {
                "channel": "phone", "description": WORDS, "name": "李先生",
                "phone": "13912345678", "priority": "",
            })
        assert response.status_code == 302
        case = Case.objects.get()
        with moment(at(2026, 11, 24, 10, 1)):
            html = client.get(response["Location"]).content.decode()
        assert case.priority == "P1"
        assert '<span class="badge priority-P1">P1</span>' in html
        section = _section(html)
        assert '<mark class="cue">空调坏了</mark>' in section
        assert '<mark class="cue">12315</mark>' in section
        assert 'data-label="scenario" data-value="product_defect" data-confidence="81"' in section
        assert 'data-label="emotion" data-value="angry" data-confidence="74"' in section

    def test_a_label_corrected_by_staff_has_no_cues_and_becomes_training_data(
        self, agent, angry_reading, moment  # noqa: F811
    ):
        with moment(at(2026, 11, 24, 10, 0)):
            case = staff_case_record(user=agent, channel=Channel.PHONE, description=WORDS,
                                     customer=CustomerDetails(name="李先生"), received_at=None)
        client = _signed_in(agent)
        with moment(at(2026, 11, 24, 10, 5)):
            response = client.post(f"/console/cases/{case.reference}/playbook/labels/", {
                "kind": "complaint", "scenario": "human_error", "emotion": "angry",
                "risks": ["legal_media"]}, **HTMX)
        assert response.status_code == 200
        section = _section(response.content.decode())
        assert 'data-label="scenario" data-value="human_error" data-by="staff"' in section
        assert '<mark class="cue">12315</mark>' in section  # the label triage gave stays
        assert corrected_cases() == [(WORDS, {
            "kind": "complaint", "scenario": "human_error", "emotion": "angry",
            "risks": ["legal_media"], "wants": []})]

    def test_the_section_costs_a_few_queries(self, agent, angry_reading, moment, rf):  # noqa: F811
        with moment(at(2026, 11, 24, 10, 0)):
            case = public_complaint_submit(description=WORDS, name="李", phone="13912345678")
            public_complaint_submit(description=WORDS, name="李", phone="13912345678")
        request = rf.get("/")
        request.user = agent
        case = case_get_for(user=agent, reference=case.reference)
        with CaptureQueriesContext(connection) as queries:
            context = triage_views.case_page_context(request, case, agent)
        # the record, and the links from this case and to it in one statement
        assert len(queries) == 2
        later = context["triage"].duplicated_by
        assert len(later) == 1 and later[0].reference != case.reference


class TestRoute:
    @pytest.fixture
    def routed(self, department, kitchen, angry_reading, moment):  # noqa: F811
        RoutingRule.objects.create(organisation=department.organisation, name="设备", rank=1,
                                   keywords="空调", department=kitchen)
        with moment(at(2026, 11, 24, 10, 0)):
            return public_complaint_submit(description=WORDS, name="李", phone="13912345678")

    def test_the_supervisor_sees_the_suggestion_and_moves_the_case(
        self, routed, supervisor, kitchen, moment  # noqa: F811
    ):
        client = _signed_in(supervisor)
        section = _section(client.get(f"/console/cases/{routed.reference}/").content.decode())
        assert "工程部" in section and 'data-action="route"' in section
        with moment(at(2026, 11, 24, 10, 5)):
            response = client.post(f"/console/cases/{routed.reference}/triage/route/", **HTMX)
        # The case left the supervisor's department: back to the queue.
        assert response.status_code == 204 and response["HX-Redirect"] == "/console/"
        routed.refresh_from_db()
        assert routed.department == kitchen
        assert CaseEvent.objects.filter(case=routed, actor=supervisor,
                                        after__department="工程部").exists()

    def test_an_agent_sees_the_suggestion_but_cannot_move(self, routed, agent, department):
        client = _signed_in(agent)
        section = _section(client.get(f"/console/cases/{routed.reference}/").content.decode())
        assert "工程部" in section and 'data-action="route"' not in section
        response = client.post(f"/console/cases/{routed.reference}/triage/route/")
        assert response.status_code == 403
        assert Case.objects.get(pk=routed.pk).department == department

    def test_an_outsider_is_refused(self, routed, outsider, department):
        response = _signed_in(outsider).post(
            f"/console/cases/{routed.reference}/triage/route/")
        assert response.status_code == 404
        assert Case.objects.get(pk=routed.pk).department == department


class TestRepeatsAndDuplicates:
    @pytest.fixture
    def pair(self, agent, read_as, moment):  # noqa: F811
        read_as()
        with moment(at(2026, 11, 24, 10, 0)):
            first = public_complaint_submit(description=WORDS, name="李", phone="13912345678")
        with moment(at(2026, 11, 24, 10, 20)):
            second = staff_case_record(
                user=agent, channel=Channel.EMAIL, description=WORDS + " ",
                customer=CustomerDetails(name="李", phone="13912345678"), received_at=None)
        return first, second

    def test_the_later_case_links_the_earlier_one(self, pair, agent):
        first, second = pair
        html = _signed_in(agent).get(f"/console/cases/{second.reference}/").content.decode()
        section = _section(html)
        repeats = section[section.index('data-testid="triage-repeats"'):]
        assert f'<a href="/console/cases/{first.reference}/">{first.reference}</a>' in repeats
        assert f'name="into" value="{first.reference}"' in section
        earlier = _section(
            _signed_in(agent).get(f"/console/cases/{first.reference}/").content.decode())
        assert second.reference in earlier and 'name="into"' not in earlier

    def test_merging_closes_the_later_case_and_both_timelines_say_so(
        self, pair, agent, moment  # noqa: F811
    ):
        first, second = pair
        client = _signed_in(agent)
        with moment(at(2026, 11, 24, 10, 30)):
            response = client.post(f"/console/cases/{second.reference}/triage/merge/",
                                   {"into": first.reference}, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-status="closed"' in html and "triage-merged" in html
        second.refresh_from_db()
        assert (second.status, second.close_reason) == (Status.CLOSED, CloseReason.DUPLICATE)
        for case, other in ((second, first), (first, second)):
            note = CaseEvent.objects.get(case=case, kind=EventKind.NOTE)
            assert other.reference in note.message and note.actor == agent
        assert Case.objects.get(pk=first.pk).status == Status.NEW

    def test_an_outsider_cannot_merge(self, pair, outsider):
        first, second = pair
        response = _signed_in(outsider).post(
            f"/console/cases/{second.reference}/triage/merge/", {"into": first.reference})
        assert response.status_code == 404
        assert Case.objects.get(pk=second.pk).status == Status.NEW

    def test_merging_into_an_unknown_case_is_refused(self, pair, agent):
        _first, second = pair
        response = _signed_in(agent).post(
            f"/console/cases/{second.reference}/triage/merge/", {"into": "SR-1999-000001"},
            **HTMX)
        assert response.status_code == 404
        assert 'data-testid="refusal"' in response.content.decode()
        assert Case.objects.get(pk=second.pk).status == Status.NEW
