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
