import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeInitialConfig } from '../src/bootstrap/first-run.ts';
import { loadConfig } from '../src/config/load-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'usher-first-run-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the configuration written on first start', () => {
  it('is valid, readable by its owner only, with an encryption key of its own for TOTP secrets', () => {
    const first = join(dir, 'one', 'usher.yaml');
    const second = join(dir, 'two', 'usher.yaml');
    assert.equal(writeInitialConfig(first), true);
    assert.equal(writeInitialConfig(second), true);
    assert.equal(statSync(first).mode & 0o777, 0o600);
    const keys = [first, second].map((file) => loadConfig({ file, env: {} }).auth.mfa.encryptionKey);
    for (const key of keys) assert.equal(Buffer.from(key ?? '', 'base64').length, 32);
    assert.notEqual(keys[0], keys[1]);
  });

  it('is never written over an existing file', () => {
    const file = join(dir, 'three', 'usher.yaml');
    assert.equal(writeInitialConfig(file), true);
    const before = readFileSync(file, 'utf8');
    assert.equal(writeInitialConfig(file), false);
    assert.equal(readFileSync(file, 'utf8'), before);
  });
});
