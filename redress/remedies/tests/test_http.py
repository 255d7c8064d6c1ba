"""The API and the console enforce the same limits as the services, with the same refusals."""

from decimal import Decimal

import pytest
from django.test import Client

from redress.accounts.models import User
from redress.accounts.services import api_token_create
from redress.cases.models import Case, Status
from redress.remedies.models import Remedy, RemedyRefusal, RemedyStatus

pytestmark = pytest.mark.django_db


def _api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)}"})


def _post(client: Client, url: str, **body: object):  # type: ignore[no-untyped-def]
    return client.post(url, body, content_type="application/json")


class TestApi:
    def test_500_00_is_proposed_500_01_waits(self, open_case, agent) -> None:
        client = _api(agent)
        case = open_case()
        ok = _post(client, f"/api/v1/cases/{case.reference}/remedies", type="coupon",
                   amount="500.00")
        assert ok.status_code == 201
        assert ok.json()["status"] == "proposed" and ok.json()["value"] == "500.00"
        other = open_case()
        over = _post(client, f"/api/v1/cases/{other.reference}/remedies", type="coupon",
                     amount="500.01", note="顾客是十年会员")
        assert over.status_code == 201 and over.json()["status"] == "pending_approval"
        listed = client.get(f"/api/v1/cases/{other.reference}").json()["remedies"]
        assert [r["status"] for r in listed] == ["pending_approval"]

    @pytest.mark.parametrize(("body", "field"), [
        ({"type": "coupon", "amount": "-1"}, "amount"),
        ({"type": "discount-percent", "amount": "120"}, "amount"),
        ({"type": "coupon", "amount": "lots"}, "amount"),
        ({"type": "no-such-thing", "amount": "5"}, "type"),
    ])
    def test_bad_input_is_422_and_changes_nothing(self, open_case, agent, body,
                                                  field) -> None:
        case = open_case(stake="100")
        response = _post(_api(agent), f"/api/v1/cases/{case.reference}/remedies", **body)
        assert response.status_code == 422
        assert response.json()["field"] == field
        assert not Remedy.objects.exists()

    def test_approve_own_request_403_twice_409(self, open_case, agent, supervisor,
                                                supervisor2) -> None:
        case = open_case()
        remedy_id = _post(_api(supervisor), f"/api/v1/cases/{case.reference}/remedies",
                          type="coupon", amount="6000").json()["id"]
        own = _post(_api(supervisor), f"/api/v1/remedies/{remedy_id}/approve", reason="ok")
        assert own.status_code == 403
        assert RemedyRefusal.objects.filter(action="approve").count() == 1

        remedy_id = _post(_api(agent), f"/api/v1/cases/{case.reference}/remedies",
                          type="coupon", amount="800").json()["id"]
        assert _post(_api(agent), f"/api/v1/remedies/{remedy_id}/approve",
                     reason="me").status_code == 403
        first = _post(_api(supervisor), f"/api/v1/remedies/{remedy_id}/approve", reason="ok")
        assert first.status_code == 200 and first.json()["status"] == "proposed"
        again = _post(_api(supervisor2), f"/api/v1/remedies/{remedy_id}/reject", reason="no")
        assert again.status_code == 409

    def test_without_the_authority_403(self, open_case, agent, supervisor) -> None:
        case = open_case()
        remedy_id = _post(_api(agent), f"/api/v1/cases/{case.reference}/remedies",
                          type="refund-partial", amount="7000").json()["id"]
        response = _post(_api(supervisor), f"/api/v1/remedies/{remedy_id}/approve",
                         reason="ok")
        assert response.status_code == 403
        assert Remedy.objects.get(pk=remedy_id).status == RemedyStatus.PENDING_APPROVAL

    def test_reject_then_execute_is_409(self, open_case, agent, supervisor) -> None:
        case = open_case()
        remedy_id = _post(_api(agent), f"/api/v1/cases/{case.reference}/remedies",
                          type="coupon", amount="800").json()["id"]
        rejected = _post(_api(supervisor), f"/api/v1/remedies/{remedy_id}/reject",
                         reason="先道歉")
        assert rejected.json()["status"] == "rejected"
        assert _post(_api(agent), f"/api/v1/remedies/{remedy_id}/execute",
                     proof="x").status_code == 409

    def test_answer_and_execute_once(self, open_case, agent) -> None:
        client = _api(agent)
        case = open_case()
        remedy_id = _post(client, f"/api/v1/cases/{case.reference}/remedies",
                          type="repair", amount="120").json()["id"]
        assert _post(client, f"/api/v1/remedies/{remedy_id}/answer",
                     accepted=True).json()["status"] == "accepted"
        done = _post(client, f"/api/v1/remedies/{remedy_id}/execute", proof="师傅已上门修好",
                     reference="WO-1")
        assert done.status_code == 200 and done.json()["proof_reference"] == "WO-1"
        assert _post(client, f"/api/v1/remedies/{remedy_id}/execute",
                     proof="again").status_code == 409
        assert Case.objects.get(pk=case.pk).status == Status.EXECUTING

    def test_counter_201(self, open_case, agent, supervisor) -> None:
        case = open_case()
        remedy_id = _post(_api(agent), f"/api/v1/cases/{case.reference}/remedies",
                          type="coupon", amount="800").json()["id"]
        response = _post(_api(supervisor), f"/api/v1/remedies/{remedy_id}/counter",
                         reason="400 足够", amount="400")
        assert response.status_code == 201
        assert response.json()["counter_of"] == remedy_id
        assert response.json()["value"] == "400.00"

    def test_another_departments_remedy_is_404(self, open_case, agent, outsider) -> None:
        case = open_case()
        remedy_id = _post(_api(agent), f"/api/v1/cases/{case.reference}/remedies",
                          type="coupon", amount="800").json()["id"]
        assert _post(_api(outsider), f"/api/v1/remedies/{remedy_id}/approve",
                     reason="x").status_code == 404


