/**
 * The API as the crash and outage harnesses run it: a child process on a database the harness has
 * already migrated and deployed to (so a restart is only what a worker of `WORKERS=n` does: open the
 * pool, build the app, start the sweeper, listen). No console build, no migrations, no demo loading.
 *
 *   DATABASE_URL=postgres://… PORT=… JWT_SECRET=… node --import tsx bench/api-server.ts
 */
import { buildApp } from '../api/src/app.ts';
import { loadConfig } from '../api/src/config.ts';
import { openDatabase } from '../api/src/db.ts';

const config = loadConfig();
const database = await openDatabase(config);
const app = await buildApp({ config, database });
if (config.SCHEDULER) app.scheduler.start();
await app.listen({ port: config.PORT, host: config.HOST });
process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => database.close())
    .finally(() => process.exit(0));
});
