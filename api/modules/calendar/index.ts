import fp from 'fastify-plugin';
import calendarRoutes from './calendar.routes.ts';
import { loadCalendar, type Calendar } from './calendar.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** 工作日历: working-day arithmetic for every module */
    calendar: Calendar;
  }
}

/** 工作日历: the working-day calendar, shared as `fastify.calendar`, and its editing. */
export default fp(
  async (fastify) => {
    const calendar = await loadCalendar(fastify.db);
    // an edit reloads the editing process at once; the other API processes catch up here
    const refresh = setInterval(() => void calendar.reload().catch((err: unknown) => fastify.log.warn({ err }, '工作日历刷新失败')), 30_000);
    refresh.unref();
    fastify.addHook('onClose', async () => clearInterval(refresh));
    fastify.decorate('calendar', calendar);
    await fastify.register(calendarRoutes, { calendar });
  },
  { name: 'module:calendar', dependencies: ['db', 'auth'] },
);
