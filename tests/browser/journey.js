// The browser journey of mend: two partners, each in their own browser context at phone size,
// in Debian's Chromium, against a real `mend serve`. Every page the journey lands on is
// checked (axe-core WCAG 2.1 A/AA, no console errors, no horizontal scrolling, and its HTML
// goes to the Nu Html Checker at the end). The whole journey runs with JavaScript on and
// again with it off. Prints TAP. Usage: node journey.js path/to/mend
'use strict';
const { chromium } = require('playwright-core');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const MEND = path.resolve(process.argv[2] || 'build/mend');
const OUT = path.resolve(process.env.SCREENSHOTS || 'build/screenshots');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = { width: 390, height: 844 };
const PW = 'a calm long password';

let n = 0, failed = 0;
let DBFILE = null; // the journey server's SQLite file, to let a day pass where a rule waits for one
const htmlFiles = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mend-browser-'));

function report(ok, name, detail) {
  n++;
  if (!ok) failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}`);
  if (!ok && detail) for (const l of String(detail).split('\n')) console.log('#   ' + l);
}

async function step(name, fn) {
  try { await fn(); report(true, name); }
  catch (e) {
    report(false, name, e && e.stack || e);
    if (e && typeof e === 'object') e.reported = true;
    throw e;
  }
}

function expect(cond, what) { if (!cond) throw new Error(what); }

function freePort() {
  return new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
}

async function startServer() {
  const port = await freePort();
  const db = path.join(tmp, `journey-${port}.db`);
  DBFILE = db;
  const proc = spawn(MEND, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 200; i++) {
    try { const r = await fetch(`http://127.0.0.1:${port}/healthz`); if (r.ok) break; } catch (e) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base: `http://127.0.0.1:${port}`, proc, log: () => log };
}

// A partner: a browser context of their own, at phone size.
async function partner(browser, js, label) {
  const ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true, javaScriptEnabled: js });
  const page = await ctx.newPage();
  const p = { ctx, page, js, label, errors: [] };
  page.on('console', (m) => { if (m.type() === 'error') p.errors.push(m.text()); });
  page.on('pageerror', (e) => p.errors.push(String(e)));
  return p;
}

// Checks the page a partner is on. Every landing goes through here: adding a page to the
// journey adds it to every check.
// What the code calls things, never what a page says: the coach's pattern ids, the check-in's
// scale keys, states as stored, and the operator's commands.
const INTERNAL_WORDS = ['predictable_word', 'predictable_know', 'dependable_there', 'dependable_honest', 'faith_cares',
  'faith_hope', 'specific_harm', 'blame_shift', 'superseded', 'third_party_contact', 'privacy_and_space', 'deal_breaker',
  'not_for_me', 'not_yet', 'broke_trust', 'root_cause', 'mend verify', 'mend serve', 'mend restore'];

