#!/usr/bin/env bash
# Checks the build cannot: SQL only in src/store/, layering by #include, every source file
# opening with a design comment, and the house format (clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

fail() {
    echo "lint: $*" >&2
    status=1
}

# SQL text belongs in src/store/ (style.md). Look for statements in string literals elsewhere.
if grep -rnE '"[[:space:]]*(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE TABLE|DROP TABLE)\b' \
    src --include='*.c' --include='*.h' | grep -v '^src/store/'; then
    fail "SQL outside src/store/ (above)"
fi

# Dependencies point one way: core <- model <- store <- pathway <- rules <- cli; store <- link;
# model <- feed <- synth; cli uses them all.
check_layer() {
    local module=$1
    shift
    for banned in "$@"; do
        if grep -rn "#include \"$banned/" "src/$module" 2>/dev/null; then
            fail "src/$module must not include $banned/ (above)"
        fi
    done
}
check_layer core model store pathway rules cli web
check_layer model store pathway rules cli web
check_layer store pathway rules cli web
check_layer pathway rules cli web
check_layer rules cli web
check_layer link pathway rules cli feed synth web
check_layer feed pathway rules cli link synth http access web
check_layer synth pathway rules cli link http access web
check_layer access cli feed synth web
check_layer http cli feed synth web
check_layer web cli feed synth

# Every source file says what it is for, at the top.
# Files git tracks and new ones it does not ignore, so a new file is checked before its commit.
tracked() {
    git ls-files --cached --others --exclude-standard "$@" 2>/dev/null
}

for f in $(tracked 'src/*.c' 'src/*.h' || find src -name '*.[ch]'); do
    if ! head -n 3 "$f" | grep -q '/\*'; then
        fail "$f does not open with a comment saying what it is for"
    fi
done

if command -v clang-format >/dev/null 2>&1; then
    files=$(tracked 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]' || true)
    if [ -n "$files" ] && ! clang-format --dry-run --Werror $files >/dev/null 2>&1; then
        report=$(clang-format --dry-run $files 2>&1 | grep -E '^[^ ].*(warning|error)' || true)
        printf '%s\n' "$report" | sed -n '1,20p' >&2
        fail "files not in the house format: run make format"
    fi
fi

exit $status
