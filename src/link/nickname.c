/*
 * The nickname table: which given names are the same name (Bill and William, Peggy and
 * Margaret, Mohammed and Muhammad). It is data, data/nicknames.csv, embedded into the binary at
 * build time so a deployed Pathway compares names as it was tested. Built once, on first use,
 * then only read, so lookups from the comparison threads need no lock.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/strmap.h"
#include "link/internal.h"

extern const unsigned char pw__nicknames_csv[];
extern const size_t pw__nicknames_csv_len;

/* A name's groups: the strmap value indexes member_groups (count in the low 8 bits). */
static struct pw_strmap names;
static int32_t *member_groups;
static size_t nmember, capmember;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
add_member(const char *name, int32_t group)
{
    int64_t v;
    if (pw_strmap_get(&names, name, &v)) {
        /* A name in several groups: copy its list to the end with the new group added, so
         * each name's groups stay contiguous. Few names are in more than one group. */
        size_t at = (size_t)(v >> 8), cnt = (size_t)(v & 0xFF);
        if (cnt >= PW__LINK_GROUPS_MAX) {
            return;
        }
        for (size_t i = 0; i < cnt; i++) {
            if (member_groups[at + i] == group) {
                return;
            }
        }
        if (nmember + cnt + 1 > capmember) {
            capmember = (nmember + cnt + 1) * 2;
            member_groups = pw_xrealloc(member_groups, pw_mul_size(capmember, sizeof(int32_t)));
        }
        memmove(member_groups + nmember, member_groups + at, cnt * sizeof(int32_t));
        member_groups[nmember + cnt] = group;
        pw_strmap_put(&names, name, (int64_t)((nmember << 8) | (cnt + 1)));
        nmember += cnt + 1;
        return;
    }
    if (nmember + 1 > capmember) {
        capmember = capmember ? capmember * 2 : 1024;
        member_groups = pw_xrealloc(member_groups, pw_mul_size(capmember, sizeof(int32_t)));
    }
    member_groups[nmember] = group;
    pw_strmap_put(&names, name, (int64_t)((nmember << 8) | 1));
    nmember++;
}

static void
build(void)
{
    pw_strmap_init(&names);
    const char *p = (const char *)pw__nicknames_csv;
    const char *end = p + pw__nicknames_csv_len;
    int32_t group = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) {
            eol = end;
        }
        if (*p != '#' && eol > p) {
            const char *f = p;
            bool any = false;
            while (f < eol) {
                const char *comma = memchr(f, ',', (size_t)(eol - f));
                const char *fe = comma ? comma : eol;
                char raw[PW__LINK_NAME], norm[PW__LINK_NAME];
                size_t len = (size_t)(fe - f);
                if (len > 0 && len < sizeof(raw)) {
                    memcpy(raw, f, len);
                    raw[len] = '\0';
                    pw_link_normalise(raw, norm, sizeof(norm));
                    if (norm[0]) {
                        add_member(norm, group);
                        any = true;
                    }
                }
                f = comma ? comma + 1 : eol;
            }
            group += any ? 1 : 0;
        }
        p = eol + 1;
    }
}

size_t
pw__link_nick_groups(const char *name, int32_t *groups, size_t max)
{
    int64_t v;
    (void)pthread_once(&once, build);
    if (!name || !pw_strmap_get(&names, name, &v)) {
        return 0;
    }
    size_t at = (size_t)(v >> 8), cnt = (size_t)(v & 0xFF);
    cnt = cnt > max ? max : cnt;
    memcpy(groups, member_groups + at, cnt * sizeof(int32_t));
    return cnt;
}

bool
pw_link_nickname_equal(const char *a, const char *b)
{
    int32_t ga[PW__LINK_GROUPS_MAX], gb[PW__LINK_GROUPS_MAX];
    if (!a || !b) {
        return false;
    }
    if (strcmp(a, b) == 0) {
        return true;
    }
    size_t na = pw__link_nick_groups(a, ga, PW__LINK_GROUPS_MAX);
    size_t nb = pw__link_nick_groups(b, gb, PW__LINK_GROUPS_MAX);
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            if (ga[i] == gb[j]) {
                return true;
            }
        }
    }
    return false;
}
