import type { Knex } from 'knex';
import { NotFoundError } from '../../src/errors.ts';

/** The activity's options that shape its meetings (评审活动信息: 笔试, 答辩, 专业组, 专业组评审方式, 破格). */
export interface MeetingOptions {
  hasExam: boolean;
  hasDefense: boolean;
  hasPanels: boolean;
  /** 专业组评审方式: vote 专家投票 | score 专家打分; null without panels */
  panelMethod: 'vote' | 'score' | null;
  hasBreakthrough: boolean;
  /** 评委会组织笔试 as stored: all | no_degree | partial | none */
  writtenExam: string;
  /** 是否组织面试答辩 as stored: all | partial | none */
  defense: string;
}

interface ActivityOptionsRow {
  written_exam: string;
  defense: string;
  panels: boolean;
  panel_method: string | null;
  breakthrough: boolean;
}

/**
 * The facts the meeting flows branch on (`meeting.prepare` stores them as variables). Exported for
 * the meeting part; the exam and defense imports refuse an activity without 笔试 / 答辩 with it.
 */
export async function meetingOptions(db: Knex | Knex.Transaction, activityId: number): Promise<MeetingOptions> {
  const row = await db('activities')
    .where({ id: activityId })
    .first<ActivityOptionsRow | undefined>('written_exam', 'defense', 'panels', 'panel_method', 'breakthrough');
  if (!row) throw new NotFoundError('评审活动不存在');
  const hasPanels = row.panels === true;
  return {
    hasExam: row.written_exam !== 'none',
    hasDefense: row.defense !== 'none',
    hasPanels,
    // an activity without panels has no panel round, whatever an old form left in the column
    panelMethod: hasPanels ? (row.panel_method === 'score' ? 'score' : 'vote') : null,
    hasBreakthrough: row.breakthrough === true,
    writtenExam: row.written_exam,
    defense: row.defense,
  };
}
