"""Sent after the transaction that changed a case commits.

Apps above `cases` (triage, sla, followup …) react to it; `cases` never imports them.
Arguments: `case_id`, `event_ids` (the timeline entries just written).
"""

from django.dispatch import Signal

case_changed = Signal()
