import { parseByteSize } from './byte-size';

describe('parseByteSize', () => {
  it.each([
    ['1048576', 1_048_576],
    ['1mb', 1_048_576],
    ['512KB', 524_288],
    ['2 MB', 2_097_152],
    [' 1gb ', 1_073_741_824],
    ['1.5kb', 1536],
    ['0', 0],
    ['10b', 10],
  ])('%p is %p bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  it.each(['', 'mb', '1 tb', '-1mb', '1e3', 'ten', '99999999999999999999gb'])('%p is not a size', (text) => expect(parseByteSize(text)).toBeUndefined());
});
