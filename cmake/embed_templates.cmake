# Turns every page template in DIR (*.html) into one C source holding their text, named by file
# name without ".html", so a deployed pathway always serves the templates it was tested with.
#   cmake -DDIR=src/web/templates -DOUT=gen/templates_data.c -P cmake/embed_templates.cmake
file(GLOB files ${DIR}/*.html)
list(SORT files)
set(arrays "")
set(table "")
set(i 0)
foreach(f ${files})
    get_filename_component(name ${f} NAME_WE)
    file(READ ${f} hex HEX)
    string(LENGTH "${hex}" hex_len)
    math(EXPR size "${hex_len} / 2")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
    string(APPEND arrays "static const unsigned char t${i}[] = {\n    ${bytes}0x00\n};\n")
    string(APPEND table "    { \"${name}\", (const char *)t${i}, ${size} },\n")
    math(EXPR i "${i} + 1")
endforeach()
file(WRITE ${OUT}
"/* Generated from ${DIR} by cmake/embed_templates.cmake: do not edit. */\n"
"#include \"web/web_int.h\"\n"
"${arrays}"
"const struct pw__web_template_src pw__web_templates[] = {\n${table}};\n"
"const size_t pw__web_templates_count = ${i};\n")
