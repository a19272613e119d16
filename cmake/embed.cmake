# Turns a data file into a C source holding its bytes, so the data ships inside the binary and
# a deployed pathway always carries the data it was tested with.
#   cmake -DIN=data/x.json -DOUT=gen/x.c -DNAME=pw__x -P cmake/embed.cmake
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
file(WRITE ${OUT}
"/* Generated from ${IN} by cmake/embed.cmake: do not edit. */\n"
"#include <stddef.h>\n"
"const unsigned char ${NAME}[] = {\n    ${bytes}0x00\n};\n"
"const size_t ${NAME}_len = ${size};\n")
