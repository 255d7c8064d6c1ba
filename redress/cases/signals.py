"""Sent after the transaction that changed a case commits.

Apps above `cases` (triage, sla, followup …) react to it; `cases` never imports them.
Arguments: `case_id`, `event_ids` (the timeline entries just written).
"""

from django.dispatch import Signal

case_changed = Signal()

# Sent inside intake's transaction once a new case is stored, read by triage, clocked and
# acknowledged. Apps above `cases` do here, in the same transaction, what they would do on
# hearing of the case's first entries after commit (arm a promise's deadline, mark the
# day's figures stale), and intake's own entries are then not announced by
# `case_changed`: one write transaction per complaint instead of four. A receiver that
# raises rolls the whole intake back (the sender gets an error and may retry).
# Arguments: `case` (with its department loaded).
case_received = Signal()

# Sent inside `case_transition`'s transaction, after the lifecycle allowed the move and
# before it is saved. Apps above `cases` guard the moves they own (a remedy is proposed
# through the remedy service, so authority limits apply; closing needs a root cause …):
# a receiver refuses by raising a `DomainError`, and nothing is saved.
# Arguments: `case` (locked, still in its old state), `actor` (None when Redress moves the
# case itself: a follow-up sent, a no-response close), `to`, `close_reason`, `via` (the
# name of the app whose service is making the move, "" for a plain transition).
case_moving = Signal()
