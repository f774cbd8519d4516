import { formatCsv, formatTable } from '../../functions/cli/table';
import { storableJson } from '../../functions/core/store/text';
import { copyFields } from '../../functions/core/store/copy';

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

describe('copyFields (COPY text format)', () => {
  it('writes NULL, booleans, numbers and escaped text', () => {
    expect(copyFields([null, undefined, true, false, 42, 1.5, 'tab\tnew\nline\r back\\slash'])).toBe(
      '\\N\t\\N\tt\tf\t42\t1.5\ttab\\tnew\\nline\\r back\\\\slash',
    );
  });
  it('writes arrays as quoted array literals', () => {
    expect(copyFields([['a "b", c', 'd\\e', 'NULL', ''], [1, 2], []])).toBe('{"a \\\\"b\\\\", c","d\\\\\\\\e","NULL",""}\t{"1","2"}\t{}');
  });
  it('stores NUL and unpaired surrogates as U+FFFD, keeps valid pairs', () => {
    expect(copyFields(['a\u0000b\uD800c🚀'])).toBe('a\uFFFDb\uFFFDc🚀');
  });
});

describe('formatTable', () => {
  it('aligns columns and right-aligns numbers', () => {
    expect(
      formatTable([
        { name: 'a', n: 1.23456 },
        { name: 'bbb', n: 10 },
      ]),
    ).toBe(['name |     n', '-----+------', 'a    | 1.235', 'bbb  |    10', '(2 rows)'].join('\n'));
  });
  it('quotes CSV fields that need it', () => {
    expect(formatCsv([{ a: 'x,y', b: 'say "hi"' }])).toBe('a,b\n"x,y","say ""hi"""');
  });
});
