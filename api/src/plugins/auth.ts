import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { systemClock, type Actor, type Clock } from '../../../engine/types.ts';
import type { AppOptions } from '../app.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { PERMISSIONS, type Permission } from '../permissions.ts';
import { createPrincipals, disabledMessage, type Principal, type Principals } from '../principals.ts';
import { resolveJwtSecret } from '../settings.ts';
import { createSessionsRepository, type SessionEnd, type SessionPolicy, type SessionsRepository } from '../../modules/auth/auth.sessions.repository.ts';

/** The token names the account only; what it may do is read fresh (see principals.ts). */
export interface TokenPayload {
  sub: string;
  username: string;
  /** the password's change time when the token was issued: a later change ends the session */
  pv: number;
  /** the login session (auth_sessions): a logout or an idle end refuses the token at once */
  sid?: string;
  /** signed in-process for the demo loader and benches, never handed out by a route */
  int?: boolean;
}

/** What a login, a refresh or a password change hands the console. */
export interface IssuedSession {
  token: string;
  refreshToken: string;
  session: { idleSeconds: number; warnSeconds: number };
}

const SESSION_END_MESSAGES: Record<SessionEnd, string> = {
  idle: '长时间未操作，已自动退出登录，请重新登录',
  logout: '已退出登录，请重新登录',
  reuse: '登录凭证已被重复使用，为安全起见已退出登录，请重新登录',
  expired: '登录已过期，请重新登录',
  password: '密码已修改，请重新登录',
  unknown: '登录已失效，请重新登录',
};

export const sessionEndMessage = (end: SessionEnd) => SESSION_END_MESSAGES[end];

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
    /** an in-process token without a session (demo loader, benches): never hand it out */
    signToken(principal: Pick<Principal, 'userId' | 'username' | 'passwordChangedAt'>): string;
    /** a new login session: access token, refresh token, and the idle policy the console follows */
    openSession(principal: Pick<Principal, 'userId' | 'username' | 'passwordChangedAt'>): Promise<IssuedSession>;
    sessions: SessionsRepository;
    sessionPolicy: SessionPolicy;
    sessionHints: IssuedSession['session'];
    /** real time for session ends, apart from the business clock (tests move both separately) */
    sessionClock: Clock;
    principals: Principals;
  }
  interface FastifyRequest {
    actor: RequestActor;
    /** the session of the access token (null for in-process tokens) */
    sessionId: string | null;
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
export default fp<Pick<AppOptions, 'config' | 'sessionClock'>>(
  async (fastify, { config, sessionClock }) => {
    const secret = await resolveJwtSecret(fastify.db, config.JWT_SECRET);
    await fastify.register(jwt, { secret, sign: { expiresIn: config.JWT_EXPIRES_IN } });
    fastify.decorateRequest('actor', null as unknown as RequestActor);
    fastify.decorateRequest('sessionId', null);
    fastify.decorate('principals', createPrincipals(fastify.db));
    const sessions = createSessionsRepository(fastify.db);
    const policy: SessionPolicy = { idleMs: config.SESSION_IDLE_MINUTES * 60_000, maxMs: config.SESSION_MAX_HOURS * 3_600_000 };
    const idleSeconds = Math.round(policy.idleMs / 1000);
    const consoleHints = { idleSeconds, warnSeconds: Math.min(config.SESSION_WARN_SECONDS, Math.floor(idleSeconds / 2)) };
    const clock = sessionClock ?? systemClock;
    fastify.decorate('sessions', sessions);
    fastify.decorate('sessionPolicy', policy);
    fastify.decorate('sessionHints', consoleHints);
    fastify.decorate('sessionClock', clock);
    const claims = (p: Pick<Principal, 'userId' | 'username' | 'passwordChangedAt'>) => ({ sub: String(p.userId), username: p.username, pv: p.passwordChangedAt?.getTime() ?? 0 });
    // in-process callers (the demo loader, benches) keep one token for a long run
    fastify.decorate('signToken', (p: Pick<Principal, 'userId' | 'username' | 'passwordChangedAt'>) => fastify.jwt.sign({ ...claims(p), int: true }, { expiresIn: '12h' }));
    fastify.decorate('openSession', async (p: Pick<Principal, 'userId' | 'username' | 'passwordChangedAt'>): Promise<IssuedSession> => {
      const c = claims(p);
      const { sessionId, refreshToken } = await sessions.open(p.userId, c.pv, clock.now(), policy);
      return { token: fastify.jwt.sign({ ...c, sid: sessionId }), refreshToken, session: consoleHints };
    });

    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      let payload: TokenPayload;
      try {
        payload = await request.jwtVerify<TokenPayload>();
      } catch (err) {
        const expired = (err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
        throw new UnauthorizedError(expired ? '登录已过期，请重新登录' : '请先登录');
      }
      if (payload.sid) {
        const end = await sessions.use(payload.sid, Number(payload.sub), clock.now(), policy);
        if (end) throw new UnauthorizedError(sessionEndMessage(end), { session: end });
        request.sessionId = payload.sid;
      } else if (!payload.int) {
        throw new UnauthorizedError(sessionEndMessage('unknown'));
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
