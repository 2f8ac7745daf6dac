import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskName, maskPhone, phoneTail } from './mask';

describe('masking a payer for the shop screen', () => {
  it('keeps the first and last character of a name of three or more and masks the middle', () => {
    assert.equal(maskName('张三丰'), '张*丰');
    assert.equal(maskName('张小明'), '张*明');
    assert.equal(maskName('欧阳娜娜'), '欧**娜');
    assert.equal(maskName('阿卜杜拉·买买提'), '阿******提');
  });

  it('keeps only the first character of a two-character name', () => {
    assert.equal(maskName('张三'), '张*');
    assert.equal(maskName('李雷'), '李*');
  });

  it('never shows a one-character name in full', () => {
    assert.equal(maskName('乐'), '*');
    assert.equal(maskName('   '), '*');
  });

  it('masks Latin names word by word, the same way', () => {
    assert.equal(maskName('Alice Smith'), 'A***e S***h');
    assert.equal(maskName('Bo Li'), 'B* L*');
    assert.equal(maskName('  Mary   Ann  Lee '), 'M**y A*n L*e');
    assert.equal(maskName('J Smith'), '* S***h');
  });

  it('counts characters, not UTF-16 units', () => {
    assert.equal(maskName('𠀋小𠀋'), '𠀋*𠀋');
  });

  it('masks the middle of a phone number and keeps its last four digits', () => {
    assert.equal(maskPhone('13812345678'), '138****5678');
    assert.equal(maskPhone('+86 138 1234 5678'), '861******5678');
    assert.equal(maskPhone('5551234'), '***1234');
    assert.equal(phoneTail('138-1234-5678'), '5678');
  });
});
