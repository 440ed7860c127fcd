/* The search page: reads the state from the URL, asks the JSON API (/search, /doc/{id},
 * /stats) and renders results, facets, chips and the document view. Plain browser
 * JavaScript without a build step; every API string reaches the DOM as text, except the
 * <mark> tags of snippets, which are rebuilt as elements (never through innerHTML). */
'use strict';

(function () {

const PAGE_SIZE = 10;
const MORE_LIMIT = 100;            /* passages asked for when a hit's `more` is expanded */
const FACET_SHOWN = 8;             /* values shown per facet before "more" */
const FILTERS = [                  /* URL/API parameter, facet name in responses, label */
    { param: 'dept', facet: 'department', label: '部门' },
    { param: 'year', facet: 'year', label: '年份' },
    { param: 'section', facet: 'section', label: '章节' },
];
const SORTS = [
    { value: 'relevance', label: '相关度' },
    { value: 'date', label: '最新' },
    { value: 'date_asc', label: '最早' },
];
const ROLES = { lead: '牵头', partner: '参与', responsible: '责任单位' };

const $ = (sel) => document.querySelector(sel);
const view = {
    form: $('#search-form'), input: $('#q'), main: $('#main'),
    search: $('#search-view'), status: $('#status'), sort: $('#sort'),
    chips: $('#chips'), facets: $('#facets'), results: $('#results'),
    facetToggle: $('#facet-toggle'),
    doc: $('#doc-view'),
};

/* ------------------------------------------------------------------ page state <-> URL */

function readState(search) {
    const p = new URLSearchParams(search);
    const s = {
        q: p.get('q') || '',
        sort: SORTS.some((o) => o.value === p.get('sort')) ? p.get('sort') : 'relevance',
        page: Math.max(1, parseInt(p.get('page'), 10) || 1),
        doc: p.get('doc') || '',
        line: Math.max(0, parseInt(p.get('line'), 10) || 0),
    };
    for (const f of FILTERS) s[f.param] = p.getAll(f.param).filter((v) => v !== '');
    return s;
}

/* The page URL for a state; defaults are left out so URLs stay short and stable. */
function stateHref(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    for (const f of FILTERS) for (const v of s[f.param]) p.append(f.param, v);
    if (s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.page > 1) p.set('page', String(s.page));
    if (s.doc) p.set('doc', s.doc);
    if (s.doc && s.line) p.set('line', String(s.line));
    const qs = p.toString();
    return qs ? '?' + qs : location.pathname;
}

function withState(s, changes) {
    return Object.assign({}, s, changes);
}

function hasFilters(s) {
    return FILTERS.some((f) => s[f.param].length > 0);
}

/* ------------------------------------------------------------------ API */

class ApiError extends Error {
    /* kind: 'api' (the API answered with its error object), 'http' (an answer that is not
     * the API's JSON), 'network' (no answer at all). */
    constructor(kind, message, status, code) {
        super(message);
        this.kind = kind;
        this.status = status || 0;
        this.code = code || '';
    }
}

const cache = new Map();           /* API URL -> JSON, so back/forward render at once */
const CACHE_MAX = 30;

function apiUrl(path, params) {
    const url = new URL(path, document.baseURI);
    for (const [k, v] of params) url.searchParams.append(k, v);
    return url.toString();
}

async function apiGet(path, params, signal) {
    const url = apiUrl(path, params || []);
    if (cache.has(url)) return cache.get(url);
    let res;
    try {
        res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
    } catch (e) {
        if (e.name === 'AbortError') throw e;
        throw new ApiError('network', '无法连接到搜索服务器。');
    }
    let body = null;
    try {
        body = await res.json();
    } catch (e) {
        if (e.name === 'AbortError') throw e;
    }
    if (!res.ok || body === null) {
        if (body && body.error && body.error.message)
            throw new ApiError('api', body.error.message, res.status, body.error.code);
        throw new ApiError('http', `服务器返回 HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}。`, res.status);
    }
    cache.set(url, body);
    if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
    return body;
}

function searchParams(s, extra) {
    const p = [['q', s.q]];
    for (const f of FILTERS) for (const v of s[f.param]) p.push([f.param, v]);
    if (s.sort !== 'relevance') p.push(['sort', s.sort]);
    return p.concat(extra);
}

/* ------------------------------------------------------------------ DOM helpers */

/* h('a', {href: …, class: …}, child…): children are nodes or strings (as text). */
function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v === null || v === undefined || v === false) continue;
        if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const c of children.flat(Infinity)) {
        if (c === null || c === undefined || c === false) continue;
        el.append(c instanceof Node ? c : String(c));
    }
    return el;
}