class TestConsole:
    def test_case_page_shows_suggestions_and_limits(self, client, open_case, agent) -> None:
        case = open_case(stake="200")
        Case.objects.filter(pk=case.pk).update(scenario="product_defect", wants=["repair"])
        client.force_login(agent)
        page = client.get(f"/console/cases/{case.reference}/").content.decode()
        assert 'data-testid="suggestions"' in page
        # What the customer asked for comes first; the band is capped at 1.5 × ¥200.
        first = page.index('data-code="repair"')
        assert first < page.index('data-code="coupon"')
        assert "¥300.00" in page
        assert "500.00" in page  # the agent's own authority is shown

    def test_propose_over_the_limit_goes_to_the_supervisors_queue(self, client, open_case,
                                                                 agent, supervisor) -> None:
        case = open_case()
        client.force_login(agent)
        response = client.post(f"/console/cases/{case.reference}/remedies/",
                               {"type": "coupon", "amount": "800", "note": "VIP"},
                               headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "pending_approval" in response.content.decode()
        client.force_login(supervisor)
        queue = client.get("/console/approvals/").content.decode()
        assert case.reference in queue and "800.00" in queue
        client.force_login(agent)
        assert case.reference not in client.get("/console/approvals/").content.decode()

    def test_refusal_is_shown_in_the_users_language(self, client, open_case, agent) -> None:
        case = open_case()
        client.force_login(agent)
        response = client.post(f"/console/cases/{case.reference}/remedies/",
                               {"type": "coupon", "amount": "-3"},
                               headers={"HX-Request": "true", "Accept-Language": "zh-hans"})
        assert response.status_code == 422
        assert "金额" in response.content.decode()
        assert not Remedy.objects.exists()

    def test_decide_from_the_queue(self, client, open_case, agent, supervisor) -> None:
        case = open_case()
        client.force_login(agent)
        client.post(f"/console/cases/{case.reference}/remedies/",
                    {"type": "coupon", "amount": "800"})
        remedy = Remedy.objects.get()
        client.force_login(supervisor)
        response = client.post(f"/console/remedies/{remedy.pk}/decide/",
                               {"decision": "counter", "reason": "四百够了", "amount": "400",
                                "back": "approvals"})
        assert response.status_code == 302 and response["Location"] == "/console/approvals/"
        remedy.refresh_from_db()
        assert remedy.status == RemedyStatus.COUNTERED
        assert remedy.counter.value == Decimal("400.00")

    def test_spend_page_for_supervisors_only(self, client, open_case, agent,
                                             supervisor) -> None:
        from redress.remedies.services import remedy_execute, remedy_propose

        case = open_case()
        remedy = remedy_propose(case=case, actor=agent, code="coupon", amount="50")
        from redress.remedies.services import remedy_answer

        remedy_answer(remedy=remedy, actor=agent, accepted=True)
        remedy_execute(remedy=remedy, actor=agent, proof="发券", reference="C9")
        client.force_login(agent)
        assert client.get("/console/spend/").status_code == 403
        client.force_login(supervisor)
        page = client.get("/console/spend/").content.decode()
        assert "¥50.00" in page and "¥30.00" in page
        empty = client.get("/console/spend/?month=2020-01").content.decode()
        assert 'colspan="7"' in empty


class TestSetUp:
    def test_limits_are_changed_by_administrators_only(self, client, supervisor,
                                                       admin_user) -> None:
        from redress.remedies.models import AuthorityLimit

        supervisor.is_staff = True
        supervisor.save()
        row = AuthorityLimit.objects.get(role="agent")
        client.force_login(supervisor)
        url = f"/admin/remedies/authoritylimit/{row.pk}/change/"
        assert client.get("/admin/remedies/remedyoption/").status_code == 200
        refused = client.post(url, {"role": "agent", "per_case": "99999", "per_day": ""})
        assert refused.status_code == 403
        row.refresh_from_db()
        assert row.per_case == Decimal("500.00")
        client.force_login(admin_user)
        bad = client.post(url, {"role": "agent", "per_case": "-5", "per_day": ""})
        assert bad.status_code == 200  # the form again, with the error
        row.refresh_from_db()
        assert row.per_case == Decimal("500.00")
        done = client.post(url, {"role": "agent", "per_case": "600", "per_day": "6000"})
        assert done.status_code == 302
        row.refresh_from_db()
        assert (row.per_case, row.per_day, row.updated_by) == (
            Decimal("600.00"), Decimal("6000.00"), admin_user)
