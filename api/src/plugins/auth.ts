import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../engine/types.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { PERMISSIONS, type Permission } from '../permissions.ts';

export interface TokenPayload {
  sub: string;
  name: string;
  unitId: number | null;
  roles: string[];
  perms: string[];
}

export interface RequestActor extends Actor {
  username: string;
  roleKeys: string[];
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenPayload & { username: string };
    user: TokenPayload & { username: string };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    requirePermission(permission: Permission): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    signToken(payload: TokenPayload & { username: string }): string;
  }
  interface FastifyRequest {
    actor: RequestActor;
  }
}

/** Bearer-token login sessions (@fastify/jwt) and the permission checks routes declare. */
export default fp<{ secret: string; expiresIn: string }>(
  async (fastify, opts) => {
    await fastify.register(jwt, { secret: opts.secret, sign: { expiresIn: opts.expiresIn } });
    fastify.decorateRequest('actor', null as unknown as RequestActor);

    fastify.decorate('signToken', (payload: TokenPayload & { username: string }) => fastify.jwt.sign(payload));

    fastify.decorate('authenticate', async (request: FastifyRequest) => {
      let payload: TokenPayload & { username: string };
      try {
        payload = await request.jwtVerify<TokenPayload & { username: string }>();
      } catch (err) {
        const expired = (err as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED';
        throw new UnauthorizedError(expired ? '登录已过期，请重新登录' : '请先登录');
      }
      request.actor = {
        userId: Number(payload.sub),
        unitId: payload.unitId,
        roles: payload.perms,
        roleKeys: payload.roles,
        displayName: payload.name,
        username: payload.username,
      };
    });

    fastify.decorate('requirePermission', (permission: Permission) => async (request: FastifyRequest) => {
      if (!request.actor?.roles.includes(permission)) {
        throw new ForbiddenError(`没有“${PERMISSIONS[permission]}”权限`);
      }
    });
  },
  { name: 'auth' },
);