async function checkPage(p, name, response) {
  const page = p.page;
  const where = `${p.js ? 'js' : 'no-js'} ${name}`;
  const html = response ? await response.text() : await page.content();
  const file = path.join(tmp, `${String(htmlFiles.length).padStart(3, '0')}-${p.js ? 'js' : 'nojs'}-${name.replace(/\W+/g, '_')}.html`);
  fs.writeFileSync(file, html);
  htmlFiles.push({ file, where });
  // axe-core needs the page's timers, so it runs with JavaScript on; the markup is the same
  // server-rendered HTML either way (app.js changes no DOM)
  if (p.js) {
    // in the light colours and in the dark (the phone's prefers-color-scheme)
    for (const scheme of ['light', 'dark']) {
      await step(`${where}: axe-core WCAG 2.1 A/AA finds no violations (${scheme})`, async () => {
        await page.emulateMedia({ colorScheme: scheme });
        await page.evaluate(AXE + ';0');
        const res = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
        const v = res.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((nd) => nd.target.join(' ')).join(', ')})`);
        expect(v.length === 0, v.join('\n'));
      });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }
  {
    await step(`${where}: no horizontal scrolling at 390 px`, async () => {
      const w = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(w[0] <= w[1], `scrollWidth ${w[0]} > clientWidth ${w[1]}`);
    });
  }
  await step(`${where}: plain words: no internal key or operator command shown`, async () => {
    const text = await page.innerText('body');
    const keys = INTERNAL_WORDS.filter((w) => text.includes(w));
    expect(keys.length === 0, `shows ${keys.join(', ')}`);
  });
  await step(`${where}: the tab says only "mend"`, async () => {
    const t = await page.title();
    expect(t === 'mend', `title ${t}`);
  });
  // a report for a counsellor is a document with ISO dates, and the ledger quotes each entry as
  // it was sealed; every other page writes days and weeks as people do
  if (!/^report (made|link)|^the report|^ledger/.test(name)) {
    await step(`${where}: days and weeks in words, never 2026-12-07 or 2026-W49`, async () => {
      const text = await page.innerText('body');
      const iso = text.match(/\b\d{4}-\d{2}-\d{2}\b|\b\d{4}-W\d{2}\b/);
      expect(!iso, `shows ${iso && iso[0]}`);
    });
  }
  await step(`${where}: no console errors`, async () => {
    const e = p.errors.splice(0);
    expect(e.length === 0, e.join('\n'));
  });
}

async function visit(p, url, name) {
  const r = await p.page.goto(url);
  expect(r.ok(), `${url}: HTTP ${r.status()}`);
  await checkPage(p, name, r);
  return r;
}

// Submits a form by clicking its button and checks the page it lands on.
async function submit(p, button, name) {
  const [r] = await Promise.all([p.page.waitForNavigation(), p.page.click(button)]);
  await checkPage(p, name, r);
  return r;
}

async function shot(p, name) {
  if (!p.js) return;
  fs.mkdirSync(OUT, { recursive: true });
  await p.page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  await p.page.emulateMedia({ colorScheme: 'dark' });
  await p.page.screenshot({ path: path.join(OUT, `${name}-dark.png`), fullPage: true });
  await p.page.emulateMedia({ colorScheme: 'light' });
}

async function journey(browser, base, js) {
  const mode = js ? 'js' : 'no-js';
  const a = await partner(browser, js, 'first');
  const b = await partner(browser, js, 'second');
  const suffix = `${js ? 'j' : 'n'}${process.pid % 1000}`;
  try {
    await visit(a, base + '/', 'welcome');
    await shot(a, 'welcome');
    await step(`${mode}: the welcome page says what mend is and offers the quick exit`, async () => {
      expect(await a.page.isVisible('text=A quiet place to rebuild trust'), 'headline');
      expect(await a.page.isVisible('a.quick-exit'), 'quick exit visible');
    });
    await a.page.click('text=Start our space');
    await checkPage(a, 'signup', null);
    await shot(a, 'signup');
    // a mistake first: the form says what is wrong, at the field
    await a.page.fill('#f-display_name', 'Robin');
    await a.page.fill('#f-username', `robin_${suffix}`);
    await a.page.fill('#f-password', 'short');
    await submit(a, 'button[type=submit]', 'signup with an error');
    await step(`${mode}: a short password is refused with a message at the field`, async () => {
      expect(await a.page.isVisible('#f-password-error'), 'error shown');
      expect((await a.page.getAttribute('#f-password', 'aria-invalid')) === 'true', 'aria-invalid');
      expect((await a.page.inputValue('#f-username')) === `robin_${suffix}`, 'username kept');
    });
    await a.page.fill('#f-password', PW);
    await submit(a, 'button[type=submit]', 'home alone');
    await step(`${mode}: after sign-up the home page greets and offers an invite`, async () => {
      expect(await a.page.isVisible('text=Hello, Robin'), 'greeting');
      expect(await a.page.isVisible('text=has not joined yet'), 'partner missing');
    });
    await submit(a, 'text=Make an invite', 'home with invite');
    await shot(a, 'invite');
    const code = (await a.page.textContent('#invite-code')).trim();
    const link = await a.page.getAttribute('a.invite-link', 'href');
    await step(`${mode}: the invite shows a code and a link`, async () => {
      expect(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(code), `code ${code}`);
      expect(link.endsWith('/join/' + code), `link ${link}`);
    });

    await visit(b, link, 'join');
    await shot(b, 'join');
    await step(`${mode}: the invite link fills in the code`, async () => {
      expect((await b.page.inputValue('#f-code')) === code, 'code prefilled');
    });
    await b.page.fill('#f-display_name', 'Sam');
    await b.page.fill('#f-username', `sam_${suffix}`);
    await b.page.fill('#f-password', PW);
    await submit(b, 'button[type=submit]', 'home together');
    await shot(b, 'home');
    await step(`${mode}: the second partner joined the couple`, async () => {
      const text = await b.page.textContent('main');
      expect(text.includes('Robin') && text.includes('Sam (you)'), text);
      expect(!(await b.page.isVisible('text=Make an invite')), 'no invite once full');
    });
    await visit(a, base + '/', 'home of the first partner');
    await step(`${mode}: the first partner sees both`, async () => {
      const text = await a.page.textContent('main');
      expect(text.includes('Robin (you)') && text.includes('Sam'), text);
    });
    await atone(a, b, base, mode);
    await commitments(a, b, base, mode);
    await grow(a, b, base, mode);
    await owned(a, b, base, mode);
    await counsellor(browser, a, b, base, mode, suffix);
    await a.page.click('nav.tabs >> text=Tools');
    await checkPage(a, 'more', null);
    await shot(a, 'more');
    await a.page.click('main >> text=Your account');
    await checkPage(a, 'account', null);
    await shot(a, 'account');
    await a.page.fill('#f-current_password', 'not my password');
    await a.page.fill('#f-new_password', 'a new calm password');
    await submit(a, 'text=Change password', 'account with an error');
    await step(`${mode}: a wrong current password is refused`, async () => {
      expect(await a.page.isVisible('#f-current_password-error'), 'error at the field');
    });
    await a.page.fill('#f-current_password', PW);
    await a.page.fill('#f-new_password', 'a new calm password');
    await submit(a, 'text=Change password', 'account changed');
    await step(`${mode}: the password is changed`, async () => {
      expect(await a.page.isVisible('text=Your password is changed'), 'notice');
    });
    await submit(a, 'form[action="/logout"] button', 'after logout');
    await step(`${mode}: logged out, the welcome page is back`, async () => {
      expect(await a.page.isVisible('text=A quiet place to rebuild trust'), 'welcome');
    });
    await visit(a, base + '/login', 'login');
    await shot(a, 'login');
    await a.page.fill('#f-username', `ROBIN_${suffix}`);
    await a.page.fill('#f-password', 'a new calm password');
    await submit(a, 'button[type=submit]', 'home after login');
    await step(`${mode}: logging in again with the new password`, async () => {
      expect(await a.page.isVisible('text=Hello, Robin'), 'greeting');
    });
    {
      // with script a beacon and location.replace; without, the header's form and /exit's answer
      await step(`${mode}: the quick exit leaves at once and ends the session on this device`, async () => {
        // the neutral site stands in here: this network reaches nothing outside
        await a.page.route('https://www.bbc.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title>' }));
        await a.page.click('[data-quick-exit]');
        await a.page.waitForURL('https://www.bbc.com/**');
        let out = false;
        for (let i = 0; i < 20 && !out; i++) {
          await new Promise((res) => setTimeout(res, 100));
          const r = await a.ctx.request.get(base + '/account', { maxRedirects: 0 });
          out = r.status() === 303;
        }
        expect(out, 'the session ended: /account sends to log in');
      });
    }
    await submit(b, 'form[action="/logout"] button', 'second partner logged out');
    await step(`${mode}: pages that need a session send you to log in`, async () => {
      await b.page.goto(base + '/account');
      expect(b.page.url().endsWith('/login'), b.page.url());
    });
  } finally {
    await a.ctx.close();
    await b.ctx.close();
  }
}

// The first phase's tools, each partner in turn: what happened, feelings, questions,
// an apology checked by the coach, and moving on together.
async function atone(a, b, base, mode) {
  await visit(a, base + '/program', 'program');
  await shot(a, 'program');
  await step(`${mode}: the program starts at Acknowledge`, async () => {
    expect(await a.page.isVisible('text=1. Acknowledge (where you are)'), 'current phase');
  });
  // two paths: each says which describes them, and the program takes its steps in that order
  await a.page.check('#path-broke_trust');
  await submit(a, 'form[action="/program/path"] button', 'program, a path said');
  await visit(b, base + '/program', 'program of the second partner');
  await b.page.check('#path-hurt');
  await submit(b, 'form[action="/program/path"] button', 'program, the other path said');
  await shot(b, 'program-path');
  await step(`${mode}: each partner says which describes them, and the program follows it`, async () => {
    expect(await b.page.isVisible('text=Robin broke trust.'), 'the partner sees what the other said');
    expect(await b.page.isChecked('#path-hurt'), 'the choice is kept');
    expect(await b.page.isVisible("text=Robin's part:"), "the other path's steps are the partner's part");
  });
  await visit(a, base + '/breach', 'breach empty');
  await a.page.fill('#f-text', 'I hid the debt from you for a year and lied when you asked. I told you the card was ' +
    'paid off, I kept the statements in the car, and every time you worried I said it was nothing. It was not nothing, and I am sorry.');
  await a.page.fill('#f-root_cause', 'Shame, and being afraid of your disappointment.');
  await a.page.selectOption('#f-category', 'dishonesty');
  await a.page.selectOption('#f-broke_trust', 'me');
  await submit(a, 'text=Save my account', 'breach mine written');
  await step(`${mode}: an account waits for the other before anyone reads it`, async () => {
    expect(await a.page.isVisible('text=Sam has not written their account yet'), 'partner not yet');
  });
  await visit(b, base + '/breach', 'breach of the second partner');
  await step(`${mode}: the partner's draft stays hidden`, async () => {
    expect(!(await b.page.isVisible('text=I hid the debt')), 'hidden');
  });
  await step(`${mode}: the hurt partner's account starts from their partner's actions`, async () => {
    expect(await b.page.inputValue('#f-broke_trust') === 'partner', await b.page.inputValue('#f-broke_trust'));
  });
  await b.page.fill('#f-text', 'I found the letters from the bank in your car. For a year I had asked about money and ' +
    'been told that all was well. I felt foolish, then angry, then very alone in a house we share, and I still wake up at night and go over it again.');
  await b.page.fill('#f-root_cause', 'We stopped talking about money years ago.');
  await b.page.selectOption('#f-category', 'secrecy');
  await b.page.selectOption('#f-broke_trust', 'partner');
  await submit(b, 'text=Save my account', 'breach side by side');
  await shot(b, 'breach');
  await step(`${mode}: both accounts stand side by side`, async () => {
    expect(await b.page.isVisible('text=I hid the debt from you'), 'partner account shown');
  });
  await submit(b, 'text=I acknowledge what happened', 'breach acknowledged');

  await visit(a, base + '/feelings', 'feelings');
  await a.page.selectOption('#f-emotion', 'ashamed');
  await a.page.fill('#f-text', 'I feel ashamed every time I see your face when the post comes.');
  await submit(a, 'form[action="/feelings"] button[value=shared]', 'feelings saved');
  await step(`${mode}: the save says who can see it`, async () => {
    expect(await a.page.isVisible('text=Shared with Sam.'), 'shared with the partner, by name');
  });
  await visit(b, base + '/feelings', 'feelings shared with me');
  await submit(b, 'text=I hear you', 'feelings heard');
  await step(`${mode}: a shared feeling is heard`, async () => {
    expect(await b.page.isVisible('text=You said you hear this.'), 'heard');
  });
  // the trigger log: the hurt partner logs one in seconds and shares it; the other answers it
  await visit(b, base + '/triggers', 'triggers');
  await b.page.fill('#f-what', 'Our song, in the supermarket');
  await b.page.check('#f-strength-4');
  await submit(b, 'form[action="/triggers"] button[value=shared]', 'trigger shared');
  await step(`${mode}: a trigger is logged in seconds and the save says who sees it`, async () => {
    expect(await b.page.isVisible('text=Shared with Robin.'), 'shared, by name');
    expect(await b.page.isVisible('text=strength 4 of 5'), 'its strength');
  });
  await shot(b, 'triggers');
  await visit(a, base + '/triggers', 'triggers shared with me');
  await submit(a, "text=I'm here", 'trigger answered');
  await step(`${mode}: a shared trigger is answered with "I'm here"`, async () => {
    expect(await a.page.isVisible('text=You said you are here'), 'answered');
  });
  // hard dates: the hurt partner marks the day it came out; the one who broke trust is reminded
  await visit(b, base + '/hard-dates', 'hard dates');
  await b.page.fill('#f-title', 'The day I found out');
  await b.page.fill('#f-date', new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10));
  await submit(b, 'form[action="/hard-dates"] button', 'hard date added');
  await step(`${mode}: a hard date is seen by both and says who it reminds`, async () => {
    expect(await b.page.isVisible('text=The day I found out'), 'listed');
    expect(await b.page.isVisible('text=Reminds Robin 3 days before'), 'the partner who broke trust is reminded');
  });
  await shot(b, 'hard-dates');
  await visit(a, base + '/', 'home with a hard date near');
  await step(`${mode}: the partner who broke trust is asked to reassure ahead of it`, async () => {
    expect(await a.page.isVisible('text=reassure Sam ahead of it'), 'on the home page');
  });
  // letters: the partner who broke trust writes a disclosure, facts apart from further detail;
  // the hurt partner chooses how much before reading anything
  await visit(a, base + '/letters', 'letters');
  await a.page.selectOption('#f-kind', 'disclosure');
  await a.page.fill('#f-body', 'I met her four times between March and May, and lied each time about where I was.');
  await a.page.fill('#f-more', 'The first time was at the conference hotel.');
  await submit(a, 'form[action="/letters"] button', 'letter drafted');
  await step(`${mode}: a disclosure is a draft for its writer alone, read by the coach`, async () => {
    expect(await a.page.isVisible('text=Draft, only you see it'), 'a draft');
    expect(await a.page.isVisible('text=What the coach sees'), 'the coach reads it');
  });
  await shot(a, 'letters-draft');
  await submit(a, 'button:has-text("Give it to Sam")', 'letter given');
  await visit(b, base + '/letters', 'letters given to me');
  await step(`${mode}: the reader chooses how much before anything is shown`, async () => {
    expect(await b.page.isVisible('text=how much do you want to know?'), 'asked first');
    expect(!(await b.page.isVisible('text=four times between March')), 'nothing shown yet');
  });
  await submit(b, 'button:has-text("The facts only")', 'letter opened, facts only');
  await step(`${mode}: the facts, and the further detail only when asked for`, async () => {
    expect(await b.page.isVisible('text=four times between March'), 'the facts');
    expect(!(await b.page.isVisible('text=conference hotel')), 'not the further detail');
  });
  await shot(b, 'letters-read');
  await submit(b, 'button:has-text("I read it")', 'letter read');
  // the hurt partner's impact letter, then the restitution letter in reply
  await b.page.selectOption('#f-kind', 'impact');
  await b.page.fill('#f-body', 'Since I found out I sleep badly, and I doubt my own memory of our years.');
  await submit(b, 'form[action="/letters"] button', 'impact letter drafted');
  await submit(b, 'button:has-text("Give it to Robin")', 'impact letter given');
  await visit(a, base + '/letters', 'an impact letter to read');
  await step(`${mode}: an impact letter is read without a choice of detail`, async () => {
    expect(await a.page.isVisible('text=I sleep badly'), 'its words');
  });
  await submit(a, 'button:has-text("I read it")', 'impact letter read');
  await a.page.selectOption('#f-kind', 'restitution');
  await a.page.fill('#f-body', 'I am sorry. I lied to you and it was my fault. I can only imagine how betrayed you felt. ' +
    'From now on I will tell you the truth, even when it is hard. I want to make this right. Will you forgive me?');
  await submit(a, 'form[action="/letters"] button', 'restitution letter drafted');
  await submit(a, 'button:has-text("Give it to Sam")', 'restitution letter given');
  await visit(b, base + '/letters', 'a restitution letter to read');
  await submit(b, 'button:has-text("I read it")', 'restitution letter read');
  await submit(b, 'button:has-text("I feel heard")', 'restitution letter heard');
  await step(`${mode}: the restitution letter answers the impact letter, and is heard`, async () => {
    expect(await b.page.isVisible('text=You said you feel heard.'), 'heard');
  });
  // a time-out in one tap from any page's footer; every page of both then says until when
  await submit(a, 'footer form[action="/timeouts"] button', 'time-out called');
  await step(`${mode}: a time-out is called in one tap and both pages say until when`, async () => {
    expect(await a.page.isVisible('text=A time-out is on until'), 'said at once');
  });
  await visit(b, base + '/questions', 'a page during a time-out');
  await step(`${mode}: the partner's pages say it too`, async () => {
    expect(await b.page.isVisible('text=A time-out is on until'), 'on every page');
    expect(await b.page.isHidden('footer form[action="/timeouts"]'), 'and no second one is offered');
  });

  await visit(b, base + '/questions', 'questions');
  await b.page.fill('#f-text', 'Is there any other debt I do not know about?');
  await submit(b, 'form[action="/questions"] button', 'question asked');
  await visit(a, base + '/', 'home with a question waiting');
  await step(`${mode}: the waiting question tops the partner's home page`, async () => {
    expect(await a.page.isVisible('text=Waiting for you'), 'waiting section');
    expect(await a.page.isVisible('text=Is there any other debt I do not know about?'), 'the question in it');
  });
  await visit(a, base + '/questions', 'questions to answer');
  await a.page.fill('.question textarea', 'No. There is a credit card too; I will show you the statement tonight.');
  await step(`${mode}: a question is not asked again while it waits`, async () => {
    expect(!(await b.page.isVisible('text=Ask again')), 'no button while it waits');
    expect(await b.page.isVisible("text=Waiting for Robin's answer."), 'said so');
  });
  await submit(a, '.question button', 'question answered');
  await visit(b, base + '/questions', 'questions, answered');
  await submit(b, 'text=Ask again', 'question asked again');
  await shot(b, 'questions');
  await step(`${mode}: asking again is counted`, async () => {
    expect(await b.page.isVisible('text=2 times'), 'counted');
  });

  await visit(a, base + '/apologies', 'apologies');
  await a.page.fill('#f-text', "I'm sorry if you felt hurt, but I was under a lot of pressure.");
  await submit(a, 'form[action="/apologies"] button', 'apology draft with findings');
  await step(`${mode}: the coach marks what works against the apology`, async () => {
    expect(await a.page.isVisible('mark.finding >> text=sorry if you felt'), 'conditional marked');
  });
  await a.page.fill('.apology textarea', 'I am sorry. I hid the debt and lied to you, and that was my fault. I can only imagine how betrayed you felt. From now on I will show you every statement. I want to make this right. Will you forgive me?');
  await submit(a, 'text=Save and check again', 'apology rewritten');
  await shot(a, 'apology');
  await step(`${mode}: the rewritten apology has every part`, async () => {
    expect(await a.page.isVisible('text=This apology has every part'), 'every part');
  });
  await submit(a, 'text=Give it to your partner', 'apology given');
  await visit(b, base + '/apologies', 'apology to answer');
  await b.page.check('.response-form input[value="1"]');
  await submit(b, '.response-form button', 'apology answered');
  await visit(a, base + '/apologies', 'apology answered seen by its author');
  await step(`${mode}: the author sees the partner feels heard`, async () => {
    expect(await a.page.isVisible('text=feels heard.'), 'heard');
  });

  await visit(a, base + '/program', 'program again');
  await submit(a, 'text=I am ready for Safety', 'program ready');
  await visit(b, base + '/program', 'program partner ready');
  await submit(b, 'text=I am ready for Safety', 'program moved');
  await step(`${mode}: both ready: the couple moves to Safety`, async () => {
    expect(await b.page.isVisible('text=2. Safety (where you are)'), 'phase 2');
  });
}

