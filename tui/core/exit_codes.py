"""Exit codes of every ``regsecret`` command: one table, so a script can tell failures apart.

The command line's help and README show this table; commands return these names, never bare numbers.
0 and 2 keep the meaning they always had, 3 stays "unreachable". ``regsecret check`` uses every row
from 3 to 7, so a script can tell a wrong password (4) from a typo in a tag (5).
"""

from __future__ import annotations

EXIT_OK = 0
# Something failed that no row below describes (a server error, an unexpected failure).
EXIT_FAILED = 1
# What was typed, piped or configured cannot be used: arguments, stdin, files, SSL_CERT_FILE.
EXIT_BAD_INPUT = 2
# The server could not be reached or gave no complete answer in time: DNS, refused, timeout.
EXIT_UNREACHABLE = 3
# The server was reached and refused the credentials (username, password or token).
EXIT_REFUSED = 4
# The login works, but the thing named is not there or may not be read (an image or tag).
EXIT_NOT_FOUND = 5
# The server answered, but not as a Docker registry does (a web page, a redirect, no /v2/ API).
EXIT_NOT_A_REGISTRY = 6
# The server was reached, but its TLS certificate is not trusted on this machine.
EXIT_TLS_UNTRUSTED = 7
