/* The index schema, written down once: what one Xapian document holds, which term
 * prefixes and value slots exist, and what the document data and database metadata
 * contain. The indexer writes exactly this; the server reads exactly this.
 *
 * One Xapian document per PASSAGE (a non-blank content line of a source file).
 *
 * Terms
 *   (no prefix)   content terms from zhs_tokenize over the normalized passage: Han
 *                 bigrams, the unigram of each run's LAST character only (since
 *                 version 3; a character is found as the prefix of the terms it
 *                 starts, so other unigrams would only repeat the bigrams' postings),
 *                 Latin/digit words; wdf = occurrences; NO positions (adjacency of a
 *                 multi-character word is verified against the passage's match key
 *                 at query time, see search.h).
 *   S             title terms: the analyzer's terms of the document's own title, as
 *                 the content terms are made, on ONE passage of the document (since
 *                 version 7): its title line (a title found in the text is always one
 *                 of its passages), else (a sidecar's title that no line says) its first
 *                 passage. Fragments (no title of their own) carry none. The searcher
 *                 matches them on their own and weights up every passage of the
 *                 documents whose title matches (lib/search.c, title boost). Versions 1
 *                 to 3 wrote them on every passage (a fifth of the build, a tenth of the
 *                 index), versions 4 to 6 not at all.
 *   Q             unique id of the passage: `Q<doc id>#<line_start>` (re-runs never
 *                 duplicate a passage; measured cost: ~7% of the build, 3% of the
 *                 index). There is no line slot: a passage's line is in its data.
 *   XDOC          `XDOC<doc id>`: every passage of a document (for /doc and deletes).
 *   XDEPT         canonical department name, once per department of the passage.
 *   XISSUER       canonical issuer name.
 *   XSEC          section facet value (top-level heading, enumerator stripped).
 *   Y             year `Y2016`, or `Yunknown`.
 *   XH            `XH<16 lower-case hex digits>`: XXH3-64 of the passage's match key
 *                 (zhs_match_key of the normalized passage), to find verbatim copies of
 *                 a passage in other documents (fragments, see index.h).
 *
 * Values
 *   ZHS_SLOT_DATE         `YYYYMMDD` (sorts as a string), empty when unknown.
 *   ZHS_SLOT_YEAR         year as decimal text (`2016`) or `unknown`.
 *   ZHS_SLOT_DOC          the document id (the collapse key for group=doc).
 *   ZHS_SLOT_DEPTS        department names joined by ZHS_VALUE_SEP (multi-valued facet).
 *   ZHS_SLOT_SECTION      section facet value.
 *   ZHS_SLOT_ISSUERS      issuer names joined by ZHS_VALUE_SEP.
 *   ZHS_SLOT_KEY          (versions 2 to 4) the passage's match key. Since version 5
 *                         the keys are made from the stored texts when a reader builds
 *                         its columns (they were 98 MB of 720 on 108 MB of text); the
 *                         exact check reads the key slot where an index has it. Slot 6
 *                         held line_start once: left unused.
 *   ZHS_SLOT_SPAN         `OFFSET,NBYTES` (decimal): where the passage's text stands in
 *                         its document's `text:` record (since version 5).
 *
 *   ZHS_SLOT_DATA         the passage's JSON (below; since version 6).
 *
 * Passage data: compact JSON of the passage, in ZHS_SLOT_DATA since version 6 (the
 * document data before): Xapian deflates every document data entry it writes, a sixth
 * of the build for entries of a hundred bytes; values are stored as they are.
 *   {"doc": id, "line_start": n, "line_end": n, "section": name, "subsection": name,
 *    "departments": [{"name": ..., "role": "lead"|"partner"|"responsible"}],
 *    "offset": n, "nbytes": n}
 *   offset/nbytes as in ZHS_SLOT_SPAN: the original passage text is stored once, in the
 *   document's text. Before version 5, and for a passage whose document does not say
 *   where its text stands, "text": the original passage text instead. Since version 6
 *   line_end is left out when it equals line_start, section and subsection when there
 *   is none (null before), departments when empty.
 *
 * Database metadata (key -> value)
 *   `doc:<id>`    JSON of the document record, packed as the `text:` records are (since
 *                 version 5; plain JSON before): id, file, title, issuer [..],
 *                 doc_number, date, year, url, fragment_of, encoding, npassages,
 *                 outline [{heading, name, level, line_start, line_end}];
 *                 also `indexed` (passages indexed under this id: npassages minus those
 *                 left out because fragment_of holds them), `passage_bytes` (bytes of
 *                 all passage texts) and `inherited` (names of the fields taken from
 *                 fragment_of: "title", "issuer", "date", "year").
 *                 year is a number or null; missing strings are null.
 *   `text:<id>`   the whole decoded UTF-8 text of the document (for /doc/{id}, and the
 *                 passages' texts since version 5), since
 *                 version 2 deflated (0xFF, the length as 4 bytes little-endian, the
 *                 zlib stream; or the text itself when that is not smaller: version 1
 *                 stored it so, and readers take both).
 *   `file:<path>` the indexed source file's state: JSON {"path", "id", "size", "mtime",
 *                 "hash", "sidecar"}: mtime in nanoseconds since the epoch, hash 16 hex
 *                 digits (XXH3-64 of the file bytes followed by the sidecar's), sidecar
 *                 null or {"size", "mtime"} of `NAME.meta.json` (incremental indexing
 *                 compares it; deleted files are found by it). A path too long for a key
 *                 is stored as `file:#<16 hex digits of XXH3-64 of the path>`; the JSON
 *                 "path" is authoritative.
 *   `zhs:schema`  ZHS_SCHEMA_VERSION as decimal text (a writer updating an older
 *                 index sets it).
 *   `zhs:deleted` the passages deleted since the index was built, as ascending docids
 *                 coded as varint gaps (since version 4: indexes are written without
 *                 termlists, which Xapian needs to delete a document; readers skip
 *                 these, a rebuild leaves them out, see lib/xapian_tombstones.cc).
 *                 Absent when none is. */