function clear(el, ...children) {
    el.replaceChildren();
    return append(el, children);
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function unescapeHtml(s) {
    return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, e) => {
        if (e[0] === '#') {
            const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
            return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
        }
        const v = ENTITIES[e.toLowerCase()];
        return v === undefined ? all : v;
    });
}

/* The API's marked text (HTML-escaped text with <mark>…</mark>) as DOM nodes: text
 * between the tags becomes text nodes, so any other markup would show as plain text. */
function markedNodes(s) {
    const out = [];
    let inMark = false;
    for (const part of String(s || '').split(/(<\/?mark>)/i)) {
        const tag = part.toLowerCase();
        if (tag === '<mark>') { inMark = true; continue; }
        if (tag === '</mark>') { inMark = false; continue; }
        if (part === '') continue;
        const text = unescapeHtml(part);
        out.push(inMark ? h('mark', null, text) : document.createTextNode(text));
    }
    return out;
}

/* A link inside the page: a real href (middle-click, copy link), followed with pushState. */
function navLink(s, attrs, ...children) {
    return h('a', Object.assign({ href: stateHref(s), 'data-nav': '' }, attrs), ...children);
}

function facetValueLabel(facet, value) {
    return facet === 'year' && value === 'unknown' ? '日期不详' : value;
}

