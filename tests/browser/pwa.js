// mend as an app on the phone, in Debian's Chromium against a real `mend serve`: Chromium's
// own installability check, the service worker's offline page, a journal entry written
// offline (kept, marked "not sent yet", sent when the connection is back), reminders turned on
// from the account page (the browser subscribes; only its registration at Google's push service,
// which this network cannot reach, is played by the test push service), a push that mend sends
// when the partner asks something, received and decrypted by the test push service
// (tests/push) and delivered as it came to the service worker (DevTools'
// ServiceWorker.deliverPushMessage), shown as a notification that opens its page when clicked,
// and reminders by e-mail: the address confirmed by the link mailed to an SMTP sink
// (tests/mail), then a mail for the next thing that waits. Prints TAP.
// Usage: node pwa.js path/to/mend
'use strict';
const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const MEND = path.resolve(process.argv[2] || 'build/mend');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const PW = 'a calm long password';
let n = 0, failed = 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mend-pwa-'));

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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (await fn()) return;
  throw new Error('timed out: ' + what);
}

function freePort() {
  return new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
}

// A helper process that prints its port on its first line: [process, port].
function helper(cmd, args) {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; const m = /^(\d+)\n/.exec(out); if (m) res([p, Number(m[1])]); });
    p.on('exit', (code) => rej(new Error(`${cmd} ${args.join(' ')} ended (${code})`)));
  });
}

