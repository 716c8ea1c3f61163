import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** A row of `review_meetings` (评审会议). */
export interface MeetingRow {
  id: number;
  activity_id: number;
  committee_id: number;
  kind: 'breakthrough' | 'normal';
  name: string;
  status: 'preparing' | 'voting' | 'closed' | 'cancelled';
  instance_id: string | null;
  supervisor_committee_id: number | null;
  starts_at: Date | null;
  location: string | null;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** A meeting with the units whose staff may work on it (组建单位) or read it (监督评委会的组建单位). */
export interface MeetingAccessRow extends MeetingRow {
  organizer_unit_id: number;
  supervisor_unit_id: number | null;
}

export function findMeetingAccess(db: Db, meetingId: number): Promise<MeetingAccessRow | undefined> {
  return db('review_meetings as m')
    .join('committees as c', 'c.id', 'm.committee_id')
    .leftJoin('committees as s', 's.id', 'm.supervisor_committee_id')
    .where('m.id', meetingId)
    .first<MeetingAccessRow | undefined>('m.*', 'c.organizer_unit_id', 's.organizer_unit_id as supervisor_unit_id');
}