// Agreements both sign, a promise reported and confirmed, and the ledger that keeps it all.
async function commitments(a, b, base, mode) {
  await visit(a, base + '/agreements', 'agreements');
  await a.page.fill('#f-title', 'Money in the open');
  await a.page.fill('#f-text', 'We both see every account and statement, and talk before any spending over 200.');
  await a.page.selectOption('#f-category', 'transparency');
  await submit(a, 'form[action="/agreements"] button', 'agreement proposed');
  await step(`${mode}: a proposal waits for the partner's signature`, async () => {
    expect(await a.page.isVisible('#ag2-h'), 'waiting section');
    expect(await a.page.isVisible('text=Money in the open'), 'listed');
  });
  await visit(b, base + '/agreements', 'agreements to sign');
  await submit(b, 'text=Sign it', 'agreement signed');
  await shot(b, 'agreements');
  await step(`${mode}: signed by both, it is in force`, async () => {
    expect(await b.page.isVisible('text=in force since'), 'active');
  });
  await visit(b, base + '/promises', 'promises');
  await b.page.fill('#f-text', 'Tell you where I am when plans change');
  await b.page.selectOption('#f-every', 'day');
  await submit(b, 'form[action="/promises"] button', 'promise made');
  await b.page.check('.report-form input[name=kept][value="1"]');
  await submit(b, '.report-form button', 'promise reported');
  await visit(a, base + '/', 'home with a report to confirm');
  await step(`${mode}: the home page shows a report waiting for confirmation`, async () => {
    expect(await a.page.isVisible("text=Confirm Sam's report on"), 'waiting');
  });
  await visit(a, base + '/promises', 'promises to confirm');
  await a.page.check('.confirm-form input[name=confirmed][value="1"]');
  await submit(a, '.confirm-form button', 'promise confirmed');
  await shot(a, 'promises');
  await step(`${mode}: a confirmed promise counts, and no score stands for one report`, async () => {
    expect(await a.page.isVisible('text=Sam: the score shows after three reports'), 'a score only after three reports');
    expect(await a.page.isVisible('text=1 kept, 0 missed'), 'the count');
  });
  await submit(b, 'a:has-text("Tell you where I am when plans change")', "a promise's page");
  await b.page.fill('#f-reason', 'Away for work until Friday, no signal at the site.');
  await submit(b, 'form[action$="/pause"] button', 'promise paused');
  await step(`${mode}: the promiser pauses a promise, and it says why`, async () => {
    expect(await b.page.isVisible('text=Resume it'), 'it can resume');
    expect(await b.page.isVisible('text=Away for work until Friday'), 'the reason');
  });
  await visit(a, base + '/promises', 'promises with one paused');
  await step(`${mode}: the partner sees the promise paused, not missed`, async () => {
    expect(await a.page.isVisible('text=Paused: not due from'), 'paused');
  });
  await submit(b, 'form[action$="/resume"] button', 'promise resumed');
  await visit(a, base + '/talks', 'talk and listen');
  await a.page.fill('#f-topic', 'The evenings you work late');
  await a.page.selectOption('#f-first', 'me');
  await a.page.selectOption('#f-how', 'written');
  await submit(a, 'form[action="/talks"] button', 'talk started');
  await a.page.fill('#f-text', 'I feel alone when the evenings pass without a word.');
  await submit(a, 'form[action$="/steps"] button', 'said in a talk');
  await visit(b, base + '/', 'home with a turn in a talk');
  await step(`${mode}: the partner finds their turn in the talk`, async () => {
    expect(await b.page.isVisible('text=Your turn in the talk about'), 'waiting');
  });
  await submit(b, 'a:has-text("Your turn in the talk about")', 'a talk, the listener');
  await b.page.fill('#f-text', 'You feel alone in the evenings I am away.');
  await submit(b, 'form[action$="/steps"] button', 'said back in a talk');
  await visit(a, base + '/talks', 'talks');
  await submit(a, 'a:has-text("The evenings you work late")', 'a talk, the speaker again');
  await step(`${mode}: the speaker says whether that is it`, async () => {
    expect(await a.page.isVisible("text=Yes, that's it"), 'yes');
    expect(await a.page.isVisible('text=You feel alone in the evenings I am away.'), 'what was heard');
  });
  await submit(a, "button:has-text(\"Yes, that's it\")", 'that is it');
  await submit(a, 'form[action$="/close"] button', 'talk ended');
  await visit(a, base + '/talks', 'talks, to start one in person');
  await a.page.fill('#f-topic', 'Money');
  await a.page.selectOption('#f-first', 'me');
  await a.page.selectOption('#f-how', 'in_person');
  await a.page.fill('#f-turn_minutes', '2');
  await submit(a, 'form[action="/talks"] button', 'talk in person started');
  await submit(a, 'form[action$="/steps"] button', 'the speaker has the floor');
  await step(`${mode}: in person, mend keeps the time of a turn`, async () => {
    expect(await a.page.isVisible('text=the floor until'), 'the clock time it ends');
    if (a.js) expect(/\d:\d\d left/.test(await a.page.textContent('.countdown')), 'counted down, with script');
    else expect(!(await a.page.isVisible('.countdown')), 'no countdown without script');
  });
  await submit(a, 'form[action$="/close"] button', 'talk in person ended');
  await visit(b, base + '/truths', 'daily truth');
  await b.page.fill('#f-text', 'I still flinch when your phone buzzes.');
  await submit(b, 'form[action="/truths"] button', 'daily truth shared');
  await shot(b, 'truths');
  await step(`${mode}: today's truth is shared and the streak starts`, async () => {
    expect(await b.page.isVisible('text=Your streak: 1 day.'), 'streak');
    expect(await b.page.isVisible('text=I still flinch when your phone buzzes.'), 'listed');
  });
  await visit(a, base + '/truths', 'daily truth of the partner');
  await submit(a, 'form[action^="/truths/"] button[value="1"]', 'a heart sent');
  await visit(b, base + '/truths', 'daily truth answered');
  await step(`${mode}: the partner answers a truth with a heart`, async () => {
    expect(await b.page.isVisible('text=Robin sent a heart'), 'the heart, seen by its author');
  });
  await checkin(a, base, mode, 'check-in', 5, 'Sunday walks.');
  await step(`${mode}: one partner's answers stay private until both answered`, async () => {
    expect(await a.page.isVisible('text=Sam has not answered this week.'), 'waiting for Sam');
  });
  await checkin(b, base, mode, 'check-in of the second partner', 4, 'Honesty about the phone.',
    { thanks: 'You cooked on Thursday when I was late.', issue: 'How we spend Sunday evenings.' });
  await shot(b, 'checkin');
  await step(`${mode}: both answered: the answers stand side by side`, async () => {
    expect(await b.page.isVisible('text=Sunday walks.'), "Robin's answer revealed");
    expect(await b.page.isVisible('text=Trust: 4.0 of 7'), 'own trust index');
    expect(await b.page.isVisible('text=How we spend Sunday evenings.'), "the meeting's issue, revealed too");
  });
  await visit(a, base + '/dashboard', 'progress');
  await shot(a, 'progress');
  await step(`${mode}: the progress page draws both trust lines and says them in words`, async () => {
    expect(await a.page.isVisible('svg.chart'), 'chart');
    expect(await a.page.isVisible('text=Your trust: 5.0 of 7 in the latest week'), 'in words');
    expect(await a.page.isVisible('text=Sam: 4.0 of 7 in the latest week'), 'partner in words');
  });
  await visit(a, base + '/guidance', 'guidance');
  await step(`${mode}: guidance names its limits and keeps the quick exit at hand`, async () => {
    expect(await a.page.isVisible('text=If this is about control, threats or violence'), 'safety section');
    expect(await a.page.isVisible('.safety [data-quick-exit]'), 'quick exit beside it');
  });
  await visit(a, base + '/ledger', 'ledger');
  await shot(a, 'ledger');
  await step(`${mode}: the ledger tells it in plain words`, async () => {
    expect(await a.page.isVisible('text=Sam signed "Money in the open" (version 1); it is now in force.'), 'signature');
    expect(await a.page.isVisible('text=Robin confirmed the report of'), 'confirmation');
  });
}

