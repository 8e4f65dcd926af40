/** The slice of a pino logger the storage layer uses to report lost and restored connections. */
export interface StorageLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export const silentLogger: StorageLogger = {
  info() {},
  warn() {},
};