function formatMs(ms) {
    if (typeof ms !== 'number' || !isFinite(ms)) return '';
    return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

function lineLabel(a, b) {
    return b && b !== a ? `第 ${a}–${b} 行` : `第 ${a} 行`;
}

function joinNodes(items, sep) {
    const out = [];
    items.forEach((it, i) => { if (i) out.push(sep); out.push(it); });
    return out;
}

/* ------------------------------------------------------------------ states shared by both views */

function stateBox(kind, title, ...body) {
    return h('div', { class: `state state-${kind}`, role: kind === 'error' ? 'alert' : null },
        h('p', { class: 'state-title' }, title), ...body);
}

function errorBox(err, retry) {
    if (err.kind === 'network')
        return stateBox('error', '无法连接到搜索服务器 (server unreachable)',
            h('p', null, '请检查 zhsearch-server 是否在运行，网络是否正常，然后重试。'),
            h('button', { type: 'button', class: 'button', onclick: retry }, '重试 Retry'));
    const head = err.kind === 'api' ? '搜索服务返回错误' : '服务器错误';
    return stateBox('error', head,
        h('p', { class: 'error-message' }, err.message),
        err.code ? h('p', { class: 'error-code' }, `${err.code} · HTTP ${err.status}`) : null,
        err.kind !== 'api' ? h('button', { type: 'button', class: 'button', onclick: retry }, '重试 Retry') : null);
}

/* ------------------------------------------------------------------ search view */

function renderSort(s) {
    clear(view.sort, h('span', { class: 'sort-label' }, '排序'),
        SORTS.map((o) => navLink(withState(s, { sort: o.value, page: 1 }),
            { class: 'sort-option', 'aria-current': o.value === s.sort ? 'true' : null }, o.label)));
}

function renderChips(s) {
    const chips = [];
    for (const f of FILTERS) {
        for (const v of s[f.param]) {
            const rest = s[f.param].filter((x) => x !== v);
            const label = `${f.label}：${facetValueLabel(f.facet, v)}`;
            chips.push(navLink(withState(s, { [f.param]: rest, page: 1 }),
                { class: 'chip', 'aria-label': `移除筛选 ${label} (remove filter)`, title: '移除筛选' },
                label, h('span', { class: 'chip-x', 'aria-hidden': 'true' }, '×')));
        }
    }
    if (chips.length > 1) {
        const none = {};
        for (const f of FILTERS) none[f.param] = [];
        chips.push(navLink(withState(s, Object.assign(none, { page: 1 })), { class: 'chip-clear' }, '清除全部筛选'));
    }
    view.chips.hidden = chips.length === 0;
    clear(view.chips, chips);
}

const facetExpanded = new Set();   /* facets whose long list is shown in full */

function renderFacets(s, facets) {
    const groups = [];
    for (const f of FILTERS) {
        let values = (facets && facets[f.facet]) || [];
        const active = s[f.param];
        /* An active value the response no longer lists still shows, so it can be undone. */
        for (const v of active)
            if (!values.some((x) => String(x.value) === v)) values = values.concat([{ value: v, count: 0 }]);
        if (values.length === 0) continue;
        if (f.facet === 'year')
            values = values.slice().sort((a, b) => String(b.value).localeCompare(String(a.value)));
        const expanded = facetExpanded.has(f.facet);
        const shown = expanded ? values : values.filter((x, i) => i < FACET_SHOWN || active.includes(String(x.value)));
        const items = shown.map((x) => {
            const v = String(x.value);
            const on = active.includes(v);
            const next = on ? active.filter((a) => a !== v) : active.concat([v]);
            return h('li', null, navLink(withState(s, { [f.param]: next, page: 1 }),
                { class: 'facet-value', 'aria-pressed': on ? 'true' : 'false', 'data-value': v },
                h('span', { class: 'facet-name' }, facetValueLabel(f.facet, v)),
                h('span', { class: 'facet-count' }, String(x.count))));
        });
        const toggle = values.length > shown.length || expanded && values.length > FACET_SHOWN
            ? h('button', { type: 'button', class: 'facet-more', 'aria-expanded': String(expanded),
                onclick: () => {
                    if (expanded) facetExpanded.delete(f.facet); else facetExpanded.add(f.facet);
                    renderFacets(s, facets);
                    const again = view.facets.querySelector(`[data-facet="${f.facet}"] .facet-more`);
                    if (again) again.focus();
                } }, expanded ? '收起' : `更多 (${values.length - shown.length})`)
            : null;
        groups.push(h('section', { class: 'facet', 'data-facet': f.facet },
            h('h2', { class: 'facet-title' }, f.label),
            h('ul', { class: 'facet-list' }, items), toggle));
    }
    view.facets.hidden = groups.length === 0;
    view.facetToggle.hidden = groups.length === 0;
    clear(view.facets, groups);
}

function docHref(s, id, line) {
    return stateHref(withState(s, { doc: id, line: line || 0 }));
}

function hitMeta(hit) {
    const parts = [];
    if (hit.exact === false) parts.push(h('span', { class: 'near', title: '词中的字相近出现，并非原词' }, '相近'));
    if (hit.issuer && hit.issuer.length) parts.push(h('span', { class: 'issuer' }, [].concat(hit.issuer).join('、')));
    if (hit.doc_number) parts.push(h('span', null, hit.doc_number));
    parts.push(h('span', { class: 'date' }, hit.date || '日期不详'));
    return h('p', { class: 'hit-meta' }, joinNodes(parts, ' · '));
}

function hitWhere(s, hit) {
    const where = [];
    if (hit.section) where.push(h('span', { class: 'section' }, hit.section));
    if (hit.subsection && hit.subsection !== hit.section) where.push(h('span', { class: 'subsection' }, hit.subsection));
    const line = navLink(withState(s, { doc: hit.doc, line: hit.line_start }),
        { class: 'line-link' }, lineLabel(hit.line_start, hit.line_end));
    return h('p', { class: 'hit-where' }, joinNodes(where, ' › '), where.length ? ' · ' : null, line);
}

function hitDepartments(hit) {
    if (!hit.departments || hit.departments.length === 0) return null;
    const byRole = {};
    for (const d of hit.departments) (byRole[d.role] = byRole[d.role] || []).push(d.name);
    return h('p', { class: 'hit-depts' }, joinNodes(Object.keys(byRole).map((r) =>
        h('span', null, h('span', { class: 'role' }, ROLES[r] || r), ' ', byRole[r].join('、'))), '；'));
}

/* A hit's or document's title; an untitled one (a fragment without its header) by its
 * file, said to be untitled rather than shown as a bare id. */
function titleOf(x) {
    return x.title || `（无标题）${x.file || x.doc}`;
}

/* The strings a hit's snippet marks, as the text writes them, longest first. */
function markedStrings(snippet) {
    const found = new Set();
    for (const m of String(snippet || '').matchAll(/<mark>(.*?)<\/mark>/gi)) found.add(unescapeHtml(m[1]));
    return [...found].filter(Boolean).sort((a, b) => b.length - a.length);
}

/* A hit's title with the words its snippet marks marked there too (the document writes
 * them the same way). Not for a near hit: its pieces alone are no match in a title. */
function titleNodes(hit) {
    const title = titleOf(hit);
    if (!hit.title || hit.exact === false) return [title];
    const marks = markedStrings(hit.snippet);
    const out = [];
    let plain = '';
    for (let i = 0; i < title.length;) {
        const m = marks.find((w) => title.startsWith(w, i));
        if (!m) { plain += title[i++]; continue; }
        if (plain) out.push(plain);
        plain = '';
        out.push(h('mark', null, m));
        i += m.length;
    }
    if (plain) out.push(plain);
    return out;
}

function renderHit(s, hit, index) {
    const moreId = `more-${index}`;
    const more = hit.more > 0 ? [
        h('button', { type: 'button', class: 'more-toggle', 'aria-expanded': 'false', 'aria-controls': moreId,
            onclick: (ev) => toggleMore(s, hit, ev.currentTarget, moreId) },
            `本文另有 ${hit.more} 处匹配`),
        h('div', { id: moreId, class: 'more', hidden: true }),
    ] : null;
    return h('li', { class: 'hit', 'data-doc': hit.doc },
        h('h2', { class: 'hit-title' }, navLink(withState(s, { doc: hit.doc, line: hit.line_start }), null,
            titleNodes(hit))),
        hitMeta(hit), hitWhere(s, hit),
        hit.snippet ? h('p', { class: 'snippet' }, markedNodes(hit.snippet)) : null,
        hitDepartments(hit), more);
}

/* A hit's other passages. The API has no document filter, so this asks for the
 * matching passages (group=passage) with the same query and filters, narrowed by the
 * hit's own year and issuers (every passage of a document shares them, so nothing of it
 * is lost), keeps those of the hit's document and shows them in document order. It
 * pages on (MORE_LIMIT per request, at most MORE_PAGES requests) until it has them all. */
const MORE_PAGES = 10;

async function otherPassages(s, hit) {
    const narrow = [];
    if (s.year.length === 0) narrow.push(['year', hit.year ? String(hit.year) : 'unknown']);
    for (const i of hit.issuer || []) narrow.push(['issuer', i]);
    const found = [];
    for (let page = 0; page < MORE_PAGES && found.length < hit.more; page++) {
        const res = await apiGet('search', searchParams(withState(s, { sort: 'relevance' }), narrow.concat([
            ['group', 'passage'], ['facets', 'none'],
            ['offset', String(page * MORE_LIMIT)], ['limit', String(MORE_LIMIT)]])));
        const hits = res.hits || [];
        for (const p of hits)
            if (p.doc === hit.doc && p.line_start !== hit.line_start) found.push(p);
        if ((page + 1) * MORE_LIMIT >= (res.total || 0)) break;
    }
    return found.sort((a, b) => a.line_start - b.line_start);
}

async function toggleMore(s, hit, button, moreId) {
    const box = document.getElementById(moreId);
    const open = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!open));
    box.hidden = open;
    button.textContent = open ? `本文另有 ${hit.more} 处匹配` : '收起其他匹配';
    if (open || box.dataset.loaded) return;
    clear(box, h('p', { class: 'loading' }, '加载中…'));
    try {
        const others = await otherPassages(s, hit);
        box.dataset.loaded = '1';
        if (others.length === 0) { clear(box, h('p', { class: 'muted' }, '没有其他匹配段落。')); return; }
        clear(box, h('ol', { class: 'more-list' }, others.map((p) => h('li', null,
            h('p', { class: 'hit-where' },
                navLink(withState(s, { doc: p.doc, line: p.line_start }), { class: 'line-link' },
                    lineLabel(p.line_start, p.line_end)),
                p.section ? ` · ${p.section}` : null,
                p.subsection && p.subsection !== p.section ? ` › ${p.subsection}` : null),
            p.snippet ? h('p', { class: 'snippet' }, markedNodes(p.snippet)) : null))));
    } catch (e) {
        if (e.name === 'AbortError') return;
        clear(box, errorBox(e, () => {
            button.setAttribute('aria-expanded', 'false');
            toggleMore(s, hit, button, moreId);
        }));
    }
}