// The later part of the process: journal, closeness, moments, values, setbacks, forgiveness
// and letting the past rest. Runs after the check-ins, so the chart has weeks to mark.
async function grow(a, b, base, mode) {
  await visit(a, base + '/journal', 'journal');
  await a.page.fill('#f-body', 'We *talked* for an hour, phones away.');
  await submit(a, 'form[action="/journal"] button[value=shared]', 'journal entry shared');
  await a.page.fill('#f-body', 'Only for me: I am still angry some mornings.');
  await submit(a, 'form[action="/journal"] button[value=private]', 'private journal entry');
  await step(`${mode}: keeping it private says so`, async () => {
    expect(await a.page.isVisible('text=Saved. Only you can see this.'), 'only you');
  });
  await shot(a, 'journal');
  await step(`${mode}: the journal renders Markdown and marks the private entry`, async () => {
    expect(await a.page.isVisible('em:text("talked")'), 'emphasis');
    expect(await a.page.isVisible('text=private, only you can read it'), 'private marked');
  });
  await visit(b, base + '/journal', 'journal of the partner');
  await b.page.click('article summary');
  await b.page.fill('textarea[name^="body-"]', 'It felt like us again.');
  await submit(b, 'form[action$="/additions"] button', 'journal addition');
  await step(`${mode}: the partner adds to the shared entry and never sees the private one`, async () => {
    expect(await b.page.isVisible('text=It felt like us again.'), 'addition shown');
    expect(!(await b.page.isVisible('text=still angry')), 'private entry hidden');
  });
  for (const [p, name] of [[a, 'closeness'], [b, 'closeness of the partner']]) {
    await visit(p, base + '/closeness', name);
    await p.page.check('input[name="step-walk"][value="ready"]');
    await submit(p, 'form[action="/closeness"] button', name + ' saved');
  }
  await step(`${mode}: a step both marked ready today is not shown yet`, async () => {
    expect(!(await b.page.isVisible('.matches >> text=A walk together')), 'no match on the same day');
  });
  // a day passes
  execFileSync('sqlite3', [DBFILE, 'UPDATE closeness_choices SET updated_at = updated_at - 86400']);
  await visit(b, base + '/closeness', 'closeness the next day');
  await shot(b, 'closeness');
  await step(`${mode}: the next day, a step both are ready for appears`, async () => {
    expect(await b.page.isVisible('.matches >> text=A walk together'), 'the match');
  });
  await visit(a, base + '/moments', 'moments');
  await a.page.fill('#f-title', 'Dinner at the harbour');
  await a.page.selectOption('#f-kind', 'date');
  await submit(a, 'form[action="/moments"] button', 'moment planned');
  await visit(b, base + '/moments', 'moments of the partner');
  await b.page.fill('#f-text', 'the tea this morning');
  await submit(b, 'form[action="/appreciations"] button', 'appreciation sent');
  await shot(b, 'moments');
  await step(`${mode}: a planned moment and a thank-you, seen by both`, async () => {
    expect(await b.page.isVisible('text=Dinner at the harbour'), 'moment');
    expect(await b.page.isVisible('text=the tea this morning'), 'appreciation');
  });
  await visit(a, base + '/values', 'values');
  await a.page.fill('#f-text', 'Honesty, even when it is hard.');
  await submit(a, 'form[action="/values"] button', 'value proposed');
  await visit(b, base + '/values', 'values of the partner');
  await submit(b, 'form[action$="/affirm"] button', 'value affirmed');
  await shot(b, 'values');
  await step(`${mode}: a value affirmed by the other is the couple's`, async () => {
    expect(await b.page.isVisible('text=ours since'), 'affirmed');
  });
  await visit(b, base + '/setbacks', 'setbacks');
  await b.page.fill('#f-what', 'A song in the shop brought it all back.');
  await b.page.selectOption('#f-severity', '3');
  await submit(b, 'form[action="/setbacks"] button', 'setback logged');
  await visit(a, base + '/dashboard', 'progress with a setback');
  await step(`${mode}: the setback is marked on the chart and nothing resets`, async () => {
    expect(await a.page.isVisible('text=1 setback in these weeks'), 'said in words');
    expect((await a.page.$$('svg.chart g.setback')).length === 1, 'marked');
  });
  await visit(b, base + '/forgiveness', 'forgiveness');
  await b.page.fill('#f-text', 'Not yet. Some days closer.');
  await submit(b, 'form[action="/forgiveness"] button', 'forgiveness note');
  await shot(b, 'forgiveness');
  await visit(a, base + '/forgiveness', 'forgiveness of the partner');
  await step(`${mode}: a forgiveness note stays with its author`, async () => {
    expect(!(await a.page.isVisible('text=Some days closer')), 'not shown to the partner');
  });
  await submit(a, 'form[action="/rest"] button', 'let it rest, one');
  await visit(b, base + '/forgiveness', 'forgiveness, the second choice');
  await submit(b, 'form[action="/rest"] button', 'let it rest, both');
  await step(`${mode}: when both let it rest, the archive takes its place`, async () => {
    expect((await b.page.$$('details.tools a[href="/archive"]')).length === 1, 'archive in the menu');
    expect((await b.page.$$('details.tools a[href="/questions"]')).length === 0, 'questions out of daily view');
  });
}

