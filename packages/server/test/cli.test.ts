import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { selfSignedCertificate } from './helpers/tls-certificate.ts';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

function workspace(): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'usher-cli-'));
  const config = join(dir, 'usher.yaml');
  writeFileSync(
    config,
    [
      'storage:',
      `  kind: sqlite`,
      `  path: ${join(dir, 'usher.db')}`,
      'services:',
      '  registry:',
      '    - name: Shop',
      '      match: prefix',
      '      pattern: https://shop.example.org/',
      '      description: The web shop',
      '      attributes:',
      '        allow: [mail]',
      '        rename: { mail: email }',
      '        rewrite: { mail: { pattern: "@old\\\\.org$", replace: "@new.org" } }',
      '        require: { memberOf: [staff, ops] }',
      '      proxy: { allowed: true, callbackPattern: "^https://shop\\\\.example\\\\.org/pgt" }',
      '    - name: Old',
      '      pattern: ^https://old\\.example\\.org/',
      '      enabled: false',
      '',
    ].join('\n'),
  );
  return { dir, config };
}

function usher(
  args: string[],
  options: { config?: string; input?: string; env?: Record<string, string> } = {},
) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', MAIN, ...(options.config ? ['--config', options.config] : []), ...args],
    {
      input: options.input ?? '',
      encoding: 'utf8',
      env: { ...process.env, USHER_CONFIG: '', ...options.env },
      timeout: 60_000,
    },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/**
 * Runs the CLI on a terminal (a pseudo-terminal from util-linux `script`), typing each answer once the
 * output so far ends with its prompt, so that the terminal never echoes typed text on its own.
 */
function usherOnTerminal(config: string, args: string[], answers: [prompt: string, typed: string][]) {
  const command = [process.execPath, '--import', 'tsx', MAIN, '--config', config, ...args].join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { ...process.env, USHER_CONFIG: '' },
  });
  let screen = '';
  const pending = [...answers];
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    const next = pending[0];
    if (next && screen.endsWith(next[0])) {
      pending.shift();
      child.stdin.write(next[1]);
    }
  });
  return new Promise<{ code: number | null; screen: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, screen })),
  );
}