function renderPager(s, total) {
    const pages = Math.ceil(total / PAGE_SIZE);
    if (pages <= 1) return null;
    const cur = Math.min(s.page, pages);
    const nums = new Set([1, pages]);
    for (let i = cur - 2; i <= cur + 2; i++) if (i >= 1 && i <= pages) nums.add(i);
    const items = [];
    let last = 0;
    for (const n of [...nums].sort((a, b) => a - b)) {
        if (n - last > 1) items.push(h('li', { class: 'gap', 'aria-hidden': 'true' }, '…'));
        items.push(h('li', null, navLink(withState(s, { page: n }),
            { 'aria-current': n === cur ? 'page' : null, 'aria-label': `第 ${n} 页` }, String(n))));
        last = n;
    }
    const prev = cur > 1 ? navLink(withState(s, { page: cur - 1 }), { class: 'pager-step', rel: 'prev' }, '‹ 上一页') : null;
    const next = cur < pages ? navLink(withState(s, { page: cur + 1 }), { class: 'pager-step', rel: 'next' }, '下一页 ›') : null;
    return h('nav', { class: 'pager', 'aria-label': '分页 Pages' }, prev, h('ol', null, items), next);
}

function renderNoResults(s, res) {
    const hints = [
        h('li', null, '减少关键词，或换一个说法（简体、繁体、全角、半角视为相同）。'),
        h('li', null, '用空格分开的词必须都出现；可用 ', h('code', null, 'OR'), ' 连接任一词，',
            h('code', null, '"…"'), ' 查找整个短语。'),
    ];
    const none = {};
    for (const f of FILTERS) none[f.param] = [];
    if (hasFilters(s))
        hints.unshift(h('li', null, '当前筛选条件可能过窄：',
            navLink(withState(s, Object.assign(none, { page: 1 })), null, '清除全部筛选'), '。'));
    const shown = (res.query && res.query.normalized) || s.q;
    return stateBox('empty', `没有找到与“${shown}”匹配的结果 (no results)`, h('ul', { class: 'hints' }, hints));
}

