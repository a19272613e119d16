/*
 * Configuration: every threshold and timescale the pathway and the rules use (config.def),
 * with the design's defaults, overridden by a partnership's file. The file format is plain
 * text, one `key = value` a line, `#` starting a comment; `pathway config --defaults` prints a
 * complete, documented file to start from (docs/pathway.conf is that output). Loading is
 * strict: an unknown key, a repeated key, a value that is not a whole number or is outside the
 * key's range is refused with the line, and nothing is half-applied.
 */
#ifndef PW_PATHWAY_CONFIG_H
#define PW_PATHWAY_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

enum pw_config_key {
#define PW_CONFIG(id, key, def, min, max, unit, what) PW_CFG_##id,
#include "pathway/config.def"
#undef PW_CONFIG
    PW_CFG__COUNT
};

struct pw_config {
    int value[PW_CFG__COUNT];
    bool from_file[PW_CFG__COUNT]; /* set by the file, not the default */
    char path[512];                /* the file loaded, "" for defaults only */
};

/** Fills c with the design's defaults. */
void pw_config_defaults(struct pw_config *c);

/**
 * Loads the file at path over the defaults. On failure (PW_EIO when it cannot be read,
 * PW_EINVAL naming the line and key when it is wrong) c holds the defaults, untouched by the
 * file. Text is parsed from memory by pw_config_parse, which this calls.
 */
PW_MUSTCHECK enum pw_status pw_config_load(struct pw_config *c, const char *path,
                                           struct pw_error *err);
PW_MUSTCHECK enum pw_status pw_config_parse(struct pw_config *c, const char *text, size_t len,
                                            struct pw_error *err);

/** The value of key k. */
int pw_config_get(const struct pw_config *c, enum pw_config_key k);

/** The key's name ("r03.threshold"), default, range, unit and description. Borrowed. */
const char *pw_config_name(enum pw_config_key k);
int pw_config_default(enum pw_config_key k);
const char *pw_config_unit(enum pw_config_key k);
const char *pw_config_about(enum pw_config_key k);

/**
 * Writes a complete configuration file: every key with its description, unit, range and the
 * value in c. With only_changed, only the keys the file set.
 */
void pw_config_write(const struct pw_config *c, FILE *out, bool only_changed);

#endif
