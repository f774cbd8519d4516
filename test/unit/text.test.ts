import { formatCsv, formatTable } from '../../functions/cli/table';
import { storableJson } from '../../functions/core/store/load';

describe('storableJson', () => {
  it('replaces NUL characters by U+FFFD', () => {
    expect(JSON.parse(storableJson(JSON.stringify({ a: 'x\u0000y' })))).toEqual({ a: 'x\uFFFDy' });
  });
  it('leaves an escaped backslash followed by u0000 alone', () => {
    const json = JSON.stringify({ a: '\\u0000' });
    expect(storableJson(json)).toBe(json);
  });
  it('handles a NUL after an escaped backslash', () => {
    expect(JSON.parse(storableJson(JSON.stringify({ a: '\\\u0000' })))).toEqual({ a: '\\\uFFFD' });
  });
});

describe('formatTable', () => {
  it('aligns columns and right-aligns numbers', () => {
    expect(formatTable([{ name: 'a', n: 1.23456 }, { name: 'bbb', n: 10 }])).toBe(
      ['name |     n', '-----+------', 'a    | 1.235', 'bbb  |    10', '(2 rows)'].join('\n'),
    );
  });
  it('quotes CSV fields that need it', () => {
    expect(formatCsv([{ a: 'x,y', b: 'say "hi"' }])).toBe('a,b\n"x,y","say ""hi"""');
  });
});
