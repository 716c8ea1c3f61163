import { z } from 'zod';
import { ValidationError } from '../../src/errors.ts';
import { ANNOUNCEMENT_STATES, ANNOUNCEMENT_TYPES, type AnnouncementRecord } from './announcements.repository.ts';

const typeKeys = Object.keys(ANNOUNCEMENT_TYPES) as [keyof typeof ANNOUNCEMENT_TYPES, ...Array<keyof typeof ANNOUNCEMENT_TYPES>];
const stateKeys = Object.keys(ANNOUNCEMENT_STATES) as [keyof typeof ANNOUNCEMENT_STATES, ...Array<keyof typeof ANNOUNCEMENT_STATES>];

export const announcementType = z.enum(typeKeys, { error: `应为：${Object.values(ANNOUNCEMENT_TYPES).join('、')}` }).meta({ title: '公告类型' });
export const announcementState = z.enum(stateKeys).meta({ title: '状态' });

export const announcementBody = z.object({
  type: announcementType,
  title: z.string().trim().min(1, '请填写标题').max(200, '最多 200 个字').meta({ title: '标题' }),
  content: z.string().trim().min(1, '请填写正文').max(50_000, '最多 50000 个字').meta({ title: '正文' }),
  attachmentIds: z.array(z.uuid({ error: '附件编号格式不正确' })).max(20, '最多 20 个附件').default([]).meta({ title: '附件' }),
});

export const idParams = z.object({ id: z.coerce.number().int().positive() });

const attachment = z.object({ id: z.string(), name: z.string(), size: z.number(), mime: z.string() });

export const announcementSchema = z.object({
  id: z.number(),
  unitId: z.number(),
  unitName: z.string(),
  type: announcementType,
  typeLabel: z.string(),
  title: z.string(),
  content: z.string(),
  state: announcementState,
  stateLabel: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  version: z.number(),
  attachments: z.array(attachment),
});

/** What the public sees of a published announcement. */
export const publicAnnouncementSchema = announcementSchema.pick({ id: true, unitName: true, type: true, typeLabel: true, title: true, publishedAt: true, attachments: true }).extend({ content: z.string() });

export const announcementJson = (a: AnnouncementRecord) => ({
  ...a,
  typeLabel: ANNOUNCEMENT_TYPES[a.type],
  stateLabel: ANNOUNCEMENT_STATES[a.state],
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
  publishedAt: a.publishedAt?.toISOString() ?? null,
  revokedAt: a.revokedAt?.toISOString() ?? null,
});

export const publicJson = (a: AnnouncementRecord) => {
  const j = announcementJson(a);
  return { id: j.id, unitName: j.unitName, type: j.type, typeLabel: j.typeLabel, title: j.title, content: j.content, publishedAt: j.publishedAt, attachments: j.attachments };
};

/** A list filter value: one of the keys, or a 400 naming the filter. */
export function filterOf<T extends string>(value: unknown, keys: readonly T[], field: string, label: string): T | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && (keys as readonly string[]).includes(value)) return value as T;
  throw new ValidationError(`筛选条件“${label}”无效`, [{ field: `filter.${field}`, message: `${label}：无效的值` }]);
}

/** A search term from a list filter, trimmed (100 characters at most). */
export const termOf = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 100) : undefined);
