// CSV as RFC 4180 with one addition our own format relies on: an unquoted empty field is null, a quoted empty
// field ("") is the empty string — so a round trip keeps them apart. The reader streams: records may span
// lines (quoted newlines) and only the current record is held in memory.
import type { Readable } from 'node:stream';

/** One field: null → empty, numbers as is, text quoted when it must be (and always when empty). */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  if (v === '' || /[",\r\n]/.test(v) || v.trim() !== v) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

export const csvLine = (values: (string | number | boolean | null | undefined)[]): string => `${values.map(csvField).join(',')}\n`;

/** A parsed record and the line it starts on (1-based, the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: (string | null)[];
}

/** A malformed record: an unclosed quote, or text after a closing quote. */
export class CsvError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

/** Records of a CSV byte stream (UTF-8, optional BOM), one at a time, blank lines skipped. */
export async function* readCsv(input: Readable): AsyncIterable<CsvRecord> {
  let fields: (string | null)[] = [];
  let field = '';
  let quoted = false; // the current field started with a quote
  let inQuotes = false; // inside the quotes right now
  let afterQuote = false; // a closing quote was just read
  let line = 1;
  let start = 1;
  let first = true;
  let skipLf = false; // the previous chunk ended on \r: a \n opening this one belongs to it
  const endField = () => {
    fields.push(!quoted && field === '' ? null : field);
    field = '';
    quoted = false;
    afterQuote = false;
  };
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    let text = chunk;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const out: CsvRecord[] = [];
    if (skipLf && text[0] === '\n') text = text.slice(1);
    skipLf = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inQuotes) {
        if (c === '"') {
          inQuotes = false;
          afterQuote = true;
        } else {
          if (c === '\n') line++;
          field += c;
        }
        continue;
      }
      if (afterQuote && c === '"') {
        // "" inside a quoted field is one quote
        field += '"';
        inQuotes = true;
        afterQuote = false;
      } else if (c === ',') {
        endField();
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        else if (c === '\r' && i === text.length - 1) skipLf = true;
        endField();
        if (!(fields.length === 1 && fields[0] === null)) out.push({ line: start, fields });
        fields = [];
        line++;
        start = line;
      } else if (c === '"' && field === '' && !quoted) {
        quoted = true;
        inQuotes = true;
      } else {
        if (afterQuote || quoted) throw new CsvError(line, 'text after a closing quote; quote the whole field and double the quotes inside it ("")');
        field += c;
      }
    }
    yield* out;
  }
  if (inQuotes) throw new CsvError(start, 'a quoted field is never closed (missing ")');
  if (field !== '' || quoted || fields.length) {
    endField();
    yield { line: start, fields };
  }
}
