# pathway serve: the JSON API over real HTTP with curl, on SQLite or PostgreSQL (docs/api.md).
# Sign-in (a wrong password and an unknown user answer alike), cookie flags, CSRF, a few rows
# of the authorization matrix, enumeration (a child one may not read answers as one that does
# not exist; search never lists them), malformed input to every route (a clear 4xx, nothing
# changed), sign-out and disabling, API tokens, and the security headers on every answer.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || die "curl missing: run scripts/setup.sh"
"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null
# Police intelligence about Lily: a sign the picture counts, which only the police may read.
printf '%s\n' '{"type":"indicator.observed","id":"pol-intel-lily","at":"2025-06-20","agency":"police","by":"dc.shaw","child":"p-lily-h","code":"sexual_knowledge_beyond_age","observed_at":"2025-06-19","sensitivity":"police_intelligence","note":"Source reports the child described sexual acts."}' |
    "$PATHWAY" record - >/dev/null || die "the police intelligence fact does not record"
PW='correct horse battery'
for u in "sw.jones csc practitioner" "yj.lee yjs practitioner" "ad.min other administrator" \
    "dl.khan csc data_lead"; do
    set -- $u
    printf '%s\n' "$PW" | "$PATHWAY" user add "$1" --agency "$2" --role "$3" --name "Test $1" \
        --password-stdin >/dev/null || die "user add $1"
done

# Start the server on a free loopback port; stop it whatever happens.
"$PATHWAY" serve --listen 127.0.0.1:0 --threads 2 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER=$!
stop_server() {
    kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    cleanup
}
trap stop_server EXIT
for _ in $(seq 1 100); do
    grep -q '^listening on ' "$WORK/serve.out" 2>/dev/null && break
    sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$WORK/serve.out")
[ -n "$BASE" ] || die "the server did not start: $(cat "$WORK/serve.err")"

# req NAME [curl args...]: status into $status, body into $out, headers into $WORK/h.
req() {
    local path=$1
    shift
    out=$(curl -s -o "$WORK/body" -D "$WORK/h" -w '%{http_code}' "$@" "$BASE$path" 2>/dev/null)
    status=$out
    out=$(cat "$WORK/body")
    errs=$(cat "$WORK/h")
    rc=$status
}
expect_status() {
    if [ "$status" = "$1" ]; then ok; else bad "$2: status $status, expected $1"; fi
}
header_has() {
    if grep -qi "$1" "$WORK/h"; then ok; else bad "$2: no header matching '$1'"; fi
}
json_post() { # path body [more curl args]
    local path=$1 body=$2
    shift 2
    req "$path" -X POST -H 'Content-Type: application/json' --data-binary "$body" "$@"
}
facts_count() {
    "$PATHWAY" facts | wc -l
}

