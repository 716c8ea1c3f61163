import fp from 'fastify-plugin';
import { createRegistration } from './registration.ts';
import unitsRoutes from './units.routes.ts';
import { createUnitService } from './units.service.ts';
import { UNITS_SEALED } from './units.pii.ts';

/** 单位: the unit tree (本级 and 下级单位管理), self-registration and parent changes through their flow. */
export default fp(
  async (fastify) => {
    const { db, engine, regions, flows } = fastify;
    // 法人代表's ID and phone numbers: sealed at rest by the sweep (units.pii.ts)
    fastify.sealer.register(UNITS_SEALED);
    const invalidate = () => fastify.principals.invalidate();
    const service = createUnitService({ db, regions, engine, now: () => engine.clock.now(), invalidate });
    const registration = createRegistration({ db, engine, units: service, invalidate });
    flows.handlers(registration.handlers);
    flows.check('unit-registration', registration.check);
    await fastify.register(unitsRoutes, { service, registration, regions });
  },
  { name: 'module:units', dependencies: ['auth', 'engine', 'flows', 'module:regions', 'module:personal-information'] },
);
