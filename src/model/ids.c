/*
 * The forms strings must have: ids, agencies, codes, identifier schemes and the identifiers
 * whose check digits catch a mistyped number. A wrong NHS number silently links a child's
 * health record to another child, so its modulus 11 check digit is verified, not trusted.
 * Every function reads s[0..n) and never needs a terminator.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "model/model.h"
#include "model/model_int.h"

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool
is_alnum(char c)
{
    return is_digit(c) || is_lower(c) || (c >= 'A' && c <= 'Z');
}

bool
pw_id_valid(const char *s, size_t n)
{
    if (s == NULL || n == 0 || n > PW_ID_MAX || !is_alnum(s[0])) {
        return false;
    }
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!is_alnum(c) && c != '.' && c != '_' && c != ':' && c != '-') {
            return false;
        }
    }
    return true;
}

bool
pw__enum_has(const char *const *values, const char *s, size_t n)
{
    for (size_t i = 0; values[i] != NULL; i++) {
        if (strlen(values[i]) == n && memcmp(values[i], s, n) == 0) {
            return true;
        }
    }
    return false;
}

bool
pw_agency_valid(const char *s)
{
    return s != NULL && pw__enum_has(pw__agencies, s, strlen(s));
}

/* A lower-case word: a letter, then letters, digits and underscores, at most max bytes. */
static bool
lower_word(const char *s, size_t n, size_t max)
{
    if (n == 0 || n > max || !is_lower(s[0])) {
        return false;
    }
    for (size_t i = 1; i < n; i++) {
        if (!is_lower(s[i]) && !is_digit(s[i]) && s[i] != '_') {
            return false;
        }
    }
    return true;
}

bool
pw__code_valid(const char *s, size_t n)
{
    return lower_word(s, n, 64);
}

bool
pw__scheme_valid(const char *s, size_t n)
{
    return lower_word(s, n, 32);
}

bool
pw__nhs_number_valid(const char *s, size_t n)
{
    if (n != 10) {
        return false;
    }
    int sum = 0;
    for (size_t i = 0; i < 10; i++) {
        if (!is_digit(s[i])) {
            return false;
        }
    }
    /* Weights 10 down to 2 over the first nine digits (NHS Data Dictionary, NHS NUMBER). */
    for (size_t i = 0; i < 9; i++) {
        sum += (s[i] - '0') * (int)(10 - i);
    }
    int check = 11 - sum % 11;
    if (check == 11) {
        check = 0;
    }
    /* A check digit of 10 means no valid number has these nine digits. */
    return check != 10 && check == s[9] - '0';
}

bool
pw__uprn_valid(const char *s, size_t n)
{
    if (n == 0 || n > 12) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) {
            return false;
        }
    }
    return true;
}

bool
pw__postcode_valid(const char *s, size_t n)
{
    bool digit = false;
    if (n < 2 || n > 10) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i])) {
            digit = true;
        } else if (!is_alnum(s[i]) && s[i] != ' ') {
            return false;
        }
    }
    return digit;
}
