#!/usr/bin/env bash
# Installs the real components that tests/real runs against (Debian packages), for CI and for anyone
# who wants to run that layer locally: `sudo bash scripts/install-real-components.sh`.
# Each test of tests/real starts its own instance on 127.0.0.1 with throw-away state; nothing here
# starts a service.
set -euo pipefail
packages=(
  tmux            # the clipboard through OSC 52 and tmux's paste buffers
  dbus-daemon     # dbus-run-session: a private session bus for the Secret Service tests
  gnome-keyring   # the Secret Service that docker-credential-secretservice and keyring use
  golang-docker-credential-helpers  # docker-credential-secretservice, a real credential helper
  openssl         # a certificate nobody trusts, for the command-line scenario's TLS case
  libsecret-tools # secret-tool: reads the keyring back independently of regsecret
  docker-registry # the CNCF distribution registry 2.8: the registry login check, for real
  xvfb            # a private X server for the clipboard tests
  xclip           # the X clipboard tool regsecret uses, and reads back with
)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
