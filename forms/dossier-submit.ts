import { z } from 'zod';
import { defineForm, field } from './define.ts';
import { EDUCATION, LEVELS, SERIES, educationOptions, keysOf, levelOptions, seriesOptions } from './catalog.ts';

const achievement = z.object({
  title: field(z.string().trim().min(1).max(100), { title: '成果名称' }),
  date: field(z.iso.date(), { title: '取得时间', widget: 'date' }),
  description: field(z.string().trim().max(1000).optional(), { title: '成果简介', widget: 'textarea' }),
});

/** 申报材料 (simplified for the platform-core proving flow; the full declaration comes later). */
export const dossierSubmitForm = defineForm({
  key: 'dossier-submit',
  title: '申报材料',
  description: '填写申报信息后提交至本单位审核；被退回后可修改并重新提交。',
  variable: 'dossier',
  dataRequiredFor: ['submit'],
  opinionRequiredFor: [],
  actionLabels: { submit: '提交' },
  schema: z.object({
    series: field(z.enum(keysOf(SERIES)), { title: '申报系列', widget: 'select', options: seriesOptions }),
    specialty: field(z.string().trim().min(1).max(30), { title: '申报专业', placeholder: '如：机械工程' }),
    level: field(z.enum(keysOf(LEVELS)), { title: '申报级别', widget: 'select', options: levelOptions }),
    currentTitle: field(z.string().trim().max(30).optional(), { title: '现职称', description: '尚无职称可不填' }),
    education: field(z.enum(keysOf(EDUCATION)), { title: '最高学历', widget: 'select', options: educationOptions }),
    workStartDate: field(z.iso.date(), { title: '参加工作时间', widget: 'date' }),
    continuingEducationHours: field(z.number().int().min(0).max(10000), {
      title: '继续教育学时',
      widget: 'number',
      description: '按规定每年不少于 90 学时',
    }),
    workSummary: field(z.string().trim().min(1).max(3000), { title: '专业技术工作总结', widget: 'textarea' }),
    achievements: field(z.array(achievement).max(50).default([]), { title: '业绩成果', widget: 'group' }),
  }),
});
