import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/test-server.ts';
import { selfSignedCertificate, type TlsCertificate } from '../helpers/tls-certificate.ts';
import { eventually } from '../storage/server-under-test.ts';

const SLAPD = '/usr/sbin/slapd';
export const BASE_DN = 'dc=example,dc=org';
export const SERVICE_DN = `cn=usher,ou=services,${BASE_DN}`;
export const SERVICE_PASSWORD = 'service-secret';
export const LARA_PASSWORD = 'tomb raider 1996';
export const BOB_PASSWORD = 'builder bob';

export interface LdapServer {
  url: string;
  ldapsUrl: string;
  /** CA file for ldaps:// and StartTLS (the server's self-signed certificate). */
  caFile: string;
  stop(): Promise<void>;
}

/** RFC 2307 `{SSHA}`: base64(SHA-1(password + salt) + salt), as slappasswd writes it. */
function ssha(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

const people = (uid: string, attributes: string[], password: string) => `dn: uid=${uid},ou=people,${BASE_DN}
objectClass: inetOrgPerson
uid: ${uid}
${attributes.join('\n')}
userPassword: ${ssha(password)}
`;

const DATA = `dn: ${BASE_DN}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,${BASE_DN}
objectClass: organizationalUnit
ou: people

dn: ou=services,${BASE_DN}
objectClass: organizationalUnit
ou: services

dn: ${SERVICE_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: usher
userPassword: ${ssha(SERVICE_PASSWORD)}

${people('lara', ['cn: Lara Croft', 'sn: Croft', 'mail: lara@example.org', 'mail: lcroft@example.org', 'employeeType: staff', 'employeeType: explorers'], LARA_PASSWORD)}
${people('bob', ['cn: Bob Builder', 'sn: Builder', 'mail: bob@example.org'], BOB_PASSWORD)}`;

function slapdConfig(dir: string, tls: TlsCertificate & { keyFile: string }): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
# A DN with an empty password then binds (unauthenticated, RFC 4513 §5.1.2): the source must refuse it.
allow bind_anon_dn
TLSCertificateFile ${tls.certFile}
TLSCertificateKeyFile ${tls.keyFile}
database mdb
suffix "${BASE_DN}"
rootdn "cn=admin,${BASE_DN}"
rootpw ${randomBytes(12).toString('hex')}
directory ${dir}/db
access to attrs=userPassword by self read by anonymous auth by * none
access to * by dn.exact="${SERVICE_DN}" read by self read by * none
`;
}

/** Installs slapd when missing (Debian, as root); false when that is not possible here. */
function ensureSlapd(): boolean {
  if (existsSync(SLAPD)) return true;
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'slapd', 'ldap-utils'], {
      stdio: 'pipe',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 300_000,
    });
  } catch {
    return false;
  }
  return existsSync(SLAPD);
}

/**
 * A private slapd on 127.0.0.1 (plain and ldaps ports) with a temporary mdb database: base
 * dc=example,dc=org, a service account, users lara (multi-valued mail and employeeType) and bob.
 */
export async function startLdapServer(): Promise<LdapServer> {
  if (!ensureSlapd()) throw new Error(`${SLAPD} is missing and could not be installed`);
  const dir = mkdtempSync(join(tmpdir(), 'usher-slapd-'));
  mkdirSync(join(dir, 'db'));
  const certificate = selfSignedCertificate('127.0.0.1');
  const keyFile = join(dir, 'key.pem');
  writeFileSync(keyFile, certificate.key);
  const config = join(dir, 'slapd.conf');
  writeFileSync(config, slapdConfig(dir, { ...certificate, keyFile }));
  writeFileSync(join(dir, 'data.ldif'), DATA);
  execFileSync('/usr/sbin/slapadd', ['-f', config, '-l', join(dir, 'data.ldif')], { stdio: 'pipe' });
  const [port, tlsPort] = [await freePort(), await freePort()];
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`;
  // -d keeps slapd in the foreground, so it is this process's child and ends with it.
  const slapd: ChildProcess = spawn(SLAPD, ['-f', config, '-h', `${url}/ ${ldapsUrl}/`, '-d', '0'], {
    stdio: 'ignore',
  });
  await eventually(() => reachable(port), 10_000);
  return {
    url,
    ldapsUrl,
    caFile: certificate.certFile,
    async stop() {
      if (slapd.exitCode === null) {
        const exited = new Promise((resolve) => slapd.once('exit', resolve));
        slapd.kill('SIGTERM');
        await exited;
      }
      certificate.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function reachable(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}
