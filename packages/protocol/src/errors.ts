/**
 * Maelstrom's error registry (codes 0-999 reserved, 1000+ for users). "Definite" means the
 * operation certainly did not happen and never will; the harness records a definite error as
 * `fail` and an indefinite one as `info`.
 */
export const ERRORS = {
  timeout: { code: 0, definite: false, doc: 'Indicates that the requested operation could not be completed within a timeout.' },
  'node-not-found': { code: 1, definite: true, doc: 'Thrown when a client sends an RPC request to a node which does not exist.' },
  'not-supported': { code: 10, definite: true, doc: 'Use this error to indicate that a requested operation is not supported by the current implementation.' },
  'temporarily-unavailable': {
    code: 11,
    definite: true,
    doc: 'Indicates that the operation definitely cannot be performed at this time: perhaps the node is read-only, lacks a quorum, or has not been initialised.',
  },
  'malformed-request': { code: 12, definite: true, doc: 'The client request did not conform to the server\'s expectations, and could not possibly have been processed.' },
  crash: { code: 13, definite: false, doc: 'Indicates that some kind of general, indefinite error occurred. Use this as a catch-all for errors you can\'t otherwise categorize, or as a starting point for your error handler: it\'s safe to return crash for every problem by default.' },
  abort: { code: 14, definite: true, doc: 'Indicates that some kind of general, definite error occurred: the operation certainly did not take place.' },
  'key-does-not-exist': { code: 20, definite: true, doc: 'The client requested an operation on a key which does not exist (assuming the operation should not automatically create missing keys).' },
  'key-already-exists': { code: 21, definite: true, doc: 'The client requested the creation of a key which already exists, and the server will not overwrite it.' },
  'precondition-failed': { code: 22, definite: true, doc: 'The requested operation expected some conditions to hold, and those conditions were not met: for instance, a compare-and-set operation might assert that the value of a key is currently 5; if the value is 3, the server would return precondition-failed.' },
  'txn-conflict': { code: 30, definite: true, doc: 'The requested transaction has been aborted because of a conflict with another transaction. Servers need not return this error on every conflict: they may choose to retry automatically instead.' },
} as const;

/** A registered error name, such as `'txn-conflict'`. */
export type ErrorName = keyof typeof ERRORS;
/** A registered error code. */
export type ErrorCode = (typeof ERRORS)[ErrorName]['code'];

const BY_CODE = new Map<number, ErrorName>(Object.entries(ERRORS).map(([name, e]) => [e.code, name as ErrorName]));

/** Error codes by name, in camelCase, for code that prefers constants: `ErrorCodes.TxnConflict === 30`. */
export const ErrorCodes = {
  Timeout: 0,
  NodeNotFound: 1,
  NotSupported: 10,
  TemporarilyUnavailable: 11,
  MalformedRequest: 12,
  Crash: 13,
  Abort: 14,
  KeyDoesNotExist: 20,
  KeyAlreadyExists: 21,
  PreconditionFailed: 22,
  TxnConflict: 30,
} as const satisfies Record<string, ErrorCode>;

/** The registered name of a code, or `'unknown'` for any other code (custom codes 1000+ included). */
export function errorName(code: number): ErrorName | 'unknown' {
  return BY_CODE.get(code) ?? 'unknown';
}

/** Whether an error code is definite. Unregistered codes are indefinite, as in Maelstrom. */
export function isDefinite(code: number): boolean {
  const name = BY_CODE.get(code);
  return name !== undefined && ERRORS[name].definite;
}

const BRAND = Symbol.for('gyre.RpcError');

/**
 * An error reply (`{"type":"error","code":...,"text":...}`) as a JavaScript error. Throw one from
 * a node handler to answer with that error; `rpc` calls reject with one when the peer answers
 * with an error or does not answer in time (code 0).
 *
 * It has no stack trace (its `stack` is its first line): it stands for an error reply, a value
 * on the wire, not a fault in the code; and a stack costs many times what the rest of an RPC
 * does (a node cut off by a partition times out on every request; a Raft follower refuses every
 * client request with one).
 */
export class RpcError extends Error {
  /** The numeric code. */
  readonly code: number;
  /** The free-text explanation sent on the wire. */
  readonly text: string;
  /** Extra body fields the error reply carried, if any. */
  readonly extra: Readonly<Record<string, unknown>>;
  declare readonly [BRAND]: true;

  constructor(code: number, text?: string, extra: Record<string, unknown> = {}) {
    const name = errorName(code);
    const t = text ?? ERRORS[name as ErrorName]?.doc ?? `error ${code}`;
    // No stack trace: see the class comment.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`${name} (${code}): ${t}`);
    } finally {
      Error.stackTraceLimit = limit;
    }
    (this as { [BRAND]: true })[BRAND] = true;
    this.name = 'RpcError';
    this.code = code;
    this.text = t;
    this.extra = extra;
  }

  /** The registered name of {@link code}, or `'unknown'`. */
  get errorName(): ErrorName | 'unknown' {
    return errorName(this.code);
  }

  /** True when the operation certainly did not happen. */
  get definite(): boolean {
    return isDefinite(this.code);
  }

  /** The wire body of this error, without `in_reply_to`. */
  toBody(): { type: 'error'; code: number; text: string } & Record<string, unknown> {
    return { ...this.extra, type: 'error', code: this.code, text: this.text };
  }

  /** True for any RpcError, even one from another copy of this package. */
  static is(e: unknown): e is RpcError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
  }

  static timeout(text = 'timed out'): RpcError {
    return new RpcError(0, text);
  }
  static nodeNotFound(text?: string): RpcError {
    return new RpcError(1, text);
  }
  static notSupported(text?: string): RpcError {
    return new RpcError(10, text);
  }
  static temporarilyUnavailable(text?: string): RpcError {
    return new RpcError(11, text);
  }
  static malformedRequest(text?: string): RpcError {
    return new RpcError(12, text);
  }
  static crash(text?: string): RpcError {
    return new RpcError(13, text);
  }
  static abort(text?: string): RpcError {
    return new RpcError(14, text);
  }
  static keyDoesNotExist(text?: string): RpcError {
    return new RpcError(20, text);
  }
  static keyAlreadyExists(text?: string): RpcError {
    return new RpcError(21, text);
  }
  static preconditionFailed(text?: string): RpcError {
    return new RpcError(22, text);
  }
  static txnConflict(text?: string): RpcError {
    return new RpcError(30, text);
  }
}

/** Convenience: {@link RpcError.is}. */
export const isRpcError = (e: unknown): e is RpcError => RpcError.is(e);
