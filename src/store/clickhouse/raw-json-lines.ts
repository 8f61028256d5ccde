// ClickHouse writes a String column in JSONEachRow as a JSON string; the export format wants the properties
// (the last field of each line) as the JSON value the string holds. This transform unwraps it, line by line.
import { Transform } from 'node:stream';

/** Unwrap the last field of every JSONEachRow line (`"name":"{…}"` → `"name":{…}`); `null` stays null. */
export function unwrapLastField(name: string): Transform {
  const marker = `,"${name}":`;
  let rest = '';
  const fix = (line: string): string => {
    const at = line.lastIndexOf(marker);
    if (at < 0) return line;
    const value = line.slice(at + marker.length, -1);
    return value === 'null' ? line : `${line.slice(0, at + marker.length)}${JSON.parse(value) as string}}`;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      done(null, lines.length ? `${lines.map(fix).join('\n')}\n` : '');
    },
    flush(done) {
      done(null, rest ? `${fix(rest)}\n` : '');
    },
  });
}
