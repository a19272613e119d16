/*
 * Inside the synthetic partnership: the name pools by heritage and the places (names.c) that
 * the generator (synth.c) draws from.
 */
#ifndef PW_SYNTH_SYNTH_INT_H
#define PW_SYNTH_SYNTH_INT_H

#include <stddef.h>

#include "synth/synth.h"

/* A given name with its usual short form ("William|Will"), or none ("Aisha"). */
struct pw__heritage {
    const char *name;      /* "White British" */
    const char *ethnicity; /* CIN census code: WBRI, APKN, BAFR... */
    const char *language;  /* first language most often recorded */
    unsigned weight;       /* share of families, in percent */
    const char *const *male;
    const char *const *female;
    const char *const *family;
};

extern const struct pw__heritage pw__heritages[];
extern const size_t pw__heritage_count;

/* A town and the postcode area its addresses use. */
struct pw__town {
    const char *name;
    const char *area; /* "LS" */
};

extern const struct pw__town pw__towns[];
extern const size_t pw__town_count;
extern const char *const pw__streets[];
extern const char *const pw__school_words[];

/* Number of entries in a NULL-terminated list. */
size_t pw__synth_count(const char *const *list);

#endif
