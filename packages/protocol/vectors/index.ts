// Test support shared by the protocol, server and client suites: protocol documents as files of
// real bytes, with the value each must parse to and, for those Usher renders, the render input.
import { readFileSync } from 'node:fs';
import type {
  LogoutRequest,
  LogoutRequestOptions,
  ParsedCas1Response,
  ParsedSamlResponse,
  ParsedServiceResponse,
  ProxyFailure,
  ProxySuccess,
  SamlFailureOptions,
  SamlSuccessOptions,
  SamlValidateRequest,
  SamlValidateRequestOptions,
  ValidationFailure,
  ValidationSuccess,
} from '../src/index.ts';

export type VectorFormat = 'xml' | 'json' | 'text';

/**
 * Where the bytes come from: `usher` = our renderer's exact output; `spec` = copied from the CAS
 * Protocol 3.0 specification (or Apereo's SAML 1.1 page for `apereo-*`); `real-world` = layouts
 * deployed servers send (Jasig, name-value, RubyCAS, odd prefixes, padding), authored for Usher.
 */
export type VectorSource = 'usher' | 'spec' | 'real-world';

interface VectorBase {
  name: string;
  file: string;
  format: VectorFormat;
  source: VectorSource;
  description: string;
}

export type ProtocolVector =
  | (VectorBase & {
      kind: 'validation';
      expected: ParsedServiceResponse;
      render?: ValidationSuccess | ValidationFailure;
    })
  | (VectorBase & { kind: 'proxy'; expected: ParsedServiceResponse; render?: ProxySuccess | ProxyFailure })
  | (VectorBase & {
      kind: 'cas1';
      expected: ParsedCas1Response;
      render?: { user: string } | { failure: true };
    })
  | (VectorBase & {
      kind: 'saml-request';
      expected: SamlValidateRequest;
      render?: SamlValidateRequestOptions;
    })
  | (VectorBase & {
      kind: 'saml-response';
      expected: ParsedSamlResponse;
      render?: { success: SamlSuccessOptions } | { failure: SamlFailureOptions };
    })
  | (VectorBase & { kind: 'logout-request'; expected: LogoutRequest; render?: LogoutRequestOptions });

export type VectorKind = ProtocolVector['kind'];

