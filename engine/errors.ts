/** Typed errors the engine throws; the API maps them to HTTP codes. Messages are Chinese for users. */
export class EngineError extends Error {
  readonly code: string;
  readonly details?: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class NotFoundError extends EngineError {
  constructor(message: string, details?: unknown) {
    super('NOT_FOUND', message, details);
  }
}

export class ConflictError extends EngineError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, details);
  }
}

export class ForbiddenError extends EngineError {
  constructor(message: string, details?: unknown) {
    super('FORBIDDEN', message, details);
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class ValidationError extends EngineError {
  constructor(message: string, readonly fields: FieldProblem[] = []) {
    super('VALIDATION', message, fields);
  }
}

export interface DeployProblem {
  elementId: string | null;
  elementType?: string;
  rule: string;
  message: string;
  severity: 'error' | 'warning';
  line?: number;
}

export class DeployError extends EngineError {
  constructor(readonly problems: DeployProblem[]) {
    super('DEPLOY_REFUSED', `流程图未通过检查，共 ${problems.filter((p) => p.severity === 'error').length} 个问题`, problems);
  }
}

/** The engine itself failed while advancing an instance (no path out of a gateway, bad expression…). */
export class ExecutionError extends EngineError {
  constructor(message: string, readonly elementId?: string) {
    super('EXECUTION_FAILED', message, { elementId });
  }
}

/** Internal: a guarded write lost against a concurrent step; the step is retried or turned into 409. */
export class StaleStateError extends ConflictError {
  constructor(message = '数据已被他人修改，请刷新后重试') {
    super(message);
  }
}

// SQLSTATE classes 08 (connection exception) and 57P01–57P03 (the server shutting down, crashed
// or starting up), 53300 (too many connections): the database is away, not the request wrong
const UNAVAILABLE_CODES = new Set([
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND',
]);
// node-postgres and knex say it in words only (no code)
// "Transaction query already complete": knex's answer to a query on a transaction that a lost
// connection has already ended (rolled back underneath the request) — seen once in 1,004 requests
// of bench/outage.ts; the work was not done and may be retried
const UNAVAILABLE_MESSAGES = /Transaction query already complete|Connection terminated|Connection ended unexpectedly|Client has encountered a connection error|Client was closed and is not queryable|terminating connection due to|the database system is (?:starting up|shutting down|in recovery mode)|Timeout acquiring a connection|connect ECONNREFUSED|read ECONNRESET/;

/**
 * Whether an error means the database could not be reached or dropped the connection (a restart,
 * an outage, a full pool): the work is to be retried later, it is neither the caller's fault nor
 * an incident of the flow.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
