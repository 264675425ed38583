// mend in German, French and Spanish, in Debian's Chromium at phone size against a real `mend
// serve`: one partner of a couple reads German and the other French, a partner of a second
// couple Spanish; on every tool's page each sees <html lang> in their language, no English
// word left outside what people wrote, no horizontal scrolling at 390 px (German words are
// long), no axe-core WCAG 2.1 A/AA violation, and HTML the Nu checker accepts. Saves a
// screenshot of the home page in each language. Prints TAP.
// Usage: node languages.js path/to/mend
'use strict';
const { chromium } = require('playwright-core');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const MEND = path.resolve(process.argv[2] || 'build/mend');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const OUT = path.resolve(process.env.SCREENSHOTS || 'build/screenshots');
const PW = 'a calm long password';
const PAGES = ['/', '/account', '/more', '/program', '/truths', '/feelings', '/questions', '/promises', '/checkins',
  '/closeness', '/agreements', '/journal', '/letters', '/talks', '/timeouts', '/hard-dates', '/triggers', '/setbacks',
  '/moments', '/values', '/forgiveness', '/reports', '/dashboard', '/breach', '/apologies', '/ledger', '/archive', '/guidance', '/counsellor-access'];
// words no German, French or Spanish sentence has (tests/http/test_languages.py has the same)
const ENGLISH = new Set(('the you your and with this that what when not yet here there waiting write share save today ' +
  'nothing something week read back log of to is are have will can it be we our they their them from about how who ' +
  'which each every one only more after before until been').split(' '));
let n = 0, failed = 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mend-lang-'));
const htmlFiles = [];

function report(ok, name, detail) {
  n++;
  if (!ok) failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok && detail) for (const l of String(detail).split('\n')) console.log('#   ' + l);
}
async function step(name, fn) {
  try { await fn(); report(true, name); } catch (e) { report(false, name, e && e.stack || e); }
}
function expect(cond, what) { if (!cond) throw new Error(what); }
function freePort() {
  return new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
}

async function api(base, method, p, body, token) {
  const h = { 'Content-Type': 'application/json' };
  if (token) h.Authorization = 'Bearer ' + token;
  const r = await fetch(base + '/api/v1' + p, { method, headers: h, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json().catch(() => null) };
}

// A couple: the first partner signs up, invites, the second joins; both with a language.
async function couple(base, tag, langA, langB) {
  const a = (await api(base, 'POST', '/signup', { username: `${tag}a`, password: PW, display_name: 'Robin' })).json;
  const code = (await api(base, 'POST', '/invites', null, a.token)).json.code;
  const b = (await api(base, 'POST', '/join', { code, username: `${tag}b`, password: PW, display_name: 'Sam' })).json;
  if (langA) await api(base, 'PUT', '/account/language', { language: langA }, a.token);
  if (langB) await api(base, 'PUT', '/account/language', { language: langB }, b.token);
  return [{ user: `${tag}a`, token: a.token }, { user: `${tag}b`, token: b.token }];
}

// The ISO week of a day ("2026-W49"): the week of its Thursday, counted from the week of 4 January.
function isoWeek(day) {
  const thu = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 3 - ((day.getUTCDay() + 6) % 7)));
  const jan4 = new Date(Date.UTC(thu.getUTCFullYear(), 0, 4));
  const mondayOfWeek1 = jan4 - ((jan4.getUTCDay() + 6) % 7) * 864e5;
  return `${thu.getUTCFullYear()}-W${String(1 + Math.floor((thu - mondayOfWeek1) / (7 * 864e5))).padStart(2, '0')}`;
}

