"""Tests against real components users have: a registry, a keyring, clipboards, SAP's SDK.

Each test starts what it needs on 127.0.0.1 with throw-away state, and is marked ``real``.
Without the component it skips and says why; `.ci/run` installs them
(scripts/install-real-components.sh) and runs this layer with REGSECRET_REAL_REQUIRED=1,
where such a skip is a failure.
"""