const T0 = new Date('2024-05-06T07:08:09.010Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

const usherSuccess: ValidationSuccess = {
  user: 'mlovelace',
  attributes: {
    authenticationDate: ['2024-05-06T07:08:09.010Z'],
    isFromNewLogin: ['true'],
    longTermAuthenticationRequestTokenUsed: ['false'],
    email: ['ada@example.org'],
    affiliation: ['staff', 'faculty'],
  },
  proxyGrantingTicket: 'PGTIOU-mQ2ovbLpW1Nn7yJzK4c9aXeT0fUhR6sd8gBiCkYqEwV3tP5rMjOuLxHa2Zy',
};

const usherProxied: ValidationSuccess = {
  user: 'mlovelace',
  proxies: ['https://proxy2.example.org/pgtUrl', 'https://proxy1.example.org/pgtUrl'],
};

const hostile: ValidationSuccess = {
  user: `<b>"O'Brien" & co</b>`,
  attributes: {
    note: ['</cas:user><cas:user>admin</cas:user>', 'a & b < c > d " e \' f'],
    'bad name': ['dropped: not an XML name'],
    'x><cas:user>admin</cas:user><x': ['dropped: markup in the name'],
    empty: [],
  },
};

const hostileParsed: ParsedServiceResponse = {
  kind: 'success',
  user: `<b>"O'Brien" & co</b>`,
  attributes: { note: ['</cas:user><cas:user>admin</cas:user>', 'a & b < c > d " e \' f'] },
  proxies: [],
};

const invalidTicket: ValidationFailure = {
  code: 'INVALID_TICKET',
  description: "Ticket 'ST-1856339-aA5Yuvrxzpv8Tau1cYQ7' not recognized",
};

const samlSuccess: SamlSuccessOptions = {
  responseId: '_6c0c2e5b1f2a4d3e8b9a7c6d5e4f3a2b',
  inResponseTo: '_192.168.16.51.1024506224022',
  issueInstant: T0,
  issuer: 'cas.example.org',
  recipient: 'https://app.example.org/cas/callback?lang=en&x=1',
  user: 'mlovelace',
  attributes: {
    email: ['ada@example.org'],
    affiliation: ['staff', 'faculty'],
    longTermAuthenticationRequestTokenUsed: ['false'],
  },
  authenticationInstant: at(-5000),
  notBefore: T0,
  notOnOrAfter: at(30_000),
  assertionId: '_0f1e2d3c4b5a69788796a5b4c3d2e1f0',
};

const samlFailure: SamlFailureOptions = {
  responseId: '_9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d',
  inResponseTo: '_192.168.16.51.1024506224022',
  issueInstant: T0,
  statusCode: 'samlp:Responder',
  message: "Ticket 'ST-1-u4hrm3td92cLxpCvrjyl' not recognized",
};

const vector = <V extends ProtocolVector>(v: V) => v;

export const vectors: readonly ProtocolVector[] = [
  // --- CAS 2/3 validation responses rendered by Usher -------------------------------------------
  vector({
    name: 'usher-cas2-success',
    file: 'usher-cas2-success.xml',
    format: 'xml',
    source: 'usher',
    kind: 'validation',
    description: '/serviceValidate success with a PGT IOU, no attributes',
    render: { user: 'mlovelace', proxyGrantingTicket: usherSuccess.proxyGrantingTicket! },
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: {},
      proxyGrantingTicket: usherSuccess.proxyGrantingTicket!,
      proxies: [],
    },
  }),
  vector({
    name: 'usher-cas3-success',
    file: 'usher-cas3-success.xml',
    format: 'xml',
    source: 'usher',
    kind: 'validation',
    description: '/p3/serviceValidate success: CAS 3 attributes, a multi-valued attribute, a PGT IOU',
    render: usherSuccess,
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: usherSuccess.attributes!,
      proxyGrantingTicket: usherSuccess.proxyGrantingTicket!,
      proxies: [],
    },
  }),
  vector({
    name: 'usher-cas3-success-json',
    file: 'usher-cas3-success.json',
    format: 'json',
    source: 'usher',
    kind: 'validation',
    description: 'the same success with format=JSON: attributes always arrays',
    render: usherSuccess,
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: usherSuccess.attributes!,
      proxyGrantingTicket: usherSuccess.proxyGrantingTicket!,
      proxies: [],
    },
  }),
  vector({
    name: 'usher-proxy-validate-success',
    file: 'usher-proxy-validate-success.xml',
    format: 'xml',
    source: 'usher',
    kind: 'validation',
    description: '/proxyValidate success for a proxy ticket: proxies most recent first',
    render: usherProxied,
    expected: { kind: 'success', user: 'mlovelace', attributes: {}, proxies: usherProxied.proxies! },
  }),
  vector({
    name: 'usher-proxy-validate-success-json',
    file: 'usher-proxy-validate-success.json',
    format: 'json',
    source: 'usher',
    kind: 'validation',
    description: 'the same with format=JSON: same proxy order as the XML',
    render: usherProxied,
    expected: { kind: 'success', user: 'mlovelace', attributes: {}, proxies: usherProxied.proxies! },
  }),
  vector({
    name: 'usher-failure',
    file: 'usher-failure.xml',
    format: 'xml',
    source: 'usher',
    kind: 'validation',
    description: 'authenticationFailure INVALID_TICKET, description unpadded',
    render: invalidTicket,
    expected: { kind: 'failure', code: invalidTicket.code, description: invalidTicket.description },
  }),
  vector({
    name: 'usher-failure-json',
    file: 'usher-failure.json',
    format: 'json',
    source: 'usher',
    kind: 'validation',
    description: 'authenticationFailure as JSON',
    render: invalidTicket,
    expected: { kind: 'failure', code: invalidTicket.code, description: invalidTicket.description },
  }),
  vector({
    name: 'usher-escaping',
    file: 'usher-escaping.xml',
    format: 'xml',
    source: 'usher',
    kind: 'validation',
    description: 'markup in user and values escaped; attributes with invalid names or no values left out',
    render: hostile,
    expected: hostileParsed,
  }),
  vector({
    name: 'usher-escaping-json',
    file: 'usher-escaping.json',
    format: 'json',
    source: 'usher',
    kind: 'validation',
    description: 'the same as JSON: the same attributes released, <>& as \\u escapes',
    render: hostile,
    expected: hostileParsed,
  }),
  // --- /proxy responses rendered by Usher --------------------------------------------------------
  vector({
    name: 'usher-proxy-success',
    file: 'usher-proxy-success.xml',
    format: 'xml',
    source: 'usher',
    kind: 'proxy',
    description: '/proxy success',
    render: { proxyTicket: 'PT-Vq3nR8sK2mWz5Lb7Yc1Xd9Fa0Hj' },
    expected: { kind: 'proxySuccess', proxyTicket: 'PT-Vq3nR8sK2mWz5Lb7Yc1Xd9Fa0Hj' },
  }),
  vector({
    name: 'usher-proxy-success-json',
    file: 'usher-proxy-success.json',
    format: 'json',
    source: 'usher',
    kind: 'proxy',
    description: '/proxy success as JSON',
    render: { proxyTicket: 'PT-Vq3nR8sK2mWz5Lb7Yc1Xd9Fa0Hj' },
    expected: { kind: 'proxySuccess', proxyTicket: 'PT-Vq3nR8sK2mWz5Lb7Yc1Xd9Fa0Hj' },
  }),
  vector({
    name: 'usher-proxy-failure',
    file: 'usher-proxy-failure.xml',
    format: 'xml',
    source: 'usher',
    kind: 'proxy',
    description: '/proxy failure',
    render: {
      code: 'INVALID_REQUEST',
      description: "'pgt' and 'targetService' parameters are both required",
    },
    expected: {
      kind: 'proxyFailure',
      code: 'INVALID_REQUEST',
      description: "'pgt' and 'targetService' parameters are both required",
    },
  }),
  vector({
    name: 'usher-proxy-failure-json',
    file: 'usher-proxy-failure.json',
    format: 'json',
    source: 'usher',
    kind: 'proxy',
    description: '/proxy failure as JSON (proxyFailure, mirroring the XML)',
    render: { code: 'BAD_PGT', description: 'PGT-1-x not recognized' },
    expected: { kind: 'proxyFailure', code: 'BAD_PGT', description: 'PGT-1-x not recognized' },
  }),
  // --- CAS 1 ------------------------------------------------------------------------------------
  vector({
    name: 'usher-cas1-yes',
    file: 'usher-cas1-yes.txt',
    format: 'text',
    source: 'usher',
    kind: 'cas1',
    description: '/validate success',
    render: { user: 'mlovelace' },
    expected: { kind: 'success', user: 'mlovelace' },
  }),
  vector({
    name: 'usher-cas1-no',
    file: 'usher-cas1-no.txt',
    format: 'text',
    source: 'usher',
    kind: 'cas1',
    description: '/validate failure',
    render: { failure: true },
    expected: { kind: 'failure' },
  }),
  // --- SAML 1.1 and SLO rendered by Usher --------------------------------------------------------
  vector({
    name: 'usher-saml11-success',
    file: 'usher-saml11-success.xml',
    format: 'xml',
    source: 'usher',
    kind: 'saml-response',
    description: '/samlValidate success with a multi-valued attribute',
    render: { success: samlSuccess },
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: samlSuccess.attributes!,
      responseId: samlSuccess.responseId,
      inResponseTo: samlSuccess.inResponseTo!,
      issuer: 'cas.example.org',
      audiences: [samlSuccess.recipient],
      notBefore: '2024-05-06T07:08:09.010Z',
      notOnOrAfter: '2024-05-06T07:08:39.010Z',
      authenticationInstant: '2024-05-06T07:08:04.010Z',
      authenticationMethod: 'urn:oasis:names:tc:SAML:1.0:am:password',
    },
  }),
  vector({
    name: 'usher-saml11-failure',
    file: 'usher-saml11-failure.xml',
    format: 'xml',
    source: 'usher',
    kind: 'saml-response',
    description: '/samlValidate failure',
    render: { failure: samlFailure },
    expected: { kind: 'failure', statusCode: 'samlp:Responder', message: samlFailure.message },
  }),
  vector({
    name: 'usher-saml11-request',
    file: 'usher-saml11-request.xml',
    format: 'xml',
    source: 'usher',
    kind: 'saml-request',
    description: "the client's /samlValidate request",
    render: {
      ticket: 'ST-Kp4Wn8Rz2Tq6Yv0Xb3Md7Lc1Fa',
      requestId: '_5e0c4b1a-9d2f-4c3e-8a7b-6f1d2e3c4b5a',
      issueInstant: T0,
    },
    expected: {
      ticket: 'ST-Kp4Wn8Rz2Tq6Yv0Xb3Md7Lc1Fa',
      requestId: '_5e0c4b1a-9d2f-4c3e-8a7b-6f1d2e3c4b5a',
      issueInstant: '2024-05-06T07:08:09.010Z',
    },
  }),
  vector({
    name: 'usher-logout-request',
    file: 'usher-logout-request.xml',
    format: 'xml',
    source: 'usher',
    kind: 'logout-request',
    description: 'back-channel SLO logoutRequest',
    render: {
      id: '_3f2e1d0c9b8a7968574a3b2c1d0e9f8a',
      issueInstant: T0,
      sessionIndex: 'ST-Kp4Wn8Rz2Tq6Yv0Xb3Md7Lc1Fa',
    },
    expected: {
      id: '_3f2e1d0c9b8a7968574a3b2c1d0e9f8a',
      issueInstant: '2024-05-06T07:08:09.010Z',
      nameId: '@NOT_USED@',
      sessionIndex: 'ST-Kp4Wn8Rz2Tq6Yv0Xb3Md7Lc1Fa',
    },
  }),
  // --- The specification's examples --------------------------------------------------------------
  vector({
    name: 'spec-cas2-success',
    file: 'spec-cas2-success.xml',
    format: 'xml',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.5.2 success',
    expected: {
      kind: 'success',
      user: 'username',
      attributes: {},
      proxyGrantingTicket: 'PGTIOU-84678-8a9d...',
      proxies: [],
    },
  }),
  vector({
    name: 'spec-cas2-success-json',
    file: 'spec-cas2-success.json',
    format: 'json',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.5.2 success, JSON',
    expected: {
      kind: 'success',
      user: 'username',
      attributes: {},
      proxyGrantingTicket: 'PGTIOU-84678-8a9d...',
      proxies: [],
    },
  }),
  vector({
    name: 'spec-cas2-failure',
    file: 'spec-cas2-failure.xml',
    format: 'xml',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.5.2 failure, description padded with whitespace',
    expected: {
      kind: 'failure',
      code: 'INVALID_TICKET',
      description: 'Ticket ST-1856339-aA5Yuvrxzpv8Tau1cYQ7 not recognized',
    },
  }),
  vector({
    name: 'spec-cas2-failure-json',
    file: 'spec-cas2-failure.json',
    format: 'json',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.5.2 failure, JSON',
    expected: {
      kind: 'failure',
      code: 'INVALID_TICKET',
      description: 'Ticket ST-1856339-aA5Yuvrxzpv8Tau1cYQ7 not recognized',
    },
  }),
  vector({
    name: 'spec-cas3-attributes',
    file: 'spec-cas3-attributes.xml',
    format: 'xml',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.5.7 custom attributes, multi-valued affiliation',
    expected: {
      kind: 'success',
      user: 'username',
      attributes: {
        firstname: ['John'],
        lastname: ['Doe'],
        title: ['Mr.'],
        email: ['jdoe@example.org'],
        affiliation: ['staff', 'faculty'],
      },
      proxyGrantingTicket: 'PGTIOU-84678-8a9d...',
      proxies: [],
    },
  }),
  vector({
    name: 'spec-cas3-attributes-json',
    file: 'spec-cas3-attributes.json',
    format: 'json',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.5.7 JSON: scalars and arrays mixed, read as arrays',
    expected: {
      kind: 'success',
      user: 'username',
      attributes: {
        firstName: ['John'],
        affiliation: ['staff', 'faculty'],
        title: ['Mr.'],
        email: ['jdoe@example.orgmailto:jdoe@example.org'],
        lastname: ['Doe'],
      },
      proxyGrantingTicket: 'PGTIOU-84678-8a9d...',
      proxies: ['https://proxy1/pgtUrl', 'https://proxy2/pgtUrl'],
    },
  }),
  vector({
    name: 'spec-proxy-validate-success',
    file: 'spec-proxy-validate-success.xml',
    format: 'xml',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.6.2 success with proxies',
    expected: {
      kind: 'success',
      user: 'username',
      attributes: {},
      proxyGrantingTicket: 'PGTIOU-84678-8a9d...',
      proxies: ['https://proxy2/pgtUrl', 'https://proxy1/pgtUrl'],
    },
  }),
  vector({
    name: 'spec-proxy-validate-success-json',
    file: 'spec-proxy-validate-success.json',
    format: 'json',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.6.2 success, JSON (proxies kept in the order sent)',
    expected: {
      kind: 'success',
      user: 'username',
      attributes: {},
      proxyGrantingTicket: 'PGTIOU-84678-8a9d...',
      proxies: ['https://proxy1/pgtUrl', 'https://proxy2/pgtUrl'],
    },
  }),
  vector({
    name: 'spec-proxy-validate-failure',
    file: 'spec-proxy-validate-failure.xml',
    format: 'xml',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.6.2 failure, single-quoted namespace declaration',
    expected: {
      kind: 'failure',
      code: 'INVALID_TICKET',
      description: 'ticket PT-1856376-1HMgO86Z2ZKeByc5XdYD not recognized',
    },
  }),
  vector({
    name: 'spec-proxy-validate-failure-json',
    file: 'spec-proxy-validate-failure.json',
    format: 'json',
    source: 'spec',
    kind: 'validation',
    description: 'section 2.6.2 failure, JSON',
    expected: {
      kind: 'failure',
      code: 'INVALID_TICKET',
      description: 'Ticket PT-1856339-aA5Yuvrxzpv8Tau1cYQ7 not recognized',
    },
  }),
  vector({
    name: 'spec-proxy-success',
    file: 'spec-proxy-success.xml',
    format: 'xml',
    source: 'spec',
    kind: 'proxy',
    description: 'section 2.7.2 success',
    expected: { kind: 'proxySuccess', proxyTicket: 'PT-1856392-b98xZrQN4p90ASrw96c8' },
  }),
  vector({
    name: 'spec-proxy-failure',
    file: 'spec-proxy-failure.xml',
    format: 'xml',
    source: 'spec',
    kind: 'proxy',
    description: 'section 2.7.2 failure',
    expected: {
      kind: 'proxyFailure',
      code: 'INVALID_REQUEST',
      description: "'pgt' and 'targetService' parameters are both required",
    },
  }),
  vector({
    name: 'spec-proxy-failure-json',
    file: 'spec-proxy-failure.json',
    format: 'json',
    source: 'spec',
    kind: 'proxy',
    description: 'section 2.7.2 failure, JSON: the specification wraps it in authenticationFailure',
    expected: {
      kind: 'failure',
      code: 'INVALID_REQUEST',
      description: "'pgt' and 'targetService' parameters are both required",
    },
  }),
  vector({
    name: 'spec-saml11-request',
    file: 'spec-saml11-request.xml',
    format: 'xml',
    source: 'spec',
    kind: 'saml-request',
    description: 'section 4.2.4 /samlValidate request (tab-indented)',
    expected: {
      ticket: 'ST-1-u4hrm3td92cLxpCvrjylcas.example.com',
      requestId: '_192.168.16.51.1024506224022',
      issueInstant: '2002-06-19T17:03:44.022Z',
    },
  }),
  vector({
    name: 'apereo-saml11-request',
    file: 'apereo-saml11-request.xml',
    format: 'xml',
    source: 'spec',
    kind: 'saml-request',
    description: "Apereo's SAML 1.1 page: the ticket padded with newlines",
    expected: {
      ticket: 'ST-1-u4hrm3td92cLxpCvrjylcas.example.com',
      requestId: '_192.168.16.51.1024506224022',
      issueInstant: '2002-06-19T17:03:44.022Z',
    },
  }),
  vector({
    name: 'spec-saml11-response',
    file: 'spec-saml11-response.xml',
    format: 'xml',
    source: 'spec',
    kind: 'saml-response',
    description: 'section 4.2.5 response: default namespaces, padded values',
    expected: {
      kind: 'success',
      user: 'johnq',
      attributes: {
        uid: ['12345'],
        groupMembership: ['uugid=middleware.staff,ou=Groups,dc=vt,dc=edu'],
        eduPersonAffiliation: ['staff'],
        accountState: ['ACTIVE'],
      },
      responseId: '_5c94b5431c540365e5a70b2874b75996',
      issuer: 'localhost',
      audiences: ['https://some-service.example.com/app/'],
      notBefore: '2008-12-10T14:12:14.817Z',
      notOnOrAfter: '2008-12-10T14:12:44.817Z',
      authenticationInstant: '2008-12-10T14:12:14.741Z',
      authenticationMethod: 'urn:oasis:names:tc:SAML:1.0:am:password',
    },
  }),
  vector({
    name: 'apereo-saml11-response',
    file: 'apereo-saml11-response.xml',
    format: 'xml',
    source: 'spec',
    kind: 'saml-response',
    description: "Apereo's SAML 1.1 page: saml1/saml1p prefixes, XML declaration",
    expected: {
      kind: 'success',
      user: 'testPrincipal',
      attributes: {
        testAttribute: ['testValue'],
        samlAuthenticationStatementAuthMethod: ['urn:ietf:rfc:2246'],
        testSamlAttribute: ['value'],
        testAttributeCollection: ['tac1', 'tac2'],
      },
      responseId: '_bf6957bad275fc74a1c079a445581441',
      inResponseTo: '....',
      issuer: 'testIssuer',
      audiences: ['https://google.com'],
      notBefore: '2017-08-15T06:30:04.622Z',
      notOnOrAfter: '2017-08-15T06:30:05.622Z',
      authenticationInstant: '2017-08-15T06:46:43.585Z',
      authenticationMethod: 'urn:ietf:rfc:2246',
    },
  }),
  vector({
    name: 'spec-logout-request',
    file: 'spec-logout-request.xml',
    format: 'xml',
    source: 'spec',
    kind: 'logout-request',
    description: 'Appendix C logout request, placeholders as values, NameID padded',
    expected: {
      id: '[RANDOM ID]',
      issueInstant: '[CURRENT DATE/TIME]',
      nameId: '@NOT_USED@',
      sessionIndex: '[SESSION IDENTIFIER]',
    },
  }),
  // --- What deployed servers send ------------------------------------------------------------------
  vector({
    name: 'cas3-standard-attributes',
    file: 'cas3-standard-attributes.xml',
    format: 'xml',
    source: 'real-world',
    kind: 'validation',
    description: 'the Appendix A example attributes in a full response; booleans and dates stay strings',
    expected: {
      kind: 'success',
      user: 'username',
      attributes: {
        authenticationDate: ['2015-11-12T09:30:10Z'],
        longTermAuthenticationRequestTokenUsed: ['true'],
        isFromNewLogin: ['true'],
        myAttribute: ['myValue'],
      },
      proxies: [],
    },
  }),
  vector({
    name: 'jasig-attributes',
    file: 'jasig-attributes.xml',
    format: 'xml',
    source: 'real-world',
    kind: 'validation',
    description: 'Jasig style: cas:attributes with an attraStyle marker, numbers as text, an empty value',
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: {
        sn: ['Lovelace'],
        givenName: ['Ada'],
        uidNumber: ['1815'],
        isMember: ['True'],
        memberOf: ['CN=Analysts,OU=Groups,DC=example,DC=edu', 'CN=Engine Users,OU=Groups,DC=example,DC=edu'],
        nickname: [''],
      },
      proxyGrantingTicket: 'PGTIOU-1-Xq8WmZ2nT5rL',
      proxies: [],
    },
  }),
  vector({
    name: 'name-value-attributes',
    file: 'name-value-attributes.xml',
    format: 'xml',
    source: 'real-world',
    kind: 'validation',
    description: 'Jasig name-value style: <cas:attribute name value/> elements, entities in values',
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: {
        sn: ['Lovelace'],
        givenName: ['Ada'],
        memberOf: ['CN=Analysts,OU=Groups,DC=example,DC=edu', 'CN=Engine Users,OU=Groups,DC=example,DC=edu'],
        motto: ['"That brain of mine" & more'],
      },
      proxyGrantingTicket: 'PGTIOU-1-Xq8WmZ2nT5rL',
      proxies: [],
    },
  }),
  vector({
    name: 'rubycas-attributes',
    file: 'rubycas-attributes.xml',
    format: 'xml',
    source: 'real-world',
    kind: 'validation',
    description: 'RubyCAS style: attributes as direct children of authenticationSuccess',
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: {
        sn: ['Lovelace'],
        givenName: ['Ada'],
        memberOf: ['CN=Analysts,OU=Groups,DC=example,DC=edu', 'CN=Engine Users,OU=Groups,DC=example,DC=edu'],
      },
      proxyGrantingTicket: 'PGTIOU-1-Xq8WmZ2nT5rL',
      proxies: [],
    },
  }),
  vector({
    name: 'namespaced-prefix',
    file: 'namespaced-prefix.xml',
    format: 'xml',
    source: 'real-world',
    kind: 'validation',
    description: 'the CAS namespace under another prefix (sso:), with an XML declaration',
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: { mail: ['ada@example.org'], isFromNewLogin: ['false'] },
      proxies: ['https://proxy2.example.org/pgtUrl', 'https://proxy1.example.org/pgtUrl'],
    },
  }),
  vector({
    name: 'default-namespace',
    file: 'default-namespace.xml',
    format: 'xml',
    source: 'real-world',
    kind: 'validation',
    description: 'the CAS namespace as default namespace, no prefix',
    expected: {
      kind: 'failure',
      code: 'INVALID_SERVICE',
      description: 'Ticket ST-5-Vb0p not valid for https://other.example.org/',
    },
  }),
  vector({
    name: 'whitespace-padded',
    file: 'whitespace-padded.xml',
    format: 'xml',
    source: 'real-world',
    kind: 'validation',
    description: 'BOM, CRLF, tabs, a comment, CDATA and character references; every value padded',
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: { displayName: ['Ada <Augusta> King'], uidNumber: ['1815'], note: ['café & thé'] },
      proxyGrantingTicket: 'PGTIOU-2-Lm3Qa',
      proxies: [],
    },
  }),
  vector({
    name: 'apereo-cas3-success-json',
    file: 'apereo-cas3-success.json',
    format: 'json',
    source: 'real-world',
    kind: 'validation',
    description: 'Apereo-style JSON: booleans and numbers, scalars and arrays, a null',
    expected: {
      kind: 'success',
      user: 'mlovelace',
      attributes: {
        credentialType: ['UsernamePasswordCredential'],
        isFromNewLogin: ['true'],
        authenticationDate: ['1700000000.123'],
        longTermAuthenticationRequestTokenUsed: ['false'],
        uidNumber: ['1815'],
        memberOf: ['staff', 'faculty'],
      },
      proxies: [],
    },
  }),
];

export const VECTORS_DIR = new URL('./', import.meta.url);

/** The raw bytes of a vector file. */
export function readVectorBytes(vectorOrFile: ProtocolVector | string): Uint8Array {
  const file = typeof vectorOrFile === 'string' ? vectorOrFile : vectorOrFile.file;
  return new Uint8Array(readFileSync(new URL(file, VECTORS_DIR)));
}

/** A vector file decoded as UTF-8 (a leading BOM is kept). */
export function readVectorText(vectorOrFile: ProtocolVector | string): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(readVectorBytes(vectorOrFile));
}

export function vectorByName(name: string): ProtocolVector {
  const found = vectors.find((v) => v.name === name);
  if (found === undefined) throw new Error(`no protocol vector named ${name}`);
  return found;
}

/** All vectors of one kind, typed accordingly. */
export function vectorsOfKind<K extends VectorKind>(kind: K): Extract<ProtocolVector, { kind: K }>[] {
  return vectors.filter((v): v is Extract<ProtocolVector, { kind: K }> => v.kind === kind);
}

export { renderVector } from './render-vector.ts';
