// The search page at / in a real headless Chromium (Debian's), driven by playwright-core,
// against a running zhsearch-server over the seed corpus. run.sh starts the server and
// passes its address in ZHSEARCH_URL. Screenshots of each state go to tests/artifacts/.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE = process.env.ZHSEARCH_URL;
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let context;
let profile;

before(async () => {
    assert.ok(BASE, 'ZHSEARCH_URL must name the running server (run.sh sets it)');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'zhsearch-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM, headless: true, args: ARGS,
        viewport: { width: 1280, height: 900 }, locale: 'zh-CN',
    });
});

after(async () => {
    if (context) await context.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

async function newPage(viewport) {
    const page = await context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.jsErrors = errors;
    return page;
}

async function shot(page, name) {
    await page.screenshot({ path: path.join(ARTIFACTS, name + '.png'), fullPage: false });
}

// The API's own answer, straight from the server (what the page must agree with).
async function api(pathAndQuery) {
    const res = await fetch(new URL(pathAndQuery, BASE));
    return { status: res.status, body: await res.json() };
}

async function search(page, q) {
    await page.goto(BASE);
    await page.locator('#q').fill(q);
    await page.locator('#q').press('Enter');
    await page.waitForFunction(() => document.querySelector('#results .hit, #results .state'));
}

async function hitDocs(page) {
    return page.locator('#results .hit').evaluateAll((els) => els.map((e) => e.dataset.doc));
}

async function statusText(page) {
    return (await page.locator('#status').textContent()).trim();
}

test('Enter in the search box lists highlighted hits from several documents and puts the query in the URL', async () => {
    const page = await newPage();
    await search(page, '知識產權');
    const expected = await api('/search?q=' + encodeURIComponent('知識產權'));
    assert.equal(expected.status, 200);
    const docs = await hitDocs(page);
    assert.deepEqual(docs, expected.body.hits.map((h) => h.doc));
    // A title holding the query marks it too (004: …《广州市知识产权事业发展…》的决议).
    const titled = expected.body.hits.findIndex((h) => h.title && h.title.includes('知识产权'));
    assert.ok(titled >= 0, 'a hit whose title holds the query');
    assert.deepEqual(await page.locator('#results .hit .hit-title').nth(titled).locator('mark').allTextContents(),
        ['知识产权']);
    assert.ok(new Set(docs).size >= 3, `hits from several documents, got ${docs}`);
    const marks = await page.locator('#results .hit .snippet mark').allTextContents();
    assert.ok(marks.length >= docs.length, 'every hit has a highlighted snippet');
    // Highlights are taken from the original script: Simplified or Traditional.
    for (const m of marks) assert.match(m, /^(知识产权|知識產權|知识|产权|知識|產權|[知识產权識產])+$/);
    assert.equal(new URL(page.url()).searchParams.get('q'), '知識產權');
    assert.match(await statusText(page), new RegExp(`共 ${expected.body.total} 个文件`));
    assert.match(await statusText(page), /用时 [0-9.]+ 毫秒/);
    const first = page.locator('#results .hit').first();
    assert.equal(await first.locator('.hit-title a').textContent(), expected.body.hits[0].title);
    await shot(page, 'search');
    assert.deepEqual(page.jsErrors, []);
    await page.close();
});

test('a year facet filters the list, shows a removable chip, and back/forward restore the state', async () => {
    const page = await newPage();
    await search(page, '知识产权');
    const all = await api('/search?q=' + encodeURIComponent('知识产权'));
    const years = all.body.facets.year;
    assert.ok(years.length >= 2, 'the corpus spans several years');
    const pick = years.find((y) => y.count < all.body.total);
    assert.ok(pick, 'some year has fewer documents than the whole result');
    const before = await hitDocs(page);

    await page.locator(`[data-facet="year"] [data-value="${pick.value}"]`).click();
    await page.locator('#chips .chip').waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('#results .hit').length === n, pick.count);
    const filtered = await api(`/search?q=${encodeURIComponent('知识产权')}&year=${pick.value}`);
    assert.deepEqual(await hitDocs(page), filtered.body.hits.map((h) => h.doc));
    assert.match(await statusText(page), new RegExp(`共 ${pick.count} 个文件`));
    assert.equal(await page.locator('#chips .chip').count(), 1);
    assert.match(await page.locator('#chips .chip').textContent(), new RegExp(pick.value));
    assert.equal(await page.locator(`[data-facet="year"] [data-value="${pick.value}"]`).getAttribute('aria-pressed'), 'true');
    // The facet counts now describe the filtered result.
    const yearCounts = await page.locator('[data-facet="year"] .facet-value').evaluateAll((els) =>
        els.map((e) => [e.dataset.value, Number(e.querySelector('.facet-count').textContent)]));
    assert.deepEqual(yearCounts, filtered.body.facets.year.map((y) => [String(y.value), y.count])
        .sort((a, b) => b[0].localeCompare(a[0])));
    assert.deepEqual(new URL(page.url()).searchParams.getAll('year'), [String(pick.value)]);
    await shot(page, 'facet-chip');

    await page.locator('#chips .chip').click();
    await page.waitForFunction(() => document.querySelector('#chips').hidden);
    await page.waitForFunction((n) => document.querySelectorAll('#results .hit').length === n, before.length);
    assert.deepEqual(await hitDocs(page), before);
    assert.equal(new URL(page.url()).searchParams.getAll('year').length, 0);

    await page.goBack();
    await page.locator('#chips .chip').waitFor();
    assert.equal((await hitDocs(page)).length, pick.count);
    await page.goForward();
    await page.waitForFunction(() => document.querySelector('#chips').hidden);
    assert.deepEqual(await hitDocs(page), before);
    assert.deepEqual(page.jsErrors, []);
    await page.close();
});

test('a hit\'s other passages expand under it', async () => {
    const page = await newPage();
    await search(page, '知识产权');
    const res = await api('/search?q=' + encodeURIComponent('知识产权'));
    const i = res.body.hits.findIndex((h) => h.more > 0);
    assert.ok(i >= 0, 'some document has more than one matching passage');
    const hit = page.locator('#results .hit').nth(i);
    await hit.locator('.more-toggle').click();
    await hit.locator('.more-list li').first().waitFor();
    assert.equal(await hit.locator('.more-list li').count(), res.body.hits[i].more);
    assert.ok(await hit.locator('.more-list .snippet mark').count() >= res.body.hits[i].more);
    assert.equal(await hit.locator('.more-toggle').getAttribute('aria-expanded'), 'true');
    await shot(page, 'more');
    await hit.locator('.more-toggle').click();
    assert.equal(await hit.locator('.more').isHidden(), true);
    await page.close();
});

test('a document opens at the clicked passage, marked and scrolled into view; Escape returns', async () => {
    const page = await newPage();
    await search(page, '知识产权');
    const res = await api('/search?q=' + encodeURIComponent('知识产权'));
    // The deepest passage among the hits, so it must be scrolled to.
    const hit = res.body.hits.reduce((a, b) => (b.line_start > a.line_start ? b : a));
    const idx = res.body.hits.indexOf(hit);
    await page.locator('#results .hit').nth(idx).locator('.line-link').first().click();
    await page.locator('.doc-text').waitFor();
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('doc'), hit.doc);
    assert.equal(url.searchParams.get('line'), String(hit.line_start));
    const target = page.locator('.line.target');
    assert.equal(await target.count(), 1);
    assert.equal(await target.getAttribute('id'), `L${hit.line_start}`);
    assert.ok(await target.locator('mark').count() >= 1, 'the clicked passage shows its match');
    const box = await target.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, h: window.innerHeight, y: window.scrollY };
    });
    assert.ok(box.top >= 0 && box.bottom <= box.h, `target line in the viewport: ${JSON.stringify(box)}`);
    assert.ok(hit.line_start < 20 || box.y > 0, 'the page scrolled to a deep passage');
    const doc = await api(`/doc/${hit.doc}?q=${encodeURIComponent('知识产权')}`);
    assert.equal(await page.locator('.doc-head h1').textContent(),
        doc.body.title || `（无标题）${doc.body.file}`);
    assert.ok(await page.locator('.doc-text mark').count() > 1, 'every match in the document is marked');
    assert.equal(await page.locator('.doc-text .line').count(), doc.body.text.split('\n').length);
    await shot(page, 'document');

    await page.keyboard.press('Escape');
    await page.locator('#results .hit').first().waitFor();
    assert.equal(new URL(page.url()).searchParams.get('doc'), null);
    assert.deepEqual(page.jsErrors, []);
    await page.close();
});

