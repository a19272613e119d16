/*
 * The feed formats as data: for each agency's extract, its columns and what each means in the
 * model, with how that column writes dates and sex. docs/feeds.md documents the same tables;
 * a new format is a new table here.
 */
#include <string.h>

#include "feed/feed_int.h"

/* Sex codes, matched without regard to case. */
static const struct pw__sexcode sex_words[] = {
    { "male", "male" },
    { "female", "female" },
    { "unknown", "unknown" },
    { NULL, NULL },
};
static const struct pw__sexcode sex_mfu[] = {
    { "M", "male" },
    { "F", "female" },
    { "U", "unknown" },
    { NULL, NULL },
};
static const struct pw__sexcode sex_nhs[] = {
    { "1", "male" },    { "2", "female" }, { "9", "indeterminate" },
    { "0", "unknown" }, { NULL, NULL },
};
static const struct pw__sexcode sex_mf[] = {
    { "M", "male" },
    { "F", "female" },
    { NULL, NULL },
};
static const struct pw__sexcode sex_probation[] = {
    { "Male", "male" },
    { "Female", "female" },
    { NULL, NULL },
};
/* The generic format takes any of the codes above. */
static const struct pw__sexcode sex_any[] = {
    { "male", "male" },
    { "female", "female" },
    { "unknown", "unknown" },
    { "M", "male" },
    { "F", "female" },
    { "U", "unknown" },
    { "1", "male" },
    { "2", "female" },
    { "9", "indeterminate" },
    { "0", "unknown" },
    { "indeterminate", "indeterminate" },
    { NULL, NULL },
};

static const struct pw__column csc_cols[] = {
    { .name = "person_id", .field = PW__F_ID, .required = true },
    { .name = "first_name", .field = PW__F_GIVEN },
    { .name = "middle_names", .field = PW__F_MIDDLE },
    { .name = "last_name", .field = PW__F_FAMILY },
    { .name = "known_as", .field = PW__F_KNOWN_AS },
    { .name = "dob", .field = PW__F_DOB, .date = PW_FEED_DATE_ISO },
    { .name = "gender", .field = PW__F_SEX, .sex = sex_words },
    { .name = "ethnicity", .field = PW__F_ETHNICITY },
    { .name = "language", .field = PW__F_LANGUAGE },
    { .name = "address_line1", .field = PW__F_LINE1 },
    { .name = "town", .field = PW__F_TOWN },
    { .name = "postcode", .field = PW__F_POSTCODE },
    { .name = "address_since", .field = PW__F_SINCE, .date = PW_FEED_DATE_ISO },
    { .name = "nhs_number", .field = PW__F_NHS },
    { .name = NULL, .field = PW__F_NONE },
};

static const struct pw__column police_cols[] = {
    { .name = "nominal_id", .field = PW__F_ID, .required = true },
    { .name = "surname", .field = PW__F_FAMILY },
    { .name = "forenames", .field = PW__F_GIVEN },
    { .name = "dob", .field = PW__F_DOB, .date = PW_FEED_DATE_DMY },
    { .name = "sex", .field = PW__F_SEX, .sex = sex_mfu },
    { .name = "address", .field = PW__F_LINE1 },
    { .name = "postcode", .field = PW__F_POSTCODE },
    { .name = "pnc_id", .field = PW__F_PNC },
    { .name = NULL, .field = PW__F_NONE },
};

static const struct pw__column health_cols[] = {
    { .name = "patient_id", .field = PW__F_ID, .required = true },
    { .name = "nhs_number", .field = PW__F_NHS },
    { .name = "given_name", .field = PW__F_GIVEN },
    { .name = "family_name", .field = PW__F_FAMILY },
    { .name = "date_of_birth", .field = PW__F_DOB, .date = PW_FEED_DATE_ISO },
    { .name = "sex", .field = PW__F_SEX, .sex = sex_nhs },
    { .name = "address_line1", .field = PW__F_LINE1 },
    { .name = "town", .field = PW__F_TOWN },
    { .name = "postcode", .field = PW__F_POSTCODE },
    { .name = NULL, .field = PW__F_NONE },
};

