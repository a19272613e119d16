# make run's demo accounts (scripts/demo-users.sh): one account of each kind, a password
# printed once and usable, the social worker allocated to Lily Hart so the policy lets her read
# Lily's record as her allocated worker, and the police officer not (no involvement of his).
. "$(dirname "$0")/lib.sh"

"$PATHWAY" init >/dev/null
"$PATHWAY" record "$PW_SOURCE/examples/partnership.jsonl" >/dev/null ||
    die "the example partnership does not record"
out=$(PATHWAY="$PATHWAY" bash "$PW_SOURCE/scripts/demo-users.sh" "$PATHWAY_DB" 2>"$WORK/stderr")
rc=$?
errs=$(cat "$WORK/stderr")
expect_rc 0 "the demo accounts are made"
for user in sw.demo tm.demo fd.demo dc.demo nurse.demo dl.demo admin.demo; do
    expect_out "  $user " "$user is listed with its password"
done
pw=$(printf '%s\n' "$out" | awk '$1 == "sw.demo" { print $NF }')
if [ "${#pw}" -eq 18 ]; then ok; else bad "the password printed has 18 characters: '${#pw}'"; fi

run user list
expect_out "sw.demo" "the accounts are users"
run access check sw.demo p-lily-h
expect_out "basis: allocated" "Sam reads Lily's record as her allocated worker"
run access check admin.demo p-lily-h
expect_out "read_record p-lily-h: refused" "the administrator reads no case records"
finish