test('a word with few exact matches lists the near passages after them, labelled', async () => {
    const page = await newPage();
    await search(page, '国际科技合作');
    const expected = await api('/search?q=' + encodeURIComponent('国际科技合作'));
    assert.equal(expected.body.query.relaxed, true);
    const exact = expected.body.hits.map((h) => h.exact);
    assert.ok(exact.includes(true) && exact.includes(false), `exact and near hits, got ${exact}`);
    assert.deepEqual(exact, [...exact].sort((a, b) => b - a), 'exact hits come first');
    const notice = await page.locator('#results .notice').textContent();
    assert.match(notice, /相近/);
    assert.ok(notice.includes(`只有 ${expected.body.exact_total} 个`), notice);
    assert.equal(expected.body.exact_total, exact.filter((x) => x).length);
    const labels = await page.locator('#results .hit').evaluateAll((els) => els.map((e) => !!e.querySelector('.near')));
    assert.deepEqual(labels, exact.map((x) => !x));
    // 003 is a fragment without its header: its hit is titled by its file, said to be untitled.
    const untitled = expected.body.hits.findIndex((h) => !h.title);
    assert.ok(untitled >= 0, 'an untitled document among the hits');
    assert.equal(await page.locator('#results .hit .hit-title').nth(untitled).textContent(),
        `（无标题）${expected.body.hits[untitled].file}`);
    // A near hit's document without the word marks the near occurrences, and says so.
    const q = encodeURIComponent('国际科技合作');
    let idx = -1;
    for (let i = 0; i < expected.body.hits.length && idx < 0; i++) {
        const h = expected.body.hits[i];
        if (!h.exact && (await api(`/doc/${h.doc}?q=${q}`)).body.query.relaxed) idx = i;
    }
    assert.ok(idx >= 0, 'some near hit is in a document without the word');
    await page.locator('#results .hit').nth(idx).locator('.line-link').first().click();
    await page.locator('.doc-text').waitFor();
    assert.match(await page.locator('.doc-main .notice').textContent(), /没有“国际科技合作”的完全匹配.*相近/);
    assert.ok(await page.locator('.doc-text mark').count() > 0, 'the near occurrences are marked');
    await shot(page, 'document-near');
    assert.deepEqual(page.jsErrors, []);
    await page.close();
});

