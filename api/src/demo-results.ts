import type { FastifyInstance } from 'fastify';
import { shanghaiDate } from '../modules/calendar/calendar.service.ts';
import { MIN_WORKING_DAYS, periodWorkingDays } from '../modules/result-publicity/result-publicity.flow.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo.ts';
import { demoDossierData, demoDriver, receiveDemoDossier, shiftDay, type DemoDriver } from './demo-flows.ts';
import { hashPassword } from './passwords.ts';
import { userNumbersWrite } from '../modules/staff/users.pii.ts';

const CONTACT = { contactPerson: '李老师', contactPhone: '028-86000001', contactAddress: '成都市青羊区人民中路 1 号' };
const SPECIALTIES = ['机械工程', '电气工程', '建筑工程'];

/**
 * Demo data for the second half (评审结果公示, 评审结果确认, results in 我的申报), through the real
 * flows: two 专项评审 activities of the demo committee, each with a closed 普通评审会议 whose
 * candidates passed. The first one's publicity is running around today (公示中 on the public home
 * page) with a complaint under investigation; the second one's publicity has ended, and the
 * 授权管理单位 (成都市人社局) has confirmed one candidate (文号 set), refused one, and has the third
 * waiting in 评审结果确认. Loaded by the server after `loadMeetingDemoData` on a fresh database.
 */
export async function loadResultsDemoData(app: FastifyInstance, now = app.engine.clock.now()): Promise<void> {
  const today = shanghaiDate(now);
  const periods = publicityPeriods(app, today);
  if (!periods) {
    app.log.warn(`工作日历尚无 ${today.slice(0, 4)} 年的节假日安排，未加载评审结果公示和确认的演示数据`);
    return;
  }
  const committee = await app.db('committees').where({ name: '成都市工程技术系列中级职称评审委员会' }).first('id', 'organizer_unit_id');
  const employer = await app.db('units').where({ name: '成都示范科技有限公司' }).first('id');
  if (!committee || !employer) return;
  const hash = await hashPassword(DEMO_PASSWORD);
  const accounts = DEMO_ACCOUNTS.filter((a) => a.resultsDemo);
  await app.db('users').insert(
    accounts.map((a) => ({ username: a.username, password_hash: hash, display_name: a.displayName, unit_id: employer.id, roles: a.roles, ...userNumbersWrite(app.db, { id_number: a.idNumber ?? null }), status: 'active', created_at: now, updated_at: now })),
  );
  const d = demoDriver(app);
  const year = Number(today.slice(0, 4));
  const base = { committeeId: Number(committee.id), unitId: Number(committee.organizer_unit_id), year, now };

  // 公示中: passed, published around today; 刘梦洁 has a complaint the committee is investigating
  const running = await closedMeetingWithPassed(app, d, { ...base, topic: '智能制造', applicants: ['wanghaoran', 'liumengjie'] });
  const notice = await publishPublicity(d, running.meetingId, periods.running);
  await d.call('lina', 'POST', `/api/publicity/${notice}/complaints`, { dossierId: running.dossierIds[1], reason: '其申报的项目业绩与本人实际承担的工作不符，请核实。' });

  // 公示结束 → 评审结果确认: 杨博文 通过 (文号 set), 赵欣怡 确认不通过, 周俊杰 waits for 材料审阅
  const ended = await closedMeetingWithPassed(app, d, { ...base, topic: '轨道交通', applicants: ['yangbowen', 'zhaoxinyi', 'zhoujunjie'] });
  await publishPublicity(d, ended.meetingId, periods.ended);
  // the period's timer (due: its last day is over) ends the publicity and hands over to confirmation
  await app.scheduler.runOnce();
  await app.engine.deliverMessages();
  const [passed, refused] = ended.dossierIds as [number, number, number];
  const file = await d.uploadPdf('cd_hr', '任职资格文件.pdf');
  await d.call('cd_hr', 'PUT', `/api/result-confirmations/${ended.meetingId}/qualification-file`, { fileId: file.id });
  // each decision names the step the confirming list shows
  const shown = async (dossierId: number) => {
    const page = await d.call<{ candidates: Array<{ dossierId: number; taskId: string | null }> }>('cd_hr', 'GET', `/api/result-confirmations/${ended.meetingId}/candidates?kind=direct&pageSize=500`);
    return page.candidates.find((c) => c.dossierId === dossierId)?.taskId ?? undefined;
  };
  for (const id of [passed, refused]) await d.call('cd_hr', 'POST', `/api/result-confirmations/${ended.meetingId}/candidates/${id}/review`, { action: 'pass', taskId: await shown(id) });
  await d.call('cd_hr', 'POST', `/api/result-confirmations/${ended.meetingId}/candidates/${passed}/decision`, { passed: true, taskId: await shown(passed) });
  await d.call('cd_hr', 'POST', `/api/result-confirmations/${ended.meetingId}/candidates/${refused}/decision`, { passed: false, reason: '现职称任职年限不符合申报条件', taskId: await shown(refused) });
  await app.engine.deliverMessages();
  await d.call('cd_pw', 'PUT', `/api/meetings/${ended.meetingId}/confirmation/document-numbers`, { dossierIds: [passed], documentNo: `川人社职〔${year}〕36号`, approvalDate: today });
}

