// A push service for the tests, on loopback: it hands out subscriptions (a P-256 key pair and
// an auth secret of its own, as a browser would make them), takes what mend posts to them,
// checks each request as a real push service and browser would (RFC 8292: the VAPID token's
// ES256 signature against the key it names, its audience, expiry and contact; RFC 8291 and
// RFC 8188: http_ece decrypts the body with the subscription's private key), and records it.
// Usage: node receiver.js (prints the port it listens on, then serves until killed).
//   POST /subscriptions/NAME        -> {endpoint, keys: {p256dh, auth}} (new keys each time)
//   POST /push/NAME                 (what mend sends: 201, or the status set for NAME)
//   PUT  /status/NAME/CODE          answer CODE to pushes for NAME from now on
//   GET  /received                  -> [{name, payload, claims, key, headers, error}]
'use strict';
const http = require('http');
const crypto = require('crypto');
const ece = require('http_ece');

const subs = new Map(); // name -> {ecdh, auth, status}
const received = [];
const b64u = (b) => Buffer.from(b).toString('base64url');

function verifyVapid(auth, origin) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(auth || '');
  if (!m) throw new Error('Authorization is not "vapid t=..., k=...": ' + auth);
  const [head, body, sig] = m[1].split('.');
  const header = JSON.parse(Buffer.from(head, 'base64url'));
  const claims = JSON.parse(Buffer.from(body, 'base64url'));
  if (header.alg !== 'ES256' || header.typ !== 'JWT') throw new Error('not an ES256 JWT: ' + JSON.stringify(header));
  const raw = Buffer.from(m[2], 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) throw new Error('k is not an uncompressed P-256 key');
  const key = crypto.createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33)) } });
  const ok = crypto.verify('sha256', Buffer.from(head + '.' + body), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
  if (!ok) throw new Error('the VAPID signature does not verify with k');
  const now = Math.floor(Date.now() / 1000);
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error('exp is not within 24 hours: ' + claims.exp);
  if (!/^(mailto:|https:)/.test(claims.sub || '')) throw new Error('sub is not a mailto: or https: contact');
  return { claims, key: m[2] };
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const origin = `http://${req.headers.host}`;
    let m;
    if (req.method === 'POST' && (m = /^\/subscriptions\/([\w-]+)$/.exec(req.url))) {
      const ecdh = crypto.createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = crypto.randomBytes(16);
      subs.set(m[1], { ecdh, auth, status: 201 });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ endpoint: `${origin}/push/${m[1]}`, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } }));
    } else if (req.method === 'PUT' && (m = /^\/status\/([\w-]+)\/(\d+)$/.exec(req.url)) && subs.has(m[1])) {
      subs.get(m[1]).status = Number(m[2]);
      res.writeHead(204);
      res.end();
    } else if (req.method === 'POST' && (m = /^\/push\/([\w-]+)$/.exec(req.url))) {
      const sub = subs.get(m[1]);
      const rec = { name: m[1], headers: { 'content-encoding': req.headers['content-encoding'], ttl: req.headers.ttl, urgency: req.headers.urgency }, size: body.length };
      try {
        if (!sub) throw new Error('no such subscription');
        Object.assign(rec, verifyVapid(req.headers.authorization, origin));
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding is not aes128gcm');
        if (!(Number(req.headers.ttl) >= 0)) throw new Error('no TTL');
        rec.payload = ece.decrypt(body, { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: b64u(sub.auth) }).toString('utf8');
      } catch (e) {
        rec.error = String(e && e.message || e);
      }
      received.push(rec);
      const status = rec.error ? 400 : sub.status;
      res.writeHead(status);
      res.end();
    } else if (req.method === 'GET' && req.url === '/received') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(received));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
