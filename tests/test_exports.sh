#!/bin/sh
# libzhsearch must export the public zhs_ API and nothing else: no C++ symbol of the
# Xapian wrapper (nor of libstdc++ templates it instantiates) may leak out.
lib=lib/.libs/libzhsearch.so
if [ ! -f "$lib" ]; then
    echo "SKIP: $lib not built (static-only build?)"
    exit 77
fi
syms=$(nm -D --defined-only "$lib" | awk '{print $NF}') || exit 99
[ -n "$syms" ] || { echo "FAIL: nm found no dynamic symbols in $lib"; exit 1; }
leaks=$(printf '%s\n' "$syms" | grep -v '^zhs_')
if [ -n "$leaks" ]; then
    echo "FAIL: $lib exports symbols outside the zhs_ API:"
    printf '%s\n' "$leaks" | head -20
    exit 1
fi
# The functions of each public header must all be there.
for fn in zhs_status_str zhs_error_set zhs_db_open zhs_wdb_open zhs_xdoc_new \
          zhs_query_term zhs_enquire_get_mset zhs_enquire_facet_counts zhs_mset_item \
          zhs_decode zhs_document_parse zhs_document_load zhs_document_to_json; do
    printf '%s\n' "$syms" | grep -qx "$fn" || { echo "FAIL: $fn is not exported"; exit 1; }
done
echo "PASS: $(printf '%s\n' "$syms" | wc -l) symbols, all zhs_"
