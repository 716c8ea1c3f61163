import type { FastifyInstance } from 'fastify';
import { demoDriver } from '../../src/demo-flows.ts';

/**
 * Demo data for 通知公告 and 消息推送, through the real routes: the province publishes a notice, a
 * policy and an FAQ (the public /portal shows them), keeps one draft, and 成都市人社局 sends its
 * subordinate units a message that 示范科技 (`kj_hr`) finds unread. Loaded on a fresh database.
 */
export async function loadAnnouncementsDemoData(app: FastifyInstance): Promise<void> {
  const d = demoDriver(app);
  const published = [
    {
      type: 'notice',
      title: '关于做好2026年度职称评审工作的通知',
      content: '各市（州）人力资源社会保障局、省直各部门：\n\n2026年度职称评审工作即将开始。请各评委会按照备案范围发布评审活动，申报人通过本系统在线申报，各级单位在规定时限内完成审核和报送。\n\n评审结果公示期不少于5个工作日。',
    },
    {
      type: 'policy',
      title: '四川省职称评审管理服务实施办法',
      content: '为规范职称评审程序，加强职称评审管理，保证职称评审质量，根据《职称评审管理暂行规定》，结合我省实际，制定本办法。',
    },
    {
      type: 'faq',
      title: '申报人忘记密码怎么办？',
      content: '申报人可联系所在单位的超级管理员在“申报人账号”中重置密码；连续输错五次密码的账号锁定15分钟，也可由单位超级管理员解锁。',
    },
  ];
  const ids: number[] = [];
  for (const a of published) ids.push((await d.call<{ id: number }>('sc_hr', 'POST', '/api/announcements', a)).id);
  await d.call('sc_hr', 'POST', '/api/announcements/batch', { action: 'publish', ids });
  await d.call('sc_hr', 'POST', '/api/announcements', { type: 'eligibility', title: '2027年度工程技术系列申报条件（征求意见稿）', content: '草稿：待发布。' });

  const units = await d.call<Array<{ id: number; name: string }>>('cd_hr', 'GET', `/api/message-recipients/units?filter=${encodeURIComponent(JSON.stringify({ q: '示范科技' }))}`);
  if (units.length) {
    await d.call('cd_hr', 'POST', '/api/message-pushes', {
      recipientKind: 'unit',
      recipientIds: units.map((u) => u.id),
      title: '请按时完成本单位申报材料审核',
      content: '2026年度评审活动的单位初次审核即将截止，请及时审核本单位人员的申报材料并报送。',
    });
  }
}
