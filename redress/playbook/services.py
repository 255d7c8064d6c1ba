"""Every write of the playbook app."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import User
from redress.cases.models import Case, EventKind
from redress.cases.selectors import case_actionable_by, case_visible_to
from redress.cases.services import case_log
from redress.cases.validation import clean_choice
from redress.common import clock
from redress.common.errors import Conflict, NotAllowed, NotFound
from redress.playbook.models import FordStep, FordTick

# --- F.O.R.D checklist ---------------------------------------------------------------------


def _ford_case(case: Case, actor: User) -> Case:
    # The case's row lock orders two ticks of the same step from two tabs: the second
    # sees the first's row and does nothing.
    try:
        locked = Case.objects.select_for_update().get(pk=case.pk)
    except Case.DoesNotExist as exc:
        raise NotFound(_("No such case.")) from exc
    if not case_visible_to(actor, locked):
        raise NotFound(_("No such case."))
    if not case_actionable_by(actor, locked):
        raise NotAllowed(_("Only the person handling this case or a supervisor can tick "
                           "its F.O.R.D steps."))
    if not locked.is_open:
        raise Conflict(_("This case is closed."))
    return locked


def _ford_note(case: Case, actor: User, step: str, *, done: bool) -> None:
    # Timeline notes are for staff: written in the site's language, like staff alerts.
    with translation.override(settings.LANGUAGE_CODE):
        label = str(FordStep(step).label)
        text = (gettext("F.O.R.D step done: %(step)s.") if done
                else gettext("F.O.R.D step unticked: %(step)s.")) % {"step": label}
    case_log(case=case, actor=actor, kind=EventKind.NOTE, message=text,
             after={"ford_step": step, "done": done})


def ford_step_tick(*, case: Case, actor: User, step: str) -> FordTick:
    """Mark a F.O.R.D step done on an open case, by its handler or a supervisor, and put
    it on the timeline. Ticking a step already ticked changes nothing."""
    step = clean_choice(step, field="step", choices=list(FordStep.values))
    with transaction.atomic():
        locked = _ford_case(case, actor)
        existing = FordTick.objects.filter(case=locked, step=step).first()
        if existing is not None:
            return existing
        tick = FordTick.objects.create(case=locked, step=step, ticked_by=actor,
                                       ticked_at=clock.now())
        _ford_note(locked, actor, step, done=True)
    return tick


def ford_step_untick(*, case: Case, actor: User, step: str) -> None:
    """Take a tick back (it was ticked by mistake), on the timeline too. Unticking a step
    not ticked changes nothing."""
    step = clean_choice(step, field="step", choices=list(FordStep.values))
    with transaction.atomic():
        locked = _ford_case(case, actor)
        deleted, _rows = FordTick.objects.filter(case=locked, step=step).delete()
        if deleted:
            _ford_note(locked, actor, step, done=False)
