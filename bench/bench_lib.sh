# Shared by bench/bench_index.sh and bench/bench_server.sh (sourced, not run): options,
# finding the programs of the build tree, and the generated corpus cache.
#
# Variables: BUILD (build tree, default: the current directory), WORK (where corpora,
# indexes and results go, default: $BUILD/bench/work), DOCS, SEED.

bench_die() { echo "$(basename "$0"): $*" >&2; exit 1; }

bench_defaults() {
    BUILD=${ZHS_BUILD:-$PWD}
    WORK=${BENCH_DIR:-$BUILD/bench/work}
    DOCS=16000
    SEED=1
}

# bench_program NAME PATH: the program at $BUILD/PATH, or the one named by $ZHS_<NAME>.
bench_program() {
    local var="ZHS_$1" path
    path=${!var:-$BUILD/$2}
    [ -x "$path" ] || bench_die "$path not found: run 'make bench' in the build tree" \
        "(or set BUILD=the build tree, or $var=the program)"
    echo "$path"
}

# Generates (once per DOCS/SEED) the corpus in $CORPUS and its manifest in $MANIFEST.
bench_corpus() {
    local gen
    gen=$(bench_program GEN_CORPUS bench/gen_corpus)
    CORPUS=$WORK/corpus-$SEED-$DOCS
    MANIFEST=$WORK/manifest-$SEED-$DOCS.tsv
    if [ ! -f "$CORPUS.done" ]; then
        rm -rf "$CORPUS" "$MANIFEST"
        mkdir -p "$WORK"
        echo "generating $DOCS documents (seed $SEED) in $CORPUS" >&2
        "$gen" --docs "$DOCS" --seed "$SEED" --out "$CORPUS" --manifest "$MANIFEST"
        touch "$CORPUS.done"
    fi
    CORPUS_BYTES=$(find -H "$CORPUS" -type f -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s}')
    PASSAGES=$(grep -c '^P' "$MANIFEST")
}

# Seconds since the epoch, with fractions.
bench_clock() { date +%s.%N; }
