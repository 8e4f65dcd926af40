import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_TICKET_LENGTHS,
  generateTicketId,
  isWellFormedTicket,
  TICKET_PREFIXES,
  TICKET_TIME_CHARS,
  ticketPrefixOf,
} from '../src/index.ts';

describe('generateTicketId', () => {
  test('default lengths: ST/PT 32, the others 64, total including the prefix', () => {
    assert.deepEqual(DEFAULT_TICKET_LENGTHS, { ST: 32, PT: 32, PGT: 64, PGTIOU: 64, TGT: 64, LT: 64 });
    for (const prefix of TICKET_PREFIXES) {
      const id = generateTicketId(prefix);
      assert.equal(id.length, DEFAULT_TICKET_LENGTHS[prefix]);
      assert.match(id, new RegExp(`^${prefix}-[0-9A-Za-z]+$`));
      assert.equal(ticketPrefixOf(id), prefix);
    }
  });

  test('explicit length is the total length', () => {
    assert.equal(generateTicketId('ST', 40).length, 40);
    assert.equal(generateTicketId('PGTIOU', 256).length, 256);
  });

  test('refuses fewer than 128 random bits', () => {
    // 22 base62 characters carry 130.99 bits, 21 only 125.03.
    assert.equal(generateTicketId('ST', 3 + 22).length, 25);
    assert.throws(() => generateTicketId('ST', 3 + 21), RangeError);
    assert.throws(() => generateTicketId('PGTIOU', 20), /at least 128/);
    assert.throws(() => generateTicketId('ST', 0), RangeError);
    assert.throws(() => generateTicketId('ST', 32.5), RangeError);
    assert.throws(() => generateTicketId('ST', 257), RangeError);
  });

  test('ids lead with their issue time, so they sort in issue order', () => {
    const times = [0, 61, 62, 1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000, 62 ** 7 - 1];
    const ids = times.map((now) => generateTicketId('ST', 32, now));
    assert.equal(ids[0]!.slice(3, 3 + TICKET_TIME_CHARS), '0000000');
    assert.equal(ids[1]!.slice(3, 3 + TICKET_TIME_CHARS), '000000z');
    assert.equal(ids[2]!.slice(3, 3 + TICKET_TIME_CHARS), '0000010');
    assert.equal(ids.at(-1)!.slice(3, 3 + TICKET_TIME_CHARS), 'zzzzzzz');
    assert.deepEqual([...ids].sort(), ids);
    // Within one millisecond the random part decides.
    const sameTime = new Set(Array.from({ length: 100 }, () => generateTicketId('ST', 32, 5).slice(0, 17)));
    assert.equal(sameTime.size, 100);
  });

  test('a length without room for the time beside 128 random bits gets an all-random id', () => {
    const now = 1_800_000_000_000;
    const timed = generateTicketId('ST', 3 + TICKET_TIME_CHARS + 22, now).slice(3, 3 + TICKET_TIME_CHARS);
    const untimed = Array.from({ length: 50 }, () => generateTicketId('ST', 3 + TICKET_TIME_CHARS + 21, now));
    assert.ok(untimed.every((id) => id.length === 31));
    assert.ok(untimed.some((id) => id.slice(3, 3 + TICKET_TIME_CHARS) !== timed));
  });

  test('ids do not repeat', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => generateTicketId('ST')));
    assert.equal(ids.size, 2000);
  });

  test('the alphabet is used evenly (no modulo bias)', () => {
    const counts = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < 4000; i++) {
      for (const ch of generateTicketId('PGT').slice(4 + TICKET_TIME_CHARS)) {
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
        total++;
      }
    }
    assert.equal(counts.size, 62);
    const expected = total / 62;
    // Chi-squared with 61 degrees of freedom: p < 1e-6 beyond ~130; a modulo bias on the first
    // 8 characters (0-7 drawn 5/4 as often) would score in the thousands at this sample size.
    const chi2 = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    assert.ok(chi2 < 130, `chi-squared ${chi2.toFixed(1)}`);
  });
});

describe('ticketPrefixOf', () => {
  test('known prefixes, the longest one for PGTIOU', () => {
    assert.equal(ticketPrefixOf('ST-1-abc'), 'ST');
    assert.equal(ticketPrefixOf('PGTIOU-abc'), 'PGTIOU');
    assert.equal(ticketPrefixOf('PGT-abc'), 'PGT');
    assert.equal(ticketPrefixOf('TGT-abc'), 'TGT');
  });
  test('anything else is undefined', () => {
    for (const id of ['', 'ST', '-ST-', 'st-abc', 'XX-abc', 'STX-abc', 'constructor-x', '__proto__-x']) {
      assert.equal(ticketPrefixOf(id), undefined, id);
    }
  });
});

describe('isWellFormedTicket', () => {
  test('accepts the ticket charset, including Apereo host suffixes', () => {
    assert.ok(isWellFormedTicket(generateTicketId('ST')));
    assert.ok(isWellFormedTicket('ST-1856339-aA5Yuvrxzpv8Tau1cYQ7'));
    assert.ok(isWellFormedTicket('ST-1-u4hrm3td92cLxpCvrjylcas.example.com'));
  });
  test('refuses other characters, empty and over-long values', () => {
    for (const id of ['', ' ST-1', 'ST-1 ', 'ST-1\n', 'ST-<x>', 'ST-1&x=2', 'ST-%41', '-ST', 'ST-é']) {
      assert.equal(isWellFormedTicket(id), false, JSON.stringify(id));
    }
    assert.equal(isWellFormedTicket(`ST-${'a'.repeat(253)}`), true);
    assert.equal(isWellFormedTicket(`ST-${'a'.repeat(254)}`), false);
    assert.equal(isWellFormedTicket('ST-123456', 8), false);
    assert.equal(isWellFormedTicket(undefined), false);
    assert.equal(isWellFormedTicket(['ST-1']), false);
  });
});
