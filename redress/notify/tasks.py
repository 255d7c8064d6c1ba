from django_tasks import task

from redress.notify.services import email_deliver, sms_deliver


@task()
def email_send(*, outbound_id: int) -> str:
    return email_deliver(outbound_id=outbound_id).status


@task()
def sms_send(*, sms_id: int) -> str:
    return sms_deliver(sms_id=sms_id).status


@task()
def webhook_send(*, webhook_id: int) -> str:
    from redress.notify.webhooks import webhook_deliver

    return webhook_deliver(webhook_id=webhook_id).status