describe('usher CLI', () => {
  it('asks for a new password twice on a terminal, shows the prompt, echoes nothing', async () => {
    const { config } = workspace();
    const added = await usherOnTerminal(
      config,
      ['user', 'add', 'dora'],
      [
        ['Password: ', 'correct horse\r'],
        ['Password again: ', 'correct horse\r'],
      ],
    );
    assert.equal(added.code, 0, added.screen);
    assert.match(added.screen, /Password: \r?\nPassword again: \r?\nuser "dora" created/);
    assert.doesNotMatch(added.screen, /correct horse/);

    const typo = await usherOnTerminal(
      config,
      ['user', 'passwd', 'dora'],
      [
        ['Password: ', 'battery staple\r'],
        ['Password again: ', 'battery stapel\x7f\x7fle\r'],
      ],
    );
    assert.equal(typo.code, 0, 'Backspace deletes what was typed');
    const differ = await usherOnTerminal(
      config,
      ['user', 'passwd', 'dora'],
      [
        ['Password: ', 'battery staple\r'],
        ['Password again: ', 'battery stable\r'],
      ],
    );
    assert.equal(differ.code, 2);
    assert.match(differ.screen, /the two passwords differ; nothing was changed/);
    const cancelled = await usherOnTerminal(config, ['user', 'passwd', 'dora'], [['Password: ', 'abc\x03']]);
    assert.equal(cancelled.code, 130);

    const unknown = await usherOnTerminal(config, ['user', 'passwd', 'nobody'], []);
    assert.equal(unknown.code, 1);
    assert.match(unknown.screen, /no user "nobody"/);
    assert.doesNotMatch(unknown.screen, /Password/, 'no password asked for a user that does not exist');
  });

  it('user add / list / passwd / remove', () => {
    const { config } = workspace();
    const add = usher(
      [
        'user',
        'add',
        'carol',
        '--attr',
        'mail=carol@example.org',
        '--attr',
        'memberOf=staff',
        '--attr',
        'memberOf=ops',
        '--password-stdin',
      ],
      {
        config,
        input: 'a long password\n',
      },
    );
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /user "carol" created/);
    const duplicate = usher(['user', 'add', 'carol', '--password-stdin'], {
      config,
      input: 'another password\n',
    });
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.err, /already exists/);
    const list = usher(['user', 'list'], { config });
    assert.match(list.out, /carol {2}mail=carol@example\.org memberOf=staff,ops/);
    assert.doesNotMatch(list.out, /argon2/);
    const short = usher(['user', 'passwd', 'carol', '--password-stdin'], { config, input: 'short\n' });
    assert.equal(short.code, 2);
    assert.match(short.err, /at least 8 characters/);
    assert.equal(
      usher(['user', 'passwd', 'carol', '--password-stdin'], { config, input: 'a new long password\n' }).code,
      0,
    );
    assert.equal(usher(['user', 'remove', 'carol'], { config }).code, 0);
    const gone = usher(['user', 'remove', 'carol'], { config });
    assert.equal(gone.code, 1);
    assert.match(gone.err, /no user "carol"/);
    const badName = usher(['user', 'add', 'bad name', '--password-stdin'], {
      config,
      input: 'a long password\n',
    });
    assert.equal(badName.code, 2);
  });

  it('service list and check (like django-mama-cas checkservice)', () => {
    const { config } = workspace();
    const list = usher(['service', 'list'], { config });
    assert.match(list.out, /Shop\tprefix\thttps:\/\/shop\.example\.org\//);
    const valid = usher(
      ['service', 'check', 'https://shop.example.org/cart', 'https://shop.example.org/pgt/cb'],
      { config },
    );
    assert.equal(valid.code, 0, valid.err);
    assert.match(valid.out, /Valid service: https:\/\/shop\.example\.org\/cart/);
    assert.match(valid.out, /Attributes released: mail/);
    assert.match(valid.out, /^Description: The web shop$/m);
    assert.match(valid.out, /^Attributes renamed: mail as email$/m);
    assert.match(valid.out, /^Attributes rewritten: mail \/@old\\\.org\$\/ to "@new\.org"$/m);
    assert.match(valid.out, /^Access requires: memberOf in \[staff, ops\]$/m);
    assert.match(valid.out, /Proxy allowed: yes/);
    assert.match(valid.out, /^Proxy callbacks matching: \^https:\/\/shop\\\.example\\\.org\/pgt$/m);
    assert.match(valid.out, /^Proxy targets: \(any registered service\)$/m);
    assert.match(valid.out, /Proxy callback allowed: yes/);
    const badCallback = usher(
      ['service', 'check', 'https://shop.example.org/', 'https://evil.example.com/pgt'],
      { config },
    );
    assert.match(badCallback.out, /Proxy callback allowed: no/);
    const invalid = usher(['service', 'check', 'https://shop.example.org.evil.com/'], { config });
    assert.equal(invalid.code, 1);
    assert.match(invalid.err, /Invalid service/);
    const disabled = usher(['service', 'check', 'https://old.example.org/x'], { config });
    assert.equal(disabled.code, 1);
    assert.match(disabled.out, /Disabled service/);
    assert.doesNotMatch(disabled.out, /Description|renamed|rewritten|requires|callbacks|Proxy targets/);
  });

  it('service add / disable / enable / remove change the file, keeping its comments and permissions', () => {
    const { dir, config } = workspace();
    writeFileSync(config, `# managed by hand\n${readFileSync(config, 'utf8')}`, { mode: 0o600 });
    chmodSync(config, 0o600);
    const add = usher(
      ['service', 'add', 'Wiki', 'https://wiki.example.org/', '--attributes', 'mail, cn', '--order', '-1'],
      { config },
    );
    assert.equal(add.code, 0, add.err);
    assert.match(add.out, /^Registered service Wiki \(prefix https:\/\/wiki\.example\.org\/\) in /m);
    assert.match(add.out, /SIGHUP/);
    const text = readFileSync(config, 'utf8');
    assert.match(text, /^# managed by hand$/m, 'comments kept');
    assert.match(text, /description: The web shop/, 'other services kept');
    assert.equal(statSync(config).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).sort(), ['usher.yaml'], 'no temporary file left');
    const wiki = usher(['service', 'check', 'https://wiki.example.org/page'], { config });
    assert.equal(wiki.code, 0, wiki.err);
    assert.match(wiki.out, /^Service: Wiki \(prefix https:\/\/wiki\.example\.org\/, order -1\)$/m);
    assert.match(wiki.out, /^Attributes released: mail, cn$/m);
    assert.match(wiki.out, /^Single logout: back-channel/m);

    assert.equal(usher(['service', 'disable', 'Wiki'], { config }).code, 0);
    assert.equal(usher(['service', 'check', 'https://wiki.example.org/page'], { config }).code, 1);
    assert.equal(usher(['service', 'enable', 'Old'], { config }).code, 0);
    assert.match(usher(['service', 'check', 'https://old.example.org/x'], { config }).out, /^Valid service/m);
    const remove = usher(['service', 'remove', 'Shop'], { config });
    assert.equal(remove.code, 0, remove.err);
    assert.doesNotMatch(usher(['service', 'list'], { config }).out, /Shop/);

    const firstRun = join(dir, 'first-run.yaml');
    writeFileSync(firstRun, 'services:\n  registry: []\n  # Register your applications here\n');
    assert.equal(
      usher(['service', 'add', 'Wiki', 'https://wiki.example.org/'], { config: firstRun }).code,
      0,
    );
    assert.match(readFileSync(firstRun, 'utf8'), /^ {2}registry:\n {4}- name: Wiki\n {6}match: prefix\n/m);
    rmSync(firstRun);

    const linked = join(dir, 'linked.yaml');
    symlinkSync(config, linked);
    assert.equal(usher(['service', 'disable', 'Old'], { config: linked }).code, 0);
    assert.ok(lstatSync(linked).isSymbolicLink(), 'a linked file is changed where it lives');
    assert.match(
      usher(['service', 'check', 'https://old.example.org/x'], { config }).out,
      /^Disabled service/m,
    );
    rmSync(linked);

    const env = { USHER_SERVICES__REGISTRY__0__ENABLED: 'true' };
    const noted = usher(
      ['service', 'add', 'Api', '^https://api\\.example\\.org/', '--match', 'regex', '--proxy'],
      {
        config,
        env,
      },
    );
    assert.equal(noted.code, 0, noted.err);
    assert.match(noted.out, /Note: USHER_SERVICES__REGISTRY__0__ENABLED also set services\.registry/);
    assert.match(
      usher(['service', 'check', 'https://api.example.org/'], { config }).out,
      /^Proxy allowed: yes$/m,
    );
  });

  it('service add and remove refuse what would not load, and leave the file as it was', () => {
    const { config } = workspace();
    const before = readFileSync(config, 'utf8');
    const refusals: [string[], number, RegExp][] = [
      [
        ['service', 'add', 'Shop', 'https://shop2.example.org/'],
        1,
        /a service named Shop is already registered/,
      ],
      [
        ['service', 'add', 'Bad', 'not a url'],
        2,
        /services\.registry\[2\]\.pattern: must be an absolute http\(s\) URL/,
      ],
      [['service', 'add', 'Bad', '([', '--match', 'regex'], 2, /not a valid regular expression/],
      [['service', 'add', 'Bad', 'https://x.example.org/', '--logout-url', 'ftp://x'], 2, /logoutUrl/],
      [
        ['service', 'add', 'Bad', 'https://x.example.org/', '--match', 'glob'],
        1,
        /Allowed choices are prefix, exact, regex/,
      ],
      [['service', 'add', 'Bad', 'https://x.example.org/', '--order', '1.5'], 1, /a whole number/],
      [['service', 'remove', 'Nope'], 1, /no service named Nope/],
      [['service', 'enable', 'Nope'], 1, /no service named Nope/],
    ];
    for (const [args, code, message] of refusals) {
      const result = usher(args, { config });
      assert.equal(result.code, code, `${args.join(' ')}: ${result.err}`);
      assert.match(result.err, message);
      assert.doesNotMatch(result.err, /\n\s+at /, 'no stack trace');
      assert.equal(readFileSync(config, 'utf8'), before, `${args.join(' ')} left the file alone`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'usher-cli-'));
    const missing = usher(['service', 'add', 'Wiki', 'https://wiki.example.org/'], {
      env: { USHER_DATA_DIR: dir },
    });
    assert.equal(missing.code, 1);
    assert.ok(missing.err.includes(`no configuration file at ${join(dir, 'usher.yaml')}`), missing.err);
  });

  it('config check reports errors by key, without a stack trace', () => {
    const { dir, config } = workspace();
    assert.match(usher(['config', 'check'], { config }).out, /OK/);
    assert.match(
      usher(['config', 'check'], { config, env: { USHER_DEMO__ENABLED: 'true' } }).out,
      /^services: 2 \(and the demo service\)$/m,
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'server:\n  port: -1\n');
    const result = usher(['config', 'check'], { config: bad });
    assert.equal(result.code, 2);
    assert.match(result.err, /server\.port/);
    assert.doesNotMatch(result.err, /\n\s+at /);
  });

  it('config check also reads the files the settings name, as serve does before it starts', () => {
    const { dir, config } = workspace();
    const missing = join(dir, 'missing.pem');
    const tls = usher(['config', 'check'], {
      config,
      env: { USHER_SERVER__TLS: `{keyFile: ${missing}, certFile: ${missing}}` },
    });
    assert.equal(tls.code, 2, tls.out);
    assert.ok(tls.err.includes(`Invalid configuration (${config} and the environment):`), tls.err);
    assert.match(
      tls.err,
      /server\.tls\.keyFile: cannot read .*missing\.pem \(ENOENT\) \(set by USHER_SERVER__TLS\)/,
    );
    const bundle = usher(['config', 'check'], { config, env: { USHER_SINGLE_LOGOUT__CA_BUNDLE: missing } });
    assert.equal(bundle.code, 2);
    assert.match(bundle.err, /singleLogout\.caBundle: cannot read .*missing\.pem \(ENOENT\)/);
    const callback = usher(['config', 'check'], {
      config,
      env: { USHER_SERVICES__ATTRIBUTE_CALLBACKS: '[./no-such-module.ts#department]' },
    });
    assert.equal(callback.code, 2);
    assert.match(
      callback.err,
      /services\.attributeCallbacks\[0\]: .*\(set by USHER_SERVICES__ATTRIBUTE_CALLBACKS\)/,
    );
    for (const result of [tls, bundle, callback]) assert.doesNotMatch(result.err, /\n\s+at /);

    const certificate = selfSignedCertificate('127.0.0.1');
    try {
      const keyFile = join(dirname(certificate.certFile), 'key.pem');
      const ok = usher(['config', 'check'], {
        config,
        env: { USHER_SERVER__TLS: `{keyFile: ${keyFile}, certFile: ${certificate.certFile}}` },
      });
      assert.equal(ok.code, 0, ok.err);
      assert.ok(ok.out.includes(`TLS: ${certificate.certFile} with its key`), ok.out);
    } finally {
      certificate.remove();
    }
  });

  it('config check applies environment overrides to entries of lists, naming a wrong variable', () => {
    const { config } = workspace();
    const changed = usher(['config', 'check'], {
      config,
      env: {
        USHER_SERVICES__REGISTRY__1__ENABLED: 'true',
        USHER_SERVICES__REGISTRY__2: '{name: Blog, match: prefix, pattern: "https://blog.example.org/"}',
      },
    });
    assert.equal(changed.code, 0, changed.err);
    assert.match(changed.out, /services: 3/);
    const enabled = usher(['service', 'check', 'https://old.example.org/x'], {
      config,
      env: { USHER_SERVICES__REGISTRY__1__ENABLED: 'true' },
    });
    assert.equal(enabled.code, 0, enabled.err);
    assert.match(enabled.out, /Valid service/);
    const missing = usher(['config', 'check'], {
      config,
      env: { USHER_SERVICES__REGISTRY__3__ENABLED: 'true' },
    });
    assert.equal(missing.code, 2);
    assert.match(
      missing.err,
      /Invalid configuration \(environment\):\n {2}- USHER_SERVICES__REGISTRY__3__ENABLED: services\.registry has no entry 3/,
    );
    assert.doesNotMatch(missing.err, /\n\s+at /);
  });

  it('tickets cleanup runs against the configured storage', () => {
    const { config } = workspace();
    const result = usher(['tickets', 'cleanup'], { config });
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /expired item\(s\) deleted/);
  });

  it('output piped into a reader that has gone ends quietly, not with a stack trace', async () => {
    const { config } = workspace();
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', config, 'service', 'list'], {
      env: { ...process.env, USHER_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reading end closes before the command writes a line, as `| head -0` would.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (chunk) => (err += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, err);
    assert.equal(err, '');
  });

  it('unknown commands fail with usage help', () => {
    const result = usher(['frobnicate']);
    assert.notEqual(result.code, 0);
    assert.match(result.err, /unknown command/);
  });
});
