# The web pages over real HTTP with curl, on SQLite or PostgreSQL (docs/web.md): what a
# browser's journeys in tests/browser/ cannot easily show. The pages' security headers and
# Content-Security-Policy; the assets served and cacheable, nothing else outside them; a page
# for a signed-out visitor sends them to sign in; a form from another site refused before it is
# read; a signed-in form without its CSRF token refused; a refused record and one that does not
# exist answer alike; what anyone types is escaped back; sign-out ends the session.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || die "curl missing: run scripts/setup.sh"
"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null
PW='correct horse battery'
for u in "sw.jones csc practitioner" "yj.lee yjs practitioner"; do
    set -- $u
    printf '%s\n' "$PW" | "$PATHWAY" user add "$1" --agency "$2" --role "$3" --name "Test $1" \
        --password-stdin >/dev/null || die "user add $1"
done
printf '%s\n' '{"type":"allocation.changed","id":"a-web","at":"2025-06-01","agency":"csc","child":"p-lily-h","user":"sw.jones","role":"allocated_worker","since":"2025-06-01"}' |
    "$PATHWAY" record --as sw.jones - >/dev/null || die "allocate"

ASSETS=$(dirname "$PATHWAY")/web
[ -f "$ASSETS/app.css" ] || die "no built assets in $ASSETS (make builds them)"
"$PATHWAY" serve --listen 127.0.0.1:0 --threads 2 --assets "$ASSETS" >"$WORK/serve.out" 2>"$WORK/serve.err" &
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

req() { # path [curl args]: $status, $out (body), headers in $WORK/h
    local path=$1
    shift
    status=$(curl -s -o "$WORK/body" -D "$WORK/h" -w '%{http_code}' "$@" "$BASE$path" 2>/dev/null)
    out=$(cat "$WORK/body")
    rc=$status
}
expect_status() {
    if [ "$status" = "$1" ]; then ok; else bad "$2: status $status, expected $1"; fi
}
header_has() {
    if grep -qi "$1" "$WORK/h"; then ok; else bad "$2: no header matching '$1'"; fi
}

# --- Signed out: the sign-in page, and every other page sends you there -----------------------
req /sign-in
expect_status 200 "the sign-in page"
header_has "^Content-Type: text/html; charset=utf-8" "a page is HTML"
header_has "^Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'" "the pages' CSP"
header_has "form-action 'self'; frame-ancestors 'none'" "forms post only here; never framed"
header_has "^Cache-Control: no-store" "a page is never cached"
header_has "^X-Content-Type-Options: nosniff" "nosniff"
expect_out '<label class="govuk-label" for="user">Username</label>' "labelled fields"
for path in /work /people /children/p-lily-h /children/p-lily-h/break-glass /children/p-lily-h/seen-by; do
    req "$path"
    expect_status 303 "$path signed out"
    header_has "^Location: /sign-in" "$path sends you to sign in"
done
req /no/such/page
expect_status 404 "an unknown page"
expect_out "Page not found" "says so"
req /assets/app.css
expect_status 200 "the stylesheet"
header_has "^Content-Type: text/css" "as CSS"
header_has "^Cache-Control: public, max-age=3600" "assets may be cached"
if grep -q "GDS Transport" "$WORK/body"; then bad "the GDS Transport typeface is for gov.uk only"; else ok; fi
req /assets/app.js
header_has "^Content-Type: text/javascript" "the script"
req /assets/../../etc/passwd
[ "${status:0:1}" = 4 ] && ok || bad "a path out of the assets: $status"
req /assets/nothing.css
expect_status 404 "an asset that is not there"

