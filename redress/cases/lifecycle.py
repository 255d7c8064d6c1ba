"""The case lifecycle of DESIGN.md as data: which move is allowed from which state."""

from redress.cases.models import Status

S = Status

# Open states a case can be parked from while it waits on the customer.
WAITABLE = frozenset(
    {S.ACKNOWLEDGED, S.INVESTIGATING, S.REMEDY_PROPOSED, S.REMEDY_ACCEPTED, S.REMEDY_REJECTED,
     S.EXECUTING}
)

TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED}),
    S.ACKNOWLEDGED: frozenset({S.INVESTIGATING}),
    S.INVESTIGATING: frozenset({S.REMEDY_PROPOSED}),
    S.REMEDY_PROPOSED: frozenset({S.REMEDY_ACCEPTED, S.REMEDY_REJECTED}),
    S.REMEDY_REJECTED: frozenset({S.INVESTIGATING}),
    S.REMEDY_ACCEPTED: frozenset({S.EXECUTING}),
    S.EXECUTING: frozenset({S.RESOLVED}),
    # resolved → investigating and follow_up → investigating: the customer was not satisfied.
    S.RESOLVED: frozenset({S.FOLLOW_UP, S.CLOSED, S.INVESTIGATING}),
    S.FOLLOW_UP: frozenset({S.CLOSED, S.INVESTIGATING}),
    S.WAITING_ON_CUSTOMER: frozenset(),  # back to where it was: see allowed_targets()
    S.CLOSED: frozenset(),
}


def allowed_targets(status: str, status_before_wait: str = "") -> frozenset[str]:
    """Every state a case in `status` may move to next."""
    targets = set(TRANSITIONS[status])
    if status in WAITABLE:
        targets.add(S.WAITING_ON_CUSTOMER)
    if status == S.WAITING_ON_CUSTOMER and status_before_wait:
        targets.add(status_before_wait)
    if status != S.CLOSED:
        # Any state may be closed as a duplicate or invalid, with a reason.
        targets.add(S.CLOSED)
    return frozenset(targets)


# Closing from these states is closing a finished case; from any other it needs a reason
# saying why (duplicate, invalid).
CLOSES_AS_RESOLVED = frozenset({S.RESOLVED, S.FOLLOW_UP})