# --- Sign-in: one answer for a wrong password and for nobody ---------------------------------
json_post /api/session '{"user":"sw.jones","password":"wrong password here"}'
expect_status 401 "wrong password"
wrong=$out
json_post /api/session '{"user":"no.body","password":"wrong password here"}'
expect_status 401 "unknown user"
[ "$out" = "$wrong" ] && ok || bad "unknown user and wrong password answer differently: $out / $wrong"
json_post /api/session "{\"user\":\"sw.jones\",\"password\":\"$PW\"}" -c "$WORK/jar"
expect_status 200 "sign in"
header_has '^Set-Cookie: pw_session=[0-9a-f]\{32\}; Path=/; HttpOnly; SameSite=Strict' "cookie flags"
CSRF=$(printf '%s' "$out" | sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
[ ${#CSRF} -eq 32 ] && ok || bad "a CSRF token at sign-in"
expect_no_out "$PW" "the password is not echoed"

# --- Security headers on every answer, errors included -----------------------------------------
for path in /api/session /api/nothing "/api/children/p-lily-h"; do
    req "$path" -b "$WORK/jar"
    header_has "^Content-Security-Policy: default-src 'none'; frame-ancestors 'none'" "CSP on $path"
    header_has '^X-Content-Type-Options: nosniff' "nosniff on $path"
    header_has '^Referrer-Policy: no-referrer' "referrer on $path"
    header_has '^Cache-Control: no-store' "no-store on $path"
    header_has '^Content-Type: application/json; charset=utf-8' "content type on $path"
done
req /api/session -b "$WORK/jar"
expect_status 200 "GET /api/session"
expect_out "\"csrf_token\":\"$CSRF\"" "the same CSRF token"

# --- The matrix over HTTP: a few rows ---------------------------------------------------------
req /api/children/p-lily-h -b "$WORK/jar"
expect_status 200 "csc practitioner, agency involvement"
expect_out '"basis":"agency_involvement"' "the basis"
for sub in picture alerts chronology network; do
    req "/api/children/p-lily-h/$sub" -b "$WORK/jar"
    expect_status 200 "csc practitioner reads $sub"
done
req /api/children/p-lily-h/picture -b "$WORK/jar"
expect_out '"fact":"pol-intel-lily","restricted":true' "the police's restricted sign: that it exists"
expect_out '"ask":"police"' "and whom to ask"
if grep -q 'sexual_knowledge_beyond_age' "$WORK/body"; then
    bad "the restricted sign's code is not shown to social care"
else
    ok
fi
req /api/users -b "$WORK/jar"
expect_status 403 "a practitioner lists no users"
json_post /api/session "{\"user\":\"yj.lee\",\"password\":\"$PW\"}" -c "$WORK/yj"
YJ_CSRF=$(printf '%s' "$out" | sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
json_post /api/session "{\"user\":\"ad.min\",\"password\":\"$PW\"}" -c "$WORK/ad"
AD_CSRF=$(printf '%s' "$out" | sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
req /api/users -b "$WORK/ad"
expect_status 200 "an administrator lists users"
req /api/children/p-lily-h -b "$WORK/ad"
expect_status 403 "an administrator reads no record"

# --- An episode: its stage and every deadline, as pathway episode says; every child readable ----
req /api/episodes/e-hart-2025 -b "$WORK/jar"
expect_status 200 "an episode as a csc practitioner"
cli=$("$PATHWAY" episode e-hart-2025 --json)
api_stage=$(printf '%s' "$out" | grep -o '"stage":"[^"]*"')
[ -n "$api_stage" ] && [ "$api_stage" = "$(printf '%s' "$cli" | grep -o '"stage":"[^"]*"')" ] && ok ||
    bad "the stage differs from pathway episode: $api_stage"
api_steps=$(printf '%s' "$out" | grep -o '"id":"[^"]*"\|"due":"[^"]*"\|"status":"[^"]*"' | sort | tr '\n' ' ')
cli_steps=$(printf '%s' "$cli" | grep -o '"id":"[^"]*"\|"due":"[^"]*"\|"status":"[^"]*"' | sort | tr '\n' ' ')
[ -n "$api_steps" ] && [ "$api_steps" = "$cli_steps" ] && ok || bad "the steps differ: $api_steps / $cli_steps"
expect_out '"children":["p-lily-h","p-noah-h"]' "its children"
req /api/episodes/e-hart-2025 -b "$WORK/ad"
expect_status 403 "an administrator reads no episode"
json_post /api/session "{\"user\":\"yj.lee\",\"password\":\"$PW\"}" -c "$WORK/yj0"
req /api/episodes/e-hart-2025 -b "$WORK/yj0"
expect_status 403 "an episode of children one may not read"
refused=$out
req /api/episodes/e-no-such-episode -b "$WORK/yj0"
expect_status 403 "an episode that does not exist"
[ "$out" = "$refused" ] && ok || bad "refused and nonexistent episodes differ: $refused / $out"
expect_no_out "p-lily-h" "no child named in the refusal"

# --- Enumeration: refused and nonexistent answer alike -------------------------------------------
req /api/children/p-lily-h -b "$WORK/yj"
expect_status 403 "youth justice has no relationship"
refused=$out
req /api/children/p-nobody-here -b "$WORK/yj"
expect_status 403 "a child that does not exist"
[ "$out" = "$refused" ] && ok || bad "refused and nonexistent differ: $refused / $out"
expect_no_out "Lily" "no name in the refusal"
req "/api/people?q=lily+hart" -b "$WORK/yj"
expect_status 200 "search as youth justice"
expect_no_out "p-lily-h" "search does not list a child one may not read"
expect_out "break-glass" "but says break-glass exists"
req "/api/people?q=lily+hart" -b "$WORK/jar"
expect_out "p-lily-h" "search lists a child one may read"
req "/api/facts?person=p-lily-h" -b "$WORK/yj"
expect_status 403 "facts refused as for the record"
who=$("$PATHWAY" audit who p-lily-h --as dl.khan)
if printf '%s' "$who" | grep -q 'yj.lee'; then ok; else bad "the refused look is on the access log"; fi

# --- CSRF: a cookie alone does not change anything ----------------------------------------------
before=$(facts_count)
BG='{"child":"p-lily-h","reason":"the school rang about an urgent disclosure today","hours":2}'
json_post /api/break-glass "$BG" -b "$WORK/yj"
expect_status 403 "no CSRF token"
expect_out "X-CSRF-Token" "says why"
json_post /api/break-glass "$BG" -b "$WORK/yj" -H "X-CSRF-Token: $CSRF"
expect_status 403 "another session's CSRF token"
json_post /api/break-glass "$BG" -b "$WORK/yj" -H "X-CSRF-Token: $YJ_CSRF"
expect_status 201 "break-glass with the token"
req /api/children/p-lily-h -b "$WORK/yj"
expect_status 200 "then the record opens"
expect_out '"basis":"break_glass"' "by break-glass"

# --- Malformed input to every route: a clear 4xx, nothing changed ----------------------------
before=$(facts_count)
users_before=$("$PATHWAY" user list | wc -l)
H=(-b "$WORK/ad" -H "X-CSRF-Token: $AD_CSRF")
for path in /api/session /api/facts /api/users /api/break-glass; do
    json_post "$path" '{"a":' "${H[@]}"
    [ "${status:0:1}" = 4 ] && ok || bad "bad JSON to $path: $status"
    expect_out '"error":{"code":"E' "an error object from $path"
    json_post "$path" '[1,2' "${H[@]}"
    [ "${status:0:1}" = 4 ] && ok || bad "truncated JSON to $path: $status"
    req "$path" -X POST -H 'Content-Type: application/json' --data-binary $'{"a":"\xff\xfe"}' "${H[@]}"
    expect_status 400 "invalid UTF-8 to $path"
    req "$path" -X POST -H 'Content-Type: text/plain' --data-binary '{}' "${H[@]}"
    [ "${status:0:1}" = 4 ] && ok || bad "a non-JSON content type to $path: $status"
    deep=$(printf '[%.0s' $(seq 1 100))$(printf ']%.0s' $(seq 1 100))
    json_post "$path" "$deep" "${H[@]}"
    [ "${status:0:1}" = 4 ] && ok || bad "100-deep JSON to $path: $status"
done
head -c 2000000 /dev/zero | tr '\0' 'a' >"$WORK/huge"
req /api/facts -X POST -H 'Content-Type: application/json' --data-binary "@$WORK/huge" "${H[@]}"
expect_status 413 "a body over 1 MiB"
head -c 20000 /dev/zero | tr '\0' 'a' >"$WORK/big"
req /api/users -X POST -H 'Content-Type: application/json' --data-binary "@$WORK/big" "${H[@]}"
expect_status 413 "a body over the small limit"
json_post /api/users '{"id":7,"agency":"csc","role":"practitioner","name":"X"}' "${H[@]}"
expect_status 400 "a number for a string"
expect_out '"field":"id"' "names the field"
json_post /api/users '{"id":"x.y","agency":"csc","role":"practitioner","name":"X","is_admin":true}' "${H[@]}"
expect_status 400 "an unknown member"
json_post /api/break-glass '{"child":"p-lily-h","reason":"short","hours":"two"}' -b "$WORK/yj" -H "X-CSRF-Token: $YJ_CSRF"
expect_status 400 "hours as a string"
json_post /api/facts '{"type":"no.such","id":"x-1"}' -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect_status 400 "an unknown fact type"
json_post /api/facts '[]' -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect_status 400 "an empty array"
for path in "/api/people?q=%ZZ" "/api/people?q=%00" "/api/people?q=%C3" "/api/facts?person=a%20b" \
    "/api/alerts" "/api/alerts?mine=2" "/api/children/p-lily-h?x=1" "/api/people" \
    "/api/people?dob=yesterday" "/api/children/p-lily-h/alerts?status=x"; do
    req "$path" -b "$WORK/jar"
    [ "${status:0:1}" = 4 ] && ok || bad "GET $path: $status"
done
req "/api/../api/users" --path-as-is -b "$WORK/ad"
expect_status 400 "a dot-dot path"
req /api/children/p-lily-h -X PUT -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect_status 405 "an unsupported method"
header_has '^Allow: GET' "says which"
req /api/session -X TRACE
expect_status 405 "no TRACE"
req /api/session -b "$WORK/jar" -H 'Content-Length: 0' -H 'Content-Length: 5'
[ "${status:0:1}" = 4 ] && ok || bad "two Content-Lengths: $status"
[ "$(facts_count)" = "$before" ] && ok || bad "malformed input changed the log"
[ "$("$PATHWAY" user list | wc -l)" = "$users_before" ] && ok || bad "malformed input added a user"

# --- Recording facts: all or none, as the caller ------------------------------------------------
FACT='{"type":"indicator.observed","id":"i-api-1","agency":"csc","at":"2025-06-20","child":"p-lily-h","code":"sti"}'
json_post /api/facts "[$FACT,{\"type\":\"indicator.observed\",\"id\":\"i-api-2\",\"agency\":\"csc\",\"at\":\"2025-06-20\",\"child\":\"p-lily-h\",\"code\":\"no_such_code\"}]" -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
[ "${status:0:1}" = 4 ] && ok || bad "a batch with one bad fact: $status"
expect_out '"field":"[1]' "names the bad fact"
[ "$(facts_count)" = "$before" ] && ok || bad "nothing of the batch recorded"
# A trial: what recording would raise, nothing recorded; a block explained the same way.
SD='{"type":"strategy.held","id":"sd-trial-1","at":"2025-06-20","agency":"csc","episode":"e-hart-2025","children":["p-lily-h"],"attendees":[{"agency":"csc","role":"social worker"},{"agency":"police","role":"DC"}],"s47":true,"police_investigation":true'
json_post "/api/facts?trial=1" "$SD}" -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect_status 422 "a trial of a blocked fact"
expect_out 'R07 medical-considered' "the block named"
json_post "/api/facts?trial=1" "$SD,\"medical\":{\"decision\":\"not_needed\",\"reason\":\"no recent contact\"}}" -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect_status 200 "a trial"
expect_out '"would_record":1' "how many would be recorded"
expect_out '"rule":"R06"' "what recording would raise (health is missing)"
[ "$(facts_count)" = "$before" ] && ok || bad "a trial records nothing"
"$PATHWAY" audit who p-lily-h --as dl.khan 2>/dev/null | grep -q ' trial ' && ok || bad "the trial is on the access log"
json_post "/api/facts?trial=2" "$FACT" -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect_status 400 "trial takes only 1"
json_post /api/facts "$FACT" -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect_status 201 "a fact recorded"
"$PATHWAY" facts --json | grep '"i-api-1"' | grep -q '"by":"sw.jones"' && ok || bad "recorded as the caller"
json_post /api/facts "$FACT" -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect_status 200 "the same fact again is a no-op"

# --- API tokens: bearer, no CSRF needed; only the hash kept ------------------------------------
TOKEN=$("$PATHWAY" user token sw.jones 2>/dev/null)
[[ "$TOKEN" =~ ^pwt_[0-9a-f]{64}$ ]] && ok || bad "a token is made: $TOKEN"
if sql "SELECT value FROM store_meta" | grep -q "${TOKEN#pwt_}"; then bad "the token is stored"; else ok; fi
req /api/children/p-lily-h/picture -H "Authorization: Bearer $TOKEN"
expect_status 200 "a token reads"
req /api/children/p-lily-h/picture -H "Authorization: Bearer pwt_0000"
expect_status 401 "a wrong token"
header_has '^WWW-Authenticate: Bearer' "says how"

# --- Sign-out and disabling end sessions at once ----------------------------------------------
req /api/session -X DELETE -b "$WORK/jar"
expect_status 403 "sign-out needs the CSRF token"
req /api/session -X DELETE -b "$WORK/jar" -H "X-CSRF-Token: $CSRF"
expect_status 200 "signed out"
header_has 'Set-Cookie: pw_session=; .*Max-Age=0' "the cookie cleared"
req /api/children/p-lily-h -b "$WORK/jar"
expect_status 401 "the old cookie no longer works"
req /api/users/yj.lee/disable -X POST -b "$WORK/ad" -H "X-CSRF-Token: $AD_CSRF"
expect_status 200 "an administrator disables a user"
req /api/session -b "$WORK/yj"
expect_status 401 "the disabled user's session is over"
json_post /api/session "{\"user\":\"yj.lee\",\"password\":\"$PW\"}"
expect_status 401 "and they cannot sign in"
"$PATHWAY" user disable sw.jones >/dev/null
req /api/children/p-lily-h/picture -H "Authorization: Bearer $TOKEN"
expect_status 401 "a disabled user's token stops working"

# --- Behind TLS (--tls): the __Host- cookie with Secure, and HSTS -------------------------------
"$PATHWAY" user add tls.user --agency csc --role practitioner --name "T" --password-stdin \
    <<<"$PW" >/dev/null || die "user add tls.user"
"$PATHWAY" serve --listen 127.0.0.1:0 --threads 1 --tls >"$WORK/tls.out" 2>"$WORK/tls.err" &
TLS_SERVER=$!
for _ in $(seq 1 100); do
    grep -q '^listening on ' "$WORK/tls.out" 2>/dev/null && break
    sleep 0.1
done
BASE_PLAIN=$BASE
BASE=$(sed -n 's/^listening on //p' "$WORK/tls.out")
[ -n "$BASE" ] || bad "the --tls server did not start: $(cat "$WORK/tls.err")"
json_post /api/session "{\"user\":\"tls.user\",\"password\":\"$PW\"}"
expect_status 200 "sign in behind TLS"
header_has '^Set-Cookie: __Host-pw_session=[0-9a-f]\{32\}; Path=/; HttpOnly; SameSite=Strict; Secure' "the __Host- cookie, Secure"
header_has '^Strict-Transport-Security: max-age=31536000; includeSubDomains' "HSTS"
kill "$TLS_SERVER" 2>/dev/null && wait "$TLS_SERVER" 2>/dev/null
BASE=$BASE_PLAIN

finish