async function renderIntro(signal) {
    clear(view.status);
    view.chips.hidden = true;
    view.facets.hidden = true;
    view.facetToggle.hidden = true;
    clear(view.sort);
    const examples = ['知识产权', '知識產權 保护', '"自主创新" year:2016', '科技 OR 人才'];
    const intro = h('div', { class: 'intro' },
        h('h1', null, '政策文件全文检索'),
        h('p', null, '按关键词检索政策文件的每一段，支持简繁体、短语、部门、年份与章节筛选。'),
        h('p', { class: 'examples' }, '试试：', joinNodes(examples.map((q) =>
            navLink(withState(readState(''), { q }), null, h('code', null, q))), ' ')),
        h('p', { class: 'stats muted' }, ''));
    clear(view.results, intro);
    try {
        const st = await apiGet('stats', [], signal);
        cache.delete(apiUrl('stats', []));
        const bits = [];
        if (st.documents !== undefined) bits.push(`已收录 ${st.documents} 个文件`);
        if (st.passages !== undefined) bits.push(`${st.passages} 个段落`);
        intro.querySelector('.stats').textContent = bits.join('，') + (bits.length ? '。' : '');
    } catch (e) {
        if (e.name === 'AbortError') return;
        intro.append(errorBox(e, () => route()));
    }
}

