"""Sent after the transaction that changed a case commits.

Apps above `cases` (triage, sla, followup …) react to it; `cases` never imports them.
Arguments: `case_id`, `event_ids` (the timeline entries just written).
"""

from django.dispatch import Signal

case_changed = Signal()

# Sent inside `case_transition`'s transaction, after the lifecycle allowed the move and
# before it is saved. Apps above `cases` guard the moves they own (a remedy is proposed
# through the remedy service, so authority limits apply; closing needs a root cause …):
# a receiver refuses by raising a `DomainError`, and nothing is saved.
# Arguments: `case` (locked, still in its old state), `actor` (None when Redress moves the
# case itself: a follow-up sent, a no-response close), `to`, `close_reason`, `via` (the
# name of the app whose service is making the move, "" for a plain transition).
case_moving = Signal()
