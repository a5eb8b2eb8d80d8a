#!/usr/bin/env bash
# The command line end to end, as a CI job would run it: against `regsecret emulator` on 127.0.0.1,
# register, list, update and delete a secret with every password source and every profile source,
# and see every exit code of the table and every --json shape.
#
#   bash tests/cli/scenario.sh [how to run regsecret ...]     (default: regsecret)
#
# Needs a working OS keyring for "our" profile (tests/real/test_cli_scenario.py runs it inside a
# throw-away gnome-keyring session) and openssl for the untrusted-TLS case. Prints one line per
# step; exits 0 only when every step passed.
set -uo pipefail

if [ $# -gt 0 ]; then RS=("$@"); else RS=(regsecret); fi
PY=${PYTHON:-python3}
work=$(mktemp -d)
emu_pid="" tls_pid=""
cleanup() {
  [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null
  [ -n "$tls_pid" ] && kill "$tls_pid" 2>/dev/null && wait "$tls_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
seen_codes=" "

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect CODE WHAT -- COMMAND...: run it (stdin as given), keep out/err, compare the exit code.
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  seen_codes="$seen_codes$got "
  if [ "$got" = "$want" ]; then
    echo "ok   exit $got  $what"
  else
    fail "$what: exit $got, expected $want"
    sed 's/^/     | /' "$work/err" "$work/out" | head -20
  fi
}

# shape PYTHON-EXPRESSION: check the JSON on stdout of the last step (d is the object).
shape() {
  "$PY" - "$work/out" "$1" <<'PYCHECK' || fail "JSON shape: $1"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert eval(sys.argv[2]), d
PYCHECK
}

# said WORDS: the last step's stdout+stderr contain WORDS.
said() { grep -qF -- "$1" "$work/out" "$work/err" || fail "expected the words: $1"; }

rs() { "${RS[@]}" "$@"; }

# --- the emulator ---------------------------------------------------------------------------
rs emulator --port 0 >"$work/emulator.out" 2>"$work/emulator.err" &
emu_pid=$!
for _ in $(seq 100); do [ "$(wc -l <"$work/emulator.out")" -ge 5 ] && break; sleep 0.1; done
{ read -r API; read -r TOKEN_URL; read -r CLIENT_ID; read -r REG; read -r CONTROL; } <"$work/emulator.out"
[ -n "${CONTROL:-}" ] || { echo "FAIL: the emulator did not print its URLs"; cat "$work/emulator.err"; exit 1; }
echo "emulator: $API, registry $REG"
REG_PASS=demo-registry-token
AUTH_BASE=${TOKEN_URL%/oauth/token}

fault() { # fault JSON: tell the emulator to fail the next requests
  "$PY" - "$API" "$CONTROL" "$1" <<'PYFAULT'
import sys, urllib.request
api, token, body = sys.argv[1:]
request = urllib.request.Request(
    api.rstrip("/") + "/_emulator/faults", data=body.encode(), method="POST",
    headers={"X-Emulator-Token": token, "Content-Type": "application/json"},
)
urllib.request.urlopen(request, timeout=10).read()
PYFAULT
}

# --- every profile source, each pointing at the emulator --------------------------------------
export REGSECRET_CONFIG_DIR="$work/config" AICORE_HOME="$work/aicore"
unset AICORE_PROFILE AICORE_CLIENT_ID AICORE_CLIENT_SECRET AICORE_AUTH_URL AICORE_BASE_URL \
  AICORE_SERVICE_KEY VCAP_SERVICES DOCKER_CONFIG
mkdir -p "$AICORE_HOME"
KEY=$(printf '{"clientid":"%s","clientsecret":"demo-secret","url":"%s","serviceurls":{"AI_API_URL":"%s"}}' \
  "$CLIENT_ID" "$AUTH_BASE" "$API")
printf '%s' "$KEY" >"$work/key.json"
printf '{"AICORE_AUTH_URL":"%s","AICORE_CLIENT_ID":"%s","AICORE_CLIENT_SECRET":"demo-secret","AICORE_BASE_URL":"%s"}' \
  "$TOKEN_URL" "$CLIENT_ID" "$API" >"$AICORE_HOME/config_sdk.json"
printf '{"AICORE_AUTH_URL":"%s","AICORE_CLIENT_ID":"%s","AICORE_CLIENT_SECRET":"wrong-secret","AICORE_BASE_URL":"%s"}' \
  "$TOKEN_URL" "$CLIENT_ID" "$API" >"$AICORE_HOME/config_badsecret.json"
printf '{"AICORE_AUTH_URL":"http://127.0.0.1:9/oauth/token","AICORE_CLIENT_ID":"x","AICORE_CLIENT_SECRET":"y","AICORE_BASE_URL":"http://127.0.0.1:9"}' \
  >"$AICORE_HOME/config_closed.json"
ENV_VARS=(AICORE_CLIENT_ID="$CLIENT_ID" AICORE_CLIENT_SECRET=demo-secret AICORE_AUTH_URL="$TOKEN_URL" AICORE_BASE_URL="$API")
VCAP=$(printf '{"aicore":[{"label":"aicore","name":"vcap-aicore","credentials":%s}]}' "$KEY")

expect 0 "profiles import: our store (keyring)" -- rs profiles import "$work/key.json" --name ours

# --- password sources ------------------------------------------------------------------------
printf '%s\n' "$REG_PASS" >"$work/token.txt"
mkdir -p "$work/docker" "$work/helper-docker" "$work/bin"
AUTH=$(printf 'demo:%s' "$REG_PASS" | base64 | tr -d '\n')
printf '{"auths":{"%s":{"auth":"%s"}}}' "$REG" "$AUTH" >"$work/docker/config.json"
printf '{"auths":{"%s":{}},"credsStore":"scenario"}' "$REG" >"$work/helper-docker/config.json"
cat >"$work/bin/docker-credential-scenario" <<HELPER
#!/bin/sh
# A credential helper as docker-credential-helpers speaks it: the server URL on stdin.
read -r url
if [ "\$1" = get ] && [ "\$url" = "$REG" ]; then
  printf '{"ServerURL":"%s","Username":"demo","Secret":"%s"}\n' "\$url" "$REG_PASS"
else
  echo "credentials not found in native keychain"; exit 1
fi
HELPER
chmod +x "$work/bin/docker-credential-scenario"

send_args=(--registry "$REG" --username demo --json)
expect 0 "register, our profile, --password-stdin" -- \
  rs register s-stdin --profile ours "${send_args[@]}" --password-stdin <"$work/token.txt"
shape 'd["ok"] is True and d["command"] == "register" and d["exit_code"] == 0'
shape 'd["outcome"] == "created" and d["name"] == "s-stdin" and d["profile"] == "ours"'
shape 'd["sent"] is True and d["login"]["outcome"] == "accepted" and d["error"] is None'
shape 'isinstance(d["sentence"], str) and isinstance(d["message"], str)'
expect 0 "register, SAP SDK file profile, --password-env" -- \
  env REG_TOKEN="$REG_PASS" "${RS[@]}" register s-env --profile sdk "${send_args[@]}" --password-env REG_TOKEN
expect 0 "register, AICORE_* profile, --password-file" -- \
  env "${ENV_VARS[@]}" "${RS[@]}" register s-file --profile env "${send_args[@]}" --password-file "$work/token.txt"
expect 0 "register, AICORE_SERVICE_KEY profile, --password-command" -- \
  env AICORE_SERVICE_KEY="$KEY" "${RS[@]}" register s-cmd --profile env-service-key "${send_args[@]}" \
  --password-command "cat $work/token.txt"
expect 0 "register, VCAP_SERVICES profile, --from-docker-config (inline auth)" -- \
  env VCAP_SERVICES="$VCAP" DOCKER_CONFIG="$work/docker" "${RS[@]}" register s-docker \
  --profile vcap-aicore --registry "$REG" --from-docker-config --json
expect 0 "register, --from-docker-config through a credential helper" -- \
  env DOCKER_CONFIG="$work/helper-docker" PATH="$work/bin:$PATH" "${RS[@]}" register s-helper \
  --profile ours --registry "$REG" --from-docker-config --json
shape 'd["outcome"] == "created"'
expect 0 "register --no-check (no login check)" -- \
  rs register s-nocheck --profile ours "${send_args[@]}" --no-check --password-stdin <"$work/token.txt"
shape 'd["login"] is None'

# --- list ------------------------------------------------------------------------------------
expect 0 "list --json" -- rs list --profile sdk --json
shape 'd["ok"] is True and d["command"] == "list" and d["exit_code"] == 0 and d["profile"] == "sdk"'
shape 'set(d["secrets"]) >= {"s-stdin", "s-env", "s-file", "s-cmd", "s-docker", "s-helper", "s-nocheck"}'
shape 'd["secrets"] == sorted(d["secrets"])'
shape 'd["quota"]["used"] == len(d["secrets"]) and d["quota"]["limit"] == 50'
expect 0 "list, names on stdout" -- rs list --profile ours
grep -qx s-stdin "$work/out" || fail "list prints one name per line"
said "of 50 secrets used"
expect 0 "list, the profile from AICORE_PROFILE" -- env AICORE_PROFILE=sdk "${RS[@]}" list --json
shape 'd["profile"] == "sdk"'
expect 2 "list, several profiles and none named" -- rs list
said "Say which with --profile"
said "ours"
expect 0 "list, the only profile" -- env REGSECRET_CONFIG_DIR="$work/empty" AICORE_HOME="$work/empty" \
  "${ENV_VARS[@]}" "${RS[@]}" list --json
shape 'd["profile"] == "env"'
expect 2 "list, a profile that does not exist" -- rs list --profile nope --json
shape 'd["ok"] is False and d["exit_code"] == 2 and "ours" in d["sentence"]'

# --- update ----------------------------------------------------------------------------------
expect 0 "update" -- env REG_TOKEN="$REG_PASS" "${RS[@]}" update s-stdin --profile ours "${send_args[@]}" \
  --password-env REG_TOKEN
shape 'd["ok"] is True and d["command"] == "update" and d["outcome"] == "updated"'
expect 8 "register an existing name" -- \
  rs register s-stdin --profile ours "${send_args[@]}" --password-stdin <"$work/token.txt"
shape 'd["ok"] is False and d["exit_code"] == 8 and d["outcome"] == "exists"'
said "--update"
expect 0 "register --update an existing name" -- \
  rs register s-stdin --profile ours "${send_args[@]}" --update --password-stdin <"$work/token.txt"
shape 'd["outcome"] == "updated"'
expect 5 "update a secret that does not exist" -- \
  rs update no-such --profile ours "${send_args[@]}" --password-stdin <"$work/token.txt"
shape 'd["exit_code"] == 5 and d["outcome"] == "failed" and d["error"]["status"] == 404'

# --- delete ----------------------------------------------------------------------------------
expect 2 "delete without --yes and no terminal" -- rs delete s-stdin --profile ours </dev/null
said "--yes"
expect 0 "delete --yes" -- rs delete s-stdin --profile ours --yes --json
shape 'd["ok"] is True and d["command"] == "delete" and d["outcome"] == "deleted" and d["name"] == "s-stdin"'
expect 5 "delete it again: not found" -- rs delete s-stdin --profile ours --yes --json
shape 'd["ok"] is False and d["exit_code"] == 5'
expect 0 "list: it is gone" -- rs list --profile ours --json
shape '"s-stdin" not in d["secrets"]'

# --- update and delete through every other profile source, each with another password source --
expect 0 "update, SAP SDK file profile, --password-file" -- \
  rs update s-env --profile sdk "${send_args[@]}" --password-file "$work/token.txt"
expect 0 "update, AICORE_* profile, --password-command" -- \
  env "${ENV_VARS[@]}" "${RS[@]}" update s-file --profile env "${send_args[@]}" \
  --password-command "cat $work/token.txt"
expect 0 "update, AICORE_SERVICE_KEY profile, --from-docker-config" -- \
  env AICORE_SERVICE_KEY="$KEY" DOCKER_CONFIG="$work/docker" "${RS[@]}" update s-cmd \
  --profile env-service-key --registry "$REG" --from-docker-config --json
shape 'd["outcome"] == "updated" and d["profile"] == "env-service-key"'
expect 0 "update, VCAP_SERVICES profile, --password-stdin" -- \
  env VCAP_SERVICES="$VCAP" "${RS[@]}" update s-docker --profile vcap-aicore "${send_args[@]}" \
  --password-stdin <"$work/token.txt"
expect 0 "update through a credential helper" -- \
  env DOCKER_CONFIG="$work/helper-docker" PATH="$work/bin:$PATH" "${RS[@]}" update s-helper \
  --profile ours --registry "$REG" --from-docker-config --json
shape 'd["outcome"] == "updated"'
expect 0 "delete, SAP SDK file profile" -- rs delete s-env --profile sdk --yes
expect 0 "delete, AICORE_* profile" -- env "${ENV_VARS[@]}" "${RS[@]}" delete s-file --profile env --yes
expect 0 "delete, AICORE_SERVICE_KEY profile" -- \
  env AICORE_SERVICE_KEY="$KEY" "${RS[@]}" delete s-cmd --profile env-service-key --yes
expect 0 "delete, VCAP_SERVICES profile" -- \
  env VCAP_SERVICES="$VCAP" "${RS[@]}" delete s-docker --profile vcap-aicore --yes --json
shape 'd["outcome"] == "deleted" and d["profile"] == "vcap-aicore"'
expect 0 "list: those are gone" -- rs list --profile ours --json
shape 'not {"s-env", "s-file", "s-cmd", "s-docker"} & set(d["secrets"])'

# --- every other exit code -------------------------------------------------------------------
expect 2 "bad name" -- rs register Bad_Name! --profile ours "${send_args[@]}" --password-stdin <"$work/token.txt"
shape 'd["exit_code"] == 2 and d["outcome"] == "bad-input" and d["sent"] is False'
expect 2 "two lines of password" -- rs register s-two --profile ours "${send_args[@]}" --password-stdin \
  < <(printf 'line1\nline2\n')
said "has 2 lines"
expect 2 "a password command that fails" -- \
  rs register s-fail --profile ours "${send_args[@]}" --password-command false
expect 4 "the registry refuses the login" -- \
  env WRONG_TOKEN=wrong-token "${RS[@]}" register s-refused --profile ours "${send_args[@]}" \
  --password-env WRONG_TOKEN
shape 'd["exit_code"] == 4 and d["login"]["outcome"] == "rejected" and d["sent"] is False'
said "--no-check"
expect 4 "AI Core refuses the profile's client secret" -- rs list --profile badsecret --json
shape 'd["exit_code"] == 4 and d["error"]["status"] == 401'
expect 3 "AI Core unreachable" -- rs list --profile closed --json
shape 'd["exit_code"] == 3 and d["error"]["type"] == "NetworkError"'
fault '{"status": 500, "count": 20}'
expect 1 "AI Core answers 500" -- rs list --profile ours --json
shape 'd["exit_code"] == 1 and d["error"]["status"] == 500'
"$PY" - "$API" "$CONTROL" <<'PYCLEAR'
import sys, urllib.request
request = urllib.request.Request(sys.argv[1].rstrip("/") + "/_emulator/faults", method="DELETE",
                                 headers={"X-Emulator-Token": sys.argv[2]})
urllib.request.urlopen(request, timeout=10).read()
PYCLEAR

# The registry check's own rows.
expect 0 "check accepted" -- rs check --registry "$REG" --username demo --password-stdin --json <"$work/token.txt"
shape 'd["ok"] is True and d["command"] == "check" and d["exit_code"] == 0 and d["outcome"] == "accepted"'
expect 4 "check refused" -- env WRONG_TOKEN=nope "${RS[@]}" check --registry "$REG" --username demo \
  --password-env WRONG_TOKEN --json
shape 'd["ok"] is False and d["exit_code"] == 4 and d["outcome"] == "rejected"'
expect 5 "check: the image is not there" -- rs check --registry "$REG" --username demo \
  --image "$REG/demo/no-such-image:1.0" --password-stdin --json <"$work/token.txt"
expect 6 "check: not a registry (the AI Core API)" -- rs check --registry "${API#http://}" --username demo \
  --password-stdin --json <"$work/token.txt"
expect 3 "check: unreachable" -- rs check --registry 127.0.0.1:9 --username demo --password-stdin <"$work/token.txt"
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
  "$PY" - "$work" <<'PYTLS' &
import http.server, ssl, sys
work = sys.argv[1]
server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(f"{work}/tls.crt", f"{work}/tls.key")
server.socket = context.wrap_socket(server.socket, server_side=True)
open(f"{work}/tls.port", "w").write(str(server.server_address[1]))
server.serve_forever()
PYTLS
  tls_pid=$!
  for _ in $(seq 50); do [ -s "$work/tls.port" ] && break; sleep 0.1; done
  expect 7 "check: a certificate this machine does not trust" -- \
    rs check --registry "127.0.0.1:$(cat "$work/tls.port")" --username demo --password-stdin <"$work/token.txt"
else
  fail "openssl is not installed: the untrusted-TLS case (exit 7) cannot run"
fi

# Every code of the table was seen.
for code in 0 1 2 3 4 5 6 7 8; do
  case "$seen_codes" in *" $code "*) ;; *) fail "exit code $code was never seen" ;; esac
done
expect 0 "regsecret --help shows the exit-code table" -- rs --help
for code in 0 1 2 3 4 5 6 7 8; do grep -qE "^  $code  " "$work/out" || fail "--help lacks exit code $code"; done

if [ "$failures" -ne 0 ]; then echo "$failures step(s) failed"; exit 1; fi
echo "every step passed"
