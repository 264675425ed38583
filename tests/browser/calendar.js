// The calendar feed, parsed with ical.js: the weekly check-in as a recurring event, the
// partner's own promise due dates, stable UIDs, folding and escaping, renewal and revocation.
// Prints TAP. Usage: node calendar.js path/to/mend
'use strict';
const ICAL = require('ical.js');
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const MEND = path.resolve(process.argv[2] || 'build/mend');
let n = 0, failed = 0;
function check(ok, name, detail) {
  n++;
  if (!ok) failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - calendar: ${name}`);
  if (!ok && detail !== undefined) console.log('#   ' + JSON.stringify(detail).slice(0, 600));
}

function freePort() {
  return new Promise((res) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
}

(async () => {
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mend-cal-'));
  const proc = spawn(MEND, ['serve', '--db', path.join(tmp, 'c.db'), '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(base + '/healthz')).ok) break; } catch (e) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  const api = async (method, p, body, token) => {
    const r = await fetch(base + '/api/v1' + p, { method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  try {
    const a = (await api('POST', '/signup', { username: 'calendar_a', password: 'a calm long password', display_name: 'A' })).json;
    const inv = (await api('POST', '/invites', null, a.token)).json;
    const b = (await api('POST', '/join', { code: inv.code, username: 'calendar_b', password: 'a calm long password', display_name: 'B' })).json;
    await api('PUT', '/checkins/schedule', { weekday: 'sun', time: '19:30', timezone: 'Europe/Paris' }, a.token);
    const long = 'Tell you, honestly and without waiting to be asked; every time plans change, call; no excuses, ever: "promise" \\ kept.';
    const daily = (await api('POST', '/promises', { text: long, recurrence: { every: 'day' } }, a.token)).json;
    const weekly = (await api('POST', '/promises', { text: 'Gym', recurrence: { every: 'week', weekdays: ['mon', 'thu'] } }, a.token)).json;
    const due = new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 10);
    const once = (await api('POST', '/promises', { text: 'Dinner with your parents', due }, a.token)).json;
    await api('POST', '/promises', { text: "B's own promise", recurrence: { every: 'day' } }, b.token);
    const url = (await api('POST', '/calendar', null, a.token)).json.url;
    check(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/.test(url), 'a secret address', url);
    check((await api('GET', '/calendar', null, a.token)).json.active === true, 'the feed is there when asked again');
    const r = await fetch(url);
    const raw = await r.text();
    check(r.status === 200 && r.headers.get('content-type').startsWith('text/calendar'), 'served as text/calendar', r.headers.get('content-type'));
    check(raw.split('\r\n').every((l) => Buffer.byteLength(l) <= 75) && !/[^\r]\n/.test(raw), 'CRLF lines of at most 75 octets');
    const cal = new ICAL.Component(ICAL.parse(raw));
    // the check-in's zone comes with the feed, as a calendar app reads it
    const zones = cal.getAllSubcomponents('vtimezone');
    check(zones.length === 1 && zones[0].getFirstPropertyValue('tzid') === 'Europe/Paris', 'the couple\'s zone is in the feed');
    zones.forEach((z) => ICAL.TimezoneService.register(z));
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const by = Object.fromEntries(events.map((e) => [e.uid, e]));
    check(events.length === 4, 'the check-in and three promises of A, not B\'s', events.map((e) => e.summary));
    const ci = by[`checkin-${a.couple.id}@mend`];
    check(ci && ci.summary === 'Weekly check-in' && ci.isRecurring(), 'the check-in recurs', ci && ci.summary);
    const rule = ci && ci.component.getFirstPropertyValue('rrule');
    check(rule && rule.freq === 'WEEKLY', 'weekly', rule && rule.toString());
    const alarm = ci && ci.component.getFirstSubcomponent('valarm');
    check(alarm && alarm.getFirstPropertyValue('action') === 'DISPLAY' && alarm.getFirstPropertyValue('trigger').toSeconds() === -3600,
      'the calendar reminds an hour before', alarm && alarm.toString());
    const start = ci && ci.startDate.toJSDate();
    const paris = start && new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(start);
    check(paris === 'Sun 19:30', 'on Sunday at 19:30 in Paris', paris);
    check(start && start > new Date(), 'the next one, not a past one');
    // a year of weeks, through both daylight-saving changes: always Sunday 19:30 in Paris
    const it = ci && ci.iterator();
    const hours = new Set();
    for (let i = 0; it && i < 53; i++) {
      const t = it.next();
      hours.add(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false })
        .format(ci.getOccurrenceDetails(t).startDate.toJSDate()));
    }
    check(hours.size === 1 && hours.has('Sun 19:30'), 'every week of a year at 19:30 in Paris, across summer time', [...hours].join(', '));
    const d = by[`promise-${daily.id}@mend`];
    check(d && d.summary === 'Promise: ' + long, 'escaped and folded text comes back whole', d && d.summary);
    check(d && d.component.getFirstPropertyValue('rrule').freq === 'DAILY', 'a daily promise recurs daily');
    const w = by[`promise-${weekly.id}@mend`];
    const wr = w && w.component.getFirstPropertyValue('rrule');
    check(wr && wr.freq === 'WEEKLY' && JSON.stringify(wr.parts.BYDAY) === JSON.stringify(['MO', 'TH']), 'a weekly promise on its days', wr && wr.toString());
    const o = by[`promise-${once.id}@mend`];
    check(o && o.startDate.isDate && o.startDate.toString() === due && !o.isRecurring(), 'a one-off on its date', o && o.startDate.toString());
    const again = new ICAL.Component(ICAL.parse(await (await fetch(url)).text()));
    check(JSON.stringify(again.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('uid')).sort()) ===
      JSON.stringify(events.map((e) => e.uid).sort()), 'UIDs are stable');
    const renewed = (await api('POST', '/calendar', null, a.token)).json.url;
    check(renewed !== url && (await fetch(url)).status === 404 && (await fetch(renewed)).status === 200, 'renewing retires the old address');
    check((await api('DELETE', '/calendar', null, a.token)).status === 204 && (await fetch(renewed)).status === 404, 'revoking turns it off');
    check((await fetch(base + '/calendar/nothing.ics')).status === 404, 'an unknown address is 404');
  } catch (e) {
    check(false, 'the test could not run', String(e && e.stack));
  } finally {
    proc.kill('SIGTERM');
  }
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
})();
