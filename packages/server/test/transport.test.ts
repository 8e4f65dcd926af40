import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TestBrowser } from './helpers/browser.ts';
import { freePort, PASSWORD, startTestServer } from './helpers/test-server.ts';
import { selfSignedCertificate } from './helpers/tls-certificate.ts';

interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpsRequest(url: string, ca: Buffer, form?: Record<string, string>): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers = body ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
    const req = request(url, { ca, method: body ? 'POST' : 'GET', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('transport', () => {
  it('serves HTTPS with HSTS and a Secure cookie when server.tls is set', async () => {
    const certificate = selfSignedCertificate('127.0.0.1');
    const keyFile = join(mkdtempSync(join(tmpdir(), 'usher-key-')), 'key.pem');
    writeFileSync(keyFile, certificate.key);
    const tls = { certFile: certificate.certFile, keyFile };
    const port = await freePort();
    const t = await startTestServer({
      settings: { server: { port, tls, publicUrl: `https://127.0.0.1:${port}` } },
    });
    try {
      const ca = certificate.cert;
      const page = await httpsRequest(`https://127.0.0.1:${port}/login`, ca);
      assert.equal(page.status, 200);
      assert.match(String(page.headers['strict-transport-security']), /max-age=\d+/);
      const lt = /name="lt" value="([^"]+)"/.exec(page.body)![1]!;
      const login = await httpsRequest(`https://127.0.0.1:${port}/login`, ca, {
        lt,
        username: 'alice',
        password: PASSWORD,
      });
      assert.equal(login.status, 200);
      const cookie = ([] as string[])
        .concat(login.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('TGC='));
      assert.match(cookie ?? '', /; Secure/i);
    } finally {
      await t.close();
      certificate.remove();
    }
  });

  it('plain HTTP sends no HSTS header', async () => {
    const t = await startTestServer();
    try {
      const page = await new TestBrowser().get(`${t.baseUrl}/login`);
      assert.equal(page.headers.get('strict-transport-security'), null);
    } finally {
      await t.close();
    }
  });

  it('a non-loopback public URL gets Secure cookies even behind a TLS-terminating proxy', async () => {
    const t = await startTestServer({
      settings: { server: { publicUrl: 'https://sso.example.org/cas', trustProxy: true } },
    });
    try {
      const response = await fetch(`http://127.0.0.1:${t.config.server.port}/cas/login`);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.match(html, /action="\/cas\/login"/, 'paths follow the public URL base path');
      const lt = /name="lt" value="([^"]+)"/.exec(html)![1]!;
      const login = await fetch(`http://127.0.0.1:${t.config.server.port}/cas/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
        body: new URLSearchParams({ lt, username: 'alice', password: PASSWORD }),
      });
      const cookie = login.headers.getSetCookie().find((c) => c.startsWith('TGC=')) ?? '';
      assert.match(cookie, /; Secure/i);
      assert.match(cookie, /Path=\/cas/);
    } finally {
      await t.close();
    }
  });

  it('with trustProxy, throttling counts the forwarded client address', async () => {
    const t = await startTestServer({
      settings: { server: { trustProxy: true }, throttle: { maxAttemptsPerAddress: 2 } },
    });
    try {
      const attempt = async (address: string, username: string) => {
        const browser = new TestBrowser();
        const form = await browser.get(`${t.baseUrl}/login`);
        const lt = /name="lt" value="([^"]+)"/.exec(form.text)![1]!;
        const response = await fetch(`${t.baseUrl}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
          body: new URLSearchParams({ lt, username, password: 'wrong' }),
        });
        return response.status;
      };
      assert.equal(await attempt('203.0.113.7', 'u1'), 401);
      assert.equal(await attempt('203.0.113.7', 'u2'), 401);
      assert.equal(await attempt('203.0.113.7', 'u3'), 429);
      assert.equal(await attempt('203.0.113.8', 'u4'), 401, 'another client address is not affected');
    } finally {
      await t.close();
    }
  });
});