test('a concept query names the synonyms it searched for', async () => {
    const page = await newPage();
    await search(page, '减税');
    const expected = await api('/search?q=' + encodeURIComponent('减税'));
    assert.equal(expected.body.exact_total, 0);
    assert.ok(expected.body.query.synonyms.includes('税收优惠'), expected.body.query.synonyms);
    const notice = await page.locator('#results .notice').textContent();
    assert.ok(notice.includes('同义词（' + expected.body.query.synonyms.join('、') + '）'), notice);
    assert.ok(notice.includes('只有 0 个'), notice);
    const marks = await page.locator('#results .hit mark').allTextContents();
    assert.ok(marks.length > 0 && !marks.includes('减税'), `marks: ${marks}`);
    assert.deepEqual(page.jsErrors, []);
    await page.close();
});

test('a query without matches shows the no-results hint', async () => {
    const page = await newPage();
    await search(page, '量子纠缠火星基地');
    await page.locator('#results .state-empty').waitFor();
    assert.match(await page.locator('#results .state-empty .state-title').textContent(), /没有找到/);
    assert.ok(await page.locator('#results .state-empty .hints li').count() >= 2);
    assert.equal(await page.locator('#results .hit').count(), 0);
    await shot(page, 'no-results');
    await page.close();
});

test('a query the API rejects shows the API\'s own error message', async () => {
    const page = await newPage();
    const long = '知识产权'.repeat(92);           // 1,104 bytes of UTF-8, over the 1,024 limit
    const rejected = await api('/search?q=' + encodeURIComponent(long));
    assert.ok(rejected.status >= 400 && rejected.status < 500, `status ${rejected.status}`);
    await search(page, long);
    await page.locator('#results .state-error').waitFor();
    assert.equal(await page.locator('#results .error-message').textContent(), rejected.body.error.message);
    await shot(page, 'error-long-query');

    const badYear = '知识产权 year:20x6';        // the query language rejects a bad year
    const bad = await api('/search?q=' + encodeURIComponent(badYear));
    assert.equal(bad.status, 400);
    await search(page, badYear);
    await page.locator('#results .state-error').waitFor();
    assert.equal(await page.locator('#results .error-message').textContent(), bad.body.error.message);
    await page.close();
});

