import fp from 'fastify-plugin';

/**
 * 评审会议 (破格评审会议, 普通评审会议): the meeting records and their scope
 * (`meetings.scope.ts`, used by every part of the meeting: draw, exam, defense, ballots, tally).
 */
export default fp(async () => {}, { name: 'module:meetings', dependencies: ['db', 'auth', 'flows'] });
