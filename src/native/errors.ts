// Loading nettrace's two native addons (native/, built with `npm run build:native`) and
// turning their failures into NativeErrors with stable codes. Only src/native/ loads
// them: emitter.ts (LLVM) and bpf.ts (libbpf). Each is loaded on first use, so importing
// a wrapper (for its types) works where the addon has not been built, and a process that
// only runs a compiled program never maps LLVM.
import { createRequire } from 'node:module';
import { E } from '../diagnostics/catalogue.js';
import { DiagnosticError, error } from '../diagnostics/diagnostic.js';

/** Stable codes of native failures; tests and diagnostics match on these, not on text. */
export type NativeErrorCode =
  | 'INVALID_IR'
  | 'VERIFIER'
  | 'PERMISSION'
  | 'NOT_SUPPORTED'
  | 'NO_SUCH_INTERFACE'
  | 'NO_SUCH_TRACEPOINT'
  | 'OTHER';

const CODES: ReadonlySet<string> = new Set<NativeErrorCode>([
  'INVALID_IR',
  'VERIFIER',
  'PERMISSION',
  'NOT_SUPPORTED',
  'NO_SUCH_INTERFACE',
  'NO_SUCH_TRACEPOINT',
  'OTHER',
]);

export class NativeError extends Error {
  readonly code: NativeErrorCode;
  /** The kernel's errno (positive, e.g. 1 for EPERM), when a system call failed. */
  readonly errno: number | undefined;
  /** The verifier log, for program loads. */
  readonly log: string | undefined;

  constructor(
    code: NativeErrorCode,
    message: string,
    details: { errno?: number; log?: string; cause?: unknown } = {},
  ) {
    super(message);
    if (details.cause !== undefined) {
      // Set by hand: the `cause` constructor option needs the ES2022 lib.
      Object.defineProperty(this, 'cause', { value: details.cause, configurable: true, writable: true });
    }
    this.name = 'NativeError';
    this.code = code;
    this.errno = details.errno;
    this.log = details.log;
  }
}

/**
 * A native addon, loaded on first call. Its failures come out as NativeErrors; an addon
 * that does not load at all as a DiagnosticError (NT0503).
 */
export interface NativeModule<T> {
  /** Runs fn with the addon, translating its typed errors. */
  call<R>(fn: (addon: T) => R): R;
}

export function nativeModule<T>(file: string): NativeModule<T> {
  let addon: T | undefined;
  let loadFailure: DiagnosticError | undefined;
  const load = (): T => {
    if (addon !== undefined) return addon;
    if (loadFailure !== undefined) throw loadFailure;
    try {
      addon = createRequire(import.meta.url)(`../../native/build/Release/${file}`) as T;
      return addon;
    } catch (cause) {
      // Not built, or built for another Node: the user's to fix, so a diagnostic (NT0503).
      const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      loadFailure = new DiagnosticError([
        error(E.NativeAddonMissing, `nettrace's native addon ${file} could not be loaded: ${why}`, undefined, 'build it: ./setup.sh, or npm run build:native in the nettrace folder'),
      ]);
      throw loadFailure;
    }
  };
  return {
    call(fn) {
      const loaded = load();
      try {
        return fn(loaded);
      } catch (e) {
        throw toNativeError(e);
      }
    },
  };
}

function toNativeError(error: unknown): unknown {
  if (error instanceof NativeError || !(error instanceof Error)) return error;
  const raw = error as Error & { code?: unknown; errno?: unknown; log?: unknown };
  if (typeof raw.code !== 'string' || !CODES.has(raw.code)) return error;
  return new NativeError(raw.code as NativeErrorCode, raw.message, {
    errno: typeof raw.errno === 'number' ? raw.errno : undefined,
    log: typeof raw.log === 'string' ? raw.log : undefined,
    cause: error,
  });
}
