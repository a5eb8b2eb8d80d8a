"""A local SAP AI Core for tests, ``--demo`` and curl; the contract is docs/aicore-api.md.

Run ``regsecret emulator`` (prints the AI API URL, the token URL and the client id), then e.g.:

    curl -s -u demo:demo-secret -d grant_type=client_credentials http://127.0.0.1:8765/oauth/token
    TOKEN=...   # the "access_token" of that answer
    curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8765/v2/admin/dockerRegistrySecrets

Fault injection, outside /v2, with the control token ``regsecret emulator`` prints (fifth line;
``Emulator.control_token`` in process) and no Origin header, addressed to the loopback address
(``scope`` is ``api`` by default, or ``token`` or ``all``; ``count`` defaults to 1):

    C="X-Emulator-Token: $CONTROL_TOKEN"; E=http://127.0.0.1:8765/_emulator
    curl -s -H "$C" -d '{"status": 503, "retry_after": 2, "count": 2}' $E/faults
    curl -s -H "$C" -d '{"delay": 5}' $E/faults
    curl -s -H "$C" -d '{"drop": true}' $E/faults
    curl -s -H "$C" -X DELETE $E/faults        # forget pending faults
    curl -s -H "$C" -X POST $E/expire-tokens
    curl -s -H "$C" -X POST $E/reset
    curl -s -H "$C" $E/state

This package never imports Textual.
"""
