import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../engine/mutex.ts';
import { addDuration } from '../../engine/durations.ts';
import { listQuerySchema, pageOf, sortOf } from '../../api/src/list-query.ts';
import { loadConfig } from '../../api/src/config.ts';

describe('KeyedMutex', () => {
  it('runs work on one key one at a time and other keys in parallel', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const slow = (key: string, label: string, ms: number) =>
      mutex.run(key, async () => {
        log.push(`${label}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${label}-`);
      });
    await Promise.all([slow('a', 'a1', 20), slow('a', 'a2', 1), slow('b', 'b1', 5)]);
    expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+'));
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'));
    expect(mutex.size).toBe(0);
  });

  it('releases the key when the work throws', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('k', async () => 'next')).resolves.toBe('next');
  });
});

describe('due dates', () => {
  it('adds ISO durations with a time or week part as clock time and reads absolute times', () => {
    const from = new Date('2026-09-28T10:00:00+08:00');
    expect(addDuration(from, 'P1W').toISOString()).toBe('2026-10-05T02:00:00.000Z');
    expect(addDuration(from, 'PT4H').toISOString()).toBe('2026-09-28T06:00:00.000Z');
    expect(addDuration(from, '2026-10-08T09:00:00+08:00').toISOString()).toBe('2026-10-08T01:00:00.000Z');
    expect(() => addDuration(from, 'three days')).toThrow(/既不是时长也不是日期时间/);
  });
});

describe('list parameters (react-admin simple-rest)', () => {
  it('parses sort, range and filter', () => {
    const q = listQuerySchema.parse({ sort: '["createdAt","DESC"]', range: '[10,19]', filter: '{"processKey":"dossier-review"}' });
    expect(pageOf(q)).toEqual({ offset: 10, limit: 10 });
    expect(sortOf(q, { createdAt: 't.created_at' }, ['t.id', 'asc'])).toEqual(['t.created_at', 'desc']);
    expect(sortOf(q, { name: 't.name' }, ['t.id', 'asc'])).toEqual(['t.id', 'asc']);
    expect(q.filter).toEqual({ processKey: 'dossier-review' });
  });

  it('refuses malformed JSON and oversized pages', () => {
    expect(listQuerySchema.safeParse({ range: '[0,' }).success).toBe(false);
    expect(listQuerySchema.safeParse({ range: '[0,1000]' }).success).toBe(false);
  });
});

describe('configuration', () => {
  it('has working defaults and names a bad variable', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, WORKERS: 1, DEMO_DATA: false });
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });
});
