"""Text messages wait out the night; urgent ones and e-mail do not."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from redress.cases.models import Channel, Customer, Priority
from redress.cases.services import CustomerDetails
from redress.intake.services import staff_case_record
from redress.notify.models import DeliveryStatus, OutboundEmail, OutboundSms
from redress.notify.services import quiet_hours_release, sms_deliver

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = (time(21), time(8))


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize("moment, released", [
    (at(2026, 11, 24, 20, 59), at(2026, 11, 24, 20, 59)),
    (at(2026, 11, 24, 21, 0), at(2026, 11, 25, 8, 0)),
    (at(2026, 11, 24, 23, 30), at(2026, 11, 25, 8, 0)),
    (at(2026, 11, 25, 3, 0), at(2026, 11, 25, 8, 0)),
    (at(2026, 11, 25, 8, 0), at(2026, 11, 25, 8, 0)),
])
def test_quiet_hours_push_to_the_morning(moment, released):
    assert quiet_hours_release(moment, zone="Asia/Shanghai", quiet=NIGHT) == released


def test_quiet_hours_within_one_day():
    lunch = (time(12), time(13, 30))
    assert quiet_hours_release(at(2026, 11, 24, 12, 10), zone="Asia/Shanghai",
                               quiet=lunch) == at(2026, 11, 24, 13, 30)


def _phone_case(agent, priority: str, received: datetime, **customer: object):
    return staff_case_record(
        user=agent, channel=Channel.PHONE, description="楼上漏水到我家天花板",
        customer=CustomerDetails(name="孙先生", phone="13912345678", **customer),  # type: ignore[arg-type]
        received_at=received, priority=priority,
    )


@pytest.mark.django_db
class TestTextMessagesAtNight:
    def test_an_sms_written_at_night_waits_until_morning(self, agent):
        with time_machine.travel(at(2026, 11, 24, 23, 0), tick=False):
            _phone_case(agent, Priority.P3, at(2026, 11, 24, 22, 50))
            sms = OutboundSms.objects.get()
            assert sms.not_before == at(2026, 11, 25, 8, 0)
            assert sms_deliver(sms_id=sms.pk).status == DeliveryStatus.QUEUED
        with time_machine.travel(at(2026, 11, 25, 8, 0), tick=False):
            assert sms_deliver(sms_id=sms.pk).status == DeliveryStatus.SENT
            # Twice: still sent once.
            assert sms_deliver(sms_id=sms.pk).attempts == 1

    def test_a_p1_case_is_texted_at_once(self, agent):
        with time_machine.travel(at(2026, 11, 24, 23, 0), tick=False):
            _phone_case(agent, Priority.P1, at(2026, 11, 24, 22, 58))
            sms = OutboundSms.objects.get()
            assert sms.not_before == at(2026, 11, 24, 23, 0)
            assert sms_deliver(sms_id=sms.pk).status == DeliveryStatus.SENT

    def test_a_customer_who_agreed_is_texted_at_night(self, agent):
        with time_machine.travel(at(2026, 11, 24, 23, 0), tick=False):
            case = _phone_case(agent, Priority.P3, at(2026, 11, 24, 22, 58))
            Customer.objects.filter(pk=case.customer_id).update(contact_at_night=True)
            from redress.cases.services import case_add_message, case_transition

            case_transition(case=case, actor=agent, to="acknowledged")
            case_add_message(case=case, actor=agent, body="师傅二十分钟内到")
        night = OutboundSms.objects.filter(body__contains="师傅二十分钟内到").get()
        assert night.not_before == at(2026, 11, 24, 23, 0)

    def test_e_mail_is_not_held_back(self, agent):
        with time_machine.travel(at(2026, 11, 24, 23, 0), tick=False):
            _phone_case(agent, Priority.P3, at(2026, 11, 24, 22, 58), email="sun@example.com")
        assert OutboundEmail.objects.count() == 1
        assert OutboundSms.objects.count() == 0
