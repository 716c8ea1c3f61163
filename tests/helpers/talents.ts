import type { Knex } from 'knex';
import { expect } from 'vitest';
import { hashPassword } from '../../api/src/passwords.ts';
import { DEMO_PASSWORD } from '../../api/src/demo.ts';
import type { TestApp } from './app.ts';
import { idNumber } from './fixtures.ts';

/** A registration body for a person born on `birth` (YYYYMMDD) with sequence `seq` (odd: male, even: female). */
export function talentBody(name: string, birth: string, seq: number, overrides: Record<string, unknown> = {}) {
  return {
    personName: name,
    gender: seq % 2 === 1 ? 'male' : 'female',
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    idNumber: idNumber(birth, seq),
    ethnicity: '汉族',
    politicalStatus: 'masses',
    origin: 'mainland',
    education: 'bachelor',
    category: 'engineering',
    titleKind: 'title',
    level: 'intermediate',
    series: 'engineering',
    titleName: '工程师',
    ...overrides,
  };
}

/** An applicant account of a unit, with the demo password, whose ID number matches `talentBody(…, birth, seq)`. */
export async function createPerson(knex: Knex, username: string, unitId: number, birth: string, seq: number): Promise<void> {
  const at = new Date();
  await knex('users').insert({ username, password_hash: await hashPassword(DEMO_PASSWORD), display_name: username, unit_id: unitId, roles: ['applicant'], id_number: idNumber(birth, seq), status: 'active', created_at: at, updated_at: at });
}

/** Saves and submits a registration, then passes it at each reviewing unit in turn. */
export async function registerAndApprove(t: TestApp, user: string, body: Record<string, unknown>, reviewers: string[]): Promise<number> {
  const saved = await t.request('PUT', '/api/talents/mine', { user, body });
  expect(saved.statusCode, saved.body).toBe(200);
  const submitted = await t.request('POST', '/api/talents/mine/submit', { user });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const id = (submitted.json() as { registration: { id: number } }).registration.id;
  for (const reviewer of reviewers) {
    const res = await t.request('POST', `/api/talents/${id}/review`, { user: reviewer, body: { action: 'pass' } });
    expect(res.statusCode, res.body).toBe(200);
  }
  return id;
}