// The counsellor's report (at phone size and in print), its read-only link, and the account's
// data section. The journal entry of grow() is marked for reports first.
async function owned(a, b, base, mode) {
  await visit(a, base + '/journal', 'journal before a report');
  await submit(a, 'form[action$="/report"] button', 'entry marked for reports');
  await visit(a, base + '/reports', 'reports');
  await submit(a, 'form[action="/reports"] button', 'report made');
  await shot(a, 'report');
  await step(`${mode}: the report shows the period's shared data and the chosen note`, async () => {
    expect(await a.page.isVisible('h1:text("Report for a counsellor")'), 'title');
    expect(await a.page.isVisible('svg.chart'), 'trust chart');
    expect(await a.page.isVisible('.note em:text("talked")'), 'the chosen note, rendered');
    expect(!(await a.page.isVisible('text=still angry')), 'nothing private');
  });
  await a.page.emulateMedia({ media: 'print' });
  await shot(a, 'report-print');
  await step(`${mode}: in print, the report is the report alone`, async () => {
    expect(!(await a.page.isVisible('.no-print')), 'the back link is not printed');
    expect(await a.page.isVisible('svg.chart'), 'the chart is');
  });
  await a.page.emulateMedia({ media: 'screen' });
  await visit(a, base + '/reports', 'reports with one made');
  await submit(a, 'form[action$="/links"] button', 'report link made');
  const link = await a.page.getAttribute('.code a', 'href');
  await visit(b, link, 'the report through its link');
  await step(`${mode}: the link shows the report and nothing else`, async () => {
    expect(await b.page.isVisible('h1:text("Report for a counsellor")'), 'the report');
    expect((await b.page.$$('nav')).length === 0, 'no menu');
  });
  await visit(b, base + '/account', 'account with your data');
  await shot(b, 'account-data');
  await step(`${mode}: the account page offers the download, deletion and erasure`, async () => {
    expect(await b.page.isVisible('a[href="/account/export"]'), 'download');
    expect(await b.page.isVisible('text=Delete my account'), 'delete');
    expect(await b.page.isVisible('text=Erase our couple space'), 'erase');
  });
}

