"""Schemathesis hooks for the edge (loaded through SCHEMATHESIS_HOOKS).

A generated body almost never makes a valid application (an ID number's
check digit, the answers an event asks), so the stateful phase would never
get an application id to follow the links from POST /api/applications. Half
of the submit bodies are therefore a real one; the other half stay generated.
"""

from hypothesis import strategies as st

import schemathesis

# A social-security-card application that needs no material (the same one
# as SSC in tests/edge/helpers.ts).
SUBMISSION = {
    "event_id": "social-security-card",
    "answers": {"has-card": False, "for-child": False},
    "fields": {
        "cardholder.name": "张伟",
        "cardholder.id_number": "110101198503074516",
        "applicant.phone": "13800138000",
    },
}


@schemathesis.hook
def flatmap_body(context, body):
    operation = context.operation
    if operation is None or (operation.method.upper(), operation.path) != ("POST", "/api/applications"):
        return st.just(body)
    return st.sampled_from([body, SUBMISSION])
