import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BadPgtError,
  CAS_ERROR_CODES,
  CasError,
  createCasError,
  InternalError,
  InvalidRequestError,
  InvalidServiceError,
  InvalidTicketError,
  isCasErrorCode,
  ProtocolParseError,
  toCasError,
  UnauthorizedServiceProxyError,
} from '../src/index.ts';

describe('CasError', () => {
  test('subclasses carry code, public message, status', () => {
    const error = new InvalidTicketError("Ticket 'ST-1' not recognized", { detail: 'expired 3s ago' });
    assert.ok(error instanceof CasError);
    assert.ok(error instanceof Error);
    assert.equal(error.code, 'INVALID_TICKET');
    assert.equal(error.message, "Ticket 'ST-1' not recognized");
    assert.equal(error.httpStatus, 400);
    assert.equal(error.detail, 'expired 3s ago');
    assert.equal(error.name, 'InvalidTicketError');
    assert.equal(new UnauthorizedServiceProxyError().httpStatus, 403);
    assert.equal(new InternalError().httpStatus, 500);
    assert.equal(
      new InvalidRequestError().message,
      'Not all of the required request parameters were present',
    );
  });

  test('createCasError gives the subclass for every code', () => {
    for (const code of CAS_ERROR_CODES) {
      const error = createCasError(code);
      assert.equal(error.code, code);
      assert.notEqual(error.constructor, CasError);
      assert.ok(error.message.length > 0);
    }
    assert.ok(createCasError('INVALID_SERVICE', 'x') instanceof InvalidServiceError);
    assert.ok(createCasError('BAD_PGT') instanceof BadPgtError);
  });

  test('toCasError keeps CasErrors and hides everything else behind INTERNAL_ERROR', () => {
    const known = new InvalidServiceError();
    assert.equal(toCasError(known), known);
    const secret = new Error('connection string postgres://user:hunter2@db');
    const wrapped = toCasError(secret);
    assert.ok(wrapped instanceof InternalError);
    assert.equal(wrapped.code, 'INTERNAL_ERROR');
    assert.doesNotMatch(wrapped.message, /hunter2/);
    assert.equal(wrapped.cause, secret);
    assert.equal(toCasError('thrown string').code, 'INTERNAL_ERROR');
  });

  test('isCasErrorCode', () => {
    assert.ok(isCasErrorCode('INVALID_TICKET'));
    assert.ok(!isCasErrorCode('invalid_ticket'));
    assert.ok(!isCasErrorCode(undefined));
  });

  test('ProtocolParseError is separate, with code INVALID_RESPONSE', () => {
    const error = new ProtocolParseError('bad');
    assert.equal(error.code, 'INVALID_RESPONSE');
    assert.ok(!(error instanceof CasError));
    assert.equal(error.name, 'ProtocolParseError');
  });
});