(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const here = __dirname;
  const [pushProc, pushPort] = await helper('node', [path.join(here, '..', 'push', 'receiver.js')]);
  const mails = path.join(tmp, 'mail.jsonl');
  const [mailProc, mailPort] = await helper('/usr/bin/python3', [path.join(here, '..', 'mail', 'sink.py'), mails]);
  const pushes = `http://127.0.0.1:${pushPort}`;
  const proc = spawn(MEND, ['serve', '--db', path.join(tmp, 'pwa.db'), '--listen', `127.0.0.1:${port}`,
    '--push-every', '1', '--push-hosts', '127.0.0.1', '--push-contact', 'mailto:ops@mend.test',
    '--smtp', `smtp://127.0.0.1:${mailPort}`, '--smtp-from', 'mend@mend.test', '--base-url', base], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(base + '/healthz')).ok) break; } catch (e) { /* not yet */ }
    await sleep(50);
  }
  const api = async (method, p, body, token) => {
    const r = await fetch(base + '/api/v1' + p, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
      body: body ? JSON.stringify(body) : undefined });
    return { status: r.status, json: r.status === 204 ? null : await r.json() };
  };
  await api('POST', '/signup', { username: 'robin_pwa', password: PW, display_name: 'Robin' });
  // a profile of its own on disk: an incognito context is never installable
  const ctx = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  await ctx.grantPermissions(['notifications'], { origin: base });
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(m.text())) errors.push(m.text()); });
  try {
    await page.goto(base + '/login');
    await page.fill('#f-username', 'robin_pwa');
    await page.fill('#f-password', PW);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);

    await step('the service worker takes the whole site as its scope', async () => {
      const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
      expect(scope === base + '/', scope);
      await page.reload();
      expect(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the page is controlled after a reload');
    });

    const cdp = await ctx.newCDPSession(page);
    await step("Chromium's installability check finds nothing missing", async () => {
      const r = await cdp.send('Page.getInstallabilityErrors');
      expect(r.installabilityErrors.length === 0, JSON.stringify(r.installabilityErrors));
      const m = await (await fetch(base + '/manifest.webmanifest')).json();
      expect(m.display === 'standalone' && m.start_url === '/' && m.theme_color, JSON.stringify(m));
      for (const [size, purpose] of [['192x192', 'any'], ['512x512', 'any'], ['192x192', 'maskable'], ['512x512', 'maskable']]) {
        const icon = m.icons.find((i) => i.sizes === size && i.purpose === purpose);
        expect(icon, `an icon ${size} ${purpose}`);
        const png = Buffer.from(await (await fetch(base + icon.src)).arrayBuffer());
        expect(png.readUInt32BE(16) + 'x' + png.readUInt32BE(20) === size, `${icon.src} is ${size}`);
      }
    });

    // the journal page, loaded while the connection is there
    await page.goto(base + '/journal');
    await ctx.setOffline(true);
    await step('offline, a page that cannot be reached shows the offline page, which passes axe', async () => {
      const other = await ctx.newPage();
      await other.goto(base + '/questions');
      expect(await other.isVisible('text=You are offline'), await other.textContent('body'));
      expect(!(await other.textContent('body')).includes('Robin'), 'nothing of anyone on it');
      await other.evaluate(AXE + ';0');
      const v = await other.evaluate(async () => (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations.map((x) => x.id));
      expect(v.length === 0, v.join(', '));
      await other.close();
    });
    await step('a journal entry written offline is kept on the device, marked not sent yet', async () => {
      await page.fill('#f-body', 'Written on the train, *offline*.');
      await page.click('form[action="/journal"] button[type=submit]');
      await until('the mark', () => page.isVisible('#drafts-note'));
      expect((await page.textContent('#drafts-note')).includes('Not sent yet'), await page.textContent('#drafts-note'));
      const login = (await api('POST', '/login', { username: 'robin_pwa', password: PW })).json;
      const seen = (await api('GET', '/journal', null, login.token)).json.entries;
      expect(seen.length === 0, 'nothing reached the server yet');
    });
    await ctx.setOffline(false);
    await step('back online, the draft is sent once and the mark goes', async () => {
      await until('the mark to go', async () => !(await page.isVisible('#drafts-note')), 8000);
      const login = (await api('POST', '/login', { username: 'robin_pwa', password: PW })).json;
      const seen = (await api('GET', '/journal', null, login.token)).json.entries;
      expect(seen.length === 1 && seen[0].body === 'Written on the train, *offline*.', JSON.stringify(seen));
      expect(await page.evaluate(() => localStorage.getItem('mend-drafts')) === null, 'nothing left on the device');
    });

    // the partner, who will ask something
    const robin = (await api('POST', '/login', { username: 'robin_pwa', password: PW })).json.token;
    const inv = (await api('POST', '/invites', null, robin)).json;
    const sam = (await api('POST', '/join', { code: inv.code, username: 'sam_pwa', password: PW, display_name: 'Sam' })).json.token;
    let pushed = null;
    await step('reminders turned on from the account page: the browser subscribes and the server keeps it', async () => {
      // what Chromium would get from Google's push service, here from the test push service:
      // only the browser's own subscribe is played, on every page from now on
      const made = await (await fetch(pushes + '/subscriptions/robin', { method: 'POST' })).json();
      await ctx.addInitScript((sub) => {
        if (!window.PushManager) return;
        PushManager.prototype.subscribe = function (opts) {
          const key = btoa(String.fromCharCode.apply(null, new Uint8Array(opts.applicationServerKey)))
            .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
          sessionStorage.setItem('subscribedWith', JSON.stringify({ key, userVisibleOnly: opts.userVisibleOnly }));
          return Promise.resolve({ toJSON: () => sub });
        };
      }, made);
      await page.goto(base + '/account');
      expect(await page.isVisible('[data-push-key]'), 'the button shows where the browser can push');
      await page.check('#f-push');
      // no quiet hours: the test runs at any hour of the day
      await page.fill('#f-quiet_from', '00:00');
      await page.fill('#f-quiet_to', '00:00');
      await Promise.all([page.waitForNavigation(), page.click('form[action="/account/reminders"] button[type=submit]')]);
      expect(await page.isVisible('text=Saved. Only you can see these choices.'), 'the choice is saved');
      await Promise.all([page.waitForNavigation(), page.click('[data-push-key]')]);
      const used = JSON.parse(await page.evaluate(() => sessionStorage.getItem('subscribedWith')));
      const key = (await api('GET', '/push/key', null, robin)).json.vapid_public_key;
      expect(used && used.key === key && used.userVisibleOnly === true, 'subscribed with the server key: ' + JSON.stringify(used));
      expect(!(await page.isVisible('text=No phone or browser gets your reminders yet.'))
        && await page.isVisible('text=Stop reminders there'), 'the browser is listed, with a way to stop');
    });
    await step('when the partner asks a question, mend pushes it: the push service receives it signed and decrypts it', async () => {
      await api('POST', '/questions', { text: 'What made today hard for you?' }, sam);
      await until('the push', async () => {
        const got = (await (await fetch(pushes + '/received')).json()).filter((r) => r.name === 'robin');
        if (got.length) pushed = got[0];
        return !!pushed;
      }, 15000);
      expect(!pushed.error, 'the push service accepted it: ' + pushed.error);
      const body = JSON.parse(pushed.payload);
      expect(body.body === 'Something is waiting for you in mend.' && !pushed.payload.includes('hard'),
        'no words of anyone: ' + pushed.payload);
    });
    await step('the push, delivered as it came to the service worker, is shown as a notification', async () => {
      await cdp.send('ServiceWorker.enable');
      let reg = null;
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
        for (const r of e.registrations) if (r.scopeURL === base + '/' && !r.isDeleted) reg = r.registrationId;
      });
      await until('the registration', () => reg !== null);
      expect(pushed, 'a push to deliver');
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: base, registrationId: reg, data: pushed.payload });
      let shown = [];
      await until('the notification', async () => {
        shown = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
          .then((ns) => ns.map((x) => ({ title: x.title, body: x.body, url: x.data && x.data.url }))));
        return shown.length === 1;
      }, 15000).catch((e) => {
        // what there was instead, for whoever reads the failure
        throw new Error(`${e.message}: shown ${JSON.stringify(shown)}, registration ${reg}, payload ${pushed && pushed.payload}`);
      });
      const want = JSON.parse(pushed.payload);
      expect(shown.length === 1 && shown[0].title === want.title && shown[0].body === want.body && shown[0].url === want.url, JSON.stringify(shown));
    });
    await step('clicking the notification opens its page', async () => {
      await page.goto(base + '/');
      const sw = ctx.serviceWorkers()[0] || await ctx.waitForEvent('serviceworker');
      await sw.evaluate(() => self.registration.getNotifications().then((ns) => {
        self.dispatchEvent(new NotificationEvent('notificationclick', { notification: ns[0] }));
      }));
      await page.waitForURL(base + JSON.parse(pushed.payload).url);
      const left = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.length));
      expect(left === 0, 'the notification is closed');
    });
    const mailed = (n) => {
      for (const end = Date.now() + 15000; Date.now() < end;) {
        const got = fs.existsSync(mails) ? fs.readFileSync(mails, 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse)
          .filter((m) => m.rcpt_tos.includes('robin@example.org')) : [];
        if (got.length >= n) return Promise.resolve(got);
        return sleep(200).then(() => mailed(n));
      }
      return Promise.resolve([]);
    };
    await step('reminders by e-mail: the address is confirmed by the link mailed to it', async () => {
      await page.goto(base + '/account');
      await page.fill('#f-address', 'robin@example.org');
      await Promise.all([page.waitForNavigation(), page.click('form[action="/account/reminders/email"] button[type=submit]')]);
      expect(await page.isVisible('text=A link to confirm was mailed to'), 'said on the page');
      const got = await mailed(1);
      expect(got.length === 1 && got[0].subject === 'Confirm your address for mend', JSON.stringify(got));
      const link = new RegExp(base.replace(/[.:/]/g, '\\$&') + '/reminders/confirm/[A-Za-z0-9_-]+').exec(got[0].text);
      expect(link, 'the link: ' + got[0].text);
      await page.goto(link[0]);
      await Promise.all([page.waitForNavigation(), page.click('main button[type=submit]')]);
      expect(await page.isVisible('text=Your address is confirmed'), await page.textContent('main'));
      await page.goto(base + '/account');
      expect(await page.isVisible('text=Mail goes to'), 'the account page says where mail goes');
      await page.selectOption('#f-email', 'each');
      await Promise.all([page.waitForNavigation(), page.click('form[action="/account/reminders"] button[type=submit]')]);
    });
    await step('the next thing that waits arrives by mail, without its words', async () => {
      await api('POST', '/questions', { text: 'Can we talk about the weekend?' }, sam);
      const got = await mailed(2);
      expect(got.length === 2, 'a second mail: ' + got.length);
      expect(got[1].subject === 'Something is waiting for you in mend' && got[1].text.includes(base + '/questions')
        && !got[1].text.includes('weekend'), JSON.stringify(got[1]));
    });
    await step('the home page at 1280 px, in both colour schemes, for the README', async () => {
      const out = path.resolve(process.env.SCREENSHOTS || 'build/screenshots');
      fs.mkdirSync(out, { recursive: true });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(base + '/');
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: path.join(out, `desktop-home-${scheme}.png`) });
      }
      const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      expect(bg === 'rgb(18, 22, 21)', 'the dark colours follow the scheme: ' + bg);
      await page.emulateMedia({ colorScheme: 'light' });
    });
    await step('after the language changes, the offline page follows it', async () => {
      await api('PUT', '/account/language', { language: 'de' }, robin);
      await page.goto(base + '/');
      expect((await page.getAttribute('html', 'lang')) === 'de', 'the page is German');
      // the service worker fetches the offline page again once a page comes in another language
      let lang = null;
      for (let i = 0; i < 50 && lang !== 'de'; i++) {
        lang = await page.evaluate(async () => { const r = await caches.match('/offline'); return r ? r.headers.get('Content-Language') : null; });
        if (lang !== 'de') await sleep(100);
      }
      expect(lang === 'de', 'the kept offline page is in ' + lang);
      await ctx.setOffline(true);
      const other = await ctx.newPage();
      await other.goto(base + '/questions');
      const body = await other.textContent('body');
      expect((await other.getAttribute('html', 'lang')) === 'de' && !body.includes('You are offline'), body);
      await other.close();
      await ctx.setOffline(false);
      await api('PUT', '/account/language', { language: 'en' }, robin);
    });
    await step('no script errors on the way', async () => { expect(errors.length === 0, errors.join('\n')); });
  } finally {
    await ctx.close();
    proc.kill('SIGTERM');
    pushProc.kill();
    mailProc.kill();
  }
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`not ok ${n + 1} - the app test could not run`); console.log('#   ' + e.stack); process.exit(1); });
