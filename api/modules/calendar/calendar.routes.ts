import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NotFoundError, ValidationError } from '../../src/errors.ts';
import { errorResponses } from '../../src/schemas.ts';
import type { Calendar } from './calendar.service.ts';
import { createCalendarRepository } from './calendar.repository.ts';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const year = z.coerce.number().int().min(2000).max(2100);
const dayRow = z.object({ day: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string() });

/** 工作日历: the arrangement of each year, kept by the province's administrators; working-day sums for everyone. */
const calendarRoutes: FastifyPluginAsyncZod<{ calendar: Calendar }> = async (app, { calendar }) => {
  app.addHook('onRequest', app.authenticate);
  const now = () => app.engine.clock.now();
  const calendars = createCalendarRepository(app.db);

  app.get('/api/calendar/years', {
    schema: {
      tags: ['工作日历'],
      summary: '已维护的年份',
      response: { 200: z.array(z.object({ year: z.number(), source: z.string(), published: z.boolean(), holidays: z.number(), workdays: z.number() })), ...errorResponses },
    },
    handler: async () => calendars.years(),
  });

  app.get('/api/calendar/:year', {
    schema: {
      tags: ['工作日历'],
      summary: '某年的节假日与调休上班日',
      params: z.object({ year }),
      response: { 200: z.object({ year: z.number(), source: z.string(), published: z.boolean(), days: z.array(dayRow) }), ...errorResponses },
    },
    handler: async (request) => {
      const row = await calendars.year(request.params.year);
      if (!row) throw new NotFoundError(`${request.params.year} 年的工作日历尚未维护`);
      return { ...row, days: await calendars.daysOf(request.params.year) };
    },
  });

  app.put('/api/calendar/:year', {
    schema: {
      tags: ['工作日历'],
      summary: '录入或修改某年的安排（国务院办公厅公布后由管理员维护）',
      params: z.object({ year }),
      body: z.object({ published: z.boolean(), days: z.array(dayRow.extend({ day: date })).max(400) }),
      response: { 200: z.object({ year: z.number(), published: z.boolean(), days: z.number() }), ...errorResponses },
    },
    preValidation: app.requirePermission('settings.manage'),
    handler: async (request) => {
      const { year: y } = request.params;
      const outside = request.body.days.find((d) => Number(d.day.slice(0, 4)) !== y);
      if (outside) throw new ValidationError(`${outside.day} 不在 ${y} 年`, [{ field: 'days', message: `${outside.day} 不在 ${y} 年` }]);
      const twice = request.body.days.find((d, i, all) => all.findIndex((x) => x.day === d.day) !== i);
      if (twice) throw new ValidationError(`${twice.day} 重复`, [{ field: 'days', message: `${twice.day} 重复` }]);
      const source = `管理员录入（${request.actor.displayName ?? request.actor.username}）`;
      await app.db.transaction((trx) => calendars.replaceYear(y, { source, published: request.body.published, days: request.body.days }, request.actor.userId, now(), trx));
      await calendar.reload();
      return { year: y, published: request.body.published, days: request.body.days.length };
    },
  });

  app.get('/api/working-days', {
    schema: {
      tags: ['工作日历'],
      summary: '按工作日计算：某日之后第 n 个工作日，或两日之间的工作日数',
      querystring: z.object({ from: date, add: z.coerce.number().int().min(0).max(366).optional(), to: date.optional() }),
      response: { 200: z.object({ from: z.string(), date: z.string().optional(), workingDays: z.number().optional() }), ...errorResponses },
    },
    handler: async (request) => {
      const { from, add, to } = request.query;
      if (add === undefined && to === undefined) throw new ValidationError('请给出 add（加几个工作日）或 to（截止日期）', [{ field: 'add', message: '必填其一' }]);
      return {
        from,
        ...(add !== undefined ? { date: calendar.addWorkingDays(from, add) } : {}),
        ...(to !== undefined ? { workingDays: calendar.workingDaysBetween(from, to) } : {}),
      };
    },
  });
};

export default calendarRoutes;