test('an unreachable server is reported with a retry button', async () => {
    const page = await newPage();
    await page.goto(BASE + '?q=' + encodeURIComponent('知识产权'));
    await page.locator('#results .hit').first().waitFor();
    await page.route('**/search?**', (route) => route.abort('connectionrefused'));
    await page.locator('#q').fill('创新');
    await page.locator('#q').press('Enter');
    await page.locator('#results .state-error').waitFor();
    assert.match(await page.locator('#results .state-error .state-title').textContent(), /无法连接/);
    await shot(page, 'unreachable');
    await page.unroute('**/search?**');
    await page.locator('#results .state-error button').click();
    await page.locator('#results .hit').first().waitFor();
    await page.close();
});

test('keyboard only: / focuses the search box, Enter searches, Tab reaches a facet and Enter applies it', async () => {
    const page = await newPage();
    await page.goto(BASE);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
    await page.keyboard.type('知识产权');
    await page.keyboard.press('Enter');
    await page.locator('#results .hit').first().waitFor();
    let tabs = 0;
    while (tabs++ < 40) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement.matches('[data-facet="year"] .facet-value'))) break;
    }
    assert.ok(tabs < 40, 'a year facet is reachable with Tab');
    const value = await page.evaluate(() => document.activeElement.dataset.value);
    await page.keyboard.press('Enter');
    await page.locator('#chips .chip').waitFor();
    assert.deepEqual(new URL(page.url()).searchParams.getAll('year'), [value]);
    // Focus stays on the same facet value after the list re-renders.
    assert.equal(await page.evaluate(() => document.activeElement.dataset.value), value);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused control shows a focus ring');
    await shot(page, 'keyboard-focus');
    await page.close();
});

test('at phone width (390 px) neither the results nor a document scroll sideways', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await search(page, '知识产权');
    await page.locator('#results .hit').first().waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.equal(await overflow(), 0);
    assert.equal(await page.locator('#facets').isVisible(), false, 'facets fold away on a phone');
    await shot(page, 'phone-results');
    await page.locator('#facet-toggle').click();
    assert.equal(await page.locator('#facets').isVisible(), true);
    assert.equal(await overflow(), 0);
    await shot(page, 'phone-facets');
    await page.locator('#results .hit .hit-title a').first().click();
    await page.locator('.doc-text').waitFor();
    assert.equal(await overflow(), 0);
    await shot(page, 'phone-document');
    await page.close();
});
