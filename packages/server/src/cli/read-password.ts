import { CliError } from './cli-error.ts';

/**
 * Reads a new password: the whole of stdin when piped (`--password-stdin`, or no terminal), else typed
 * twice at a prompt that does not echo.
 */
export async function readNewPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) return readStdin();
  const password = await promptHidden('Password: ');
  if ((await promptHidden('Password again: ')) !== password)
    throw new CliError('the two passwords differ; nothing was changed', 2);
  return password;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * The terminal in raw mode, so that nothing is echoed and nothing redraws the prompt (readline's line
 * refresh used to clear it): Enter ends, Backspace deletes, Ctrl-C cancels, other control keys are ignored.
 */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Raw before the prompt shows: keys typed as soon as it appears must not be echoed either.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const key of chunk) {
        if (key === '\r' || key === '\n' || key === '\u0004') {
          finish();
          resolve(typed.join(''));
          return;
        }
        if (key === '\u0003') {
          finish();
          reject(new CliError('cancelled', 130));
          return;
        }
        if (key === '\u007f' || key === '\b') typed = typed.slice(0, -1);
        else if (key >= ' ') typed.push(key);
      }
    };
    stdin.on('data', onData);
  });
}
