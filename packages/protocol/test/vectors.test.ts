import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  parseCas1Response,
  parseLogoutRequest,
  parseSamlResponse,
  parseSamlValidateRequest,
  parseServiceResponse,
} from '../src/index.ts';
import {
  type ProtocolVector,
  readVectorBytes,
  readVectorText,
  VECTORS_DIR,
  vectors,
} from '../vectors/index.ts';
import { renderVector } from '../vectors/render-vector.ts';

function parseVector(v: ProtocolVector, body: string | Uint8Array): unknown {
  switch (v.kind) {
    case 'validation':
    case 'proxy':
      return parseServiceResponse(body, v.format === 'json' ? 'json' : 'xml');
    case 'cas1':
      return parseCas1Response(typeof body === 'string' ? body : new TextDecoder().decode(body));
    case 'saml-request':
      return parseSamlValidateRequest(body);
    case 'saml-response':
      return parseSamlResponse(body);
    case 'logout-request':
      return parseLogoutRequest(body);
  }
}

describe('protocol vectors', () => {
  test('every vector file is listed and every listed file exists', () => {
    const files = readdirSync(VECTORS_DIR).filter((f) => /\.(xml|json|txt)$/.test(f));
    assert.deepEqual([...files].sort(), vectors.map((v) => v.file).sort());
    assert.equal(new Set(vectors.map((v) => v.name)).size, vectors.length, 'vector names are unique');
  });

  for (const v of vectors) {
    describe(v.name, () => {
      test(`parses to the expected value (${v.description})`, () => {
        assert.deepEqual(parseVector(v, readVectorBytes(v)), v.expected);
        assert.deepEqual(
          parseVector(v, readVectorText(v)),
          v.expected,
          'same result from text as from bytes',
        );
      });

      const rendered = renderVector(v);
      if (rendered !== undefined) {
        test('Usher renders exactly these bytes', () => {
          assert.equal(rendered, readVectorText(v));
        });
        test('round trip: parse(render(input)) gives the expected value', () => {
          assert.deepEqual(parseVector(v, rendered), v.expected);
        });
      }
    });
  }
});
