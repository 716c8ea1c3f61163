import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { FIXTURES_DIR, type TestApp } from './app.ts';
import { idNumber } from './fixtures.ts';
import { credentialLogin } from '../../api/modules/ballots/ballots.service.ts';

/** The test diagram of one voting round: ballot.openRound → 专家投票 (MI) → 计票 (回退 loop) → ballot.tally. */
export const BALLOT_ROUND_KEY = 'fixture-ballot-round';

export async function deployBallotRound(t: TestApp): Promise<void> {
  await t.app.engine.deploy(fs.readFileSync(path.join(FIXTURES_DIR, 'ballot-round.bpmn'), 'utf8'));
}

/** A copy of a row with its json columns written back as JSON (knex would write a JS array as a PostgreSQL array). */
export async function copyRow(knex: Knex, table: string, row: Record<string, unknown>, overrides: Record<string, unknown>): Promise<number> {
  const types = await knex('information_schema.columns').where({ table_name: table }).select('column_name', 'data_type');
  const json = new Set(types.filter((c: { data_type: string }) => c.data_type === 'json' || c.data_type === 'jsonb').map((c: { column_name: string }) => c.column_name));
  const { id: _id, ...rest } = { ...row, ...overrides };
  void _id;
  const values = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, json.has(k) && v != null ? JSON.stringify(v) : v]));
  const [inserted] = await knex(table).insert(values).returning('id');
  return Number(inserted.id);
}

let seq = 0;
const next = () => ++seq;

export interface SeededMeeting {
  meetingId: number;
  activityId: number;
  committeeId: number;
  organizerUnitId: number;
  experts: Array<{ expertId: number; name: string; idNumber: string }>;
  candidates: Array<{ dossierId: number; name: string }>;
}

/**
 * A meeting of the demo committee (on a 专项 activity of its own) with confirmed experts and
 * received candidates, as the draw and assignment parts would leave it. Panels: the experts and
 * candidates are dealt to them in turn.
 */
export async function seedMeeting(knex: Knex, options: { experts: number; candidates: number; panels?: number; name?: string }): Promise<SeededMeeting> {
  const at = new Date('2026-06-01T02:00:00Z');
  const base = await knex('activities').orderBy('id').first();
  const committee = await knex('committees').where({ id: base.committee_id }).first();
  const n = next();
  const activityId = await copyRow(knex, 'activities', base, { name: `${base.name}（评审会议测试 ${n}）`, kind: 'special', created_at: at, updated_at: at });
  const [meeting] = await knex('review_meetings')
    .insert({ activity_id: activityId, committee_id: committee.id, kind: 'normal', name: options.name ?? `普通评审会议 ${n}`, status: 'voting', created_at: at, updated_at: at })
    .returning('id');
  const meetingId = Number(meeting.id);
  const panelIds: number[] = [];
  for (let p = 0; p < (options.panels ?? 0); p++) {
    const [panel] = await knex('meeting_panels').insert({ meeting_id: meetingId, name: `第${p + 1}专业组`, order_no: p }).returning('id');
    panelIds.push(Number(panel.id));
  }
  const panelOf = (i: number) => (panelIds.length ? panelIds[i % panelIds.length]! : null);
  const experts: SeededMeeting['experts'] = [];
  for (let i = 0; i < options.experts; i++) {
    const k = next();
    const id = idNumber(`19${60 + (k % 30)}0${1 + (k % 9)}1${k % 10}`, k % 1000);
    const name = `专家${String.fromCharCode(0x4e00 + (k % 500))}${k}`;
    const [row] = await knex('experts')
      .insert({
        committee_id: committee.id, name, id_number: id, sex: 'male', birth_month: `${id.slice(6, 10)}-${id.slice(10, 12)}`, employer: `四川大学${k}`, post: '教授',
        phone1: '13800000001', honours: '无', specialty: '机械工程', current_title: '正高级工程师', status: 'in_pool', created_at: at, updated_at: at,
      })
      .returning('id');
    await knex('meeting_experts').insert({ meeting_id: meetingId, expert_id: row.id, role: 'principal', group_no: 1, attendance: 'confirmed', panel_id: panelOf(i), updated_at: at });
    experts.push({ expertId: Number(row.id), name, idNumber: id });
  }
  const candidates: SeededMeeting['candidates'] = [];
  for (let i = 0; i < options.candidates; i++) {
    const k = next();
    const name = `参评人${k}`;
    const [user] = await knex('users')
      .insert({ username: `voter-applicant-${k}`, password_hash: 'x', display_name: name, roles: ['applicant'], id_number: idNumber(`1990${String(1 + (k % 12)).padStart(2, '0')}15`, k % 1000, '510105'), status: 'active', created_at: at, updated_at: at })
      .returning('id');
    const [dossier] = await knex('dossiers').insert({ activity_id: activityId, applicant_id: user.id, year: base.year, status: 'received', data: {}, submitted_at: at, created_at: at, updated_at: at }).returning('id');
    await knex('meeting_candidates').insert({ meeting_id: meetingId, dossier_id: dossier.id, source: 'received', order_no: options.candidates - i, panel_id: panelOf(i), created_at: at });
    candidates.push({ dossierId: Number(dossier.id), name });
  }
  // the meeting's order (order_no) is the reverse of insertion: the portal must follow it
  candidates.reverse();
  return { meetingId, activityId, committeeId: Number(committee.id), organizerUnitId: Number(committee.organizer_unit_id), experts, candidates };
}

