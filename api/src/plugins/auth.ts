import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../engine/types.ts';
import type { AppOptions } from '../app.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { PERMISSIONS, type Permission } from '../permissions.ts';
import { createPrincipals, disabledMessage, type Principal, type Principals } from '../principals.ts';
import { resolveJwtSecret } from '../settings.ts';

/** The token names the account only; what it may do is read fresh (see principals.ts). */
export interface TokenPayload {
  sub: string;
  username: string;
  /** the password's change time when the token was issued: a later change ends the session */
  pv: number;
}

export interface RequestActor extends Omit<Principal, 'permissions'> {
  unitId: number | null;
  /** permission keys (the engine matches task candidates against them) */
  roles: string[];
}

// a request's actor is what the engine calls an actor, with more besides
const _actorIsEngineActor: (a: RequestActor) => Actor = (a) => a;
void _actorIsEngineActor;

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenPayload;
    user: TokenPayload;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    requirePermission(permission: Permission, ...orAny: Permission[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    signToken(principal: Pick<Principal, 'userId' | 'username' | 'passwordChangedAt'>): string;
    principals: Principals;
  }
  interface FastifyRequest {
    actor: RequestActor;
  }
  interface FastifyContextConfig {
    /** reachable while the account still has to replace an initial password */
    beforePasswordChange?: boolean;
  }
}

export function actorOf(principal: Principal): RequestActor {
  const { permissions, ...rest } = principal;
  return { ...rest, roles: permissions };
}

/** Bearer-token sessions (@fastify/jwt), the caller's principal, and the permission checks routes declare. */
export default fp<Pick<AppOptions, 'config'>>(
  async (fastify, { config }) => {
    const secret = await resolveJwtSecret(fastify.db, config.JWT_SECRET);
    await fastify.register(jwt, { secret, sign: { expiresIn: config.JWT_EXPIRES_IN } });
    fastify.decorateRequest('actor', null as unknown as RequestActor);
    fastify.decorate('principals', createPrincipals(fastify.db));
    fastify.decorate('signToken', (p: Pick<Principal, 'userId' | 'username' | 'passwordChangedAt'>) =>
      fastify.jwt.sign({ sub: String(p.userId), username: p.username, pv: p.passwordChangedAt?.getTime() ?? 0 }),
    );

    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      let payload: TokenPayload;
      try {
        payload = await request.jwtVerify<TokenPayload>();
      } catch (err) {
        const expired = (err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
        throw new UnauthorizedError(expired ? '登录已过期，请重新登录' : '请先登录');
      }
      const principal = await fastify.principals.get(Number(payload.sub));
      if (!principal) throw new UnauthorizedError('账号不存在，请重新登录');
      if (principal.status !== 'active') throw new UnauthorizedError(disabledMessage(principal.disabledReason));
      if (principal.unitStatus === 'inactive') throw new UnauthorizedError(disabledMessage('unit_inactive'));
      // a password change ends the sessions opened before it
      if ((principal.passwordChangedAt?.getTime() ?? 0) !== payload.pv) {
        throw new UnauthorizedError('密码已修改，请重新登录');
      }
      if (principal.mustChangePassword && !request.routeOptions.config?.beforePasswordChange) {
        throw new ForbiddenError('请先修改初始密码后再使用系统', [{ field: 'password', message: '初始密码必须修改' }]);
      }
      request.actor = actorOf(principal);
    });

    fastify.decorate('requirePermission', (permission: Permission, ...orAny: Permission[]) => async (request: FastifyRequest) => {
      const wanted = [permission, ...orAny];
      if (!wanted.some((p) => request.actor?.roles.includes(p))) {
        throw new ForbiddenError(`没有“${wanted.map((p) => PERMISSIONS[p].name).join('”或“')}”权限`);
      }
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
