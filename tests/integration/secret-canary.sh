#!/bin/sh
# secret-canary.sh - automake test for doc/security.md "Secrets": distinct canary
# strings are planted in every place of a repository that can hold a secret, ssolint
# runs in every output format and every informational mode, and no canary may appear in
# any output (standard output, standard error, written files). To cover a new format,
# add its name to FORMATS; a new mode, a line to run_modes.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
: "${SSOLINT:?SSOLINT must name the built ssolint}"
export SSOLINT_DATADIR=${SSOLINT_DATADIR:-$top}
export NO_COLOR=1
FORMATS="gcc pretty json sarif github gitlab junit"
tmp=$(mktemp -d /tmp/ssolint-canary.XXXXXX) || exit 99
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT INT TERM
repo=$tmp/repo
out=$tmp/out
mkdir -p "$repo/auth0/clients" "$repo/auth0/connections" "$repo/auth0/actions/Roles" \
    "$repo/auth0/emails" "$repo/flex" "$repo/users" "$out" || exit 99

# The canaries, one per secret-bearing place.
C_MAP_SID=GOc0ffee01c0ffee01c0ffee01c0ffee01   # secret-named mapping, substituted whole
C_MAP_URLSID=GOc0ffee02c0ffee02c0ffee02c0ffee02 # the part a rule quotes of a secret URL
C_MAP_URL=https://iam.twilio.com/v2/saml2/metadata/$C_MAP_URLSID
C_MAP_CODE=canary-mapped-into-code-4e1f        # secret mapping substituted into Action code
C_MAP_NESTED=canary-nested-private-key-9b3d    # a secret member of a non-secret mapping
C_CFG=canary-auth0-client-secret-51c7          # AUTH0_CLIENT_SECRET of the deploy-cli config
C_CLIENT=canary-client-secret-0a8e             # a client's client_secret
C_SIGNKEY=canary-signing-private-key-77d2      # a client's signing key
C_CONN=canary-connection-secret-2f6b           # a connection's options.client_secret
C_EMAIL=canary-smtp-pass-c3d9                  # an email provider credential
C_ACTSECRET=canary-action-secret-6a0c          # an Action secret's value
C_CODE=SKc0ffee03c0ffee03c0ffee03c0ffee03      # a Twilio API key literal in Action code
C_CODENAMED=c0ffee04c0ffee04c0ffee04c0ffee04   # 32 hex assigned to a token name
CANARIES="$C_MAP_SID $C_MAP_URLSID $C_MAP_CODE $C_MAP_NESTED $C_CFG $C_CLIENT $C_SIGNKEY
$C_CONN $C_EMAIL $C_ACTSECRET $C_CODE $C_CODENAMED"

cat >"$repo/.ssolint.yaml" <<YAML
version: 1
tenants:
  - name: canary
    pattern: A
    rationale: a test repository
    email_domains: [nss.org]
    auth0:
      export: auth0/
      keywords: auth0/config.json
      users: [users/users.ndjson]
    flex:
      style: iam-v2
      sso: flex/sso.yaml
YAML
cat >"$repo/auth0/config.json" <<JSON
{
  "AUTH0_DOMAIN": "nss.us.auth0.com",
  "AUTH0_CLIENT_SECRET": "$C_CFG",
  "AUTH0_KEYWORD_REPLACE_MAPPINGS": {
    "DB_PASSWORD": "$C_MAP_SID",
    "AUDIENCE_SECRET": "$C_MAP_URL",
    "API_TOKEN": "$C_MAP_CODE",
    "SETUP": {"private_key": "$C_MAP_NESTED", "region": "us1"}
  }
}
JSON
echo '{"friendly_name": "NSS"}' >"$repo/auth0/tenant.json"
cat >"$repo/auth0/clients/Flex.json" <<JSON
{
  "name": "Twilio Flex",
  "client_secret": "$C_CLIENT",
  "signing_keys": [{"key": "-----BEGIN PRIVATE KEY-----\\n$C_SIGNKEY\\n-----END PRIVATE KEY-----"}],
  "callbacks": ["https://iam.twilio.com/v2/saml2/authenticate/##DB_PASSWORD##"],
  "addons": {"samlp": {"audience": "##AUDIENCE_SECRET##", "nameIdentifierProbes": ["email"]}}
}
JSON
cat >"$repo/auth0/connections/google-oauth2.json" <<JSON
{"name": "google-oauth2", "strategy": "google-oauth2",
 "options": {"client_id": "1234.apps.googleusercontent.com", "client_secret": "$C_CONN"}}
JSON
cat >"$repo/auth0/emails/provider.json" <<JSON
{"name": "smtp", "enabled": true, "credentials": {"smtp_host": "mail.nss.org", "smtp_pass": "$C_EMAIL"}}
JSON
cat >"$repo/auth0/actions/Roles.json" <<JSON
{"name": "Roles", "code": "./actions/Roles/code.js", "deployed": true,
 "supported_triggers": [{"id": "post-login", "version": "v3"}],
 "secrets": [{"name": "TWILIO_AUTH_TOKEN", "value": "$C_ACTSECRET"}]}
JSON
cat >"$repo/auth0/actions/Roles/code.js" <<JS
const apiKey = "$C_CODE"; const authToken = "$C_CODENAMED"; const db = "##API_TOKEN##";
exports.onExecutePostLogin = async (event, api) => {
  api.samlResponse.setAttribute("roles", event.user.app_metadata.flex.roles);
};
JS
cat >"$repo/flex/sso.yaml" <<YAML
style: iam-v2
account_sid: AC0123456789abcdef0123456789abcdef
flex_instance_sid: GO0123456789abcdef0123456789abcdef
YAML
# a secret pasted into a users record, on a line that gets findings (a snippet)
printf '{"email": "a@nss.org", "app_metadata": {"flex": {"roles": ["agnet"]}, "k": "%s"}}\n' \
    "$C_CLIENT" >"$repo/users/users.ndjson"

fail=0
# run NAME ARGS...: run ssolint in the repository, output in $out/NAME.{out,err}
run() {
    name=$1
    shift
    (cd "$repo" && "$SSOLINT" "$@") >"$out/$name.out" 2>"$out/$name.err" </dev/null
    echo "$name: exit $?"
}
run_modes() {
    for f in $FORMATS; do
        run "format-$f" --format "$f"
        run "output-$f" -q --output "$f:$out/output-$f.file"
    done
    run print-config --print-config
    run list-inputs --list-inputs
    run stats --stats
    run baseline --write-baseline "$out/baseline.json"
    run rules-off --select input --format pretty
}
run_modes
# the runs must have linted something: the secret findings are there, masked
grep -q 'secret-in-config' "$out/format-gcc.out" &&
    grep -q "callback-sid-mismatch" "$out/format-gcc.out" ||
    { echo "FAIL: the canary repository did not give the expected findings"; fail=1; }
passed=0
failed=0
for c in $CANARIES; do
    hits=$(grep -rlF -- "$c" "$out")
    if [ -z "$hits" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: canary $c appears in:" $hits
        grep -rhF -- "$c" "$out" | head -3
        fail=1
    fi
done
[ $fail = 0 ] && echo "ok: no canary in any output"
[ $fail = 0 ] || [ $failed -gt 0 ] || failed=1 # the repository check above failed
echo "secret-canary: $passed passed, $failed failed"
exit $fail