// Something in every tool, each partner writing in their own language (as
// tests/http/test_languages.py does), so that pages show states, buttons and sentences about
// real entries; returns the pages of single entries to walk too.
async function fill(base, de, fr) {
  const A = de.token, B = fr.token;
  const today = new Date().toISOString().slice(0, 10);
  const must = async (what, r) => { if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json)}`); return r.json; };
  const week = isoWeek(new Date());
  const scale = { predictable_word: 4, predictable_know: 4, dependable_there: 4, dependable_honest: 4, faith_cares: 5, faith_hope: 5,
    safety: 4, closeness: 4, need: 'Ein ruhiger Abend.' };
  await must('check-in', await api(base, 'PUT', `/checkins/${week}/answers`, { answers: scale }, A));
  await must('check-in', await api(base, 'PUT', `/checkins/${week}/answers`, { answers: scale }, B));
  const j = await must('journal', await api(base, 'POST', '/journal', { body: 'Wir sind am Fluss spazieren gegangen.' }, A));
  await must('addition', await api(base, 'POST', `/journal/${j.id}/additions`, { body: 'Il faisait froid et bon.' }, B));
  await must('feeling', await api(base, 'POST', '/feelings', { emotion: 'sad', text: 'Je suis fatigué.', shared: true }, B));
  await must('apology', await api(base, 'POST', '/apologies', { text: 'Es tut mir leid, ohne Ausrede.' }, A));
  await must('closeness', await api(base, 'PUT', '/closeness/walk', { choice: 'ready' }, A));
  const q = await must('question', await api(base, 'POST', '/questions', { text: 'Où étais-tu ce soir-là ?' }, B));
  await must('answer', await api(base, 'POST', `/questions/${q.id}/answers`, { text: 'Im Büro, danach im Auto.' }, A));
  await must('question', await api(base, 'POST', '/questions', { text: 'Wann hat es angefangen?' }, A));
  await must('setback', await api(base, 'POST', '/setbacks', { what: 'Une soirée difficile.', severity: 3 }, B));
  const ag = await must('agreement', await api(base, 'POST', '/agreements', { title: 'Telefone offen', text: 'Wir zeigen einander die Telefone.', category: 'transparency' }, A));
  await must('sign', await api(base, 'POST', `/agreements/${ag.id}/sign`, null, B));
  await must('agreement', await api(base, 'POST', '/agreements', { title: 'Le dimanche soir', text: 'Nous parlons chaque dimanche soir.', category: 'transparency' }, B));
  const pr = await must('promise', await api(base, 'POST', '/promises', { text: 'Mittags anrufen', recurrence: { every: 'day' } }, A));
  await must('value', await api(base, 'POST', '/values', { text: 'Ehrlichkeit' }, A));
  await must('moment', await api(base, 'POST', '/moments', { title: 'Une promenade', kind: 'date', date: today }, B));
  await must('path', await api(base, 'PUT', '/path', { path: 'broke_trust' }, A));
  const lt = await must('letter', await api(base, 'POST', '/letters', { kind: 'disclosure', body: 'Die Tatsachen, wie sie waren.' }, A));
  await must('give', await api(base, 'POST', `/letters/${lt.id}/give`, null, A));
  await must('hard date', await api(base, 'POST', '/hard-dates', { title: 'Le jour où tout est sorti', date: today }, B));
  await must('time-out rule', await api(base, 'PUT', '/timeout-rule', { minutes: 20, text: 'Wir treffen uns in der Küche.' }, A));
  const talk = await must('talk', await api(base, 'POST', '/talks', { topic: 'Die Abende', in_person: true }, A));
  await must('step', await api(base, 'POST', `/talks/${talk.id}/steps`, { kind: 'say', text: 'Meine Worte, laut gesagt.' }, A));
  await must('trigger', await api(base, 'POST', '/triggers', { what: 'Un message tard le soir', strength: 3, shared: true }, B));
  await must('truth', await api(base, 'POST', '/truths', { text: 'Heute war ich ehrlich.' }, A));
  const from = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
  const rep = await must('report', await api(base, 'POST', '/reports', { from, to: today }, A));
  return [`/talks/${talk.id}`, `/promises/${pr.id}`, `/reports/${rep.id}`];
}

async function logIn(browser, base, who) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto(base + '/login');
  await page.fill('#f-username', who.user);
  await page.fill('#f-password', PW);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  return { ctx, page };
}

async function walk(browser, base, who, lang, details) {
  const { ctx, page } = await logIn(browser, base, who);
  for (const p of PAGES.concat(details)) {
    const where = `${lang} ${p}`;
    const res = await page.goto(base + p);
    const html = await res.text();
    const file = path.join(tmp, `${String(htmlFiles.length).padStart(3, '0')}-${lang}-${p.replace(/\W+/g, '_') || 'home'}.html`);
    fs.writeFileSync(file, html);
    htmlFiles.push({ file, where });
    await step(`${where}: the page is in ${lang}`, async () => {
      expect(res.status() === 200, `status ${res.status()}`);
      expect(await page.getAttribute('html', 'lang') === lang, `<html lang="${await page.getAttribute('html', 'lang')}">`);
    });
    await step(`${where}: no English word left`, async () => {
      // what people wrote is theirs, and a hash in <code> is not words
      const text = (await page.evaluate(() => [...document.querySelectorAll('code')].reduce((t, c) => t.split(c.innerText).join(' '), document.body.innerText)))
        .replace(/\b(Robin|Sam|mend)\b/g, ' ');
      const left = [...new Set((text.match(/[\p{L}']+/gu) || []).filter((w) => ENGLISH.has(w.toLowerCase())))];
      expect(left.length === 0, `English: ${left.join(', ')}`);
    });
    await step(`${where}: no horizontal scrolling at 390 px`, async () => {
      const w = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(w[0] <= w[1], `scrollWidth ${w[0]} > clientWidth ${w[1]}`);
    });
    await step(`${where}: axe-core WCAG 2.1 A/AA finds no violations`, async () => {
      await page.evaluate(AXE + ';0');
      const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
      const v = r.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((nd) => nd.target.join(' ')).join(', ')})`);
      expect(v.length === 0, v.join('\n'));
    });
    if (p === '/') {
      fs.mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: path.join(OUT, `home-${lang}.png`), fullPage: false });
    }
  }
  await ctx.close();
}

function validateHtml() {
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  let out = '';
  try {
    out = execFileSync('java', ['-jar', jar, '--errors-only', '--format', 'json', ...htmlFiles.map((h) => h.file)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = (e.stderr || '') + (e.stdout || '');
  }
  const messages = out.trim() ? JSON.parse(out).messages : [];
  for (const h of htmlFiles) {
    const mine = messages.filter((m) => m.url && m.url.endsWith(path.basename(h.file)) && m.type === 'error');
    report(mine.length === 0, `${h.where}: the Nu Html Checker finds no errors`, mine.map((m) => `line ${m.lastLine}: ${m.message}`).join('\n'));
  }
}

(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(MEND, ['serve', '--db', path.join(tmp, 'lang.db'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'ignore'] });
  for (let i = 0; i < 200; i++) {
    try { const r = await fetch(base + '/healthz'); if (r.ok) break; } catch (e) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const [de, fr] = await couple(base, 'lang1', 'de', 'fr');
    const [es] = await couple(base, 'lang2', 'es', null);
    const details = await fill(base, de, fr);
    await api(base, 'POST', '/questions', { text: '¿Cuándo empezó?' }, es.token);
    for (const [who, lang, more] of [[de, 'de', details], [fr, 'fr', details], [es, 'es', []]]) await walk(browser, base, who, lang, more);
    validateHtml();
  } finally {
    await browser.close();
    proc.kill('SIGTERM');
  }
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`not ok ${n + 1} - the walk could not run`); console.log('#   ' + e.stack); process.exit(1); });