/** The text of a PDF (pdftotext, UTF-8). */
export function pdfText(pdf: Buffer): string {
  const file = path.join(os.tmpdir(), `zcps-ballots-${process.pid}-${next()}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The logins and one-time passwords a credential sheet prints. */
export function credentialsIn(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of text.matchAll(/(zj\d{8,}-\d+)\s+(\S{12})/g)) found.set(m[1]!, m[2]!);
  return found;
}

export const NEW_PASSWORD = 'Expert#Vote2027';

/**
 * Issues the meeting's credentials from the sheet (as the clerk), logs each expert in with the
 * printed password and makes the forced change; answers each expert's bearer token.
 */
export async function expertTokens(t: TestApp, clerk: string, meeting: SeededMeeting): Promise<Map<number, string>> {
  const res = await t.request('POST', `/api/meetings/${meeting.meetingId}/credentials`, { user: clerk, body: {} });
  if (res.statusCode !== 200) throw new Error(`credentials: ${res.statusCode} ${res.body}`);
  const printed = credentialsIn(pdfText(res.rawPayload));
  const tokens = new Map<number, string>();
  for (const e of meeting.experts) {
    const username = credentialLogin(e.expertId, meeting.meetingId);
    const password = printed.get(username);
    if (!password) throw new Error(`no credential printed for ${username}:\n${pdfText(res.rawPayload)}`);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    const first = (login.json() as { token: string }).token;
    const changed = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { authorization: `Bearer ${first}` }, payload: { oldPassword: password, newPassword: NEW_PASSWORD } });
    if (changed.statusCode !== 200) throw new Error(`password change: ${changed.statusCode} ${changed.body}`);
    tokens.set(e.expertId, (changed.json() as { token: string }).token);
  }
  return tokens;
}

/** Starts the round's flow for the meeting (as the meeting diagram would) and links it to the meeting. */
export async function startRound(t: TestApp, meeting: SeededMeeting, roundKind: 'panel' | 'plenary' = 'plenary', panelMethod: 'vote' | 'score' = 'vote'): Promise<string> {
  const id = await t.app.engine.startInstance({
    processKey: BALLOT_ROUND_KEY,
    actor: null,
    businessKey: `meeting:${meeting.meetingId}`,
    variables: { meetingId: meeting.meetingId, roundKind, panelMethod, committeeUnitId: meeting.organizerUnitId },
    checkStarter: false,
  });
  await t.app.db('review_meetings').where({ id: meeting.meetingId }).update({ instance_id: id });
  return id;
}
