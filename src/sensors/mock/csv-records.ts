/** One CSV record and the 1-based line of the file it starts on. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/**
 * Splits CSV text into records (RFC 4180): comma-separated fields, LF or CRLF line ends, fields in
 * double quotes may hold commas, line breaks and `""` for a literal quote. A leading byte-order
 * mark is dropped and blank lines are skipped. Spaces or tabs around a quoted field are ignored
 * (hand-written files often have them); unquoted fields are returned as written (no trimming).
 *
 * @param file named in error messages.
 * @throws Error `file:line: message` on an unterminated quoted field or a stray quote.
 */
export function parseCsvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let recordLine = 1;
  let field = '';
  let quoted = false;
  let afterQuote = false; // a closing quote was seen: only a separator may follow
  const fail = (msg: string): never => {
    throw new Error(`${file}:${line}: ${msg}`);
  };
  const endRecord = (): void => {
    fields.push(field);
    // A blank line is one empty field: skip it rather than report a short row.
    if (fields.length > 1 || fields[0] !== '' || afterQuote) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    afterQuote = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (afterQuote) {
      if (ch === ' ' || ch === '\t') continue; // hand-written files pad around quoted fields
      fail('unexpected character after a closing quote (expected a comma or a line end)');
    } else if (ch === '"') {
      if (field.trim() !== '') fail('a quote inside an unquoted field (quote the whole field and double the quote)');
      field = '';
      quoted = true;
    } else {
      field += ch;
    }
  }
  if (quoted) throw new Error(`${file}:${recordLine}: unterminated quoted field`);
  if (field !== '' || fields.length > 0 || afterQuote) endRecord();
  return records;
}
