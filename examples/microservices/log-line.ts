const LEVEL_NAMES: Record<number, string> = { 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const NOT_SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg']);

/**
 * A pino JSON log line made short and readable (`logout request delivered service=Shop attempts=1`), so
 * the demo's console shows what Usher does; any other line as it is.
 */
export function readableLogLine(line: string): string {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || !('msg' in entry)) return line;
  const { level, msg } = entry as { level?: number; msg: unknown };
  const fields = Object.entries(entry)
    .filter(([key]) => !NOT_SHOWN.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const severity = LEVEL_NAMES[level ?? 0];
  return [severity, String(msg), ...fields].filter((part) => part !== undefined).join(' ');
}