/**
 * The two periods, each at least 5 working days by the 工作日历: one running (from two working
 * days before today to four after), one over (ending yesterday). Null when the calendar cannot
 * count them (a year not entered yet).
 */
function publicityPeriods(app: FastifyInstance, today: string) {
  try {
    const cal = app.calendar;
    let start = today;
    for (let back = 0; back < 2; ) if (cal.isWorkingDay((start = shiftDay(start, -1)))) back++;
    const runningEnd = cal.addWorkingDays(today, 4);
    const endedEnd = shiftDay(today, -1);
    let endedStart = endedEnd;
    while (periodWorkingDays(cal, endedStart, endedEnd) < MIN_WORKING_DAYS) endedStart = shiftDay(endedStart, -1);
    return { running: { periodStart: start, periodEnd: runningEnd }, ended: { periodStart: endedStart, periodEnd: endedEnd } };
  } catch {
    return null;
  }
}

/**
 * A 专项评审 activity whose applicants' dossiers went through the dossier flow to 评委会接收, and
 * its closed normal meeting in which they all passed: the meeting row and its candidates are
 * inserted (the meeting flow is not the point here); each case gets the meeting's result and the
 * meeting is handed to publicity, as review-meeting.bpmn does at its end.
 */
async function closedMeetingWithPassed(
  app: FastifyInstance,
  d: DemoDriver,
  o: { committeeId: number; unitId: number; year: number; now: Date; topic: string; applicants: string[] },
): Promise<{ meetingId: number; dossierIds: number[] }> {
  const day = (offset: number) => new Date(o.now.getTime() + offset * 24 * 3600 * 1000);
  const [activity] = await app
    .db('activities')
    .insert({
      committee_id: o.committeeId,
      name: `${o.year}年度成都市工程技术系列中级职称专项评审（${o.topic}）`,
      year: o.year,
      committee_unit_id: o.unitId,
      status: 'published',
      kind: 'special',
      scope: `成都市市本级${o.topic}领域工程技术人员`,
      levels: ['intermediate'],
      specialties: SPECIALTIES,
      min_continuing_education_hours: 90,
      starts_at: day(-1),
      first_deadline: day(60),
      revision_deadline: day(75),
      receipt_deadline: day(95),
      published_at: day(-31),
      created_at: o.now,
      updated_at: o.now,
    })
    .returning('id');
  const activityId = Number(activity.id);
  const dossierIds: number[] = [];
  for (const [i, username] of o.applicants.entries()) {
    const account = DEMO_ACCOUNTS.find((a) => a.username === username)!;
    const gender = Number(account.idNumber!.slice(16, 17)) % 2 ? 'male' : 'female';
    const data = demoDossierData({ username, name: account.displayName, gender, specialty: SPECIALTIES[i % 2]! }, `${account.idNumber!.slice(6, 10)}-${account.idNumber!.slice(10, 12)}-${account.idNumber!.slice(12, 14)}`, `1390000${4001 + dossierIds.length}`);
    dossierIds.push((await receiveDemoDossier(app, d, username, activityId, data, o.now)).dossierId);
  }
  // the activity's submissions are over by now; it no longer shows under 我要申报
  await app.db('activities').where({ id: activityId }).update({ starts_at: day(-100), first_deadline: day(-60), revision_deadline: day(-50), receipt_deadline: day(-40), published_at: day(-110) });
  const [meeting] = await app
    .db('review_meetings')
    .insert({ activity_id: activityId, committee_id: o.committeeId, kind: 'normal', name: `${o.topic}专项普通评审会议`, status: 'closed', created_at: o.now, updated_at: o.now })
    .returning('id');
  const meetingId = Number(meeting.id);
  await app.db('meeting_candidates').insert(dossierIds.map((id, i) => ({ meeting_id: meetingId, dossier_id: id, order_no: i + 1, status: 'passed', result_round: 'plenary', created_at: o.now })));
  for (const id of dossierIds) await d.publish('review-result', `dossier:${id}`, { reviewPassed: true, reviewStage: 'plenary', reviewReason: null });
  await d.publish('result-publicity-requested', `publicity:meeting:${meetingId}`, { meetingId, activityId, committeeId: o.committeeId });
  return { meetingId, dossierIds };
}

/** 发布公示公告 by the committee's clerk; returns the notice's id. */
async function publishPublicity(d: DemoDriver, meetingId: number, period: { periodStart: string; periodEnd: string }): Promise<number> {
  const before = await d.call<{ publishTaskId: string | null }>('cd_pw', 'GET', `/api/meetings/${meetingId}/publicity`);
  if (!before.publishTaskId) throw new Error(`演示数据：评审会议 ${meetingId} 没有发布公示公告的待办`);
  await d.complete('cd_pw', before.publishTaskId, 'complete', undefined, { ...period, ...CONTACT });
  const after = await d.call<{ notice: { id: number } | null }>('cd_pw', 'GET', `/api/meetings/${meetingId}/publicity`);
  return after.notice!.id;
}
