import type { Knex } from 'knex';
import { ForbiddenError } from '../../src/errors.ts';
import type { RequestActor } from '../../src/plugins/auth.ts';
import { findMeetingAccess, type MeetingAccessRow } from './meetings.repository.ts';

/**
 * Who may see a meeting: `manage` — staff holding 评审会议管理 in the unit that organises the
 * meeting's committee; `read` — those, and staff holding it in the supervising committee's unit
 * (评审方案's 监督评委会, who read the tally). Anyone else gets 403 before any state is read, the
 * same answer whether the meeting exists or not, so a refusal tells an outsider nothing.
 */
export async function meetingInScope(db: Knex | Knex.Transaction, actor: Pick<RequestActor, 'unitId' | 'roles'>, meetingId: number, mode: 'manage' | 'read'): Promise<MeetingAccessRow> {
  const meeting = Number.isSafeInteger(meetingId) && meetingId > 0 ? await findMeetingAccess(db, meetingId) : undefined;
  const holds = actor.roles.includes('meeting.manage') && actor.unitId != null;
  const allowed =
    meeting != null &&
    holds &&
    (actor.unitId === Number(meeting.organizer_unit_id) || (mode === 'read' && meeting.supervisor_unit_id != null && actor.unitId === Number(meeting.supervisor_unit_id)));
  if (!meeting || !allowed) throw new ForbiddenError('无权访问该评审会议');
  return meeting;
}
