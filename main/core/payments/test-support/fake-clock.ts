/** A clock for the payment flows whose sleep moves time on at once: 30 s of polling in no time. */
import type { FlowClock } from '../pay-by-code';

export class FakeClock implements FlowClock {
  slept: number[] = [];
  constructor(private at = Date.parse('2026-12-06T02:00:00Z')) {}
  now(): number {
    return this.at;
  }
  sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.at += ms;
    return Promise.resolve();
  }
}
