from django_tasks import task

from redress.notify.services import email_deliver


@task()
def email_send(*, outbound_id: int) -> str:
    return email_deliver(outbound_id=outbound_id).status