async function renderSearch(s, signal) {
    view.doc.hidden = true;
    view.search.hidden = false;
    if (!s.q) return renderIntro(signal);
    renderSort(s);
    renderChips(s);
    const busy = setTimeout(() => {
        view.results.setAttribute('aria-busy', 'true');
        view.status.textContent = '搜索中…';
    }, 150);
    let res;
    try {
        res = await apiGet('search', searchParams(s, [
            ['offset', String((s.page - 1) * PAGE_SIZE)], ['limit', String(PAGE_SIZE)],
            ['facets', FILTERS.map((f) => f.facet).join(',')]]), signal);
    } catch (e) {
        if (e.name === 'AbortError') return;
        clearTimeout(busy);
        view.results.removeAttribute('aria-busy');
        view.status.textContent = '';
        view.facets.hidden = true;
        view.facetToggle.hidden = true;
        clear(view.sort);
        clear(view.results, errorBox(e, () => { route(); }));
        return;
    }
    clearTimeout(busy);
    view.results.removeAttribute('aria-busy');
    const total = res.total || 0;
    const from = (s.page - 1) * PAGE_SIZE;
    view.status.textContent = total === 0 ? '没有结果' :
        `共 ${total} 个文件` + (total > PAGE_SIZE ? `，第 ${from + 1}–${from + (res.hits || []).length} 个` : '') +
        (typeof res.took_ms === 'number' ? ` · 用时 ${formatMs(res.took_ms)} 毫秒` : '');
    renderFacets(s, res.facets);
    if (total === 0) clear(view.sort);
    if (total === 0 || !res.hits || res.hits.length === 0) {
        clear(view.results, total === 0 ? renderNoResults(s, res)
            : stateBox('empty', '这一页没有结果', h('p', null, navLink(withState(s, { page: 1 }), null, '回到第一页'))));
        return;
    }
    /* Few exact matches: the API added passages where the words' characters stand close
     * together or their synonyms occur, after every exact one (hit.exact false). */
    const synonyms = (res.query && res.query.synonyms) || [];
    const looser = synonyms.length
        ? `这些字相近出现或含同义词（${synonyms.join('、')}）的段落`
        : '这些字相近出现的段落';
    const relaxed = res.query && res.query.relaxed
        ? h('p', { class: 'notice' }, `完全匹配“${res.query.normalized || s.q}”的结果只有 ${res.exact_total ?? 0} 个；其后列出${looser}（标“相近”）。`)
        : null;
    clear(view.results, relaxed,
        h('ol', { class: 'hits', start: from + 1 }, res.hits.map((hit, i) => renderHit(s, hit, i))),
        renderPager(s, total));
}

/* ------------------------------------------------------------------ document view */

/* The document's lines as marked text (HTML-escaped text with <mark> tags). The API
 * gives the full text marked when q= is set (`html`), else only plain (`text`). A mark
 * that spans a line end is closed at the end of the line and reopened on the next. */