// A counsellor in the loop: the operator adds one, who chooses their own password; one partner
// asks to let them in with a part left out, the other agrees; the counsellor sees the couple's
// signs and live report, keeps a note and suggests something, which waits in the inbox; the
// couple sees each opening, ends the access, and the counsellor sees that it ended.
async function counsellor(browser, a, b, base, mode, suffix) {
  const user = `reyes_${suffix}`;
  const out = execFileSync(MEND, ['counsellor', 'add', user, '--name', 'Dr. Ana Reyes', '--db', DBFILE], { encoding: 'utf8' });
  const once = out.trim().split('\n').pop().trim();
  const c = await partner(browser, a.js, 'counsellor');
  try {
    await visit(c, base + '/login', 'counsellor log-in');
    await c.page.fill('#f-username', user);
    await c.page.fill('#f-password', once);
    await submit(c, 'main form button[type=submit]', 'counsellor first log-in');
    await step(`${mode}: the counsellor chooses their own password before anything else`, async () => {
      expect(c.page.url().endsWith('/account'), c.page.url());
      expect(await c.page.isVisible('text=Choose your own password first'), 'said why');
    });
    await c.page.fill('#f-current_password', once);
    await c.page.fill('#f-new_password', PW);
    await submit(c, 'text=Change password', 'counsellor password chosen');
    await visit(c, base + '/counsellor', 'counsellor without couples');
    await step(`${mode}: a counsellor sees no couple until one lets them in`, async () => {
      expect(await c.page.isVisible('text=No couple has let you in yet'), 'empty');
    });
    await visit(a, base + '/counsellor-access', 'a counsellor, none yet');
    await a.page.fill('#f-counsellor', user);
    await a.page.uncheck('#f-tool-notes');
    await submit(a, 'form[action="/counsellor-access"] button', 'counsellor asked');
    await step(`${mode}: asked, nothing is visible until the partner agrees`, async () => {
      expect(await a.page.isVisible('text=Nothing is visible to them until Sam agrees'), 'waits for Sam');
    });
    await visit(c, base + '/counsellor', 'counsellor before the agreement');
    await step(`${mode}: the counsellor sees nothing before both agreed`, async () => {
      expect(await c.page.isVisible('text=No couple has let you in yet'), 'still empty');
    });
    await visit(b, base + '/', 'home with a counsellor to agree to');
    await step(`${mode}: the request waits on the partner's home page`, async () => {
      expect(await b.page.isVisible('text=Dr. Ana Reyes, a counsellor'), 'in the inbox');
    });
    await visit(b, base + '/counsellor-access', 'a counsellor to agree to');
    await submit(b, 'text=I agree to let them in', 'counsellor agreed');
    await visit(c, base + '/counsellor', 'counsellor with a couple');
    await shot(c, 'counsellor');
    await step(`${mode}: the counsellor sees the couple with their signs`, async () => {
      const text = await c.page.textContent('main');
      expect(text.includes('Robin and Sam') && text.includes('Trust') && text.includes('Check-ins missed'), text);
    });
    await Promise.all([c.page.waitForNavigation(), c.page.click('main h2 a')]);
    await checkPage(c, 'counsellor couple', null);
    const coupleUrl = c.page.url();
    await step(`${mode}: the live report holds the parts chosen, and not the one left out`, async () => {
      expect(await c.page.isVisible('main h2:text("Agreements")'), 'agreements');
      expect(!(await c.page.isVisible('main h2:text("Notes the partners chose to include")')), 'no notes');
    });
    await c.page.fill('#f-note', 'Calmer this week; ask about the evenings.');
    await submit(c, 'text=Keep the note', 'counsellor note kept');
    await c.page.fill('#f-text', 'This week, try the meeting agenda together.');
    await submit(c, 'text=Send it to them', 'counsellor suggestion sent');
    await visit(a, base + '/', 'home with a suggestion');
    await step(`${mode}: the suggestion waits in the inbox, the note never shows`, async () => {
      expect(await a.page.isVisible('text=Dr. Ana Reyes suggests something for this week'), 'in the inbox');
      expect(!(await a.page.isVisible('text=ask about the evenings')), 'the note is the counsellor\'s');
    });
    await visit(a, base + '/counsellor-access', 'a counsellor in, with the log');
    await shot(a, 'counsellor-access');
    await step(`${mode}: the couple sees each time the counsellor opened their report`, async () => {
      expect(await a.page.isVisible('text=Each time they opened your space'), 'the log');
      expect((await a.page.$$('ul.views li')).length >= 2, 'two openings');
      expect(await a.page.isVisible('text=This week, try the meeting agenda together.'), 'the suggestion');
    });
    await submit(a, 'text=Set it aside', 'suggestion set aside');
    await submit(a, 'text=End their access now', 'counsellor access ended');
    await step(`${mode}: ended at once for the counsellor, who sees that it ended`, async () => {
      const r = await c.page.goto(base + '/counsellor');
      expect(r.ok(), `HTTP ${r.status()}`);
      expect(await c.page.isVisible('text=ended your access on'), 'said');
      const gone = await c.page.goto(coupleUrl);
      expect(gone.status() === 404, `HTTP ${gone.status()}`);
    });
  } finally {
    await c.ctx.close();
  }
}

