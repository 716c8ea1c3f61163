import { options } from './define.ts';

/** Shared option lists (系列, 层级, 学历) used by several forms. */
export const SERIES = {
  engineering: '工程技术',
  agriculture: '农业技术',
  health: '卫生技术',
  school_teacher: '中小学教师',
  vocational_teacher: '中等职业学校教师',
  university_teacher: '高等学校教师',
  economics: '经济',
  accounting: '会计',
  statistics: '统计',
  auditing: '审计',
  journalism: '新闻',
  publishing: '出版',
  translation: '翻译',
  arts: '艺术',
  library: '图书资料',
  museum: '文物博物',
  archives: '档案',
  crafts: '工艺美术',
  technical_school_teacher: '技工院校教师',
  sports: '体育',
  lab: '实验技术',
  research: '自然科学研究',
  social_work: '社会工作',
  mass_culture: '群众文化',
} as const;

export const LEVELS = {
  senior_full: '正高级',
  senior_deputy: '副高级',
  intermediate: '中级',
  junior: '初级',
} as const;

export const EDUCATION = {
  doctorate: '博士研究生',
  master: '硕士研究生',
  bachelor: '大学本科',
  associate: '大学专科',
  secondary: '中专',
  high_school: '高中及以下',
} as const;

export const seriesOptions = options(SERIES);
export const levelOptions = options(LEVELS);
export const educationOptions = options(EDUCATION);

export const keysOf = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