function documentLines(doc) {
    if (typeof doc.html === 'string') {
        const lines = doc.html.split('\n');
        let open = false;
        return lines.map((l) => {
            const tags = l.match(/<\/?mark>/gi) || [];
            const line = (open ? '<mark>' : '') + l;
            if (tags.length) open = tags[tags.length - 1].toLowerCase() === '<mark>';
            return open ? line + '</mark>' : line;
        });
    }
    return String(doc.text || '').split('\n')
        .map((l) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

function docMeta(s, doc) {
    const rows = [
        ['发布单位', [].concat(doc.issuer || []).join('、')],
        ['文号', doc.doc_number],
        ['日期', doc.date || '日期不详'],
        ['文件', doc.file || doc.doc],
    ];
    if (doc.fragment_of)
        rows.push(['所属文件', navLink(withState(s, { doc: doc.fragment_of, line: 0 }), null, doc.fragment_of)]);
    if (doc.url) rows.push(['来源', h('a', { href: doc.url, rel: 'noopener noreferrer' }, doc.url)]);
    return h('dl', { class: 'doc-meta' }, rows.filter((r) => r[1]).map(([k, v]) =>
        [h('dt', null, k), h('dd', null, v)]));
}

function docOutline(s, doc) {
    const outline = doc.outline || [];
    if (outline.length === 0) return null;
    return h('nav', { class: 'outline', 'aria-label': '目录 Outline' },
        h('h2', null, '目录'),
        h('ol', null, outline.map((sec) => h('li', { class: `level-${sec.level || 1}` },
            navLink(withState(s, { line: sec.line_start }), { 'data-line': sec.line_start, 'data-replace': '' },
                outlineLabel(sec))))));
}

/* A sub-section heading often runs on into its paragraph: show its enumerator and name. */
function outlineLabel(sec) {
    const heading = (sec.heading || '').trim();
    if (!sec.name || heading.length <= 40) return heading || sec.name;
    const m = heading.match(/^([(（][^)）]{1,4}[)）]|[一二三四五六七八九十百]+[、.．]|\d+[.．、])/);
    return (m ? m[1] : '') + sec.name;
}

function docText(doc, target) {
    const lines = documentLines(doc);
    const box = h('div', { class: 'doc-text', lang: 'zh' });
    lines.forEach((l, i) => {
        const n = i + 1;
        if (/^[\s\u3000]*$/.test(l)) { box.append(h('div', { class: 'line blank', id: `L${n}` })); return; }
        box.append(h('div', { class: n === target ? 'line target' : 'line', id: `L${n}`, tabindex: n === target ? '-1' : null },
            h('span', { class: 'ln', 'aria-hidden': 'true' }, String(n)),
            h('span', { class: 'tx' }, markedNodes(l))));
    });
    return box;
}

/* The document holds the query nowhere exactly: the API marked where its characters
 * stand close together (query.relaxed) or its synonyms occur, as the hits showed. */
function looserMarksNote(doc) {
    const q = doc.query;
    if (!q || !doc.matches || !(q.relaxed || (q.synonyms && q.synonyms.length))) return null;
    const what = [q.relaxed ? '这些字相近出现之处' : null,
        q.synonyms && q.synonyms.length ? `同义词（${q.synonyms.join('、')}）` : null].filter(Boolean).join('及');
    return h('p', { class: 'notice' }, `本文没有“${q.normalized || q.q}”的完全匹配；标出的是${what}。`);
}

/* Steps through the marks; it starts from the passage the reader came to. */
function markNav(textBox) {
    const marks = [...textBox.querySelectorAll('mark')];
    if (marks.length === 0) return null;
    let at = marks.findIndex((m) => m.closest('.line.target'));
    const counter = h('span', { class: 'mark-count', 'aria-live': 'polite' }, `共 ${marks.length} 处匹配`);
    const go = (d) => {
        if (at >= 0) marks[at].classList.remove('current');
        at = (at + d + marks.length) % marks.length;
        marks[at].classList.add('current');
        marks[at].scrollIntoView({ block: 'center' });
        counter.textContent = `第 ${at + 1} / ${marks.length} 处匹配`;
    };
    return h('div', { class: 'mark-nav' }, counter,
        h('button', { type: 'button', class: 'button', onclick: () => go(-1), 'aria-label': '上一处匹配' }, '↑ 上一处'),
        h('button', { type: 'button', class: 'button', onclick: () => go(1), 'aria-label': '下一处匹配' }, '↓ 下一处'));
}

async function renderDoc(s, signal) {
    view.search.hidden = true;
    view.doc.hidden = false;
    const back = withState(s, { doc: '', line: 0 });
    const backLink = navLink(back, { class: 'back', 'data-back': '' }, '← 返回结果');
    clear(view.doc, backLink, h('p', { class: 'loading' }, '加载文件…'));
    let doc;
    try {
        doc = await apiGet(`doc/${encodeURIComponent(s.doc)}`, s.q ? [['q', s.q]] : [], signal);
    } catch (e) {
        if (e.name === 'AbortError') return;
        clear(view.doc, backLink, errorBox(e, () => route()));
        return;
    }
    document.title = `${titleOf(doc)} · zhsearch`;
    const text = docText(doc, s.line);
    clear(view.doc, backLink,
        h('header', { class: 'doc-head' }, h('h1', null, titleOf(doc)), docMeta(s, doc)),
        h('div', { class: 'doc-body' }, docOutline(s, doc),
            h('div', { class: 'doc-main' }, looserMarksNote(doc), markNav(text), text)));
    const target = s.line && document.getElementById(`L${s.line}`);
    if (target) {
        target.scrollIntoView({ block: 'center' });
        target.focus({ preventScroll: true });
    } else {
        backLink.focus({ preventScroll: true });
        window.scrollTo(0, 0);
    }
}

/* ------------------------------------------------------------------ routing */

let inflight = null;

function route() {
    if (inflight) inflight.abort();
    inflight = new AbortController();
    const s = readState(location.search);
    if (document.activeElement !== view.input) view.input.value = s.q;
    document.title = s.q ? `${s.q} · zhsearch` : 'zhsearch · 政策文件检索';
    const done = s.doc ? renderDoc(s, inflight.signal) : renderSearch(s, inflight.signal);
    return done.then(() => {
        const y = history.state && history.state.scrollY;
        if (!s.doc && typeof y === 'number') window.scrollTo(0, y);
    });
}

/* Remembers where the reader was, so Back returns to the same place in the list. */
function saveScroll() {
    history.replaceState(Object.assign({}, history.state, { scrollY: window.scrollY }), '');
}

function navigate(href, opts) {
    saveScroll();
    const keep = !!(opts && opts.keepScroll);
    const state = { scrollY: keep ? window.scrollY : 0, fromPage: true };
    if (opts && opts.replace) history.replaceState(state, '', href);
    else history.pushState(state, '', href);
    if (!keep) window.scrollTo(0, 0);
    return route();
}

document.addEventListener('click', (ev) => {
    const a = ev.target.closest('a[data-nav]');
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    if (a.hasAttribute('data-back') && history.state && history.state.fromPage) { history.back(); return; }
    if (a.hasAttribute('data-replace')) {   /* outline: move within the document */
        history.replaceState(history.state, '', a.getAttribute('href'));
        const line = document.getElementById(`L${a.dataset.line}`);
        document.querySelectorAll('.doc-text .target').forEach((el) => el.classList.remove('target'));
        if (line) {
            line.classList.add('target');
            line.setAttribute('tabindex', '-1');
            line.scrollIntoView({ block: 'start' });
            line.focus({ preventScroll: true });
        }
        return;
    }
    const refocus = focusAfter(a);
    navigate(a.getAttribute('href'), { keepScroll: !!a.closest('.facets, .chips, .sort') }).then(refocus);
});

/* After a facet, chip, sort or pager link re-renders the list, keyboard focus goes to
 * the same control in the new DOM (or the nearest sensible place), not to the top. */
function focusAfter(a) {
    const facet = a.closest('[data-facet]');
    if (facet && a.dataset.value !== undefined) {
        const sel = `[data-facet="${CSS.escape(facet.dataset.facet)}"] [data-value="${CSS.escape(a.dataset.value)}"]`;
        return () => { const el = view.facets.querySelector(sel); if (el) el.focus({ preventScroll: true }); };
    }
    if (a.closest('.chips')) {
        const i = [...view.chips.querySelectorAll('a')].indexOf(a);
        return () => {
            const chips = view.chips.querySelectorAll('a');
            const el = chips[Math.min(i, chips.length - 1)] || view.input;
            el.focus({ preventScroll: true });
        };
    }
    if (a.closest('.sort')) {
        const text = a.textContent;
        return () => {
            const el = [...view.sort.querySelectorAll('a')].find((x) => x.textContent === text);
            if (el) el.focus({ preventScroll: true });
        };
    }
    if (a.closest('.doc-view') || a.closest('.hit') || a.closest('.pager') || a.closest('.intro'))
        return () => { if (!view.doc.contains(document.activeElement)) view.main.focus({ preventScroll: true }); };
    return () => {};
}

view.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = view.input.value.trim();
    const s = readState(location.search);
    navigate(stateHref(withState(s, { q, page: 1, doc: '', line: 0 })));
});

document.addEventListener('keydown', (ev) => {
    const typing = ev.target.closest && ev.target.closest('input, textarea, select, [contenteditable]');
    if (ev.key === '/' && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        view.input.focus();
        view.input.select();
    } else if (ev.key === 'Escape') {
        if (typing === view.input && view.input.value) return;   /* the search box clears itself */
        if (readState(location.search).doc) {
            ev.preventDefault();
            const back = view.doc.querySelector('a[data-back]');
            if (back) back.click();
        } else if (typing === view.input) {
            view.input.blur();
        }
    }
});

/* On a phone the facets fold away behind one button (CSS shows it only there). */
view.facetToggle.addEventListener('click', () => {
    const open = view.facets.classList.toggle('open');
    view.facetToggle.setAttribute('aria-expanded', String(open));
});

window.addEventListener('popstate', () => route());
if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
route();

})();