// Answers this week's check-in through the form: every scale at `value`, and one need.
async function checkin(p, base, mode, name, value, need, agenda) {
  await visit(p, base + '/checkins', name);
  for (const id of ['predictable_word', 'predictable_know', 'dependable_there', 'dependable_honest', 'faith_cares',
    'faith_hope', 'safety', 'closeness']) await p.page.check(`#f-${id}-${value}`);
  await p.page.fill('#f-need', need);
  // the weekly meeting's agenda: an appreciation and the one issue, revealed with the answers
  if (agenda) {
    await p.page.fill('#f-appreciation_1', agenda.thanks);
    await p.page.fill('#f-issue', agenda.issue);
  }
  await submit(p, '.checkin-form button', name + ' answered');
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
    report(mine.length === 0, `${h.where}: the Nu Html Checker finds no errors`,
      mine.map((m) => `line ${m.lastLine}: ${m.message}`).join('\n'));
  }
}

(async () => {
  const srv = await startServer();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright gives every launch a fresh, empty profile directory of its own
  });
  try {
    for (const js of [true, false]) {
      try { await journey(browser, srv.base, js); } catch (e) {
        // a failure inside a step is reported there; anything else (a click that found
        // nothing, a navigation that never came) is reported here, so it cannot pass unseen
        if (!(e && e.reported)) report(false, `${js ? 'js' : 'no-js'}: the journey stopped`, e && e.stack || e);
      }
    }
    validateHtml();
  } finally {
    await browser.close();
    srv.proc.kill('SIGTERM');
  }
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`not ok ${n + 1} - the journey could not run`); console.log('#   ' + e.stack); process.exit(1); });