# --- Signing in ------------------------------------------------------------------------------
req /sign-in -X POST --data-urlencode "user=sw.jones" --data-urlencode "password=wrong password" -c "$WORK/jar"
expect_status 401 "a wrong password"
expect_out 'govuk-error-summary' "the error summary"
expect_out 'value="sw.jones"' "the username kept"
if [[ "$out" == *"wrong password"* ]]; then bad "the password is sent back"; else ok; fi
req /sign-in -X POST --data-urlencode "user=sw.jones" --data-urlencode "password=$PW" -H "Sec-Fetch-Site: cross-site"
expect_status 403 "a sign-in form from another site"
req /sign-in -X POST --data-urlencode "user=sw.jones" --data-urlencode "password=$PW" -H "Sec-Fetch-Site: same-origin" -c "$WORK/jar"
expect_status 303 "signed in"
header_has "^Location: /work" "to my work"
header_has '^Set-Cookie: pw_session=[0-9a-f]\{32\}; Path=/; HttpOnly; SameSite=Strict' "cookie flags"

# --- Signed in ---------------------------------------------------------------------------------
req /work -b "$WORK/jar"
expect_status 200 "my work"
expect_out "<h1 class=\"govuk-heading-l\">My work</h1>" "its heading"
CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$WORK/body" | head -1)
[ ${#CSRF} -eq 32 ] && ok || bad "forms carry the CSRF token"
req /children/p-lily-h -b "$WORK/jar"
expect_status 200 "Lily's record"
expect_out "Lily Hart" "by name"
expect_out 'class="app-chart__svg"' "the picture of concern drawn"
expect_out 'class="app-genogram__svg"' "the genogram drawn"
expect_out "Dean Cole" "the people around her by name"
"$PATHWAY" audit verify >/dev/null && ok || bad "the access log still verifies"

# Escaped: what someone typed comes back as text, never markup.
req "/people?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E" -b "$WORK/jar"
expect_out '&lt;script&gt;alert(1)&lt;/script&gt;' "a search for markup is escaped back"
if [[ "$out" == *"<script>alert(1)"* ]]; then bad "markup reflected"; else ok; fi

# A refused record and a record that does not exist answer alike.
req /sign-in -X POST --data-urlencode "user=yj.lee" --data-urlencode "password=$PW" -c "$WORK/yj"
req /children/p-lily-h -b "$WORK/yj"
expect_status 404 "a record the user may not read"
refused=$out
req /children/p-nobody-here -b "$WORK/yj"
expect_status 404 "a record that does not exist"
[ "${out//p-nobody-here/X}" = "${refused//p-lily-h/X}" ] && ok || bad "refused and missing differ"
expect_out "Break the glass" "the way in for an emergency"

# Forms: CSRF, and nothing recorded from a refused form.
req /children/p-lily-h/break-glass -X POST -b "$WORK/yj" --data-urlencode "reason=a reason of some length here" --data-urlencode "hours=2"
expect_status 403 "a form without its CSRF token"
YJ=$(curl -s -b "$WORK/yj" "$BASE/work" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
req /children/p-lily-h/break-glass -X POST -b "$WORK/yj" --data-urlencode "csrf=$YJ" --data-urlencode "reason=too short" --data-urlencode "hours=99"
expect_status 400 "a break-glass form with two mistakes"
expect_out 'href="#reason"' "the summary links to the reason"
expect_out 'href="#hours"' "and to the hours"
expect_out '>too short</textarea>' "the reason typed is kept"
expect_out 'value="99"' "the hours typed are kept"
req /children/p-lily-h/break-glass -X POST -b "$WORK/yj" --data-urlencode "csrf=$YJ" --data-urlencode "reason=The school rang about a disclosure this morning" --data-urlencode "hours=2"
expect_status 303 "break-glass"
req /children/p-lily-h -b "$WORK/yj"
expect_status 200 "the record opens after break-glass"
expect_out "breaking the glass" "with the warning that it is reported"

# Sign-out ends the session.
req /sign-out -X POST -b "$WORK/jar" --data-urlencode "csrf=$CSRF"
expect_status 303 "signed out"
req /work -b "$WORK/jar"
expect_status 303 "the old cookie no longer signs in"

finish
