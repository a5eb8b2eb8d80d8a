"""A local SAP AI Core for tests, ``--demo`` and curl; the contract is shared/aicore-api.md.

Run ``regsecret emulator`` (prints the AI API URL, the token URL and the client id), then e.g.:

    curl -s -u demo:demo-secret -d grant_type=client_credentials http://127.0.0.1:8765/oauth/token
    TOKEN=...   # the "access_token" of that answer
    curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8765/v2/admin/dockerRegistrySecrets

Fault injection, outside /v2 and without a token (``scope`` is ``api`` by default, or ``token``
or ``all``; ``count`` defaults to 1):

    curl -s -d '{"status": 503, "retry_after": 2, "count": 2}' http://127.0.0.1:8765/_emulator/faults
    curl -s -d '{"delay": 5}' http://127.0.0.1:8765/_emulator/faults
    curl -s -d '{"drop": true}' http://127.0.0.1:8765/_emulator/faults
    curl -s -X DELETE http://127.0.0.1:8765/_emulator/faults        # forget pending faults
    curl -s -X POST http://127.0.0.1:8765/_emulator/expire-tokens
    curl -s -X POST http://127.0.0.1:8765/_emulator/reset
    curl -s http://127.0.0.1:8765/_emulator/state

This package never imports Textual.
"""
