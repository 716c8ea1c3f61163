import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { FIXTURES_DIR, type TestApp } from './app.ts';
import { actorOf } from './actors.ts';

/** The call-activity fixtures: `fixture-parent` calls `fixture-child`, which has one task for its initiator. */
export async function deployCallFixtures(t: TestApp): Promise<void> {
  // the parent refers to the child, so the child goes first (deployDirectory orders this itself)
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'child.bpmn'), 'utf8'));
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'parent.bpmn'), 'utf8'));
}

/** A parent started by `kj_hr`, waiting on its called child. */
export async function startFixtureParent(t: TestApp, knex: Knex) {
  const actor = await actorOf(knex, 'kj_hr');
  const id = await t.app.engine.startInstance({ processKey: 'fixture-parent', actor, checkStarter: false });
  const child = await knex('process_instances').where({ parent_instance_id: id }).first();
  return { actor, id, child };
}
