// mend as an app on the phone, in Debian's Chromium against a real `mend serve`: Chromium's
// own installability check, the service worker's offline page, a journal entry written
// offline (kept, marked "not sent yet", sent when the connection is back), and a reminder
// delivered to the service worker (DevTools' ServiceWorker.deliverPushMessage), shown as a
// notification that opens its page when clicked. Prints TAP. Usage: node pwa.js path/to/mend
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

(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(MEND, ['serve', '--db', path.join(tmp, 'pwa.db'), '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
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

    await step('a reminder pushed to the service worker is shown, with no private words', async () => {
      await cdp.send('ServiceWorker.enable');
      let reg = null;
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
        for (const r of e.registrations) if (r.scopeURL === base + '/' && !r.isDeleted) reg = r.registrationId;
      });
      await until('the registration', () => reg !== null);
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: base, registrationId: reg,
        data: JSON.stringify({ title: 'mend', body: 'Something is waiting for you in mend', url: '/journal', tag: 'inbox' }) });
      let shown = [];
      await until('the notification', async () => {
        shown = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.getNotifications())
          .then((ns) => ns.map((x) => ({ title: x.title, body: x.body, url: x.data && x.data.url }))));
        return shown.length === 1;
      });
      expect(shown[0].title === 'mend' && shown[0].body === 'Something is waiting for you in mend' && shown[0].url === '/journal', JSON.stringify(shown));
    });
    await step('clicking the notification opens its page', async () => {
      await page.goto(base + '/');
      const sw = ctx.serviceWorkers()[0] || await ctx.waitForEvent('serviceworker');
      await sw.evaluate(() => self.registration.getNotifications().then((ns) => {
        self.dispatchEvent(new NotificationEvent('notificationclick', { notification: ns[0] }));
      }));
      await page.waitForURL(base + '/journal');
      const left = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.length));
      expect(left === 0, 'the notification is closed');
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
    await step('no script errors on the way', async () => { expect(errors.length === 0, errors.join('\n')); });
  } finally {
    await ctx.close();
    proc.kill('SIGTERM');
  }
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`not ok ${n + 1} - the app test could not run`); console.log('#   ' + e.stack); process.exit(1); });
