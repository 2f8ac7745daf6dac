import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBp, formatBusinessDate, formatTime, hourRange, todayIn } from './time';

describe('todayIn', () => {
  it("gives the business date in the shop's time zone", () => {
    // 2024-05-01 17:30 UTC is already 2 May in Shanghai (UTC+8).
    const instant = new Date('2024-05-01T17:30:00Z');
    assert.equal(todayIn('Asia/Shanghai', instant), '2024-05-02');
    assert.equal(todayIn('UTC', instant), '2024-05-01');
    assert.equal(todayIn('America/New_York', instant), '2024-05-01');
  });

  it('falls back to the local zone for an unknown zone', () => {
    assert.match(todayIn('Not/AZone', new Date()), /^\d{4}-\d{2}-\d{2}$/);
    assert.match(todayIn(null), /^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('formatting', () => {
  it('formats times in the shop zone, 24-hour', () => {
    assert.equal(formatTime('2024-05-01T01:05:00Z', 'en', 'Asia/Shanghai'), '09:05');
    assert.equal(formatTime('not a date', 'en', 'UTC'), '');
  });

  it('formats hour buckets and basis points', () => {
    assert.equal(hourRange(9), '09:00–10:00');
    assert.equal(hourRange(23), '23:00–00:00');
    assert.equal(formatBp(2_500, 'en'), '25.0%');
  });
});

describe('formatBusinessDate', () => {
  it('shows the calendar day in the language, never shifted by a time zone', () => {
    assert.equal(formatBusinessDate('2024-05-02', 'zh-CN'), '2024年5月2日');
    assert.equal(formatBusinessDate('2024-05-02', 'en'), 'May 2, 2024');
    assert.equal(formatBusinessDate('2024-05-02', 'zh-CN', 'long'), '2024年5月2日星期四');
    assert.equal(formatBusinessDate('2024-12-31', 'en', 'long'), 'Tuesday, December 31, 2024');
    assert.equal(formatBusinessDate('not-a-date', 'en'), 'not-a-date');
  });
});