#ifndef ZHSEARCH_SCHEMA_H
#define ZHSEARCH_SCHEMA_H

#define ZHS_SCHEMA_VERSION 7
/* The oldest version still read and updated (version 1: plain `text:` records). */
#define ZHS_SCHEMA_OLDEST 1

#define ZHS_PREFIX_TITLE   "S"
#define ZHS_PREFIX_ID      "Q"
#define ZHS_PREFIX_DOC     "XDOC"
#define ZHS_PREFIX_DEPT    "XDEPT"
#define ZHS_PREFIX_ISSUER  "XISSUER"
#define ZHS_PREFIX_SECTION "XSEC"
#define ZHS_PREFIX_YEAR    "Y"
#define ZHS_PREFIX_HASH    "XH"

#define ZHS_YEAR_UNKNOWN   "unknown"

enum {
    ZHS_SLOT_DATE = 0,
    ZHS_SLOT_YEAR = 1,
    ZHS_SLOT_DOC = 2,
    ZHS_SLOT_DEPTS = 3,
    ZHS_SLOT_SECTION = 4,
    ZHS_SLOT_ISSUERS = 5,
    ZHS_SLOT_KEY = 7,
    ZHS_SLOT_SPAN = 8,
    ZHS_SLOT_DATA = 9,
};

/* Separates the values of a multi-valued slot (ASCII unit separator). */
#define ZHS_VALUE_SEP '\x1f'

#define ZHS_META_DOC     "doc:"
#define ZHS_META_TEXT    "text:"
#define ZHS_META_FILE    "file:"
#define ZHS_META_SCHEMA  "zhs:schema"
#define ZHS_META_DELETED "zhs:deleted"
/* The thesaurus text the synonym table was last filled from (zhs_index_set_thesaurus). */
#define ZHS_META_THESAURUS "zhs:thesaurus"

#endif
