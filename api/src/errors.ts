export {
  ConflictError,
  DeployError,
  EngineError,
  ExecutionError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldProblem,
} from '../../engine/errors.ts';
import { EngineError } from '../../engine/errors.ts';

/** 401: not logged in, token expired, or wrong credentials. */
export class UnauthorizedError extends EngineError {
  constructor(message = '请先登录', details?: unknown) {
    super('UNAUTHORIZED', message, details);
  }
}