static const struct pw__column education_cols[] = {
    { .name = "pupil_id", .field = PW__F_ID, .required = true },
    { .name = "upn", .field = PW__F_UPN },
    { .name = "legal_forename", .field = PW__F_GIVEN },
    { .name = "preferred_forename", .field = PW__F_KNOWN_AS },
    { .name = "legal_surname", .field = PW__F_FAMILY },
    { .name = "dob", .field = PW__F_DOB, .date = PW_FEED_DATE_DMY },
    { .name = "sex", .field = PW__F_SEX, .sex = sex_mf },
    { .name = "address", .field = PW__F_LINE1 },
    { .name = "postcode", .field = PW__F_POSTCODE },
    { .name = "school", .field = PW__F_SCHOOL },
    { .name = NULL, .field = PW__F_NONE },
};

static const struct pw__column probation_cols[] = {
    { .name = "crn", .field = PW__F_ID, .required = true },
    { .name = "first_name", .field = PW__F_GIVEN },
    { .name = "surname", .field = PW__F_FAMILY },
    { .name = "date_of_birth", .field = PW__F_DOB, .date = PW_FEED_DATE_ISO },
    { .name = "gender", .field = PW__F_SEX, .sex = sex_probation },
    { .name = "pnc_number", .field = PW__F_PNC },
    { .name = "address", .field = PW__F_LINE1 },
    { .name = "postcode", .field = PW__F_POSTCODE },
    { .name = NULL, .field = PW__F_NONE },
};

/* The generic format's dob column takes --dob-format; PW__DATE_OPT marks it. */
static const struct pw__column generic_cols[] = {
    { .name = "record_id", .field = PW__F_ID, .required = true },
    { .name = "given_names", .field = PW__F_GIVEN },
    { .name = "family_name", .field = PW__F_FAMILY },
    { .name = "known_as", .field = PW__F_KNOWN_AS },
    { .name = "dob", .field = PW__F_DOB, .date = PW_FEED_DATE_ISO, .date_opt = true },
    { .name = "dob_year", .field = PW__F_DOB_Y },
    { .name = "dob_month", .field = PW__F_DOB_M },
    { .name = "dob_day", .field = PW__F_DOB_D },
    { .name = "sex", .field = PW__F_SEX, .sex = sex_any },
    { .name = "ethnicity", .field = PW__F_ETHNICITY },
    { .name = "language", .field = PW__F_LANGUAGE },
    { .name = "address", .field = PW__F_LINE1 },
    { .name = "town", .field = PW__F_TOWN },
    { .name = "postcode", .field = PW__F_POSTCODE },
    { .name = "since", .field = PW__F_SINCE, .date = PW_FEED_DATE_ISO },
    { .name = "nhs", .field = PW__F_NHS },
    { .name = "pnc", .field = PW__F_PNC },
    { .name = "la", .field = PW__F_LA },
    { .name = "upn", .field = PW__F_UPN },
    { .name = "school", .field = PW__F_SCHOOL },
    { .name = NULL, .field = PW__F_NONE },
};

static const struct pw__format formats[] = {
    { "csc", csc_cols, "la" },
    { "police", police_cols, NULL },
    { "health", health_cols, NULL },
    { "education", education_cols, NULL },
    { "probation", probation_cols, "crn" },
    { "generic", generic_cols, NULL },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

size_t
pw_feed_format_count(void)
{
    return NFORMATS;
}

const char *
pw_feed_format_name(size_t i)
{
    return i < NFORMATS ? formats[i].name : NULL;
}

const struct pw__format *
pw__feed_format(const char *name)
{
    for (size_t i = 0; i < NFORMATS; i++) {
        if (strcmp(formats[i].name, name) == 0) {
            return &formats[i];
        }
    }
    return NULL;
}

bool
pw_feed_format_known(const char *name)
{
    return pw__feed_format(name) != NULL;
}
