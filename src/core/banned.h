/*
 * Functions Pathway must not call (git's banned.h). This header is force-included into every
 * source file under src/ by the build. It first pulls in the system headers that declare the
 * banned functions, so their include guards are set before the macros below exist, then turns
 * each banned call into a compile error naming the function.
 */
#ifndef PW_CORE_BANNED_H
#define PW_CORE_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PW_BANNED(func) sorry_##func##_is_banned_in_pathway

/* Unbounded copies: use struct pw_buf or memcpy with a checked length. */
#undef strcpy
#define strcpy(...) PW_BANNED(strcpy)
#undef strcat
#define strcat(...) PW_BANNED(strcat)
#undef strncpy
#define strncpy(...) PW_BANNED(strncpy)
#undef strncat
#define strncat(...) PW_BANNED(strncat)
#undef sprintf
#define sprintf(...) PW_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PW_BANNED(vsprintf)
#undef gets
#define gets(...) PW_BANNED(gets)
/* Hidden global state. */
#undef strtok
#define strtok(...) PW_BANNED(strtok)
#undef gmtime
#define gmtime(...) PW_BANNED(gmtime)
#undef localtime
#define localtime(...) PW_BANNED(localtime)
#undef ctime
#define ctime(...) PW_BANNED(ctime)
#undef asctime
#define asctime(...) PW_BANNED(asctime)
/* No error reporting: use strtol/strtoll with end and errno checks. */
#undef atoi
#define atoi(...) PW_BANNED(atoi)
#undef atol
#define atol(...) PW_BANNED(atol)
#undef atoll
#define atoll(...) PW_BANNED(atoll)

#endif
