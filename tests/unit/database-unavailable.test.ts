import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../engine/errors.ts';

describe('which errors mean the database is away (503, retried) rather than a fault (500, incident)', () => {
  it('counts a refused connection, a terminated one and a query on a transaction the lost connection ended', () => {
    // given errors seen while PostgreSQL restarts
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const endedTransaction = new Error('Transaction query already complete, run with DEBUG=knex:tx for more info');
    // when they are classified
    // then each means the database is unavailable
    expect([refused, terminated, endedTransaction].map((e) => isDatabaseUnavailable(e))).toEqual([true, true, true]);
  });

  it('does not count a constraint violation or a programming error', () => {
    // given errors that retrying would not cure
    const unique = Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: '23505' });
    const typo = new TypeError("Cannot read properties of undefined (reading 'id')");
    // when they are classified
    // then neither means the database is unavailable
    expect([unique, typo].map((e) => isDatabaseUnavailable(e))).toEqual([false, false]);
  });
});
