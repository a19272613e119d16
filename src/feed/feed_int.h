/*
 * Inside the feed module: the shape of a format table (formats.c) that the reader (read.c)
 * walks.
 */
#ifndef PW_FEED_FEED_INT_H
#define PW_FEED_FEED_INT_H

#include "feed/feed.h"

/* What a column holds, in the model's terms. */
enum pw__feed_field {
    PW__F_NONE,
    PW__F_ID,       /* the agency's record id */
    PW__F_GIVEN,    /* given name(s) of the birth (legal) name */
    PW__F_MIDDLE,   /* middle names: appended to the given name */
    PW__F_FAMILY,   /* family name */
    PW__F_KNOWN_AS, /* a preferred or known-as given name */
    PW__F_DOB,      /* a whole date of birth */
    PW__F_DOB_Y,    /* parts of a date of birth */
    PW__F_DOB_M,
    PW__F_DOB_D,
    PW__F_SEX,
    PW__F_ETHNICITY,
    PW__F_LANGUAGE,
    PW__F_LINE1, /* first line of the address (or the whole address on one line) */
    PW__F_TOWN,
    PW__F_POSTCODE,
    PW__F_SINCE, /* when they came to live at the address */
    PW__F_NHS,
    PW__F_PNC,
    PW__F_UPN,
    PW__F_LA,
    PW__F_SCHOOL,
    PW__F_COUNT
};

/* A code a sex column may hold and the model's value for it. */
struct pw__sexcode {
    const char *code;
    const char *value;
};

struct pw__column {
    const char *name;
    enum pw__feed_field field;
    bool required;
    enum pw_feed_datefmt date;
    bool date_opt; /* the date format comes from the options (generic dob) */
    const struct pw__sexcode *sex;
};

struct pw__format {
    const char *name;
    const struct pw__column *columns; /* ends with a NULL name */
    /* The identifier scheme the record id itself is, in other systems ("la"), or NULL. */
    const char *id_scheme;
};

/* The format called name, or NULL. */
const struct pw__format *pw__feed_format(const char *name);

#endif
