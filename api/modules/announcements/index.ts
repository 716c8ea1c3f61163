import fp from 'fastify-plugin';
import announcementsPublicRoutes from './announcements.public.routes.ts';
import announcementsRoutes from './announcements.routes.ts';
import { createAnnouncementsRepository } from './announcements.repository.ts';
import { createAnnouncementsService } from './announcements.service.ts';

/** 通知公告管理 (manual §1.2.15.1) and the published announcements on the public home page. */
export default fp(
  async (fastify) => {
    const service = createAnnouncementsService(fastify.db);
    const repo = createAnnouncementsRepository(fastify.db);
    // an attachment is read in the console by the managers of the unit whose announcement holds it
    fastify.fileReaders.add('announcement', async (actor, file) => {
      if (!actor.roles.includes('announcement.manage') || actor.unitId == null) return false;
      return (await repo.unitsHoldingFile(file.id)).includes(actor.unitId);
    });
    await fastify.register(announcementsRoutes, { service });
    await fastify.register(announcementsPublicRoutes);
  },
  { name: 'module:announcements', dependencies: ['db', 'auth', 'engine', 'module:files'] },
);
