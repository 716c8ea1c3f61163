import type { Clock } from '../../engine/types.ts';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-03-02T09:00:00+08:00') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  advanceDays(days: number): void {
    this.advance(days * 24 * 3600 * 1000);
  }
  set(date: Date | string): void {
    this.current = new Date(date).getTime();
  }
}
