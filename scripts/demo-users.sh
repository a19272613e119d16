#!/usr/bin/env bash
# Demo accounts for `make run`, one for each kind of person who uses Pathway, each with a new
# random password printed once here (nowhere else: Pathway keeps only its Argon2id hash). The
# social worker is allocated to Lily Hart (examples/partnership.jsonl), so she can read Lily's
# record as her allocated worker; the others read what their role and agency allow
# (docs/access.md).
#   scripts/demo-users.sh DB
set -euo pipefail
db=${1:?usage: scripts/demo-users.sh DB}
pathway=${PATHWAY:-build/pathway}

# user agency role name
accounts=(
    "sw.demo|csc|practitioner|Sam Walker, social worker"
    "tm.demo|csc|manager|Tara Mensah, team manager"
    "fd.demo|csc|front_door|Femi Dada, front door"
    "dc.demo|police|practitioner|DC Jo Price, child abuse investigation"
    "nurse.demo|health|practitioner|Niamh Byrne, school nurse"
    "dl.demo|other|data_lead|Dev Lal, partnership data lead"
    "admin.demo|other|administrator|Ada Moss, administrator"
)

password() {
    # 18 characters from the system's CSPRNG (letters and digits only: easy to type; 512
    # random bytes hold far more than 18 of them).
    head -c 512 /dev/urandom | tr -dc 'A-Za-z0-9' | cut -c1-18
}

echo "Demo accounts (passwords shown once; sign in at /sign-in, or POST /api/session):"
for a in "${accounts[@]}"; do
    IFS='|' read -r user agency role name <<<"$a"
    pw=$(password)
    printf '%s\n' "$pw" | "$pathway" --db "$db" user add "$user" --agency "$agency" \
        --role "$role" --name "$name" --password-stdin >/dev/null
    printf '  %-11s %-40s %-13s password %s\n' "$user" "$name" "$role" "$pw"
done

# Sam is Lily's allocated social worker from today.
today=$(date +%F)
printf '{"type":"allocation.changed","id":"demo-alloc-lily","at":"%s","agency":"csc","child":"p-lily-h","user":"sw.demo","role":"allocated_worker","since":"%s"}\n' \
    "$today" "$today" | "$pathway" --db "$db" record --as tm.demo - >/dev/null
